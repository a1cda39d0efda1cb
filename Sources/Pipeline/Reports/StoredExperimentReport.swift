import Analysis
import Foundation
import Probes
import Reporting
import Tracking

/// The report of an experiment whose checkpoints and probe runs are already stored
/// (`fmn report EXPERIMENT`): reads the experiment file, finds each checkpoint by its stage tag
/// (`<experiment>/<stage>`, as `fmn run` tags them), recomputes each gate from the stored runs
/// without recording it again (the statistics are seeded, so the verdicts are the recorded
/// ones), and hands everything to ``ReportAssembler``. Nothing is trained or probed.
public struct StoredExperimentReport {
    public let tracker: Tracker
    public let experiment: ExperimentFile
    public var toolVersion: String

    public init(tracker: Tracker, experiment: ExperimentFile, toolVersion: String) {
        self.tracker = tracker
        self.experiment = experiment
        self.toolVersion = toolVersion
    }

    /// Builds the report input.
    /// - Returns: The input and the gates per candidate.
    /// - Throws: `PipelineError.incomparableRuns` naming the checkpoints that are not stored or
    ///   have no finished run of the experiment's suite; `ProbeError` for the suite file;
    ///   `TrackingError`; `AnalysisError`.
    public func reportInput() throws -> (input: ReportInput, gates: [String: GateReport]) {
        let tags = try tracker.checkpoints.tags()
        let names = ["base"] + experiment.stages.map(\.name)
        var commits: [String: String] = [:]
        var missing: [String] = []
        for name in names {
            if let id = tags["\(experiment.name)/\(name)"] {
                commits[name] = id
            } else {
                missing.append("\(experiment.name)/\(name)")
            }
        }
        guard missing.isEmpty else {
            throw PipelineError.incomparableRuns(
                reason: "checkpoint(s) \(missing.joined(separator: ", ")) of "
                    + "\(experiment.fileURL.path) are not stored in \(tracker.layout.root.path); "
                    + "run fmn run \(experiment.fileURL.lastPathComponent) (with --resume) first")
        }
        let suiteHash = try ProbeSuite.load(contentsOf: experiment.suite).contentHash()
        var unprobed: [String] = []
        for name in names {
            let runs = try tracker.experiments.probeRuns(
                checkpointCommitId: commits[name]!, suiteHash: suiteHash)
            if !runs.contains(where: { $0.status == .finished }) { unprobed.append(name) }
        }
        guard unprobed.isEmpty else {
            throw PipelineError.incomparableRuns(
                reason: "no finished probe run of suite \(experiment.suite.lastPathComponent) "
                    + "(\(suiteHash.prefix(12))) for \(unprobed.joined(separator: ", ")); run fmn "
                    + "run \(experiment.fileURL.lastPathComponent) --resume to probe them")
        }
        var gates: [String: GateReport] = [:]
        if let spec = experiment.gate {
            let (policy, text) = try CheckpointGate.loadPolicy(spec.policy)
            let gate = try CheckpointGate(tracker: tracker, policy: policy, policyText: text)
            for candidate in spec.candidates {
                gates[candidate] = try gate.evaluate(
                    baselineCommitId: commits[spec.baseline]!,
                    candidateCommitId: commits[candidate]!, suiteHash: suiteHash, record: false
                ).report
            }
        }
        let assembler = ReportAssembler(
            tracker: tracker, experiment: experiment, commits: commits, suiteHash: suiteHash,
            toolVersion: toolVersion)
        return (try assembler.reportInput(gates: gates), gates)
    }
}
