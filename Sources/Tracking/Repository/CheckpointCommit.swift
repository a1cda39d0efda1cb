import Foundation

/// One checkpoint as the repository knows it: a commit whose tree is the checkpoint folder plus
/// `fmn.json`.
public struct CheckpointCommit: Codable, Equatable, Sendable {
    /// Commit id, 40 lowercase hex digits.
    public var id: String
    /// Tree id of the checkpoint folder (two commits with equal trees hold the same checkpoint).
    public var treeId: String
    /// Parent commit ids (the parent checkpoint's commit, or none for a base).
    public var parentIds: [String]
    /// Commit time.
    public var created: Date
    /// The commit message's first line.
    public var summary: String
    /// The decoded `fmn.json`; `nil` when the commit has none (not made by ForgetMeNot).
    public var manifest: CheckpointManifest?
    /// Branches (lineages) whose tip is this commit.
    public var branches: [String]
    /// Stage tags naming this commit.
    public var tags: [String]
}
