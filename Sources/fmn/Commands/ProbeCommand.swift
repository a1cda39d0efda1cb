import ArgumentParser
import Foundation
import Pipeline
import Probes
import Tracking

/// `fmn probe`: runs a probe suite (or one lm-evaluation-harness task file) on a model and
/// prints the task metrics with lm-eval's standard errors.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Run a probe suite on a model (lm-evaluation-harness task files).",
        discussion: """
            --suite is a suite file (a list of task files or inline tasks, each with an optional \
            limit) or a single lm-evaluation-harness task YAML; tasks need no Python. Scoring \
            follows lm-eval 0.4: multiple choice by log-likelihood (acc, acc_norm), greedy \
            generation (exact_match, ROUGE, BLEU, chrF), rolling-window perplexity \
            (word_perplexity, byte_perplexity, bits_per_byte). Every data file is read and every \
            item built before the model runs, so bad input fails fast.

            The table lists each task's metrics with their standard error, items/s and \
            tokens/s, the number of contexts cut on the left to fit the model's window, and the \
            suite's content hash (runs compare only when hashes match). --json prints the full \
            result, per-item records included; --output FILE writes that JSON to FILE.

            Exit status: 0 on success, 1 when a file is missing or malformed (the message names \
            the file, and the line or key), 2 when the store cannot be written, 64 for invalid \
            flags. The run is recorded in the store given by --store, or in ./.fmn when that \
            exists (the model and adapter folders are committed as checkpoints); --no-store \
            skips recording.
            """)

    @OptionGroup var probe: ProbeOptions

    @Flag(name: .long, help: "Print the full result as JSON (per-item records included).")
    var json = false

    @Option(name: .long, help: "Also write the full JSON result to this file.")
    var output: String?

    @OptionGroup var recording: RecordingOptions

    func validate() throws {
        // Where --output goes must exist before the model runs, not after.
        if let output {
            let folder = URL(fileURLWithPath: output).deletingLastPathComponent()
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory),
                isDirectory.boolValue
            else {
                throw ValidationError(
                    "--output \(output): the folder \(folder.path) does not exist; create it first")
            }
        }
    }

    func run() throws {
        do {
            let selected = try probe.selectedSuite()
            // Data and items first: bad input fails before the model is loaded.
            for (entry, task) in zip(selected.entries, try selected.prepare()) {
                _ = try task.items(limit: entry.limit)
            }
            let model = try probe.loadModel()
            let showProgress = !json && isatty(STDERR_FILENO) != 0
            // Open the store before the model work, so a store problem fails fast.
            let tracker = try recording.storeURL.map { try Tracker.create(at: $0).tracker }
            let started = Date()
            let result = try ProbeRunner(batchSize: probe.batchSize).run(selected, model: model) {
                event in
                guard showProgress else { return }
                switch event {
                case .taskStarted(let task, let items):
                    FileHandle.standardError.write(Data("\(task): \(items) items…\n".utf8))
                case .taskFinished:
                    break
                }
            }
            if let tracker {
                let recorded = try ProbeRunRecorder.record(
                    result, suite: selected, modelFolder: probe.modelURL,
                    adapterFolder: probe.adapterURL, tracker: tracker,
                    started: started, toolVersion: ToolVersion.current)
                FileHandle.standardError.write(
                    Data(
                        ("recorded probe run \(recorded.probeRunId) of checkpoint "
                            + "\(recorded.commitId.prefix(12)) in \(tracker.layout.root.path)\n")
                            .utf8))
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(result)
            if let output {
                let url = URL(fileURLWithPath: output)
                let temporary = url.deletingLastPathComponent()
                    .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
                do {
                    try data.write(to: temporary)
                    if FileManager.default.fileExists(atPath: url.path) {
                        _ = try FileManager.default.replaceItemAt(url, withItemAt: temporary)
                    } else {
                        try FileManager.default.moveItem(at: temporary, to: url)
                    }
                } catch {
                    try? FileManager.default.removeItem(at: temporary)
                    FileHandle.standardError.write(
                        Data(
                            ("error: cannot write --output \(output): "
                                + "\(error.localizedDescription)\n").utf8))
                    throw ExitCode.failure
                }
            }
            if json {
                FileHandle.standardOutput.write(data + Data("\n".utf8))
            } else {
                FileHandle.standardOutput.write(Data(Self.table(result).utf8))
            }
        } catch let error as ProbeError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode.failure
        } catch let error as TrackingError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }

    /// The plain-text table: one line per task metric.
    static func table(_ result: ProbeSuiteResult) -> String {
        var rows: [[String]] = [
            ["task", "metric", "value", "± stderr", "items", "items/s", "tokens/s"]
        ]
        for task in result.tasks {
            for (i, metric) in task.metrics.enumerated() {
                rows.append([
                    i == 0 ? task.task : "",
                    metric.name + (metric.higherIsBetter ? " ↑" : " ↓"),
                    format(metric.value),
                    metric.standardError.map(format) ?? "N/A",
                    i == 0 ? "\(task.itemCount)" : "",
                    i == 0 ? String(format: "%.1f", task.itemsPerSecond) : "",
                    i == 0 ? String(format: "%.0f", task.tokensPerSecond) : "",
                ])
            }
        }
        let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        var out = ""
        for (r, row) in rows.enumerated() {
            let cells = row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return c < 2 ? cell + pad : pad + cell
            }
            var line = cells.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            out += line + "\n"
            if r == 0 {
                out +=
                    widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
            }
        }
        for task in result.tasks where task.truncatedItemCount > 0 {
            out +=
                "\(task.task): \(task.truncatedItemCount) of \(task.itemCount) contexts were cut on the left to fit the model's window\n"
        }
        out +=
            "suite \(result.suite), content hash \(result.contentHash), \(String(format: "%.1f", result.elapsedSeconds)) s\n"
        return out
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        return abs(value) >= 1000 ? String(format: "%.1f", value) : String(format: "%.4f", value)
    }
}
