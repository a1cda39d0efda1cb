import ArgumentParser
import Foundation
import Tensors
import Tokenizers
import Training
import Transformer

/// `fmn loss`: mean cross-entropy (nats per scored token) of a model on a JSONL file.
struct LossCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loss",
        abstract: "Mean cross-entropy of a model (and adapter) on a JSONL data file.",
        discussion: """
            Each line is {"text": ...} (every token scored), {"prompt": ..., "completion": ...} \
            (only the completion and the EOS after it scored) or pre-tokenized \
            {"input_ids": [...], "labels": [...]} (-100 where not scored). Text is tokenized \
            with the model folder's tokenizer.json as TRL does it (the same rule as fmn train): \
            prompt + completion as one text with BOS as tokenizer_config.json says, the first \
            len(tokenize(prompt)) positions not scored, EOS appended. Sequences longer than \
            --max-seq-len are cut (completion kept, prompt cut from the left).

            Prints the loss in nats per scored token, the number of scored tokens and the \
            perplexity exp(loss); --json prints {"loss", "tokens", "perplexity"}.
            """)

    @Option(name: .long, help: "Hugging Face model folder.")
    var model: String

    @Option(name: .long, help: "PEFT LoRA adapter folder to apply.")
    var adapter: String?

    @Option(name: .long, help: "JSONL data file.")
    var data: String

    @Option(name: .long, help: "Sequences per forward pass.")
    var batchSize = 8

    @Option(
        name: .long, help: "Longest sequence kept (default: the model's max_position_embeddings).")
    var maxSeqLen: Int?

    @Flag(name: .long, help: "Print {\"loss\", \"tokens\", \"perplexity\"} as JSON.")
    var json = false

    func validate() throws {
        if batchSize < 1 { throw ValidationError("--batch-size must be >= 1") }
        if let maxSeqLen, maxSeqLen < 2 { throw ValidationError("--max-seq-len must be >= 2") }
    }

    func run() throws {
        let folder = URL(fileURLWithPath: model)
        let summary: LossSummary
        do {
            var loaded = try DecoderModel.load(modelFolder: folder)
            if let adapter { try loaded.loadAdapter(folder: URL(fileURLWithPath: adapter)) }
            let tokenizerFile = folder.appendingPathComponent("tokenizer.json")
            let tokenizer =
                FileManager.default.fileExists(atPath: tokenizerFile.path)
                ? try Tokenizer(contentsOf: folder) : nil
            let limit = min(
                maxSeqLen ?? loaded.configuration.maxPositionEmbeddings,
                loaded.configuration.maxPositionEmbeddings)
            let encoding = ExampleEncoding(tokenizer: tokenizer, maxSequenceLength: limit)
            let url = URL(fileURLWithPath: data)
            let examples = try TrainingDataFile.read(url).map {
                try encoding.encode($0, path: url.path)
            }
            summary = try Self.loss(
                of: examples, model: loaded, batchSize: batchSize, path: url.path)
        } catch {
            CommandLineOutput.fail("\(error)")
        }
        if json {
            let object: [String: Any] = [
                "loss": summary.mean, "tokens": summary.tokenCount,
                "perplexity": summary.perplexity,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(
                "loss \(String(format: "%.6f", summary.mean)) nats/token over "
                    + "\(summary.tokenCount) tokens, perplexity "
                    + String(format: "%.4f", summary.perplexity))
        }
    }

    /// Sums the loss over batches of similar length (sorted by length, so padding is small);
    /// the total does not depend on the batching.
    static func loss(
        of examples: [EncodedExample], model: DecoderModel, batchSize: Int, path: String
    ) throws -> LossSummary {
        let order = examples.indices.sorted { examples[$0].count < examples[$1].count }
        var total = LossSummary(totalNats: 0, tokenCount: 0)
        var start = 0
        while start < order.count {
            let batch = order[start..<min(order.count, start + batchSize)].map { examples[$0] }
            do {
                total = total + (try model.loss(batch.map(\.inputIds), labels: batch.map(\.labels)))
            } catch let error as TransformerError {
                let lines = batch.map { String($0.line) }.joined(separator: ", ")
                throw ValidationError("\(path): lines \(lines): \(error)")
            }
            start += batchSize
        }
        if total.tokenCount == 0 {
            throw ValidationError("\(path): no line has a scored token")
        }
        return total
    }
}
