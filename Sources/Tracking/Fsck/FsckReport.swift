/// What `Tracker.fsck` found, and what it repaired.
public struct FsckReport: Codable, Equatable, Sendable {
    /// One finding.
    public struct Problem: Codable, Equatable, Sendable {
        /// What kind of inconsistency.
        public var kind: FsckProblemKind
        /// The commit id, run id or path concerned.
        public var subject: String
        /// What is wrong and how to fix it when `repaired` is false.
        public var detail: String
        /// Whether this `fsck` repaired it.
        public var repaired: Bool
    }

    /// Every finding, in the order checked.
    public var problems: [Problem]
    /// Probe runs and fine-tunes still `running` whose process is alive (not problems).
    public var inProgress: [String]
    /// Commits in the repository (reachable from a branch or tag).
    public var commitCount: Int
    /// Rows per table.
    public var rowCounts: [String: Int]

    /// `true` when nothing is wrong.
    public var isClean: Bool { problems.isEmpty }
}

/// The inconsistencies `fsck` looks for.
public enum FsckProblemKind: String, Codable, Sendable, CaseIterable {
    /// SQLite's `quick_check` found damage in `fmn.sqlite` (not repairable here).
    case databaseDamaged
    /// A commit made by ForgetMeNot that no `checkpoint` row points to (a crash between the
    /// commit and the row). Repair: record the row from the commit's `fmn.json`.
    case commitWithoutRow
    /// A commit without `fmn.json`, not made by ForgetMeNot (reported only).
    case foreignCommit
    /// A `checkpoint` row whose commit is not in the repository (reported only: restore the
    /// repository from a backup).
    case rowWithoutCommit
    /// A probe run left `running` by a process that is gone. Repair: mark it `abandoned`.
    case probeRunLeftRunning
    /// A fine-tune left `running` by a process that is gone. Repair: mark it `abandoned`.
    case fineTuneLeftRunning
    /// A `.lock` file in the repository while no `fmn` process writes it (reported only).
    case staleLock
}
