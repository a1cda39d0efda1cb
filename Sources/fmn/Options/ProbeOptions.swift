import ArgumentParser
import Foundation
import Probes

/// What to probe, shared by `fmn probe` and `fmn bench probe`: `--model`, `--adapter`,
/// `--suite`, `--tasks`, `--limit`, `--batch-size`.
struct ProbeOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "Hugging Face model folder (config.json, model.safetensors, tokenizer.json).")
    var model: String

    @Option(name: .long, help: "PEFT LoRA adapter folder applied on top of --model.")
    var adapter: String?

    @Option(name: .long, help: "Probe suite YAML, or one lm-eval task YAML.")
    var suite: String

    @Option(name: .long, help: "Comma-separated task names to run (default: all).")
    var tasks: String?

    @Option(
        name: .long,
        help: "At most N items per task; a value below 1 is a fraction of each task (lm-eval's).")
    var limit: Double?

    @Option(
        name: .long,
        help: "Items per forward pass (the choices of an item share one pass over its context).")
    var batchSize = 8

    func validate() throws {
        if let limit, !(limit > 0) || (limit >= 1 && limit != limit.rounded()) {
            throw ValidationError(
                "--limit must be a whole number of items or a fraction below 1, got \(limit)")
        }
        if batchSize <= 0 { throw ValidationError("--batch-size must be > 0, got \(batchSize)") }
        if let tasks, Self.taskNames(tasks).isEmpty {
            throw ValidationError("--tasks needs at least one task name")
        }
    }

    /// The names of a comma-separated `--tasks` list.
    static func taskNames(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
    }

    var modelURL: URL { URL(fileURLWithPath: model) }
    var adapterURL: URL? { adapter.map { URL(fileURLWithPath: $0) } }

    /// The suite file with `--tasks` and `--limit` applied.
    /// - Throws: `ProbeError` naming the file (and line or key) when it is missing or malformed.
    func selectedSuite() throws(ProbeError) -> ProbeSuite {
        try ProbeSuite.load(contentsOf: URL(fileURLWithPath: suite))
            .selecting(tasks: tasks.map(Self.taskNames), limit: limit)
    }

    /// Loads the model (and adapter) for probing.
    func loadModel() throws(ProbeError) -> DecoderModelProbe {
        try DecoderModelProbe.load(modelFolder: modelURL, adapterFolder: adapterURL)
    }
}
