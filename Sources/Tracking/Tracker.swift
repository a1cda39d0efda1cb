import Foundation
import GRDB

/// A whole store (`./.fmn` by default): the `ExperimentStore` and the `CheckpointRepository`
/// kept consistent with each other.
///
/// Writing order keeps a crash harmless: a checkpoint's commit is made first, its `checkpoint`
/// row after; a fine-tune becomes `finished` in the same transaction that records its result's
/// row. A crash in between leaves a commit no row points to, which `fsck` reports and repairs.
///
/// How other modules use it:
/// ```swift
/// let tracker = try Tracker.open(at: URL(fileURLWithPath: ".fmn"))
/// // fmn train: record the fine-tune, train, commit, finish.
/// let fineTuneId = try tracker.experiments.beginFineTune(FineTuneRecord(
///     parentCommitId: parent, method: "lora", configuration: config, toolVersion: version))
/// try tracker.experiments.recordTrainingSteps(fineTuneId: fineTuneId, steps: steps)
/// let checkpoint = try tracker.finishFineTune(id: fineTuneId, folder: adapterFolder,
///     manifest: manifest, lineage: "support-chats", stage: "sft-1", seconds: elapsed)
/// // fmn probe: record a run (or beginProbeRun / finishProbeRun around a long probe).
/// try tracker.experiments.recordProbeRun(ProbeRunRecord(checkpointCommitId: checkpoint.commitId, …))
/// ```
public final class Tracker {
    /// Where the store's files are.
    public let layout: StoreLayout
    /// The SQLite side.
    public let experiments: ExperimentStore
    /// The git side.
    public let checkpoints: CheckpointRepository

    private init(
        layout: StoreLayout, experiments: ExperimentStore, checkpoints: CheckpointRepository
    ) {
        self.layout = layout
        self.experiments = experiments
        self.checkpoints = checkpoints
    }

    /// Opens an existing store.
    ///
    /// - Parameters:
    ///   - root: The store folder (holding `fmn.sqlite` and `checkpoints/`).
    ///   - largeFileThreshold: Bytes from which committed files go to `objects/`.
    /// - Throws: `TrackingError.storeNotFound` when there is no `fmn.sqlite`, the errors of
    ///   `ExperimentStore.init` and `CheckpointRepository.init`.
    public static func open(
        at root: URL, largeFileThreshold: Int64 = CheckpointRepository.defaultLargeFileThreshold
    ) throws -> Tracker {
        let layout = StoreLayout(root: root)
        guard FileManager.default.fileExists(atPath: layout.database.path) else {
            throw TrackingError.storeNotFound(path: layout.root.path)
        }
        let experiments = try ExperimentStore(path: layout.database, create: false)
        let checkpoints = try CheckpointRepository(
            layout: layout, largeFileThreshold: largeFileThreshold)
        return Tracker(layout: layout, experiments: experiments, checkpoints: checkpoints)
    }

    /// Creates a store at `root`, or completes one partly there: creates the folder, an empty
    /// bare repository when `checkpoints/` is missing, `objects/`, and the database (applying
    /// migrations). Existing files are checked, never replaced: an existing but unreadable or
    /// foreign `fmn.sqlite` or `checkpoints/` throws.
    ///
    /// - Returns: The opened store and whether anything was created.
    /// - Throws: As `open`, plus `TrackingError.io` when the folder cannot be created.
    public static func create(
        at root: URL, largeFileThreshold: Int64 = CheckpointRepository.defaultLargeFileThreshold
    ) throws -> (tracker: Tracker, created: Bool) {
        let layout = StoreLayout(root: root)
        do {
            try FileManager.default.createDirectory(
                at: layout.root, withIntermediateDirectories: true)
        } catch {
            throw TrackingError.io(
                path: layout.root.path, operation: "create folder", cause: "\(error)")
        }
        let hadDatabase = FileManager.default.fileExists(atPath: layout.database.path)
        let experiments = try ExperimentStore(path: layout.database, create: true)
        let lock = try FileLock(url: layout.lock)
        defer { lock.unlock() }
        let createdRepository = try CheckpointRepository.createIfMissing(layout: layout)
        let checkpoints = try CheckpointRepository(
            layout: layout, largeFileThreshold: largeFileThreshold)
        return (
            Tracker(layout: layout, experiments: experiments, checkpoints: checkpoints),
            !hadDatabase || createdRepository
        )
    }

    /// Resolves a checkpoint REF (stage tag, branch, commit id or unique prefix) to a commit id.
    /// - Throws: `TrackingError.unknownReference`, `.ambiguousReference`.
    public func resolve(_ ref: String) throws -> String {
        try checkpoints.resolve(ref)
    }

    /// Commits a checkpoint folder and records its `checkpoint` row (commit first, row second,
    /// under the store lock). Committing the same tree again returns the existing row.
    ///
    /// - Parameters: As `CheckpointRepository.commit`.
    /// - Returns: The checkpoint row and what the commit did.
    /// - Throws: As `CheckpointRepository.commit` and `ExperimentStore.recordCheckpoint`.
    @discardableResult
    public func commit(
        folder: URL, manifest: CheckpointManifest, lineage: String, stage: String? = nil
    ) throws -> (checkpoint: CheckpointRecord, outcome: CommitOutcome) {
        let lock = try FileLock(url: layout.lock)
        defer { lock.unlock() }
        let outcome = try checkpoints.commitHoldingLock(
            folder: folder, manifest: manifest, lineage: lineage, stage: stage)
        DebugPause.at("commit.refsUpdated")
        let record = try checkpointRecord(
            commitId: outcome.commitId, lineage: lineage, stage: stage)
        let stored = try experiments.recordCheckpoint(record)
        return (stored, outcome)
    }

    /// Commits a fine-tune's result and marks the fine-tune `finished` with it, in that order:
    /// the `checkpoint` row and the `finished` status are written in one transaction after the
    /// commit exists.
    ///
    /// - Parameters:
    ///   - id: From `ExperimentStore.beginFineTune`.
    ///   - folder, manifest, lineage, stage: As `commit`.
    ///   - seconds: Wall-clock duration of the fine-tune.
    /// - Returns: The result's checkpoint row.
    /// - Throws: As `commit`; `TrackingError.invalidRecord` when the fine-tune is not `running`.
    @discardableResult
    public func finishFineTune(
        id: Int64, folder: URL, manifest: CheckpointManifest, lineage: String, stage: String?,
        seconds: Double
    ) throws -> CheckpointRecord {
        let lock = try FileLock(url: layout.lock)
        defer { lock.unlock() }
        let outcome = try checkpoints.commitHoldingLock(
            folder: folder, manifest: manifest, lineage: lineage, stage: stage)
        DebugPause.at("commit.refsUpdated")
        let record = try checkpointRecord(
            commitId: outcome.commitId, lineage: lineage, stage: stage)
        let path = experiments.path
        return try experiments.write("finish fine-tune \(id)") { db in
            let stored = try ExperimentStore.insertCheckpoint(record, db: db, path: path)
            try ExperimentStore.finishFineTune(
                id: id, resultCheckpointId: stored.id ?? -1, seconds: seconds, db: db, path: path)
            return stored
        }
    }

    /// The `checkpoint` row describing a commit, from its manifest and time.
    func checkpointRecord(commitId: String, lineage: String?, stage: String?) throws
        -> CheckpointRecord
    {
        let info = try checkpoints.commitInfo(commitId)
        let lineage = lineage ?? info.branches.first ?? "detached"
        let name = stage ?? info.tags.first ?? "\(lineage)@\(commitId.prefix(8))"
        return CheckpointRecord(
            commitId: commitId, parentCommitId: info.manifest?.parent ?? info.parentIds.first,
            kind: info.manifest?.kind ?? .base, name: name, lineage: lineage,
            created: info.created)
    }
}
