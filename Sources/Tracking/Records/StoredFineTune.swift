import Foundation

/// A `fineTune` row as read back.
public struct StoredFineTune: Codable, Equatable, Sendable {
    /// Row id (`fineTuneId` in `trainingStep`).
    public var id: Int64
    /// The fine-tuned checkpoint's commit id.
    public var parentCommitId: String
    /// The resulting checkpoint; set only when `status` is `finished`.
    public var resultCommitId: String?
    /// `"full"`, `"lora"`, …
    public var method: String
    /// The training configuration, JSON text.
    public var configuration: String
    /// Where the fine-tune stands.
    public var status: RunStatus
    /// When it started.
    public var started: Date
    /// When it finished (or failed); `nil` while running.
    public var finished: Date?
    /// Wall-clock duration, seconds; `nil` until finished.
    public var seconds: Double?
    /// The `fmn` version that ran it.
    public var toolVersion: String
    /// Host and process id that wrote the `running` row (for `fsck`).
    public var ownerHost: String
    public var ownerPid: Int
}
