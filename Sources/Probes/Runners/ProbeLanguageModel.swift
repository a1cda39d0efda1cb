import Foundation

/// One log-likelihood request at the token level: a model input and the tokens scored at its
/// last positions.
///
/// Position `i` of `input` predicts the token after it, so with `n = targets.count` the
/// predictions at positions `input.count - n ..< input.count` are scored against `targets`.
/// lm-eval's `_loglikelihood_tokens` builds `input = (context + continuation)[-(L+1):][:-1]`
/// and `targets = continuation`, which `ProbeRunner` reproduces.
public struct ProbeScoringRequest: Sendable, Hashable {
    /// Model input ids, `[T]`, 1 ≤ T ≤ the model's window.
    public var input: [Int]
    /// Scored ids, `[n]`, 1 ≤ n ≤ T.
    public var targets: [Int]

    public init(input: [Int], targets: [Int]) {
        precondition(
            !targets.isEmpty && targets.count <= input.count,
            "ProbeScoringRequest: need 1...\(input.count) targets, got \(targets.count)")
        self.input = input
        self.targets = targets
    }
}

/// The score of one `ProbeScoringRequest`.
public struct ProbeTokenScore: Sendable, Hashable {
    /// Σ log p(target_i | prefix), natural log, summed in float64 over float32 log-softmax values.
    public var logLikelihood: Double
    /// True when every target is the argmax of its position's logits (first index on ties).
    public var isGreedy: Bool

    public init(logLikelihood: Double, isGreedy: Bool) {
        self.logLikelihood = logLikelihood
        self.isGreedy = isGreedy
    }
}

/// What the probe runners need from a language model and its tokenizer.
///
/// `DecoderModelProbe` implements it over `Transformer.DecoderModel` (with an optional LoRA
/// adapter) and a `Tokenizers.Tokenizer`; tests implement it with small stand-ins.
///
/// `ProbeRunner` calls a model from several threads at once (one batch or one generation per
/// core), so conformers must be safe to share: `Sendable`, and no mutable state behind it.
public protocol ProbeLanguageModel: Sendable {
    /// The number of positions the model attends over (lm-eval's `max_length`,
    /// `max_position_embeddings`).
    var maxLength: Int { get }
    /// lm-eval's `prefix_token_id`: BOS when the tokenizer has one, else EOS. It conditions the
    /// first rolling window and empty contexts.
    var prefixTokenId: Int { get }
    /// The end-of-sequence id; greedy generation stops when it is produced.
    var eosTokenId: Int? { get }
    /// The text of the EOS token (`"</s>"`), which lm-eval adds to every `until` list.
    var eosText: String? { get }

    /// Encodes text with the tokenizer's default special tokens (BOS for Llama tokenizers), as
    /// lm-eval's `tok_encode` does for causal models.
    func encode(_ text: String) throws -> [Int]
    /// Encodes text without special tokens (`add_special_tokens=False`), as lm-eval encodes a
    /// continuation whose context is empty.
    func encodeWithoutSpecialTokens(_ text: String) throws -> [Int]
    /// Decodes ids with special tokens skipped (`skip_special_tokens=True`).
    func decode(_ ids: [Int]) -> String
    /// Scores requests. The caller passes a batch (at most its batch size) and gets one score
    /// per request, in order.
    /// - Throws: model failures (bad ids, too long inputs).
    func logLikelihoods(_ requests: [ProbeScoringRequest]) throws -> [ProbeTokenScore]
    /// Scores groups of requests: the requests of one group usually share a long input prefix
    /// (the choices of one item share the context), which an implementation may run once. The
    /// scores must equal `logLikelihoods(group)` up to float rounding. The default flattens the
    /// groups into one `logLikelihoods` call.
    func logLikelihoods(groups: [[ProbeScoringRequest]]) throws -> [[ProbeTokenScore]]
    /// Greedy decoding with a KV cache: appends argmax tokens to `prompt` until `eosTokenId`
    /// (not returned), `maxNewTokens` tokens, or `shouldStop(generatedSoFar)` returns true.
    /// - Returns: the new tokens.
    func greedyGenerate(prompt: [Int], maxNewTokens: Int, shouldStop: ([Int]) -> Bool) throws
        -> [Int]
}

extension ProbeLanguageModel {
    public func logLikelihoods(groups: [[ProbeScoringRequest]]) throws -> [[ProbeTokenScore]] {
        let scores = try logLikelihoods(groups.flatMap { $0 })
        var next = 0
        return groups.map { group in
            defer { next += group.count }
            return Array(scores[next..<(next + group.count)])
        }
    }
}

extension ProbeScoringRequest {
    /// The length of the longest input prefix that all `requests` share (at most the shortest
    /// input).
    public static func sharedPrefixLength(_ requests: [ProbeScoringRequest]) -> Int {
        guard let first = requests.first?.input else { return 0 }
        var length = requests.map(\.input.count).min()!
        for request in requests.dropFirst() {
            var i = 0
            while i < length, request.input[i] == first[i] { i += 1 }
            length = i
        }
        return length
    }
}
