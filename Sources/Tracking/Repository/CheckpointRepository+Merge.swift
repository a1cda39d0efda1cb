import CLibGit2
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Merging a checkpoint into a branch, and the git notes that record why (`fmn merge`).
///
/// A checkpoint merge means "the branch now holds the candidate": there is no file-level merge
/// of weights (averaging or splicing two models' tensors is not a merge git can do, and not what
/// a merge gate approves). So:
///
/// - when the branch's tip is an ancestor of the candidate (the usual case: the candidate was
///   fine-tuned from the branch's tip), the branch is **fast-forwarded** to the candidate's own
///   commit;
/// - otherwise a **merge commit** is made with parents (branch tip, candidate) and exactly the
///   candidate's tree (its files and `fmn.json`), so `git log` shows both histories and a
///   checkout gives the candidate byte for byte;
/// - when the branch already contains the candidate, nothing changes.
///
/// The gate's verdict is written as a git note (`git notes --ref fmn-gate show <commit>`
/// reads it) on the branch's new tip, before the branch is moved: a crash in between leaves a
/// note on a commit no branch points to, which is harmless. The branch is moved with a
/// compare-and-swap against the tip the gate judged, under the store's lock, so a concurrent
/// merge is never overwritten. Everything goes through libgit2; no `git` binary is needed.
extension CheckpointRepository {
    /// The notes reference gate verdicts are written to.
    public static let gateNotesRef = "refs/notes/fmn-gate"

    /// Merges checkpoint `candidate` into branch `branch` (see the type's notes for what a
    /// checkpoint merge is) and writes `note` on the resulting tip.
    ///
    /// - Parameters:
    ///   - candidate: The candidate's commit id (40 hex digits; resolve REFs first).
    ///   - branch: The branch (lineage) name, e.g. `"main"`.
    ///   - expectedTip: The branch tip the caller judged (the gate's baseline when it was the
    ///     tip); the merge is refused when the branch points elsewhere now.
    ///   - note: Text of the git note to write on the new tip (under ``gateNotesRef``); an
    ///     existing note there is kept and the new text appended. `nil` writes none.
    /// - Returns: What was done.
    /// - Throws: `TrackingError.unknownReference` (no such branch or commit),
    ///   `.invalidRecord` (the branch moved since `expectedTip`), `.repositoryLocked`, `.git`.
    ///   Nothing is changed when it throws.
    @discardableResult
    public func merge(
        _ candidate: String, into branch: String, expectedTip: String, note: String?
    ) throws -> CheckpointMerge {
        let lock = try FileLock(url: layout.lock)
        defer { lock.unlock() }
        try checkNotLocked()
        let path = layout.repository.path
        let handle = try Self.openHandle(path: path)
        defer { git_repository_free(handle) }

        let branchRef = "refs/heads/\(branch)"
        var tipOid = git_oid()
        guard git_reference_name_to_id(&tipOid, handle, branchRef) == 0 else {
            throw TrackingError.unknownReference(ref: branch, repository: path)
        }
        let tip = LibGit2.hex(tipOid)
        guard tip == expectedTip.lowercased() else {
            throw TrackingError.invalidRecord(
                path: path,
                reason: "branch '\(branch)' moved to \(tip.prefix(12)) since the gate judged "
                    + "\(expectedTip.prefix(12)); run fmn merge again to gate against the new tip")
        }
        guard var candidateOid = LibGit2.oid(candidate.lowercased()) else {
            throw TrackingError.unknownReference(ref: candidate, repository: path)
        }
        var candidateCommit: OpaquePointer?
        guard git_commit_lookup(&candidateCommit, handle, &candidateOid) == 0,
            let candidateCommit
        else {
            throw TrackingError.unknownReference(ref: candidate, repository: path)
        }
        defer { git_commit_free(candidateCommit) }
        let candidateId = LibGit2.hex(candidateOid)

        let contained = try candidateId == tip || isAncestor(candidateId, of: tip)
        if contained {
            return CheckpointMerge(
                kind: .alreadyMerged, branch: branch, previousTip: tip, newTip: tip,
                candidate: candidateId, notesRef: nil)
        }

        var signature: UnsafeMutablePointer<git_signature>?
        try LibGit2.check(
            git_signature_new(&signature, "ForgetMeNot", "fmn@localhost", git_time_t(time(nil)), 0),
            "git_signature_new", path: path)
        defer { git_signature_free(signature) }

        let kind: CheckpointMerge.Kind
        var newTipOid: git_oid
        if try isAncestor(tip, of: candidateId) {
            kind = .fastForward
            newTipOid = candidateOid
        } else {
            kind = .mergeCommit
            var tipCommit: OpaquePointer?
            try LibGit2.check(
                git_commit_lookup(&tipCommit, handle, &tipOid), "git_commit_lookup", path: path)
            defer { git_commit_free(tipCommit) }
            var tree: OpaquePointer?
            try LibGit2.check(
                git_commit_tree(&tree, candidateCommit), "git_commit_tree", path: path)
            defer { git_tree_free(tree) }
            let message =
                "Merge checkpoint \(candidateId.prefix(12)) into \(branch)\n\n"
                + "The branch now holds the candidate's checkpoint unchanged (tree "
                + "\(LibGit2.hex(git_commit_tree_id(candidateCommit).pointee).prefix(12))); "
                + "checkpoints are not merged file by file.\n"
            var mergeOid = git_oid()
            var parents: [OpaquePointer?] = [tipCommit, candidateCommit]
            let code = parents.withUnsafeMutableBufferPointer { buffer in
                git_commit_create(
                    &mergeOid, handle, nil, signature, signature, "UTF-8", message, tree,
                    buffer.count, buffer.baseAddress)
            }
            try LibGit2.check(code, "git_commit_create", path: path)
            newTipOid = mergeOid
        }

        var notesRef: String?
        if let note {
            var text = note
            var existing: OpaquePointer?
            if git_note_read(&existing, handle, Self.gateNotesRef, &newTipOid) == 0, let existing {
                if let message = git_note_message(existing) {
                    let old = String(cString: message)
                    text = old + (old.hasSuffix("\n") ? "\n" : "\n\n") + note
                }
                git_note_free(existing)
            }
            var noteOid = git_oid()
            try LibGit2.check(
                git_note_create(
                    &noteOid, handle, Self.gateNotesRef, signature, signature, &newTipOid, text, 1),
                "git_note_create", path: path)
            notesRef = Self.gateNotesRef
        }

        var reference: OpaquePointer?
        var expected = tipOid
        let code = git_reference_create_matching(
            &reference, handle, branchRef, &newTipOid, 1, &expected,
            "fmn merge: \(kind.rawValue) to \(candidateId.prefix(12))")
        if reference != nil { git_reference_free(reference) }
        try LibGit2.check(code, "update \(branchRef)", path: path)
        return CheckpointMerge(
            kind: kind, branch: branch, previousTip: tip, newTip: LibGit2.hex(newTipOid),
            candidate: candidateId, notesRef: notesRef)
    }

    /// The git note on a commit under `notesRef` (by default the gate's), if any.
    /// - Throws: `TrackingError.unknownReference` for a malformed id; `.git`.
    public func note(on commitId: String, notesRef: String = gateNotesRef) throws -> String? {
        let path = layout.repository.path
        guard var oid = LibGit2.oid(commitId.lowercased()) else {
            throw TrackingError.unknownReference(ref: commitId, repository: path)
        }
        let handle = try Self.openHandle(path: path)
        defer { git_repository_free(handle) }
        var note: OpaquePointer?
        let code = git_note_read(&note, handle, notesRef, &oid)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try LibGit2.check(code, "git_note_read", path: path)
        defer { git_note_free(note) }
        return git_note_message(note).map { String(cString: $0) }
    }

    /// A second libgit2 handle on the bare repository, for work that needs the raw repository.
    private static func openHandle(path: String) throws -> OpaquePointer {
        LibGit2.ensureInitialised()
        var handle: OpaquePointer?
        let code = git_repository_open_ext(
            &handle, path,
            GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue | GIT_REPOSITORY_OPEN_BARE.rawValue, nil)
        guard code == 0, let handle else {
            throw TrackingError.repositoryDamaged(path: path, cause: LibGit2.lastErrorMessage(code))
        }
        return handle
    }
}
