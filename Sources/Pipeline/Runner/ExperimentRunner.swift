import Analysis
import Crypto
import Foundation
import Probes
import Reporting
import Tracking
import Training

/// Runs an experiment end to end: commits the base, probes it, runs the stages in dependency
/// order (fine-tune → commit → probe → record), gates each candidate and writes the report.
///
/// Every step is idempotent, so a run killed at any moment (`kill -9`) continues with
/// `resume: true` without redoing finished work or duplicating rows:
/// - the base commit is found again by its tree (the repository stores a tree once);
/// - a stage is done when its tag `<experiment>/<stage>` names a recorded checkpoint; an
///   unfinished fine-tune is marked failed and trained again from the start;
/// - a checkpoint's probe run is reused when a finished run of the same suite hash exists;
/// - a gate verdict is recorded once per (baseline, candidate, policy).
///
/// Nothing is printed: progress goes to `onEvent`.
public struct ExperimentRunner {
    public let experiment: ExperimentFile
    public let tracker: Tracker
    /// The folder reports go to (`Reports/` by default); the report is `<folder>/<name>/`.
    public var reportsFolder: URL
    public var toolVersion: String
    /// Requests per model call while probing.
    public var probeBatchSize: Int = 8

    private let suite: ProbeSuite
    private let configurations: [String: TrainingConfiguration]
    private let policy: (policy: GatePolicy, text: String)

    /// Reads the suite and the gate policy and checks every stage's settings, before any work.
    /// - Throws: `PipelineError.invalidExperiment` naming the field; `ProbeError` for the suite.
    public init(
        experiment: ExperimentFile, tracker: Tracker, reportsFolder: URL, toolVersion: String
    ) throws {
        self.experiment = experiment
        self.tracker = tracker
        self.reportsFolder = reportsFolder
        self.toolVersion = toolVersion
        self.suite = try ProbeSuite.load(contentsOf: experiment.suite)
        var configurations: [String: TrainingConfiguration] = [:]
        for stage in experiment.stages {
            configurations[stage.name] = try stage.trainingConfiguration(
                seed: experiment.seed, path: experiment.fileURL.path)
        }
        self.configurations = configurations
        self.policy = try CheckpointGate.loadPolicy(experiment.gate?.policy)
        _ = try MergeGate(policy: policy.policy)
    }

    /// Checks what `init` checks (the suite, every stage's settings, the gate policy) without a
    /// store, so that a bad experiment fails before any store is created.
    /// - Throws: As `init`.
    public static func validate(_ experiment: ExperimentFile) throws {
        _ = try ProbeSuite.load(contentsOf: experiment.suite).contentHash()
        for stage in experiment.stages {
            _ = try stage.trainingConfiguration(
                seed: experiment.seed, path: experiment.fileURL.path)
        }
        _ = try MergeGate(policy: try CheckpointGate.loadPolicy(experiment.gate?.policy).policy)
    }

    /// The stage tag of a checkpoint name (`base` or a stage): `<experiment>/<checkpoint>`.
    public func tag(_ checkpoint: String) -> String { "\(experiment.name)/\(checkpoint)" }

    /// The lineage branch ending at a checkpoint: `lineages/<experiment>/<checkpoint>`, a name
    /// distinct from the stage tag so that either can be given as a REF without ambiguity.
    public func lineage(_ checkpoint: String) -> String {
        "lineages/\(experiment.name)/\(checkpoint)"
    }

    /// Commit ids of the checkpoints already finished (by their tags).
    public func finishedCheckpoints() throws -> [String: String] {
        let tags = try tracker.checkpoints.tags()
        var found: [String: String] = [:]
        for name in ["base"] + experiment.stages.map(\.name) {
            if let commitId = tags[tag(name)],
                try tracker.experiments.checkpoint(commitId: commitId) != nil
            {
                found[name] = commitId
            }
        }
        return found
    }

    /// Runs (or continues) the experiment.
    /// - Parameter resume: continue an experiment some of whose stages are already stored.
    ///   Without it, such an experiment is refused (a finished one is reported as finished).
    /// - Throws: `PipelineError.stageFailed` naming the stage (with the store left as before
    ///   that stage), and the errors of the modules underneath.
    public func run(resume: Bool, onEvent: (ExperimentEvent) -> Void = { _ in }) throws
        -> ExperimentSummary
    {
        let prober = try CheckpointProber(
            tracker: tracker, suite: suite, batchSize: probeBatchSize,
            seed: Int(truncatingIfNeeded: experiment.seed), toolVersion: toolVersion)
        let gate = try CheckpointGate(
            tracker: tracker, policy: policy.policy, policyText: policy.text)
        let alreadyDone = try finishedCheckpoints()
        let wasFinished = try isFinished(alreadyDone, prober: prober, gate: gate)
        if !alreadyDone.isEmpty && !resume && !wasFinished {
            throw PipelineError.alreadyStarted(
                path: experiment.fileURL.path,
                reason: "experiment \"\(experiment.name)\" was started before in this store "
                    + "(\(alreadyDone.keys.sorted().joined(separator: ", ")) done); "
                    + "continue it with --resume (unless another fmn run is working on it now)")
        }
        if resume { _ = try tracker.fsck(repair: true) }

        var commits: [String: String] = [:]
        // The base.
        let baseManifest = CheckpointManifest(
            kind: .base, parent: nil, method: "pretrained", toolVersion: toolVersion)
        let base = try tracker.commit(
            folder: experiment.base, manifest: baseManifest, lineage: lineage("base"),
            stage: tag("base"))
        commits["base"] = base.checkpoint.commitId
        onEvent(.baseCommitted(commitId: base.checkpoint.commitId, reused: base.outcome.reused))
        try probe("base", commitId: base.checkpoint.commitId, prober: prober, onEvent: onEvent)

        // The stages, parents first.
        let stages = experiment.stagesInDependencyOrder
        for (offset, stage) in stages.enumerated() {
            if let commitId = alreadyDone[stage.name] {
                commits[stage.name] = commitId
                onEvent(
                    .stageSkipped(
                        index: offset + 1, count: stages.count, stage: stage.name,
                        commitId: commitId))
            } else {
                onEvent(
                    .stageStarted(
                        index: offset + 1, count: stages.count, stage: stage.name,
                        method: stage.method))
                guard let parent = commits[stage.parent] else {
                    preconditionFailure("ExperimentRunner: parent \(stage.parent) not run yet")
                }
                commits[stage.name] = try train(stage, parentCommitId: parent, onEvent: onEvent)
            }
            try probe(stage.name, commitId: commits[stage.name]!, prober: prober, onEvent: onEvent)
        }

        // The gate.
        var gates: [String: GateReport] = [:]
        if let gateSpec = experiment.gate {
            for candidate in gateSpec.candidates {
                let outcome = try gateOnce(
                    gate, baseline: commits[gateSpec.baseline]!, candidate: commits[candidate]!,
                    suiteHash: prober.suiteRecord.contentHash)
                gates[candidate] = outcome
                onEvent(.gated(candidate: candidate, baseline: gateSpec.baseline, report: outcome))
            }
        }

        // The report.
        let assembler = ReportAssembler(
            tracker: tracker, experiment: experiment, commits: commits,
            suiteHash: prober.suiteRecord.contentHash, toolVersion: toolVersion)
        let input = try assembler.reportInput(gates: gates)
        let folder = reportsFolder.appendingPathComponent(experiment.name)
        let existing = ["report.md", "report.html"].map { folder.appendingPathComponent($0) }
        let files: [URL]
        if wasFinished && existing.allSatisfy({ FileManager.default.fileExists(atPath: $0.path) }) {
            files = existing  // nothing changed since they were written: leave them as they are
        } else {
            files = try ReportFiles.write(input, to: folder)
            onEvent(.reportWritten(files))
        }
        return ExperimentSummary(
            experiment: experiment.name, commits: commits, gates: gates, reportFiles: files,
            wasAlreadyFinished: wasFinished, matrix: input.matrix)
    }

    /// Whether every checkpoint, probe run and gate verdict of the experiment is stored.
    private func isFinished(
        _ done: [String: String], prober: CheckpointProber, gate: CheckpointGate
    ) throws -> Bool {
        guard done.count == experiment.stages.count + 1 else { return false }
        for commitId in done.values where try prober.finishedRun(of: commitId) == nil {
            return false
        }
        if let spec = experiment.gate {
            for candidate in spec.candidates {
                let verdicts = try tracker.experiments.gateVerdicts(
                    candidateCommitId: done[candidate]!)
                guard
                    verdicts.contains(where: {
                        $0.record.baselineCommitId == done[spec.baseline]
                            && $0.record.policy == policy.text
                    })
                else { return false }
            }
        }
        return true
    }

    private func probe(
        _ name: String, commitId: String, prober: CheckpointProber,
        onEvent: (ExperimentEvent) -> Void
    ) throws {
        if try prober.finishedRun(of: commitId) != nil {
            onEvent(.probeSkipped(checkpoint: name))
            return
        }
        onEvent(.probeStarted(checkpoint: name))
        try prober.probe(commitId) { onEvent(.probing(checkpoint: name, $0)) }
    }

    /// Gates once per (baseline, candidate, policy): a stored verdict is recomputed (the
    /// statistics are seeded, so identically) but not recorded again.
    private func gateOnce(
        _ gate: CheckpointGate, baseline: String, candidate: String, suiteHash: String
    ) throws -> GateReport {
        let stored = try tracker.experiments.gateVerdicts(candidateCommitId: candidate).contains {
            (verdict: StoredGateVerdict) in
            verdict.record.baselineCommitId == baseline && verdict.record.policy == policy.text
        }
        return try gate.evaluate(
            baselineCommitId: baseline, candidateCommitId: candidate, suiteHash: suiteHash,
            record: !stored
        ).report
    }

    /// Fine-tunes one stage from its parent's checkpoint and commits the result.
    /// - Returns: The result's commit id.
    private func train(
        _ stage: ExperimentStage, parentCommitId: String, onEvent: (ExperimentEvent) -> Void
    ) throws -> String {
        let configuration = configurations[stage.name]!
        let workspace = CheckpointWorkspace(tracker: tracker)
        let parentLocation = try workspace.location(of: parentCommitId)
        guard parentLocation.adapterFolder == nil else {
            throw PipelineError.stageFailed(
                stage: stage.name,
                cause: "its parent is a LoRA adapter; stages train from base or full checkpoints")
        }
        let configurationJSON = try Self.jsonValue(configuration)
        let fineTuneId = try tracker.experiments.beginFineTune(
            FineTuneRecord(
                parentCommitId: parentCommitId, method: stage.method.rawValue,
                configuration: configurationJSON, toolVersion: toolVersion))
        let work = tracker.layout.root.appendingPathComponent("work")
            .appendingPathComponent("\(experiment.name)-\(stage.name)-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let output = work.appendingPathComponent("result")
        let started = Date()
        var steps: [Tracking.TrainingStepRecord] = []
        do {
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            let trainer = Trainer(
                modelFolder: parentLocation.modelFolder, dataFile: stage.data,
                outputFolder: output, configuration: configuration)
            _ = try trainer.run { event in
                if case .step(let step) = event {
                    steps.append(
                        Tracking.TrainingStepRecord(
                            step: step.step, loss: step.loss, learningRate: step.learningRate,
                            tokensPerSecond: step.tokensPerSecond))
                }
                onEvent(.training(stage: stage.name, event))
            }
            try tracker.experiments.recordTrainingSteps(fineTuneId: fineTuneId, steps: steps)
            let manifest = CheckpointManifest(
                kind: stage.method == .lora ? .lora : .full, parent: parentCommitId,
                method: stage.method.rawValue, trainingConfiguration: configurationJSON,
                dataFileHashes: [stage.data.lastPathComponent: try Self.sha256(of: stage.data)],
                toolVersion: toolVersion)
            let record = try tracker.finishFineTune(
                id: fineTuneId, folder: output, manifest: manifest,
                lineage: lineage(stage.name), stage: tag(stage.name),
                seconds: Date().timeIntervalSince(started))
            onEvent(.stageCommitted(stage: stage.name, commitId: record.commitId))
            return record.commitId
        } catch {
            try? tracker.experiments.failFineTune(id: fineTuneId)
            if error is PipelineError { throw error }
            throw PipelineError.stageFailed(stage: stage.name, cause: "\(error)")
        }
    }

    /// A Codable value as the store's JSON value.
    static func jsonValue(_ value: some Encodable) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try JSONDecoder().decode(JSONValue.self, from: try encoder.encode(value))
    }

    /// SHA-256 (hex) of a file's bytes.
    static func sha256(of url: URL) throws -> String {
        let data = try Data(contentsOf: url, options: .alwaysMapped)
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
