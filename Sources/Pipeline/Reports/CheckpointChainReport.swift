import Analysis
import Foundation
import Reporting
import Tracking

/// The report of a chain of stored checkpoints (`fmn report --checkpoints A,B,C`): a score
/// matrix with one row per checkpoint (the first is the reference row), loss curves of those
/// made by a recorded fine-tune, and the paired comparison and flipped items of the last
/// checkpoint against the one before it.
///
/// Every checkpoint must have a finished probe run of one common suite; when several suites
/// are common to all, the most recently run one is used.
public struct CheckpointChainReport {
    public let tracker: Tracker
    public var toolVersion: String

    public init(tracker: Tracker, toolVersion: String) {
        self.tracker = tracker
        self.toolVersion = toolVersion
    }

    /// Builds the report input.
    /// - Parameters:
    ///   - refs: Two or more checkpoint REFs, base first.
    ///   - title: The report's title.
    /// - Throws: `TrackingError` for an unknown REF; `PipelineError.incomparableRuns` naming the
    ///   checkpoints without a run of a common suite.
    public func reportInput(refs: [String], title: String) throws -> ReportInput {
        precondition(!refs.isEmpty, "CheckpointChainReport: no checkpoints")
        let ids = try refs.map { try tracker.resolve($0) }
        let store = tracker.experiments
        var finished: [[StoredProbeRun]] = []
        for id in ids {
            finished.append(
                try store.probeRuns(checkpointCommitId: id).filter { $0.status == .finished })
        }
        if let index = finished.firstIndex(where: \.isEmpty) {
            throw PipelineError.incomparableRuns(
                reason: "checkpoint \(refs[index]) (\(ids[index].prefix(12))) has no finished "
                    + "probe run; probe it (fmn gate --suite, or fmn run) before reporting")
        }
        var common = Set(finished[0].map(\.suiteHash))
        for runs in finished.dropFirst() { common.formIntersection(runs.map(\.suiteHash)) }
        guard
            let suiteHash = common.max(by: { a, b in
                let la = finished.flatMap { $0 }.filter { $0.suiteHash == a }.map(\.id).max() ?? 0
                let lb = finished.flatMap { $0 }.filter { $0.suiteHash == b }.map(\.id).max() ?? 0
                return (la, a) < (lb, b)
            })
        else {
            throw PipelineError.incomparableRuns(
                reason: "the checkpoints \(refs.joined(separator: ", ")) have no finished run of "
                    + "one common suite; probe them all with one suite first")
        }
        let runs = try finished.map { runs in
            try StoredRunResults(
                run: runs.last { $0.suiteHash == suiteHash }!, store: store)
        }
        let matrix = ReportAssembler.scoreMatrix(
            names: refs, runs: runs, targets: refs.map { _ in [] })
        var stages: [ReportStage] = []
        var lossCurves: [LossCurve] = []
        for (index, (ref, id)) in zip(refs, ids).enumerated() {
            let info = try tracker.checkpoints.commitInfo(id)
            stages.append(
                ReportStage(
                    name: ref,
                    method: index == 0 ? "base" : (info.manifest?.method ?? "checkpoint"),
                    parent: index == 0 ? nil : refs[index - 1], checkpoint: String(id.prefix(12))))
            if let fineTune = try store.fineTunes(resultCommitId: id).last {
                let steps = try store.trainingSteps(fineTuneId: fineTune.id)
                if !steps.isEmpty {
                    lossCurves.append(
                        LossCurve(stage: ref, steps: steps.map(\.step), losses: steps.map(\.loss)))
                }
            }
        }
        var deltas: [PairedComparison] = []
        var flips: [FlipExample] = []
        var baselineName: String?
        var candidateName: String?
        if runs.count >= 2 {
            let baseline = runs[runs.count - 2]
            let candidate = runs[runs.count - 1]
            deltas = try StoredRunComparison.comparisons(baseline: baseline, candidate: candidate)
                .map {
                    PairedComparison(
                        task: $0.task, metric: $0.metric, direction: $0.direction, data: $0.data)
                }
            flips = try StoredFlips.examples(baseline: baseline, candidate: candidate, suite: nil)
            baselineName = refs[refs.count - 2]
            candidateName = refs[refs.count - 1]
        }
        return ReportInput(
            experiment: title,
            generatedBy: "fmn \(toolVersion), suite \(runs[0].run.suiteName) "
                + "\(suiteHash.prefix(12))",
            stages: stages, matrix: matrix, reference: .baseModel, baselineName: baselineName,
            candidateName: candidateName, deltas: deltas, lossCurves: lossCurves, flips: flips)
    }
}
