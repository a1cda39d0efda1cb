import Foundation
import Probes
import Tracking

/// Records a probe run made outside an experiment (`fmn probe --store`): the probed model folder
/// (and adapter) are committed as checkpoints, then the run with every task and item score.
///
/// The model is committed as a `base` checkpoint on the lineage `models/<folder name>` and an
/// adapter as a `lora` checkpoint on `adapters/<folder name>` whose parent is the model; a folder
/// already stored (same tree) is reused. When a lineage name is taken by a different model, a
/// numbered one is used (`models/<name>-2`, …).
public enum ProbeRunRecorder {
    /// - Returns: The probed checkpoint's commit id and the run's id.
    /// - Throws: `TrackingError` (store, repository), `ProbeError` (suite data files).
    @discardableResult
    public static func record(
        _ result: ProbeSuiteResult, suite: ProbeSuite, modelFolder: URL, adapterFolder: URL?,
        tracker: Tracker, started: Date, toolVersion: String
    ) throws -> (commitId: String, probeRunId: Int64) {
        let model = try commit(
            folder: modelFolder, lineagePrefix: "models",
            manifest: CheckpointManifest(
                kind: .base, parent: nil, method: "pretrained", toolVersion: toolVersion),
            tracker: tracker)
        var probed = model
        if let adapterFolder {
            probed = try commit(
                folder: adapterFolder, lineagePrefix: "adapters",
                manifest: CheckpointManifest(
                    kind: .lora, parent: model, method: "lora", toolVersion: toolVersion),
                tracker: tracker)
        }
        let (taskScores, itemScores) = try CheckpointProber.records(of: result)
        let runId = try tracker.experiments.recordProbeRun(
            ProbeRunRecord(
                checkpointCommitId: probed,
                suite: ProbeSuiteRecord(
                    name: suite.name, contentHash: result.contentHash,
                    spec: CheckpointProber.specification(of: suite)),
                seed: 0, toolVersion: toolVersion, started: started,
                seconds: result.elapsedSeconds, taskScores: taskScores, itemScores: itemScores))
        return (probed, runId)
    }

    /// Commits a folder on `<lineagePrefix>/<folder name>` (numbered when that lineage ends at
    /// another checkpoint); a folder already stored is reused.
    /// - Returns: The commit id.
    /// - Throws: `TrackingError`.
    public static func commit(
        folder: URL, lineagePrefix: String, manifest: CheckpointManifest, tracker: Tracker
    ) throws -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        var name = String(
            folder.standardizedFileURL.lastPathComponent.map {
                allowed.contains($0) ? $0 : "-"
            })
        while name.hasPrefix(".") { name.removeFirst() }
        if name.isEmpty { name = "checkpoint" }
        var lastError: Error?
        for attempt in 1...50 {
            let lineage = "\(lineagePrefix)/\(name)" + (attempt == 1 ? "" : "-\(attempt)")
            do {
                return try tracker.commit(folder: folder, manifest: manifest, lineage: lineage)
                    .checkpoint.commitId
            } catch let error as TrackingError {
                guard case .invalidRecord = error else { throw error }
                lastError = error  // the lineage ends at another checkpoint: try the next name
            }
        }
        throw lastError!
    }
}
