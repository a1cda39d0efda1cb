import Tensors

/// What to generate and when to stop.
public struct GenerationOptions: Sendable {
    /// At most this many new tokens.
    public var maxNewTokens: Int
    public var sampling: Sampler.Parameters
    /// Generation stops when one of these is produced (it is not part of the output); by
    /// default the configuration's `eos_token_id`s.
    public var stopTokenIds: Set<Int>

    public init(maxNewTokens: Int, sampling: Sampler.Parameters = .greedy, stopTokenIds: Set<Int>) {
        precondition(maxNewTokens >= 0, "GenerationOptions: maxNewTokens \(maxNewTokens) < 0")
        self.maxNewTokens = maxNewTokens
        self.sampling = sampling
        self.stopTokenIds = stopTokenIds
    }
}

/// The new tokens and why generation ended.
public struct GenerationResult: Sendable, Equatable {
    public enum FinishReason: String, Sendable, Codable {
        /// `maxNewTokens` reached.
        case maxNewTokens
        /// A stop token (EOS) was produced.
        case stopToken
        /// The caller's stop condition (a stop sequence) held.
        case stopCondition
        /// The model's position table is full.
        case contextFull
    }

    /// The generated ids, without the prompt and without the stop token.
    public var tokens: [Int]
    public var finishReason: FinishReason
}

extension DecoderModel {
    /// Generates a continuation of `prompt` with the KV cache.
    ///
    /// The prompt is processed in one pass, then one token per step. Greedy decoding gives the
    /// same tokens as transformers' `generate(do_sample=False)`.
    /// - Parameters:
    ///   - prompt: ids (with BOS if the model expects one).
    ///   - options: length, sampling and stop tokens.
    ///   - shouldStop: called with the tokens generated so far after each step; returning true
    ///     ends generation (e.g. a stop sequence appeared in the decoded text).
    /// - Throws: `TransformerError` for a bad id or a prompt longer than the position table.
    public func generate(
        prompt: [Int], options: GenerationOptions, shouldStop: (([Int]) -> Bool)? = nil
    ) throws -> GenerationResult {
        precondition(!prompt.isEmpty, "DecoderModel.generate: empty prompt")
        if prompt.count > configuration.maxPositionEmbeddings {
            throw TransformerError.sequenceTooLong(
                length: prompt.count, maximum: configuration.maxPositionEmbeddings)
        }
        var tokens: [Int] = []
        if options.maxNewTokens == 0 {
            return GenerationResult(tokens: [], finishReason: .maxNewTokens)
        }
        let cache = makeCache(capacity: prompt.count + options.maxNewTokens)
        var sampler = Sampler(options.sampling)
        var logits = try forward(appending: prompt, to: cache)
        while true {
            let next = sampler.sample(logits)
            if options.stopTokenIds.contains(next) {
                return GenerationResult(tokens: tokens, finishReason: .stopToken)
            }
            tokens.append(next)
            if let shouldStop, shouldStop(tokens) {
                return GenerationResult(tokens: tokens, finishReason: .stopCondition)
            }
            if tokens.count >= options.maxNewTokens {
                return GenerationResult(tokens: tokens, finishReason: .maxNewTokens)
            }
            if cache.length >= cache.capacity {
                return GenerationResult(tokens: tokens, finishReason: .contextFull)
            }
            logits = try forward(appending: [next], to: cache)
        }
    }
}

/// Stop sequences on decoded text.
public enum StopSequences {
    /// The text up to (not including) the earliest occurrence of any stop sequence.
    /// - Returns: the truncated text and whether a stop sequence was found.
    public static func truncate(_ text: String, at stops: [String]) -> (text: String, stopped: Bool)
    {
        var cut: String.Index?
        for stop in stops where !stop.isEmpty {
            if let range = text.range(of: stop), cut == nil || range.lowerBound < cut! {
                cut = range.lowerBound
            }
        }
        guard let cut else { return (text, false) }
        return (String(text[..<cut]), true)
    }
}
