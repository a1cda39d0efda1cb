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
