import ArgumentParser
import Dispatch
import Foundation
import Probes

/// `fmn bench probe`: items/s and tokens/s of each task of a probe suite, scoring only (the
/// model loaded and the items built once), side by side with lm-eval's scoring-only timings.
struct BenchProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Time each task of a probe suite (scoring only), next to lm-eval's timings.",
        discussion: """
            The model is loaded and every item built once; then each task is scored --runs \
            times and the best and median times are reported (the first run is included: \
            nothing is cached between runs). This matches how ../shared/reference/probes times \
            lm-eval (the best of 3 calls of HFLM.loglikelihood, loglikelihood_rolling or \
            generate_until with the model loaded). To compare on this machine:

              python3 Benchmarks/probes/lm_eval_scoring.py --threads 2 sst2 copa > lm_eval.jsonl
              fmn bench probe --model ../shared/data/models/stories260K-hf \\
                --suite ../shared/reference/probes/tasks/sst2.yaml --reference lm_eval.jsonl

            --reference takes JSON Lines with "task" (the task name of the YAML file) and \
            "seconds"; the speed-up is lm-eval's seconds over fmn's best.
            """)

    @OptionGroup var probe: ProbeOptions

    @Option(name: .long, help: "Timed runs per task (best and median are reported).")
    var runs = 3

    @Option(
        name: .long,
        help: "JSON Lines of lm-eval timings (task, seconds), as lm_eval_scoring.py prints them.")
    var reference: String?

    @Flag(name: .long, help: "Print one JSON object per task.")
    var json = false

    func validate() throws {
        guard runs > 0 else { throw ValidationError("--runs must be > 0") }
    }

    /// One line of `--reference`.
    struct ReferenceTiming: Decodable {
        var task: String
        var seconds: Double
    }

    func run() throws {
        do {
            let references = try reference.map(Self.readReference) ?? [:]
            let selected = try probe.selectedSuite()
            var itemLists: [[ProbeItem]] = []
            let prepared = try selected.prepare()
            for (entry, task) in zip(selected.entries, prepared) {
                itemLists.append(try task.items(limit: entry.limit))
            }
            let model = try probe.loadModel()
            let runner = ProbeRunner(batchSize: probe.batchSize)
            if !json {
                print(
                    "task".padding(toLength: 16, withPad: " ", startingAt: 0)
                        + "items  input tokens   best s  median s    items/s   tokens/s"
                        + (references.isEmpty ? "" : "   lm-eval s  speed-up"))
            }
            for (task, items) in zip(prepared, itemLists) {
                var seconds: [Double] = []
                var result: ProbeTaskResult?
                for _ in 0..<runs {
                    let start = DispatchTime.now().uptimeNanoseconds
                    result = try runner.run(task.task, items: items, model: model)
                    seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                }
                let best = seconds.min()!
                let median = seconds.sorted()[seconds.count / 2]
                let tokens = result!.inputTokenCount
                let name = task.task.name
                let lmEval = references[name]
                if json {
                    var fields: [String: Any] = [
                        "task": name, "items": items.count, "input_tokens": tokens,
                        "runs": runs, "seconds": best, "median_seconds": median,
                        "all_seconds": seconds, "items_per_s": Double(items.count) / best,
                        "input_tokens_per_s": Double(tokens) / best,
                    ]
                    if let lmEval {
                        fields["reference_seconds"] = lmEval
                        fields["speedup"] = lmEval / best
                    }
                    let data = try JSONSerialization.data(
                        withJSONObject: fields, options: [.sortedKeys])
                    print(String(decoding: data, as: UTF8.self))
                } else {
                    var line =
                        name.padding(toLength: 15, withPad: " ", startingAt: 0) + " "
                        + pad(items.count, 5) + pad(tokens, 14)
                        + pad(String(format: "%.3f", best), 9)
                        + pad(String(format: "%.3f", median), 10)
                        + pad(String(format: "%.1f", Double(items.count) / best), 11)
                        + pad(String(format: "%.0f", Double(tokens) / best), 11)
                    if let lmEval {
                        line +=
                            pad(String(format: "%.3f", lmEval), 12)
                            + pad(String(format: "%.2fx", lmEval / best), 10)
                    }
                    print(line)
                }
            }
        } catch let error as ProbeError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func pad(_ value: some CustomStringConvertible, _ width: Int) -> String {
        let text = value.description
        return String(repeating: " ", count: max(1, width - text.count)) + text
    }

    /// Task name → lm-eval seconds from a JSON Lines file.
    static func readReference(_ path: String) throws -> [String: Double] {
        let url = URL(fileURLWithPath: path)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            FileHandle.standardError.write(Data("error: cannot read --reference \(path)\n".utf8))
            throw ExitCode.failure
        }
        var timings: [String: Double] = [:]
        for (number, line) in text.split(separator: "\n").enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            guard
                let timing = try? JSONDecoder().decode(ReferenceTiming.self, from: Data(line.utf8))
            else {
                FileHandle.standardError.write(
                    Data(
                        ("error: \(path) line \(number + 1): expected a JSON object with "
                            + "\"task\" and \"seconds\"\n").utf8))
                throw ExitCode.failure
            }
            timings[timing.task] = timing.seconds
        }
        return timings
    }
}
