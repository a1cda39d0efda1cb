import Analysis
import Foundation
import Probes
import Reporting
import Tracking

/// Reads what a report shows out of the store: the score matrix over the base and every stage,
/// training-loss curves, the gate's comparisons and the items that flipped.
public struct ReportAssembler {
    public let tracker: Tracker
    public let experiment: ExperimentFile
    /// Commit id per checkpoint name (`base` and each stage).
    public let commits: [String: String]
    public let suiteHash: String
    public let toolVersion: String

    public init(
        tracker: Tracker, experiment: ExperimentFile, commits: [String: String],
        suiteHash: String, toolVersion: String
    ) {
        self.tracker = tracker
        self.experiment = experiment
        self.commits = commits
        self.suiteHash = suiteHash
        self.toolVersion = toolVersion
    }

    /// The report input; with one gated candidate the delta table and flips show it, with
    /// several each gets its verdict, intervals and flipped items (`candidateGates`).
    /// - Throws: `TrackingError`, `PipelineError.incomparableRuns` when a run is missing.
    public func reportInput(gates: [String: GateReport]) throws -> ReportInput {
        let names = ["base"] + experiment.stages.map(\.name)
        var runs: [StoredRunResults] = []
        for name in names {
            guard let commitId = commits[name],
                let run = try tracker.experiments.probeRuns(
                    checkpointCommitId: commitId, suiteHash: suiteHash
                ).last(where: { $0.status == .finished })
            else {
                throw PipelineError.incomparableRuns(reason: "no finished probe run for \(name)")
            }
            runs.append(try StoredRunResults(run: run, store: tracker.experiments))
        }
        let matrix = Self.scoreMatrix(
            names: names, runs: runs,
            targets: [[]] + experiment.stages.map(\.targets))
        let stages = names.map { name -> ReportStage in
            let stage = experiment.stages.first { $0.name == name }
            return ReportStage(
                name: name, method: stage?.method.rawValue ?? "base", parent: stage?.parent,
                checkpoint: commits[name].map { String($0.prefix(12)) })
        }
        var lossCurves: [LossCurve] = []
        for stage in experiment.stages {
            guard let commitId = commits[stage.name],
                let fineTune = try tracker.experiments.fineTunes(resultCommitId: commitId).last
            else { continue }
            let steps = try tracker.experiments.trainingSteps(fineTuneId: fineTune.id)
            if !steps.isEmpty {
                lossCurves.append(
                    LossCurve(
                        stage: stage.name, steps: steps.map(\.step), losses: steps.map(\.loss)))
            }
        }
        var baselineName: String?
        var candidateName: String?
        var gate: GateReport?
        var flips: [FlipExample] = []
        if let spec = experiment.gate,
            let candidate = spec.candidates.first(where: { gates[$0] != nil })
        {
            baselineName = spec.baseline
            candidateName = candidate
            gate = gates[candidate]
            let baselineRun = runs[names.firstIndex(of: spec.baseline)!]
            let candidateRun = runs[names.firstIndex(of: candidate)!]
            flips = try flipExamples(baseline: baselineRun, candidate: candidateRun)
        }
        // Several gated candidates: a verdict, intervals and flipped items for each.
        var candidateGates: [CandidateGate] = []
        if let spec = experiment.gate {
            let gated = spec.candidates.filter { gates[$0] != nil }
            if gated.count > 1 {
                let baselineRun = runs[names.firstIndex(of: spec.baseline)!]
                for candidate in gated {
                    let candidateRun = runs[names.firstIndex(of: candidate)!]
                    candidateGates.append(
                        CandidateGate(
                            candidate: candidate, baseline: spec.baseline, gate: gates[candidate]!,
                            flips: candidate == candidateName
                                ? flips
                                : try flipExamples(baseline: baselineRun, candidate: candidateRun)))
                }
            }
        }
        return ReportInput(
            experiment: experiment.name,
            generatedBy: "fmn \(toolVersion), suite \(suiteHash.prefix(12))",
            stages: stages, matrix: matrix, reference: .baseModel, baselineName: baselineName,
            candidateName: candidateName, gate: gate, lossCurves: lossCurves, flips: flips,
            candidateGates: candidateGates)
    }

    /// One row per checkpoint, one column per task (its primary metric), with standard errors.
    static func scoreMatrix(names: [String], runs: [StoredRunResults], targets: [[String]])
        -> ScoreMatrix
    {
        let first = runs[0]
        var columns: [ScoreColumn] = []
        for task in first.taskNames {
            let metrics = first.taskScores.filter { $0.task == task }.map(\.metric)
            guard let metric = StoredRunComparison.primaryMetric(among: metrics) else { continue }
            columns.append(
                ScoreColumn(
                    task: task, metric: metric,
                    direction: StoredRunComparison.direction(ofMetric: metric)))
        }
        let values = runs.map { run in
            columns.map { column in
                let value = run.score(task: column.task, metric: column.metric) ?? .nan
                return value.isFinite ? value : 0
            }
        }
        let errors = runs.map { run in
            columns.map { column in
                run.taskScores.first { $0.task == column.task && $0.metric == column.metric }?
                    .stderr ?? 0
            }
        }
        return ScoreMatrix(
            stages: names, columns: columns, values: values, standardErrors: errors,
            targetTasks: targets)
    }

    /// Items whose primary score dropped from baseline to candidate, worst first (at most 5 per
    /// task), with the prompt rebuilt from the suite and both checkpoints' outputs.
    func flipExamples(baseline: StoredRunResults, candidate: StoredRunResults) throws
        -> [FlipExample]
    {
        let suite = try ProbeSuite.load(contentsOf: experiment.suite)
        let prepared = try suite.prepare()
        var examples: [FlipExample] = []
        for (entry, task) in zip(suite.entries, prepared) {
            let name = task.task.name
            guard let baseRows = baseline.itemRows[name], let candRows = candidate.itemRows[name]
            else { continue }
            let items = Dictionary(
                uniqueKeysWithValues: try task.items(limit: entry.limit).map { (String($0.id), $0) }
            )
            var drops: [FlipExample] = []
            for (id, base) in baseRows {
                guard let cand = candRows[id], cand.score < base.score,
                    task.task.outputType != .loglikelihoodRolling
                else { continue }
                let item = items[id]
                func output(_ row: ItemScoreRecord) -> String {
                    if let choices = item?.choices, !choices.isEmpty,
                        let index = row.prediction.flatMap(Int.init),
                        choices.indices.contains(index)
                    {
                        return choices[index]
                    }
                    return row.prediction ?? ""
                }
                let reference: String
                if let item, !item.choices.isEmpty {
                    reference = item.gold.compactMap {
                        item.choices.indices.contains($0) ? item.choices[$0] : nil
                    }.joined(separator: " | ")
                } else {
                    reference = item?.targets.first ?? ""
                }
                drops.append(
                    FlipExample(
                        task: name, itemId: id, prompt: String((item?.context ?? "").prefix(600)),
                        reference: reference, baselineOutput: output(base),
                        candidateOutput: output(cand), baselineScore: base.score,
                        candidateScore: cand.score))
            }
            drops.sort {
                ($0.baselineScore - $0.candidateScore, $1.itemId)
                    > ($1.baselineScore - $1.candidateScore, $0.itemId)
            }
            examples += drops.prefix(5)
        }
        return examples
    }
}
