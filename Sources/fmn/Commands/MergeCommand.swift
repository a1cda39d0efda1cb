import Analysis
import ArgumentParser
import Foundation
import Pipeline
import Tracking

/// `fmn merge CANDIDATE --into BRANCH`: merge a checkpoint only when the gate passes.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge a candidate checkpoint into a branch, only if the gate passes.",
        discussion: """
            Gates CANDIDATE against BRANCH's tip (or --baseline) exactly as fmn gate does and \
            records the verdict. When it passes, BRANCH in the checkpoint repository is moved to \
            hold the candidate: fast-forwarded when its tip is an ancestor of the candidate, \
            otherwise given a merge commit whose parents are the old tip and the candidate and \
            whose tree is the candidate's (checkpoints are never merged file by file). The \
            verdict is written on the new tip as a git note (refs/notes/fmn-gate; read it with \
            `git notes --ref fmn-gate show BRANCH` in the store's checkpoints/ folder). A \
            failing or inconclusive gate, or any error, leaves every branch as it was.

            Exit codes: 0 merged (or BRANCH already held the candidate), 1 gate failed, \
            2 error (nothing merged), 3 gate inconclusive (nothing merged).
            """)

    @Argument(help: "The candidate checkpoint REF (stage tag, branch, commit id or prefix).")
    var candidate: String

    @Option(name: .long, help: "The branch (lineage) to merge into.")
    var into: String

    @Option(name: .long, help: "Baseline checkpoint REF (default: the branch's tip).")
    var baseline: String?

    @Option(
        name: .long,
        help: "Gate policy file (YAML, docs/gate-policy.md); default policy if absent.",
        completion: .file(extensions: ["yaml", "yml"]))
    var policy: String?

    @Option(
        name: .long, help: "Probe suite file; probes a checkpoint whose run is not stored yet.",
        completion: .file(extensions: ["yaml", "yml"]))
    var suite: String?

    @Option(name: .long, help: "Output: text, md or json.")
    var format = "text"

    @Option(name: .long, help: "Requests per model call while probing.")
    var batchSize = 8

    @OptionGroup var options: StoreOptions

    func run() throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        try StoreExit.run {
            let output = try GateOutputFormat.parse(options.json ? "json" : format)
            guard batchSize > 0 else { throw GateCommandError("--batch-size must be > 0") }
            let tracker = try Tracker.open(at: options.storeURL)
            var merger = GatedMerge(tracker: tracker, toolVersion: ToolVersion.current)
            merger.probeBatchSize = batchSize
            let result = try merger.run(
                candidate: candidate, into: into, baseline: baseline,
                suite: suite.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL },
                policy: policy.map {
                    URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL
                },
                onEvent: GateProgress().handle)
            let summary: String
            var extra: [String: String] = ["branch": into]
            if let merge = result.merge {
                extra["merge"] = merge.kind.rawValue
                extra["previousTip"] = merge.previousTip
                extra["newTip"] = merge.newTip
                if let ref = merge.notesRef { extra["notesRef"] = ref }
                switch merge.kind {
                case .fastForward:
                    summary =
                        "merged: \(into) fast-forwarded \(merge.previousTip.prefix(12)) → "
                        + "\(merge.newTip.prefix(12)); verdict noted in \(merge.notesRef ?? "-")"
                case .mergeCommit:
                    summary =
                        "merged: \(into) \(merge.previousTip.prefix(12)) → merge commit "
                        + "\(merge.newTip.prefix(12)) holding \(candidate); verdict noted in "
                        + "\(merge.notesRef ?? "-")"
                case .alreadyMerged:
                    summary = "\(into) already holds \(candidate): nothing to merge"
                }
            } else {
                extra["merge"] = "none"
                summary =
                    "not merged: the gate's verdict is \(result.gate.outcome.report.overall.rawValue)"
                    + "; every branch was left as it was"
            }
            let rendered = try GateOutputFormat.render(
                result.gate, format: output, inconclusiveAs: .inconclusive, extra: extra)
            if output == .json {
                print(rendered)
            } else {
                print(rendered)
                print(output == .md ? "\n**\(summary)**" : summary)
            }
            let code = result.gate.outcome.report.exitCode()
            if code != 0 { throw ExitCode(code) }
        }
    }
}
