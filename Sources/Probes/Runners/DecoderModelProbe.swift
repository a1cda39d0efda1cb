import Foundation
import Tokenizers
import Transformer

/// `ProbeLanguageModel` over the `Transformer` core: a `DecoderModel` (with an optional LoRA
/// adapter, applied unmerged) and the model folder's `tokenizer.json`.
///
/// - Window: `max_position_embeddings` from `config.json` (lm-eval's `max_length`).
/// - Scoring: one forward pass per batch; requests are right-padded with token 0 to the batch's
///   longest input (causal attention makes padding after a request invisible to it, as in
///   lm-eval's own padded batches). Log-softmax is taken in float64 over the float32 logits of
///   the scored positions only; the argmax takes the first index on ties.
/// - Generation: `DecoderModel.generate` with the KV cache, greedy, stopping at EOS.
/// - Encoding adds the tokenizer's default special tokens (BOS); decoding skips them.
public struct DecoderModelProbe: ProbeLanguageModel, Sendable {
    public let model: DecoderModel
    public let tokenizer: Tokenizer

    public init(model: DecoderModel, tokenizer: Tokenizer) {
        self.model = model
        self.tokenizer = tokenizer
    }

    /// Loads a Hugging Face model folder (`config.json`, `model.safetensors`,
    /// `tokenizer.json`) and, when given, a PEFT adapter folder.
    /// - Throws: `ProbeError.modelFailure` carrying the loader's message (which names the file).
    public static func load(modelFolder: URL, adapterFolder: URL? = nil) throws(ProbeError)
        -> DecoderModelProbe
    {
        do {
            var model = try DecoderModel.load(modelFolder: modelFolder)
            if let adapterFolder { try model.loadAdapter(folder: adapterFolder) }
            let tokenizer = try Tokenizer(contentsOf: modelFolder)
            return DecoderModelProbe(model: model, tokenizer: tokenizer)
        } catch {
            throw .modelFailure(reason: "\(error)")
        }
    }

    public var maxLength: Int { model.configuration.maxPositionEmbeddings }

    public var prefixTokenId: Int {
        tokenizer.bosTokenId ?? model.configuration.bosTokenId ?? eosTokenId ?? 0
    }

    public var eosTokenId: Int? { tokenizer.eosTokenId ?? model.configuration.eosTokenIds.first }

    public var eosText: String? { eosTokenId.flatMap { tokenizer.token(forId: $0) } }

    public func encode(_ text: String) throws -> [Int] { tokenizer.encode(text) }

    public func decode(_ ids: [Int]) -> String { tokenizer.decode(ids, skipSpecialTokens: true) }

    public func logLikelihoods(_ requests: [ProbeScoringRequest]) throws -> [ProbeTokenScore] {
        guard !requests.isEmpty else { return [] }
        let t = requests.map(\.input.count).max()!
        let batch = requests.map { $0.input + [Int](repeating: 0, count: t - $0.input.count) }
        let logits = try model.logits(batch)
        let v = model.configuration.vocabSize
        return logits.scalars.withUnsafeBufferPointer { all in
            requests.enumerated().map { b, request in
                var total = 0.0
                var greedy = true
                let n = request.targets.count
                let first = request.input.count - n
                for (k, target) in request.targets.enumerated() {
                    let row = UnsafeBufferPointer(
                        rebasing: all[((b * t + first + k) * v)..<((b * t + first + k + 1) * v)])
                    var maxValue = row[0]
                    var maxIndex = 0
                    for i in 1..<v where row[i] > maxValue {
                        maxValue = row[i]
                        maxIndex = i
                    }
                    var sum = 0.0
                    let m = Double(maxValue)
                    for i in 0..<v { sum += exp(Double(row[i]) - m) }
                    total += Double(row[target]) - m - log(sum)
                    if maxIndex != target { greedy = false }
                }
                return ProbeTokenScore(logLikelihood: total, isGreedy: greedy)
            }
        }
    }

    public func greedyGenerate(prompt: [Int], maxNewTokens: Int, shouldStop: ([Int]) -> Bool) throws
        -> [Int]
    {
        let stops = Set(eosTokenId.map { [$0] } ?? [])
        let result = try withoutActuallyEscaping(shouldStop) { stop in
            try model.generate(
                prompt: prompt,
                options: GenerationOptions(
                    maxNewTokens: maxNewTokens, sampling: .greedy, stopTokenIds: stops),
                shouldStop: stop)
        }
        return result.tokens
    }
}
