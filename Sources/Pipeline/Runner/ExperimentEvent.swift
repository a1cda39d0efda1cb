import Analysis
import Foundation
import Probes
import Training

/// What an ``ExperimentRunner`` reports while it works; the CLI renders these, the library never
/// prints.
public enum ExperimentEvent: Sendable {
    /// The base model was committed (or found already committed).
    case baseCommitted(commitId: String, reused: Bool)
    /// Stage `index` (1-based) of `count` starts its fine-tune.
    case stageStarted(index: Int, count: Int, stage: String, method: FineTuneMethod)
    /// A stage's checkpoint is already stored; nothing to redo.
    case stageSkipped(index: Int, count: Int, stage: String, commitId: String)
    /// Progress of the fine-tune of the current stage.
    case training(stage: String, TrainingEvent)
    /// A stage's result was committed.
    case stageCommitted(stage: String, commitId: String)
    /// A checkpoint (`base` or a stage) starts its probe run.
    case probeStarted(checkpoint: String)
    /// Progress of the current probe run.
    case probing(checkpoint: String, ProbeRunner.Event)
    /// A checkpoint's probe run of this suite is already stored.
    case probeSkipped(checkpoint: String)
    /// The gate's verdict on one candidate (`reused` when an identical verdict was stored).
    case gated(candidate: String, baseline: String, report: GateReport)
    /// The report files were written.
    case reportWritten([URL])
}

/// What a finished ``ExperimentRunner/run(resume:onEvent:)`` did and found.
public struct ExperimentSummary: Sendable {
    /// The experiment's name.
    public var experiment: String
    /// Commit id per checkpoint name (`base` and each stage).
    public var commits: [String: String]
    /// The gate reports by candidate stage.
    public var gates: [String: GateReport]
    /// The report files.
    public var reportFiles: [URL]
    /// `true` when everything was already done and nothing was run.
    public var wasAlreadyFinished: Bool
    /// The score matrix over base and every stage (file order).
    public var matrix: ScoreMatrix
}
