import Foundation

/// A checkpoint as the store records it: a `checkpoint` row. `Tracker.commit` writes it right
/// after the commit exists; `id` is the row id (`checkpointId` in other tables).
public struct CheckpointRecord: Codable, Equatable, Sendable {
    /// Row id; `nil` before it is inserted.
    public var id: Int64?
    /// The git commit id, 40 hex digits.
    public var commitId: String
    /// The parent checkpoint's commit id; `nil` for a base.
    public var parentCommitId: String?
    /// What it holds.
    public var kind: CheckpointKind
    /// Display name: the stage tag when there is one, else `<lineage>@<first 8 digits>`.
    public var name: String
    /// The lineage (branch) it was committed on.
    public var lineage: String
    /// When it was committed.
    public var created: Date

    public init(
        id: Int64? = nil, commitId: String, parentCommitId: String?, kind: CheckpointKind,
        name: String, lineage: String, created: Date
    ) {
        self.id = id
        self.commitId = commitId
        self.parentCommitId = parentCommitId
        self.kind = kind
        self.name = name
        self.lineage = lineage
        self.created = created
    }
}
