import Foundation

/// A whole probe run to record at once (`ExperimentStore.recordProbeRun`): the `probeRun` row,
/// its suite, and all its task and item scores.
public struct ProbeRunRecord: Codable, Equatable, Sendable {
    /// The probed checkpoint's commit id; it must already be recorded (`Tracker.commit`).
    public var checkpointCommitId: String
    /// The suite that was run.
    public var suite: ProbeSuiteRecord
    /// Seed of the run's random choices (few-shot sampling, generation).
    public var seed: Int
    /// The `fmn` version that ran it.
    public var toolVersion: String
    /// When the run started.
    public var started: Date
    /// Wall-clock duration of the run, seconds.
    public var seconds: Double
    /// Aggregate scores, at most one per (task, metric).
    public var taskScores: [TaskScoreRecord]
    /// Per-item results, at most one per (task, itemId).
    public var itemScores: [ItemScoreRecord]

    public init(
        checkpointCommitId: String, suite: ProbeSuiteRecord, seed: Int, toolVersion: String,
        started: Date, seconds: Double, taskScores: [TaskScoreRecord],
        itemScores: [ItemScoreRecord]
    ) {
        self.checkpointCommitId = checkpointCommitId
        self.suite = suite
        self.seed = seed
        self.toolVersion = toolVersion
        self.started = started
        self.seconds = seconds
        self.taskScores = taskScores
        self.itemScores = itemScores
    }
}
