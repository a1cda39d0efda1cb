/// What `CheckpointRepository.merge(_:into:expectedTip:note:)` did to a branch.
public struct CheckpointMerge: Codable, Equatable, Sendable {
    /// How the branch was moved.
    public enum Kind: String, Codable, Sendable {
        /// The branch's tip was an ancestor of the candidate: the branch now points at the
        /// candidate's own commit.
        case fastForward = "fast-forward"
        /// The branch had moved on: a new commit with parents (branch tip, candidate) and the
        /// candidate's tree.
        case mergeCommit = "merge-commit"
        /// The branch already contained the candidate; nothing was changed.
        case alreadyMerged = "already-merged"
    }

    /// What was done.
    public var kind: Kind
    /// The branch (lineage) merged into.
    public var branch: String
    /// The branch's tip before the merge (40 hex digits).
    public var previousTip: String
    /// The branch's tip after the merge: the candidate (fast-forward), the new merge commit, or
    /// the unchanged tip.
    public var newTip: String
    /// The candidate's commit id.
    public var candidate: String
    /// The notes reference the note was written to; `nil` when no note was written.
    public var notesRef: String?

    /// Creates a value (the repository makes these).
    public init(
        kind: Kind, branch: String, previousTip: String, newTip: String, candidate: String,
        notesRef: String?
    ) {
        self.kind = kind
        self.branch = branch
        self.previousTip = previousTip
        self.newTip = newTip
        self.candidate = candidate
        self.notesRef = notesRef
    }
}
