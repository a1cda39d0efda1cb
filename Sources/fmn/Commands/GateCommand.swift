import Analysis
import ArgumentParser
import Foundation
import Pipeline
import Probes
import Reporting
import Tracking

/// `fmn gate --baseline REF --candidate REF`: may the candidate replace the baseline?
struct GateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Judge a candidate checkpoint against a baseline: pass, fail or inconclusive.",
        discussion: """
            Compares the two checkpoints' probe runs item by item (paired bootstrap, exact \
            McNemar, Holm correction across tasks) under a gate policy (docs/gate-policy.md; \
            the default tolerates a 2 % drop at α = 0.05 with at least 100 items per task). \
            With --suite, a checkpoint whose run of that suite is not stored yet is probed \
            first and the run recorded; without it, the suite of the latest run both \
            checkpoints share is used. Runs of different suites are never compared. The \
            verdict is recorded in the store. A REF is a stage tag, branch, commit id or unique \
            prefix.

            --format md prints a pull-request comment (summary line, task table with deltas \
            and intervals, worst flipped items); --format json (or --json) one JSON object.

            Exit codes:
              0  pass
              1  fail: a drop beyond the tolerance, significant after correction
              2  error: bad input or policy, missing or incomparable runs
              3  inconclusive: too few items, or not significant either way
            --inconclusive pass|fail maps 3 to 0|1 (the gate fails closed on errors).
            """)

    @Option(name: .long, help: "The baseline checkpoint REF.")
    var baseline: String

    @Option(name: .long, help: "The candidate checkpoint REF.")
    var candidate: String

    @Option(
        name: .long, help: "Probe suite file; probes a checkpoint whose run is not stored yet.",
        completion: .file(extensions: ["yaml", "yml"]))
    var suite: String?

    @Option(
        name: .long,
        help: "Gate policy file (YAML, docs/gate-policy.md); default policy if absent.",
        completion: .file(extensions: ["yaml", "yml"]))
    var policy: String?

    @Option(name: .long, help: "Output: text, md (pull-request comment) or json.")
    var format = "text"

    @Option(name: .long, help: "Exit code of an inconclusive verdict: pass (0) or fail (1).")
    var inconclusive: String?

    @Option(name: .long, help: "Requests per model call while probing.")
    var batchSize = 8

    @OptionGroup var options: StoreOptions

    func run() throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        try StoreExit.run {
            let output = try GateOutputFormat.parse(options.json ? "json" : format)
            let mapping = try GateOutputFormat.inconclusiveMapping(inconclusive)
            guard batchSize > 0 else {
                throw GateCommandError("--batch-size must be > 0")
            }
            let tracker = try Tracker.open(at: options.storeURL)
            var runner = GateRunner(tracker: tracker, toolVersion: ToolVersion.current)
            runner.probeBatchSize = batchSize
            let progress = GateProgress()
            let result = try runner.run(
                baseline: baseline, candidate: candidate,
                suite: suite.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL },
                policy: policy.map {
                    URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL
                },
                onEvent: progress.handle)
            print(try GateOutputFormat.render(result, format: output, inconclusiveAs: mapping))
            let code = result.outcome.report.exitCode(inconclusiveAs: mapping)
            if code != 0 { throw ExitCode(code) }
        }
    }
}

/// A bad flag value of `fmn gate` / `fmn merge`, reported as an error with exit code 2 (the
/// gate fails closed) rather than as a usage error.
struct GateCommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// How `fmn gate` and `fmn merge` print a gate's result.
enum GateOutputFormat: String {
    case text, md, json

    static func parse(_ text: String) throws -> GateOutputFormat {
        guard let format = GateOutputFormat(rawValue: text) else {
            throw GateCommandError("--format must be text, md or json (got '\(text)')")
        }
        return format
    }

    /// `--inconclusive pass|fail` as the verdict inconclusive is mapped to.
    static func inconclusiveMapping(_ text: String?) throws -> GateVerdict {
        switch text {
        case nil: return .inconclusive
        case "pass": return .pass
        case "fail": return .fail
        case let other?:
            throw GateCommandError("--inconclusive must be pass or fail (got '\(other)')")
        }
    }

    /// A checkpoint's name in reports: the REF as given, with the short commit id.
    static func stage(ref: String, id: String) -> ReportStage {
        ReportStage(name: ref, method: "checkpoint", checkpoint: String(id.prefix(12)))
    }

    /// The result as text lines, a Markdown pull-request comment, or a JSON object.
    static func render(
        _ result: GateRunner.Result, format: GateOutputFormat, inconclusiveAs: GateVerdict,
        extra: [String: String] = [:]
    ) throws -> String {
        let report = result.outcome.report
        switch format {
        case .text:
            var text = GateTextReport(
                gate: report, baselineName: result.baselineRef, candidateName: result.candidateRef,
                inconclusiveAs: inconclusiveAs
            ).render()
            text +=
                "baseline \(result.baselineId.prefix(12)), candidate "
                + "\(result.candidateId.prefix(12)), suite \(result.suiteName) "
                + "\(result.suiteHash.prefix(12))"
            return text
        case .md:
            let input = ReportInput(
                gate: report, experiment: "\(result.candidateRef) vs \(result.baselineRef)",
                baseline: stage(ref: result.baselineRef, id: result.baselineId),
                candidate: stage(ref: result.candidateRef, id: result.candidateId),
                flips: result.flips,
                generatedBy: "fmn \(ToolVersion.current), suite \(result.suiteName) "
                    + "\(result.suiteHash.prefix(12)), baseline \(result.baselineId.prefix(12)), "
                    + "candidate \(result.candidateId.prefix(12))")
            var markdown = MarkdownReport(input: input).render()
            if markdown.hasSuffix("\n") { markdown.removeLast() }
            return markdown
        case .json:
            struct Output: Encodable {
                var verdict: String
                var exitCode: Int32
                var baseline: Checkpoint
                var candidate: Checkpoint
                var suite: Suite
                var report: GateReport
                var flips: [FlipExample]
                var extra: [String: String]?
                struct Checkpoint: Encodable {
                    var ref: String
                    var commitId: String
                    var runId: Int64
                }
                struct Suite: Encodable {
                    var name: String
                    var hash: String
                }
            }
            let out = Output(
                verdict: report.overall.rawValue,
                exitCode: report.exitCode(inconclusiveAs: inconclusiveAs),
                baseline: .init(
                    ref: result.baselineRef, commitId: result.baselineId,
                    runId: result.outcome.baseline.run.id),
                candidate: .init(
                    ref: result.candidateRef, commitId: result.candidateId,
                    runId: result.outcome.candidate.run.id),
                suite: .init(name: result.suiteName, hash: result.suiteHash), report: report,
                flips: result.flips, extra: extra.isEmpty ? nil : extra)
            return try StoreExit.json(out)
        }
    }
}

/// Prints probing progress of `fmn gate` / `fmn merge` to standard error, one plain line per
/// task (the gate's result goes to standard output).
final class GateProgress {
    func handle(_ event: GateRunner.Event) {
        switch event {
        case .probeStarted(let ref):
            line("probing \(ref) (no stored run of this suite)")
        case .probeReused(let ref, let runId):
            line("\(ref): using stored probe run \(runId)")
        case .probing(_, let probeEvent):
            if case .taskFinished(let result) = probeEvent {
                let metric =
                    result.metrics.first.map { String(format: "%@ %.4f", $0.name, $0.value) } ?? ""
                line(
                    String(
                        format: "  %@: %@ (%d items, %.1fs)", result.task, metric,
                        result.itemCount, result.elapsedSeconds))
            }
        }
    }

    private func line(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
