import Analysis
import ArgumentParser
import Foundation
import Pipeline
import Tracking
import Training

/// `fmn run EXPERIMENT.yaml`: the main job, from base model to gated, reported fine-tunes.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an experiment: fine-tune each stage, probe every checkpoint, gate, report.",
        discussion: """
            Commits the base model, probes it, then runs the stages in dependency order \
            (fine-tune → commit → probe → record), applies the gate to each candidate and writes \
            Reports/<name>/report.md and report.html. The experiment file is checked completely \
            before any work starts. A run that was interrupted (even by kill -9) continues with \
            --resume without redoing finished stages or probe runs; running a finished \
            experiment again does nothing and says so. With --json, progress and the final \
            summary are printed as JSON Lines (one object per line).

            Exit codes: 0 done (every gate passed or no gate), 1 a gate failed, 2 error, \
            3 a gate was inconclusive.
            """)

    @Argument(help: "The experiment file (YAML).", completion: .file(extensions: ["yaml", "yml"]))
    var experiment: String

    @OptionGroup var options: StoreOptions

    @Flag(name: .long, help: "Continue an experiment that was started before in this store.")
    var resume = false

    @Option(name: .long, help: "Folder the report goes to (<folder>/<name>/).")
    var reports = "Reports"

    @Option(name: .long, help: "Requests per model call while probing.")
    var batchSize = 8

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be > 0") }
    }

    func run() throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let file = URL(fileURLWithPath: experiment, relativeTo: cwd).standardizedFileURL
        var exitCode: Int32 = 0
        try StoreExit.run {
            let parsed = try ExperimentFile(contentsOf: file)
            // Every stage's settings, the suite and the gate policy are checked before the
            // store is created or touched.
            try ExperimentRunner.validate(parsed)
            let (tracker, _) = try Tracker.create(at: options.storeURL)
            var runner = try ExperimentRunner(
                experiment: parsed, tracker: tracker,
                reportsFolder: URL(fileURLWithPath: reports, relativeTo: cwd).standardizedFileURL,
                toolVersion: ToolVersion.current)
            runner.probeBatchSize = batchSize
            let renderer = RunProgress(json: options.json)
            let summary = try runner.run(resume: resume) { renderer.handle($0) }
            renderer.finish(summary)
            let verdicts = summary.gates.values.map(\.overall)
            if verdicts.contains(.fail) {
                exitCode = 1
            } else if verdicts.contains(.inconclusive) {
                exitCode = 3
            }
        }
        if exitCode != 0 { throw ExitCode(exitCode) }
    }
}

/// Draws `fmn run`'s progress: a bar on a terminal, plain lines otherwise, JSON lines with
/// `--json` (one object per event, then the summary).
final class RunProgress {
    let json: Bool
    let isTerminal = isatty(STDERR_FILENO) == 1
    private var totalSteps = 0
    private var stageStart = Date()

    init(json: Bool) {
        self.json = json
    }

    private func line(_ text: String) {
        if json { return }
        if isTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    private func emit(_ object: [String: Any]) {
        guard json,
            let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        else { return }
        print(String(decoding: data, as: UTF8.self))
    }

    func handle(_ event: ExperimentEvent) {
        switch event {
        case .baseCommitted(let commitId, let reused):
            line("base: \(reused ? "already stored" : "committed") \(commitId.prefix(12))")
            emit(["event": "base", "commit": commitId, "reused": reused])
        case .stageStarted(let index, let count, let stage, let method):
            stageStart = Date()
            line("stage \(index) of \(count): \(stage) (\(method.rawValue) fine-tune)")
            emit(["event": "stage", "index": index, "count": count, "stage": stage])
        case .stageSkipped(let index, let count, let stage, let commitId):
            line("stage \(index) of \(count): \(stage) already stored (\(commitId.prefix(12)))")
            emit(["event": "stage_skipped", "index": index, "stage": stage, "commit": commitId])
        case .training(let stage, let trainingEvent):
            switch trainingEvent {
            case .prepared(let plan):
                totalSteps = plan.totalSteps
            case .step(let step):
                let elapsed = Date().timeIntervalSince(stageStart)
                let eta =
                    step.step > 0
                    ? elapsed / Double(step.step) * Double(max(0, totalSteps - step.step)) : 0
                let text = String(
                    format: "  %@ step %d/%d  loss %.4f  lr %.2e  %.0f tok/s  ETA %.0fs", stage,
                    step.step, totalSteps, step.loss, step.learningRate, step.tokensPerSecond, eta)
                if isTerminal && !json {
                    let width = 24
                    let filled = totalSteps > 0 ? width * step.step / totalSteps : 0
                    let bar =
                        String(repeating: "█", count: filled)
                        + String(repeating: "·", count: width - filled)
                    FileHandle.standardError.write(Data("\r\u{1B}[K[\(bar)]\(text)".utf8))
                } else if step.step == totalSteps || step.step % 10 == 0 || step.step == 1 {
                    line(text)
                }
                emit([
                    "event": "step", "stage": stage, "step": step.step, "loss": step.loss,
                    "learning_rate": step.learningRate,
                ])
            case .saved, .finished:
                break
            }
        case .stageCommitted(let stage, let commitId):
            line("  \(stage): committed \(commitId.prefix(12))")
            emit(["event": "committed", "stage": stage, "commit": commitId])
        case .probeStarted(let checkpoint):
            line("probing \(checkpoint)")
        case .probing(let checkpoint, let probeEvent):
            if case .taskFinished(let result) = probeEvent {
                let metric =
                    result.metrics.first.map {
                        String(format: "%@ %.4f", $0.name, $0.value)
                    } ?? ""
                line(
                    String(
                        format: "  %@: %@ (%d items, %.1fs)", result.task, metric,
                        result.itemCount, result.elapsedSeconds))
                emit(["event": "task", "checkpoint": checkpoint, "task": result.task])
            }
        case .probeSkipped(let checkpoint):
            line("probing \(checkpoint): already stored")
        case .gated(let candidate, let baseline, let report):
            line("gate \(candidate) vs \(baseline): \(report.overall.rawValue)")
            emit([
                "event": "gate", "candidate": candidate, "baseline": baseline,
                "verdict": report.overall.rawValue,
            ])
        case .reportWritten(let files):
            line("report: " + files.map(\.path).joined(separator: ", "))
        }
    }

    func finish(_ summary: ExperimentSummary) {
        if json {
            let gates = summary.gates.mapValues(\.overall.rawValue)
            emit([
                "event": "finished", "experiment": summary.experiment,
                "already_finished": summary.wasAlreadyFinished, "commits": summary.commits,
                "gates": gates, "report": summary.reportFiles.map(\.path),
            ])
            return
        }
        var out: [String] = []
        if summary.wasAlreadyFinished {
            out.append("Experiment \(summary.experiment) was already finished: nothing to do.")
        }
        out.append("")
        out.append("Score matrix (rows: checkpoints; columns: task/metric):")
        let matrix = summary.matrix
        let labels = matrix.columns.map(\.label)
        let nameWidth = max(8, matrix.stages.map(\.count).max() ?? 8)
        let header =
            "".padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            + labels.map { "  " + $0 }.joined()
        out.append(header)
        for (row, name) in matrix.stages.enumerated() {
            var text = name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            for (column, label) in labels.enumerated() {
                let value = String(format: "%.4f", matrix.values[row][column])
                text += "  " + value.padding(toLength: label.count, withPad: " ", startingAt: 0)
            }
            out.append(text)
        }
        for (candidate, report) in summary.gates.sorted(by: { $0.key < $1.key }) {
            out.append("")
            out.append("Gate \(candidate): \(report.overall.rawValue.uppercased())")
            for verdict in report.verdicts {
                let c = verdict.comparison
                out.append(
                    String(
                        format: "  %@/%@: %.4f → %.4f (Δ %+.4f, %.0f%% CI [%+.4f, %+.4f]) %@",
                        c.task, c.metric, c.baselineScore, c.candidateScore, c.delta,
                        (1 - c.alpha) * 100, c.lower, c.upper, verdict.verdict.rawValue))
            }
        }
        out.append("")
        out.append("Report: " + summary.reportFiles.map(\.path).joined(separator: ", "))
        print(out.joined(separator: "\n"))
    }
}
