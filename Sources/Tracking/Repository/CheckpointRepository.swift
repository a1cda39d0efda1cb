import CLibGit2
import Foundation

/// Checkpoints versioned in a bare git repository (`<store>/checkpoints`), driven through
/// libgit2 only; no `git` binary is needed at run time.
///
/// Each checkpoint is one commit whose tree is the checkpoint folder (a Hugging Face model
/// folder or a PEFT adapter folder) plus `fmn.json` (`CheckpointManifest`). Its git parent is the
/// parent checkpoint's commit, so `git log` shows the lineage. Each lineage is a branch
/// (`refs/heads/<lineage>`), each named stage a lightweight tag (`refs/tags/<stage>`).
///
/// Files of `largeFileThreshold` bytes or more (100 MB by default) are copied to
/// `<store>/objects/` under their SHA-256 and a Git LFS pointer file is committed in their place;
/// `checkout` copies them back and verifies the SHA-256. A folder whose tree is already stored
/// is not stored again (`CommitOutcome.reused`).
///
/// Writes take an exclusive `flock` on `<store>/lock`, so several processes may commit to one
/// store at once. Objects are written before refs (libgit2 writes each through a temporary file
/// and a rename), so a crash at any point leaves the repository readable; at worst a commit no
/// branch points to, which is invisible, or a commit no `checkpoint` row points to, which
/// `Tracker.fsck` reports and repairs.
///
/// Not thread-safe: use one instance per thread.
public final class CheckpointRepository {
    /// 100 MB: files this large or larger are kept under `objects/` behind a pointer file.
    public static let defaultLargeFileThreshold: Int64 = 100_000_000

    /// The store this repository belongs to.
    public let layout: StoreLayout
    /// Size in bytes from which a file is stored under `objects/` with a pointer file committed.
    public var largeFileThreshold: Int64

    private let repository: OpaquePointer
    private var path: String { layout.repository.path }

    /// Opens the repository of an existing store.
    ///
    /// - Parameters:
    ///   - layout: The store's folders.
    ///   - largeFileThreshold: Bytes from which files go to `objects/` (tests pass a small one).
    /// - Throws: `TrackingError.repositoryMissing` when `checkpoints/` does not exist,
    ///   `.repositoryDamaged` when libgit2 cannot open it as a repository.
    public init(
        layout: StoreLayout,
        largeFileThreshold: Int64 = CheckpointRepository.defaultLargeFileThreshold
    ) throws {
        LibGit2.ensureInitialised()
        self.layout = layout
        self.largeFileThreshold = largeFileThreshold
        var isDirectory: ObjCBool = false
        guard
            FileManager.default.fileExists(
                atPath: layout.repository.path, isDirectory: &isDirectory),
            isDirectory.boolValue
        else {
            throw TrackingError.repositoryMissing(path: layout.repository.path)
        }
        var handle: OpaquePointer?
        let code = git_repository_open_ext(
            &handle, layout.repository.path,
            GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue | GIT_REPOSITORY_OPEN_BARE.rawValue, nil)
        guard code == 0, let handle else {
            throw TrackingError.repositoryDamaged(
                path: layout.repository.path, cause: LibGit2.lastErrorMessage(code))
        }
        repository = handle
        // A repository whose HEAD or refs cannot be read is damaged too.
        if git_repository_is_empty(handle) < 0 {
            git_repository_free(handle)
            throw TrackingError.repositoryDamaged(
                path: layout.repository.path, cause: LibGit2.lastErrorMessage(-1))
        }
    }

    deinit {
        git_repository_free(repository)
    }

    /// Creates an empty bare repository at `layout.repository` (and `objects/`) unless one exists.
    ///
    /// - Returns: `true` when a repository was created, `false` when one was already there.
    /// - Throws: `TrackingError.git` when libgit2 cannot create it; `.io` for `objects/`.
    @discardableResult
    public static func createIfMissing(layout: StoreLayout) throws -> Bool {
        LibGit2.ensureInitialised()
        try createDirectory(layout.objects)
        if FileManager.default.fileExists(atPath: layout.repository.path) { return false }
        var handle: OpaquePointer?
        try LibGit2.check(
            git_repository_init(&handle, layout.repository.path, 1), "git_repository_init",
            path: layout.repository.path)
        git_repository_free(handle)
        return true
    }

    // MARK: - Committing

    /// Commits a checkpoint folder on branch `lineage`, tagging it `stage` when given.
    ///
    /// The commit's parent is `manifest.parent`; the lineage branch must end at that parent (or
    /// not exist yet). When a commit with the same tree already exists it is reused: no new
    /// commit, only the missing branch or tag is added.
    ///
    /// - Parameters:
    ///   - folder: A model folder (`config.json`) for `base`/`full`, an adapter folder
    ///     (`adapter_config.json`) for `lora`. Symbolic links are followed; `.git` and a
    ///     top-level `fmn.json` are left out (the manifest replaces it).
    ///   - manifest: Written as `fmn.json` at the tree's root.
    ///   - lineage: Branch name, e.g. `"main"` or `"support-chats"`.
    ///   - stage: Tag name, e.g. `"base"` or `"sft-1"`; `nil` for none.
    /// - Returns: The commit id, whether it was reused, and which files became pointer files.
    /// - Throws: `TrackingError.notACheckpointFolder`, `.unknownReference` (parent not in the
    ///   repository), `.invalidRecord` (bad names, a lineage ending elsewhere, a stage tag on
    ///   another commit), `.repositoryLocked` (`index.lock` or a ref lock held), `.git`, `.io`.
    public func commit(
        folder: URL, manifest: CheckpointManifest, lineage: String, stage: String?
    ) throws -> CommitOutcome {
        let lock = try FileLock(url: layout.lock)
        defer { lock.unlock() }
        return try commitHoldingLock(
            folder: folder, manifest: manifest, lineage: lineage, stage: stage)
    }

    /// `commit` for callers that already hold the store lock (`Tracker`).
    func commitHoldingLock(
        folder: URL, manifest: CheckpointManifest, lineage: String, stage: String?
    ) throws -> CommitOutcome {
        try validateFolder(folder, kind: manifest.kind)
        try checkNotLocked()
        let branchRef = "refs/heads/\(lineage)"
        let tagRef = stage.map { "refs/tags/\($0)" }
        for name in [branchRef] + (tagRef.map { [$0] } ?? []) {
            var valid: Int32 = 0
            guard git_reference_name_is_valid(&valid, name) == 0, valid == 1 else {
                throw TrackingError.invalidRecord(
                    path: path, reason: "'\(name)' is not a valid git reference name")
            }
        }
        var parentOid: git_oid?
        if let parent = manifest.parent {
            guard let oid = LibGit2.oid(parent), objectExists(oid) else {
                throw TrackingError.unknownReference(ref: parent, repository: path)
            }
            parentOid = oid
        }

        var pointerFiles: [String] = []
        var treeOid = try writeTree(
            directory: folder, relative: "", manifest: try manifest.encoded(),
            pointerFiles: &pointerFiles)
        let treeId = LibGit2.hex(treeOid)
        let branchTip = referenceTarget(branchRef)
        let tagTarget = tagRef.flatMap { referenceTarget($0) }

        if let existingId = try commitId(withTree: treeId) {
            let existing = try commitInfo(existingId)
            if let tagTarget, tagTarget != existing.id {
                throw TrackingError.invalidRecord(
                    path: path,
                    reason: "stage tag '\(stage ?? "")' already names commit \(tagTarget)")
            }
            if branchTip == nil {
                try updateReference(branchRef, to: existing.id, expected: nil)
            }
            if let tagRef, tagTarget == nil {
                try updateReference(tagRef, to: existing.id, expected: nil)
            }
            return CommitOutcome(commitId: existing.id, reused: true, pointerFiles: pointerFiles)
        }

        if let tagTarget {
            throw TrackingError.invalidRecord(
                path: path, reason: "stage tag '\(stage ?? "")' already names commit \(tagTarget)")
        }
        if let branchTip {
            guard let parent = manifest.parent,
                try branchTip == parent || isAncestor(branchTip, of: parent)
            else {
                throw TrackingError.invalidRecord(
                    path: path,
                    reason: "lineage '\(lineage)' ends at \(branchTip), which is not the new "
                        + "checkpoint's parent nor its ancestor; commit it on a new lineage")
            }
        }

        var tree: OpaquePointer?
        try LibGit2.check(
            git_tree_lookup(&tree, repository, &treeOid), "git_tree_lookup", path: path)
        defer { git_tree_free(tree) }
        var parentCommit: OpaquePointer?
        if var parentOid {
            try LibGit2.check(
                git_commit_lookup(&parentCommit, repository, &parentOid), "git_commit_lookup",
                path: path)
        }
        defer { if let parentCommit { git_commit_free(parentCommit) } }
        var signature: UnsafeMutablePointer<git_signature>?
        try LibGit2.check(
            git_signature_new(&signature, "ForgetMeNot", "fmn@localhost", git_time_t(time(nil)), 0),
            "git_signature_new", path: path)
        defer { git_signature_free(signature) }

        var message = "\(manifest.kind.rawValue) checkpoint on \(lineage)"
        if let stage { message += ", stage \(stage)" }
        message += "\n\nMethod: \(manifest.method)\n"
        if let parent = manifest.parent { message += "Parent: \(parent)\n" }
        message += "Tool: fmn \(manifest.toolVersion)\n"

        var commitOid = git_oid()
        var parents: [OpaquePointer?] = parentCommit.map { [$0] } ?? []
        let code = parents.withUnsafeMutableBufferPointer { buffer in
            git_commit_create(
                &commitOid, repository, nil, signature, signature, "UTF-8", message, tree,
                buffer.count, buffer.baseAddress)
        }
        try LibGit2.check(code, "git_commit_create", path: path)
        let commitId = LibGit2.hex(commitOid)
        DebugPause.at("commit.objectsWritten")

        try updateReference(branchRef, to: commitId, expected: branchTip)
        if let tagRef {
            try updateReference(tagRef, to: commitId, expected: nil)
        }
        return CommitOutcome(commitId: commitId, reused: false, pointerFiles: pointerFiles)
    }

    private func validateFolder(_ folder: URL, kind: CheckpointKind) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory),
            isDirectory.boolValue
        else {
            throw TrackingError.notACheckpointFolder(path: folder.path, reason: "no such folder")
        }
        let required = kind == .lora ? "adapter_config.json" : "config.json"
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(required).path)
        else {
            throw TrackingError.notACheckpointFolder(
                path: folder.path, reason: "a \(kind.rawValue) checkpoint needs \(required)")
        }
    }

    /// Throws `.repositoryLocked` when a git process holds `index.lock` in the repository.
    func checkNotLocked() throws {
        let indexLock = layout.repository.appendingPathComponent("index.lock")
        if FileManager.default.fileExists(atPath: indexLock.path) {
            throw TrackingError.repositoryLocked(path: indexLock.path)
        }
    }

    private func writeTree(
        directory: URL, relative: String, manifest: Data?, pointerFiles: inout [String]
    ) throws -> git_oid {
        var builder: OpaquePointer?
        try LibGit2.check(
            git_treebuilder_new(&builder, repository, nil), "git_treebuilder_new", path: path)
        defer { git_treebuilder_free(builder) }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        } catch {
            throw TrackingError.io(
                path: directory.path, operation: "list folder", cause: "\(error)")
        }
        for name in names {
            if name == ".git" || (manifest != nil && name == CheckpointManifest.fileName) {
                continue
            }
            let url = directory.appendingPathComponent(name).resolvingSymlinksInPath()
            let entryPath = relative.isEmpty ? name : relative + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
            else {
                throw TrackingError.io(path: url.path, operation: "read", cause: "broken link")
            }
            var oid: git_oid
            let mode: git_filemode_t
            if isDirectory.boolValue {
                oid = try writeTree(
                    directory: url, relative: entryPath, manifest: nil, pointerFiles: &pointerFiles)
                mode = GIT_FILEMODE_TREE
            } else {
                oid = try writeBlob(file: url, relative: entryPath, pointerFiles: &pointerFiles)
                mode = GIT_FILEMODE_BLOB
            }
            try LibGit2.check(
                git_treebuilder_insert(nil, builder, name, &oid, mode), "git_treebuilder_insert",
                path: url.path)
        }
        if let manifest {
            var oid = try writeBlob(bytes: manifest)
            try LibGit2.check(
                git_treebuilder_insert(
                    nil, builder, CheckpointManifest.fileName, &oid,
                    GIT_FILEMODE_BLOB), "git_treebuilder_insert", path: path)
        }
        var treeOid = git_oid()
        try LibGit2.check(
            git_treebuilder_write(&treeOid, builder), "git_treebuilder_write", path: path)
        return treeOid
    }

    private func writeBlob(file: URL, relative: String, pointerFiles: inout [String]) throws
        -> git_oid
    {
        let size: Int64
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
            size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        } catch {
            throw TrackingError.io(path: file.path, operation: "stat", cause: "\(error)")
        }
        if size >= largeFileThreshold {
            let pointer = try storeLargeFile(file)
            pointerFiles.append(relative)
            return try writeBlob(bytes: Data(pointer.text.utf8))
        }
        if size < 1024, let bytes = FileManager.default.contents(atPath: file.path),
            LFSPointer(bytes: Array(bytes)) != nil
        {
            throw TrackingError.notACheckpointFolder(
                path: file.deletingLastPathComponent().path,
                reason: "\(relative) is a Git LFS pointer, not the file itself; run "
                    + "`git lfs pull` in the folder it was cloned to")
        }
        var oid = git_oid()
        try LibGit2.check(
            git_blob_create_from_disk(&oid, repository, file.path), "git_blob_create_from_disk",
            path: file.path)
        return oid
    }

    private func writeBlob(bytes: Data) throws -> git_oid {
        var oid = git_oid()
        let code = bytes.withUnsafeBytes { buffer in
            git_blob_create_from_buffer(&oid, repository, buffer.baseAddress, buffer.count)
        }
        try LibGit2.check(code, "git_blob_create_from_buffer", path: path)
        return oid
    }

    /// Copies a large file into `objects/` under its SHA-256 (through a temporary name and a
    /// rename; an object already there is kept) and returns its pointer.
    private func storeLargeFile(_ file: URL) throws -> LFSPointer {
        try Self.createDirectory(layout.objects)
        let temporary = layout.objects.appendingPathComponent("incoming-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        let (sha256, size) = try FileHashing.copyHashing(file, to: temporary)
        let destination = layout.object(sha256: sha256)
        if !FileManager.default.fileExists(atPath: destination.path) {
            try Self.createDirectory(destination.deletingLastPathComponent())
            if rename(temporary.path, destination.path) != 0 {
                throw TrackingError.io(
                    path: destination.path, operation: "rename into place",
                    cause: String(cString: strerror(errno)))
            }
        }
        return LFSPointer(sha256: sha256, size: size)
    }

    private static func createDirectory(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw TrackingError.io(path: url.path, operation: "create folder", cause: "\(error)")
        }
    }

    /// Points `name` at `target`; with `expected`, only if it still points there (compare and
    /// swap), otherwise only if it does not exist yet.
    private func updateReference(_ name: String, to target: String, expected: String?) throws {
        guard var oid = LibGit2.oid(target) else { return }
        var reference: OpaquePointer?
        let code: Int32
        if let expected, var current = LibGit2.oid(expected) {
            code = git_reference_create_matching(
                &reference, repository, name, &oid, 1, &current, "fmn: \(name)")
        } else {
            code = git_reference_create(&reference, repository, name, &oid, 0, "fmn: \(name)")
        }
        if reference != nil { git_reference_free(reference) }
        try LibGit2.check(code, "update \(name)", path: path)
    }

    // MARK: - Reading

    /// Resolves a checkpoint REF to a commit id: a stage tag, then a branch (lineage), then a
    /// full commit id, then a unique prefix (4 or more hex digits) of a commit reachable from
    /// a branch or tag.
    ///
    /// - Throws: `TrackingError.unknownReference`, or `.ambiguousReference` with the candidates.
    public func resolve(_ ref: String) throws -> String {
        for prefix in ["refs/tags/", "refs/heads/"] {
            var valid: Int32 = 0
            if git_reference_name_is_valid(&valid, prefix + ref) == 0, valid == 1,
                let id = peeledCommit(prefix + ref)
            {
                return id
            }
        }
        let lowered = ref.lowercased()
        if var oid = LibGit2.oid(lowered), objectExists(oid) {
            var commit: OpaquePointer?
            if git_commit_lookup(&commit, repository, &oid) == 0 {
                git_commit_free(commit)
                return lowered
            }
        }
        if lowered.count >= 4, lowered.allSatisfy(\.isHexDigit) {
            let matches = try allCommitIds().filter { $0.hasPrefix(lowered) }
            if matches.count == 1 { return matches[0] }
            if matches.count > 1 {
                throw TrackingError.ambiguousReference(ref: ref, candidates: matches.sorted())
            }
        }
        throw TrackingError.unknownReference(ref: ref, repository: path)
    }

    /// The commit `name` points to, following an annotated tag; `nil` when there is none.
    private func peeledCommit(_ name: String) -> String? {
        var object: OpaquePointer?
        guard git_revparse_single(&object, repository, name + "^{commit}") == 0, let object else {
            return nil
        }
        defer { git_object_free(object) }
        guard let oid = git_object_id(object) else { return nil }
        return LibGit2.hex(oid.pointee)
    }

    private func referenceTarget(_ name: String) -> String? {
        var oid = git_oid()
        guard git_reference_name_to_id(&oid, repository, name) == 0 else { return nil }
        return LibGit2.hex(oid)
    }

    private func objectExists(_ oid: git_oid) -> Bool {
        var odb: OpaquePointer?
        guard git_repository_odb(&odb, repository) == 0 else { return false }
        defer { git_odb_free(odb) }
        var copy = oid
        return git_odb_exists(odb, &copy) == 1
    }

    /// Lineage branches, name → tip commit id.
    public func branches() throws -> [String: String] {
        try references(prefix: "refs/heads/")
    }

    /// Stage tags, name → commit id.
    public func tags() throws -> [String: String] {
        try references(prefix: "refs/tags/")
    }

    private func references(prefix: String) throws -> [String: String] {
        var names = git_strarray()
        try LibGit2.check(git_reference_list(&names, repository), "git_reference_list", path: path)
        defer { git_strarray_dispose(&names) }
        var result: [String: String] = [:]
        for index in 0..<names.count {
            guard let cName = names.strings[index] else { continue }
            let name = String(cString: cName)
            guard name.hasPrefix(prefix), let id = peeledCommit(name) else { continue }
            result[String(name.dropFirst(prefix.count))] = id
        }
        return result
    }

    private func allCommitIds() throws -> [String] {
        var walk: OpaquePointer?
        try LibGit2.check(git_revwalk_new(&walk, repository), "git_revwalk_new", path: path)
        defer { git_revwalk_free(walk) }
        try LibGit2.check(
            git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_REVERSE.rawValue),
            "git_revwalk_sorting", path: path)
        for target in Set(try branches().values).union(try tags().values).sorted() {
            guard var oid = LibGit2.oid(target) else { continue }
            try LibGit2.check(git_revwalk_push(walk, &oid), "git_revwalk_push", path: path)
        }
        var ids: [String] = []
        var oid = git_oid()
        while git_revwalk_next(&oid, walk) == 0 {
            ids.append(LibGit2.hex(oid))
        }
        return ids
    }

    /// The first commit (parents first) reachable from a branch or tag whose tree is `treeId`.
    private func commitId(withTree treeId: String) throws -> String? {
        for id in try allCommitIds() {
            guard var oid = LibGit2.oid(id) else { continue }
            var commit: OpaquePointer?
            guard git_commit_lookup(&commit, repository, &oid) == 0 else { continue }
            defer { git_commit_free(commit) }
            if LibGit2.hex(git_commit_tree_id(commit).pointee) == treeId { return id }
        }
        return nil
    }

    /// Every checkpoint reachable from a branch or a tag, parents before children.
    public func allCommits() throws -> [CheckpointCommit] {
        let branches = try branches()
        let tags = try tags()
        return try allCommitIds().map {
            try commitInfo($0, branches: branches, tags: tags)
        }
    }

    /// The commit `id` with its manifest, branches and tags.
    /// - Throws: `TrackingError.unknownReference` when there is no such commit.
    public func commitInfo(_ id: String) throws -> CheckpointCommit {
        try commitInfo(id, branches: try branches(), tags: try tags())
    }

    private func commitInfo(_ id: String, branches: [String: String], tags: [String: String])
        throws -> CheckpointCommit
    {
        guard var oid = LibGit2.oid(id) else {
            throw TrackingError.unknownReference(ref: id, repository: path)
        }
        var commit: OpaquePointer?
        guard git_commit_lookup(&commit, repository, &oid) == 0, let commit else {
            throw TrackingError.unknownReference(ref: id, repository: path)
        }
        defer { git_commit_free(commit) }
        let parents = (0..<git_commit_parentcount(commit)).compactMap { index in
            git_commit_parent_id(commit, index).map { LibGit2.hex($0.pointee) }
        }
        let treeId = LibGit2.hex(git_commit_tree_id(commit).pointee)
        let message = git_commit_message(commit).map { String(cString: $0) } ?? ""
        var manifest: CheckpointManifest?
        if let bytes = try readFile(CheckpointManifest.fileName, inCommit: commit) {
            manifest = try? JSONDecoder().decode(CheckpointManifest.self, from: bytes)
        }
        return CheckpointCommit(
            id: id, treeId: treeId, parentIds: parents,
            created: Date(timeIntervalSince1970: TimeInterval(git_commit_time(commit))),
            summary: String(message.split(separator: "\n").first ?? ""),
            manifest: manifest,
            branches: branches.filter { $0.value == id }.map(\.key).sorted(),
            tags: tags.filter { $0.value == id }.map(\.key).sorted())
    }

    private func readFile(_ name: String, inCommit commit: OpaquePointer) throws -> Data? {
        var tree: OpaquePointer?
        try LibGit2.check(git_commit_tree(&tree, commit), "git_commit_tree", path: path)
        defer { git_tree_free(tree) }
        guard let entry = git_tree_entry_byname(tree, name),
            git_tree_entry_type(entry) == GIT_OBJECT_BLOB
        else { return nil }
        var blob: OpaquePointer?
        try LibGit2.check(
            git_blob_lookup(&blob, repository, git_tree_entry_id(entry)), "git_blob_lookup",
            path: path)
        defer { git_blob_free(blob) }
        return Data(bytes: git_blob_rawcontent(blob), count: Int(git_blob_rawsize(blob)))
    }

    /// The first-parent chain from `id` back to its base, `id` first.
    public func history(of id: String) throws -> [CheckpointCommit] {
        let branches = try branches()
        let tags = try tags()
        var chain: [CheckpointCommit] = []
        var next: String? = id
        while let current = next {
            let info = try commitInfo(current, branches: branches, tags: tags)
            chain.append(info)
            next = info.parentIds.first
        }
        return chain
    }

    /// Whether `ancestor` is a strict ancestor of `descendant` (`git_graph_descendant_of`).
    public func isAncestor(_ ancestor: String, of descendant: String) throws -> Bool {
        guard var a = LibGit2.oid(ancestor) else {
            throw TrackingError.unknownReference(ref: ancestor, repository: path)
        }
        guard var d = LibGit2.oid(descendant) else {
            throw TrackingError.unknownReference(ref: descendant, repository: path)
        }
        let code = git_graph_descendant_of(repository, &d, &a)
        try LibGit2.check(code, "git_graph_descendant_of", path: path)
        return code == 1
    }

    /// The pointer files in checkpoint `id`: relative path and pointer, sorted by path.
    /// - Throws: `TrackingError.unknownReference` when there is no such commit.
    public func pointerFiles(in id: String) throws -> [(path: String, pointer: LFSPointer)] {
        try withTree(ofCommit: id) { tree in
            var found: [(path: String, pointer: LFSPointer)] = []
            if let tree { try collectPointers(tree, relative: "", into: &found) }
            return found.sorted { $0.path < $1.path }
        }
    }

    /// Runs `body` with the root tree of commit `id` (nil for a commit without one), freeing
    /// both afterwards.
    /// - Throws: `TrackingError.unknownReference` when there is no such commit.
    private func withTree<Result>(ofCommit id: String, _ body: (OpaquePointer?) throws -> Result)
        throws -> Result
    {
        guard var oid = LibGit2.oid(id) else {
            throw TrackingError.unknownReference(ref: id, repository: path)
        }
        var commit: OpaquePointer?
        guard git_commit_lookup(&commit, repository, &oid) == 0 else {
            throw TrackingError.unknownReference(ref: id, repository: path)
        }
        defer { git_commit_free(commit) }
        var tree: OpaquePointer?
        try LibGit2.check(git_commit_tree(&tree, commit), "git_commit_tree", path: path)
        defer { git_tree_free(tree) }
        return try body(tree)
    }

    private func collectPointers(
        _ tree: OpaquePointer, relative: String,
        into found: inout [(path: String, pointer: LFSPointer)]
    ) throws {
        for index in 0..<git_tree_entrycount(tree) {
            guard let entry = git_tree_entry_byindex(tree, index),
                let entryId = git_tree_entry_id(entry)
            else { continue }
            let name = String(cString: git_tree_entry_name(entry))
            let entryPath = relative.isEmpty ? name : relative + "/" + name
            var oid = entryId.pointee
            switch git_tree_entry_type(entry) {
            case GIT_OBJECT_TREE:
                var subtree: OpaquePointer?
                try LibGit2.check(
                    git_tree_lookup(&subtree, repository, &oid), "git_tree_lookup", path: path)
                defer { git_tree_free(subtree) }
                if let subtree { try collectPointers(subtree, relative: entryPath, into: &found) }
            case GIT_OBJECT_BLOB:
                // The size from the object's header first: large blobs are never inflated.
                guard let headerSize = blobSize(oid), headerSize > 0, headerSize < 1024 else {
                    continue
                }
                var blob: OpaquePointer?
                try LibGit2.check(
                    git_blob_lookup(&blob, repository, &oid), "git_blob_lookup", path: path)
                defer { git_blob_free(blob) }
                let size = Int(git_blob_rawsize(blob))
                guard size > 0, size < 1024, let raw = git_blob_rawcontent(blob) else { continue }
                let bytes = Array(UnsafeRawBufferPointer(start: raw, count: size))
                if let pointer = LFSPointer(bytes: bytes) {
                    found.append((entryPath, pointer))
                }
            default:
                continue
            }
        }
    }

    /// A blob's size from its object header (`git_odb_read_header`), without inflating it.
    private func blobSize(_ oid: git_oid) -> Int? {
        var odb: OpaquePointer?
        guard git_repository_odb(&odb, repository) == 0 else { return nil }
        defer { git_odb_free(odb) }
        var copy = oid
        var size = 0
        var type = GIT_OBJECT_ANY
        guard git_odb_read_header(&size, &type, odb, &copy) == 0 else { return nil }
        return size
    }

    // MARK: - Checkout

    /// Writes checkpoint `id` into `out` (which must not exist, or be empty), verifying every
    /// file byte for byte: each ordinary file's git blob id is recomputed from what was written,
    /// and each large file's SHA-256 and size from what was copied out of `objects/`.
    ///
    /// Files are written to a temporary folder beside `out` and renamed into place at the end,
    /// so a failure leaves no half-written checkpoint.
    ///
    /// - Returns: The relative paths written, sorted (including `fmn.json`).
    /// - Throws: `TrackingError.outputNotEmpty`, `.unknownReference`, `.missingObject`,
    ///   `.checksumMismatch`, `.io`.
    @discardableResult
    public func checkout(_ id: String, to out: URL) throws -> [String] {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: out.path, isDirectory: &isDirectory) {
            let contents = (try? fileManager.contentsOfDirectory(atPath: out.path)) ?? ["?"]
            guard isDirectory.boolValue, contents.isEmpty else {
                throw TrackingError.outputNotEmpty(path: out.path)
            }
        }
        return try withTree(ofCommit: id) { tree in
            let parent = out.deletingLastPathComponent()
            try Self.createDirectory(parent)
            let staging = parent.appendingPathComponent(
                ".\(out.lastPathComponent).fmn-partial-\(UUID().uuidString)")
            try Self.createDirectory(staging)
            var written: [String] = []
            do {
                guard let tree else {
                    throw TrackingError.repositoryDamaged(
                        path: path, cause: "commit \(id) has no tree")
                }
                try writeTree(tree, to: staging, relative: "", written: &written)
                if fileManager.fileExists(atPath: out.path) {
                    try fileManager.removeItem(at: out)  // known empty, checked above
                }
                try fileManager.moveItem(at: staging, to: out)
            } catch {
                try? fileManager.removeItem(at: staging)
                if let error = error as? TrackingError { throw error }
                throw TrackingError.io(
                    path: out.path, operation: "write checkpoint", cause: "\(error)")
            }
            return written.sorted()
        }
    }

    private func writeTree(
        _ tree: OpaquePointer, to directory: URL, relative: String, written: inout [String]
    ) throws {
        for index in 0..<git_tree_entrycount(tree) {
            guard let entry = git_tree_entry_byindex(tree, index) else { continue }
            let name = String(cString: git_tree_entry_name(entry))
            let entryPath = relative.isEmpty ? name : relative + "/" + name
            let url = directory.appendingPathComponent(name)
            switch git_tree_entry_type(entry) {
            case GIT_OBJECT_TREE:
                var subtree: OpaquePointer?
                try LibGit2.check(
                    git_tree_lookup(&subtree, repository, git_tree_entry_id(entry)),
                    "git_tree_lookup", path: path)
                defer { git_tree_free(subtree) }
                try Self.createDirectory(url)
                guard let subtree else { continue }
                try writeTree(subtree, to: url, relative: entryPath, written: &written)
            case GIT_OBJECT_BLOB:
                try writeBlob(entry, to: url, relative: entryPath)
                written.append(entryPath)
            default:
                continue
            }
        }
    }

    private func writeBlob(_ entry: OpaquePointer, to url: URL, relative: String) throws {
        var blob: OpaquePointer?
        guard let expectedId = git_tree_entry_id(entry) else { return }
        let expected = expectedId.pointee
        var lookupOid = expected
        try LibGit2.check(
            git_blob_lookup(&blob, repository, &lookupOid), "git_blob_lookup", path: path)
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        let raw = git_blob_rawcontent(blob)
        let bytes = size == 0 ? [] : Array(UnsafeRawBufferPointer(start: raw, count: size))
        if let pointer = LFSPointer(bytes: bytes) {
            let object = layout.object(sha256: pointer.sha256)
            guard FileManager.default.fileExists(atPath: object.path) else {
                throw TrackingError.missingObject(path: object.path, oid: pointer.sha256)
            }
            let (sha256, copied) = try FileHashing.copyHashing(object, to: url)
            guard sha256 == pointer.sha256, copied == pointer.size else {
                throw TrackingError.checksumMismatch(
                    path: object.path, expected: "\(pointer.sha256) (\(pointer.size) bytes)",
                    actual: "\(sha256) (\(copied) bytes)")
            }
            return
        }
        guard FileManager.default.createFile(atPath: url.path, contents: Data(bytes)) else {
            throw TrackingError.io(path: url.path, operation: "write", cause: "cannot create")
        }
        var actual = git_oid()
        try LibGit2.check(
            git_odb_hashfile(&actual, url.path, GIT_OBJECT_BLOB), "git_odb_hashfile", path: url.path
        )
        guard LibGit2.hex(actual) == LibGit2.hex(expected) else {
            throw TrackingError.checksumMismatch(
                path: relative, expected: "git blob \(LibGit2.hex(expected))",
                actual: "git blob \(LibGit2.hex(actual))")
        }
    }
}
