import Foundation
import Tokenizers
import Transformer

/// `ProbeLanguageModel` over the `Transformer` core: a `DecoderModel` (with an optional LoRA
/// adapter, applied unmerged) and the model folder's `tokenizer.json`.
///
/// - Window: `max_position_embeddings` from `config.json` (lm-eval's `max_length`).
/// - Scoring: one forward pass per batch of groups. The requests of a group (the choices of one
///   item) share their context, which runs once: the group is a `BranchedSequence` whose
///   branches are each request's remaining input, so every request sees exactly its own
///   `context + continuation` (as lm-eval's separate requests do), at a fraction of the tokens.
///   Sequences are right-padded with token 0 to the batch's longest (invisible to them, as in
///   lm-eval's padded batches). Log-softmax of the scored positions only, from float32 logits;
///   the argmax takes the first index on ties.
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

    public func encodeWithoutSpecialTokens(_ text: String) throws -> [Int] {
        tokenizer.encode(text, addSpecialTokens: false)
    }

    public func decode(_ ids: [Int]) -> String { tokenizer.decode(ids, skipSpecialTokens: true) }

    public func logLikelihoods(_ requests: [ProbeScoringRequest]) throws -> [ProbeTokenScore] {
        try logLikelihoods(groups: requests.map { [$0] }).map { $0[0] }
    }

    /// Runs each group as one `BranchedSequence`: the inputs' shared prefix once, then each
    /// request's remaining input tokens as a branch (`DecoderModel.scoreTargets`), all groups of
    /// the call in one batched pass.
    public func logLikelihoods(groups: [[ProbeScoringRequest]]) throws -> [[ProbeTokenScore]] {
        var sequences: [BranchedSequence] = []
        var targets: [[ScoredTarget]] = []
        // Identical requests in a group (duplicate choices) are scored once, so that they tie
        // exactly, as lm-eval's separate requests do.
        var uniqueGroups: [[ProbeScoringRequest]] = []
        var slots: [[Int]] = []
        for group in groups {
            var unique: [ProbeScoringRequest] = []
            var index: [ProbeScoringRequest: Int] = [:]
            slots.append(
                group.map { request in
                    if let known = index[request] { return known }
                    index[request] = unique.count
                    unique.append(request)
                    return unique.count - 1
                })
            uniqueGroups.append(unique)
        }
        for group in uniqueGroups {
            let shared = ProbeScoringRequest.sharedPrefixLength(group)
            let sequence = BranchedSequence(
                prefix: Array(group.first?.input.prefix(shared) ?? []),
                branches: group.map { Array($0.input[shared...]) })
            var list: [ScoredTarget] = []
            for (c, request) in group.enumerated() {
                let first = request.input.count - request.targets.count
                for (k, token) in request.targets.enumerated() {
                    list.append(
                        ScoredTarget(
                            row: sequence.flatIndex(branch: c, position: first + k), token: token))
                }
            }
            sequences.append(sequence)
            targets.append(list)
        }
        let scores = try model.scoreTargets(sequences, targets: targets)
        return zip(uniqueGroups, scores).enumerated().map { g, pair in
            let (group, scored) = pair
            var next = 0
            let unique = group.map { request in
                let mine = scored[next..<(next + request.targets.count)]
                next += request.targets.count
                return ProbeTokenScore(
                    logLikelihood: mine.reduce(0.0) { $0 + $1.logProbability },
                    isGreedy: mine.allSatisfy(\.isArgmax))
            }
            return slots[g].map { unique[$0] }
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
