import Foundation
import Probes
import Tracking

/// Runs a probe suite on stored checkpoints and records each run, unless a finished run of the
/// same suite (by content hash) is already stored for that checkpoint.
///
/// A run is begun (`running` row) before the model work and finished with all its scores in one
/// transaction; a crash in between leaves a `running` row that `fmn fsck` marks abandoned and a
/// later call runs again.
public struct CheckpointProber {
    public let tracker: Tracker
    public let workspace: CheckpointWorkspace
    public let suite: ProbeSuite
    /// The suite as the store keeps it (name, content hash, normalised specification).
    public let suiteRecord: ProbeSuiteRecord
    public var batchSize: Int
    public var seed: Int
    public var toolVersion: String

    /// Reads the suite's content hash and specification once.
    /// - Throws: `ProbeError` for unreadable data files.
    public init(
        tracker: Tracker, suite: ProbeSuite, batchSize: Int = 8, seed: Int = 0,
        toolVersion: String
    ) throws {
        self.tracker = tracker
        self.workspace = CheckpointWorkspace(tracker: tracker)
        self.suite = suite
        self.suiteRecord = ProbeSuiteRecord(
            name: suite.name, contentHash: try suite.contentHash(),
            spec: Self.specification(of: suite))
        self.batchSize = batchSize
        self.seed = seed
        self.toolVersion = toolVersion
    }

    /// The suite's normalised specification: canonical JSON of its parsed tasks and limits.
    public static func specification(of suite: ProbeSuite) -> String {
        struct Entry: Encodable {
            var task: ProbeTask
            var limit: Double?
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let entries = suite.entries.map { Entry(task: $0.task, limit: $0.limit) }
        return (try? encoder.encode(entries)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    /// The latest finished run of this suite on a checkpoint, if any.
    public func finishedRun(of commitId: String) throws -> StoredProbeRun? {
        try tracker.experiments.probeRuns(
            checkpointCommitId: commitId, suiteHash: suiteRecord.contentHash
        ).last { $0.status == .finished }
    }

    /// Probes a checkpoint and records the run, or returns the stored run.
    /// - Returns: The stored run and whether it was made now.
    /// - Throws: `ProbeError`, `TrackingError`, `PipelineError.unusableCheckpoint`.
    @discardableResult
    public func probe(
        _ commitId: String, onEvent: (ProbeRunner.Event) -> Void = { _ in }
    ) throws -> (run: StoredProbeRun, ranNow: Bool) {
        if let stored = try finishedRun(of: commitId) { return (stored, false) }
        let location = try workspace.location(of: commitId)
        let model = try DecoderModelProbe.load(
            modelFolder: location.modelFolder, adapterFolder: location.adapterFolder)
        let started = Date()
        let runId = try tracker.experiments.beginProbeRun(
            checkpointCommitId: commitId, suite: suiteRecord, seed: seed,
            toolVersion: toolVersion, started: started)
        do {
            let result = try ProbeRunner(batchSize: batchSize).run(
                suite, model: model, onEvent: onEvent)
            let (taskScores, itemScores) = try Self.records(of: result)
            try tracker.experiments.finishProbeRun(
                id: runId, seconds: Date().timeIntervalSince(started), taskScores: taskScores,
                itemScores: itemScores)
        } catch {
            try? tracker.experiments.failProbeRun(id: runId)
            throw error
        }
        guard let stored = try finishedRun(of: commitId) else {
            throw PipelineError.incomparableRuns(reason: "probe run \(runId) was not recorded")
        }
        return (stored, true)
    }

    /// The store's rows for a suite result: one task score per (task, metric), one item score
    /// per (task, item) holding the task's primary metric and, as `details`, the whole
    /// `ProbeItemResult` JSON (per-metric scores, log-likelihoods, counts, references).
    public static func records(of result: ProbeSuiteResult) throws -> (
        [TaskScoreRecord], [ItemScoreRecord]
    ) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var taskScores: [TaskScoreRecord] = []
        var itemScores: [ItemScoreRecord] = []
        for task in result.tasks {
            for metric in task.metrics {
                taskScores.append(
                    TaskScoreRecord(
                        task: task.task, metric: metric.name, value: metric.value,
                        stderr: metric.standardError, n: task.itemCount))
            }
            let primary = StoredRunComparison.primaryMetric(among: task.metrics.map(\.name))
            for item in task.items {
                let score = primary.flatMap { item.scores[$0] } ?? item.logLikelihood ?? 0
                let prediction =
                    item.prediction ?? item.predictedChoice.map { String($0) }
                itemScores.append(
                    ItemScoreRecord(
                        task: task.task, itemId: String(item.itemId), score: score,
                        prediction: prediction, choiceLogLikelihoods: item.choiceLogLikelihoods,
                        details: String(decoding: try encoder.encode(item), as: UTF8.self)))
            }
        }
        return (taskScores, itemScores)
    }
}
