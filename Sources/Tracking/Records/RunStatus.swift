/// The state of a probe run or a fine-tune row.
///
/// `running` rows are written first and committed at once, so a crash leaves them visible;
/// `Tracker.fsck` turns a `running` row whose process is gone into `abandoned`.
public enum RunStatus: String, Codable, Sendable, CaseIterable {
    case running
    case finished
    case failed
    case abandoned
}
