import ArgumentParser
import Foundation
import Tensors
import Tokenizers
import Transformer

/// `fmn generate`: continues a prompt with a model (and optionally a LoRA adapter), using the
/// KV cache; greedy by default, or temperature / top-p sampling with a seed.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Continue a prompt with a model, greedily or by sampling.",
        discussion: """
            The prompt is tokenized with the model folder's tokenizer.json (BOS as its \
            tokenizer_config.json says) and continued until --max-new-tokens, an end-of-sequence \
            token, or a --stop string in the decoded text (which is cut before it). The \
            continuation alone is printed; --json prints {"text", "tokens", "finish_reason"}.

            --temperature 0 (the default) is greedy decoding, token for token the same as \
            transformers' generate(do_sample=False). A positive temperature samples, after \
            keeping the smallest set of most likely tokens whose probability reaches --top-p; \
            --seed makes it repeatable.

            Examples:
              fmn generate --model Fixtures/Models/stories260K-hf --prompt "Once upon a time"
              fmn generate --model base/ --adapter runs/dialogsum-lora --prompt "..." \\
                --temperature 0.8 --top-p 0.9 --seed 7 --stop "\\n"
            """)

    @Option(
        name: .long,
        help: "Hugging Face model folder (config.json, model.safetensors, tokenizer.json).")
    var model: String

    @Option(name: .long, help: "PEFT LoRA adapter folder to apply (unmerged).")
    var adapter: String?

    @Option(name: .long, help: "The text to continue.")
    var prompt: String

    @Option(name: .long, help: "Most tokens to generate.")
    var maxNewTokens = 64

    @Option(name: .long, help: "0 for greedy decoding; above 0 samples with that temperature.")
    var temperature: Float = 0

    @Option(name: .long, help: "Nucleus sampling mass in (0, 1].")
    var topP: Float = 1

    @Option(name: .long, help: "Seed of the sampler.")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Stop when this text appears in the output (repeatable).")
    var stop: [String] = []

    @Flag(name: .long, help: "Print {\"text\", \"tokens\", \"finish_reason\"} as JSON.")
    var json = false

    func validate() throws {
        if maxNewTokens < 0 { throw ValidationError("--max-new-tokens must be >= 0") }
        if !(temperature >= 0) || !temperature.isFinite {
            throw ValidationError("--temperature must be a finite number >= 0")
        }
        if !(topP > 0 && topP <= 1) { throw ValidationError("--top-p must be in (0, 1]") }
    }

    func run() throws {
        let folder = URL(fileURLWithPath: model)
        let loaded: DecoderModel
        let tokenizer: Tokenizer
        do {
            var m = try DecoderModel.load(modelFolder: folder)
            if let adapter { try m.loadAdapter(folder: URL(fileURLWithPath: adapter)) }
            loaded = m
            tokenizer = try Tokenizer(contentsOf: folder)
        } catch {
            CommandLineOutput.fail("\(error)")
        }
        let promptIds = tokenizer.encode(prompt)
        if promptIds.isEmpty { CommandLineOutput.fail("the prompt encodes to no tokens") }
        var stopIds = Set(loaded.configuration.eosTokenIds)
        if let eos = tokenizer.eosTokenId { stopIds.insert(eos) }
        let options = GenerationOptions(
            maxNewTokens: maxNewTokens,
            sampling: Sampler.Parameters(temperature: temperature, topP: topP, seed: seed),
            stopTokenIds: stopIds)
        let stops = stop
        let promptText = tokenizer.decode(promptIds, skipSpecialTokens: true)
        // Decode prompt + continuation together, then drop the prompt's text: decoding the
        // continuation alone would lose a leading space to the decoder's strip rule.
        func continuation(_ generated: [Int]) -> String {
            let all = tokenizer.decode(promptIds + generated, skipSpecialTokens: true)
            if all.hasPrefix(promptText) { return String(all.dropFirst(promptText.count)) }
            return tokenizer.decode(generated, skipSpecialTokens: true)
        }
        let result: GenerationResult
        do {
            result = try loaded.generate(
                prompt: promptIds, options: options,
                shouldStop: stops.isEmpty
                    ? nil : { StopSequences.truncate(continuation($0), at: stops).stopped })
        } catch {
            CommandLineOutput.fail("\(error)")
        }
        let text = StopSequences.truncate(continuation(result.tokens), at: stops).text
        if json {
            let object: [String: Any] = [
                "text": text, "tokens": result.tokens,
                "finish_reason": result.finishReason.rawValue,
                "prompt_tokens": promptIds.count,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(text)
        }
    }
}

/// Shared printing helpers of the model commands.
enum CommandLineOutput {
    /// Prints `error: message` to standard error and exits with status 1.
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        Foundation.exit(1)
    }
}
