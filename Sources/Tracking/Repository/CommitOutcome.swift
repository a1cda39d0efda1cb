/// What `CheckpointRepository.commit` did.
public struct CommitOutcome: Codable, Equatable, Sendable {
    /// The checkpoint's commit id (new, or the existing one with the same tree).
    public var commitId: String
    /// `true` when a commit with the same tree already existed and was reused.
    public var reused: Bool
    /// Paths (relative to the folder) stored under `objects/` with a pointer file committed.
    public var pointerFiles: [String]
}
