import Tokenizers

/// Turns a training example into token ids and labels, exactly as TRL's `SFTTrainer` tokenizes
/// a prompt–completion dataset; `fmn train` and `fmn loss` share this rule.
///
/// Prompt–completion (TRL `tokenize` for `prompt`/`completion` columns):
/// 1. `prompt_ids = tokenize(prompt)` and `ids = tokenize(prompt + completion)`, both with the
///    tokenizer's special tokens (so BOS exactly when the tokenizer's post-processor or
///    `tokenizer_config.json` adds one);
/// 2. EOS (`eos_token_id`) is appended after the completion and is scored (TRL appends the EOS
///    token to the completion);
/// 3. the first `len(prompt_ids)` positions get label -100; the rest keep their id.
///
/// The prompt and completion are tokenized *together*, so a word that straddles the boundary is
/// tokenized as in the concatenated text (TRL warns when `prompt_ids` is not a prefix of `ids`;
/// the mask still covers `len(prompt_ids)` positions, as TRL's does).
///
/// Plain text: `ids = tokenize(text)` with special tokens (BOS as configured), no EOS appended,
/// every position scored (labels = ids).
///
/// Pre-tokenized lines are taken as they are (labels default to the ids).
///
/// Truncation to `maxSequenceLength` (`T`), when a sequence is longer:
/// - prompt–completion: the completion is kept and the prompt is cut from the *left*, keeping
///   the special prefix (BOS) at position 0 — so the model still sees the end of the prompt that
///   leads into the completion. When the completion (with EOS) alone fills `T` minus the
///   prefix, the prompt is dropped entirely and the completion is cut from the right.
/// - plain text and pre-tokenized lines: cut from the right (the first `T` tokens kept).
///
/// ### References
/// TRL `SFTTrainer._prepare_dataset` / `tokenize` (prompt–completion `completion_mask`),
/// transformers `DataCollatorForLanguageModeling` (-100 labels).
public struct ExampleEncoding: Sendable {
    /// The label of a position that is not scored (PyTorch's `ignore_index`).
    public static let ignoreIndex = -100

    /// The tokenizer; nil when the data is pre-tokenized only.
    public let tokenizer: Tokenizer?
    /// The longest sequence kept, `T` (nil for no limit).
    public let maxSequenceLength: Int?

    /// - Precondition: `maxSequenceLength`, when given, is at least 2.
    public init(tokenizer: Tokenizer?, maxSequenceLength: Int? = nil) {
        precondition(
            maxSequenceLength.map { $0 >= 2 } ?? true,
            "ExampleEncoding: maxSequenceLength \(maxSequenceLength ?? 0) must be at least 2")
        self.tokenizer = tokenizer
        self.maxSequenceLength = maxSequenceLength
    }

    /// Encodes one example.
    /// - Parameter path: the data file, for errors.
    /// - Throws: `TrainingError.missingTokenizer` for text without a tokenizer,
    ///   `.invalidExample` when a tokenized line's labels do not match its ids.
    public func encode(_ example: TrainingExample, path: String) throws -> EncodedExample {
        switch example.content {
        case .promptCompletion(let prompt, let completion):
            guard let tokenizer else { throw TrainingError.missingTokenizer(path: path) }
            let promptIds = tokenizer.encode(prompt)
            var ids = tokenizer.encode(prompt + completion)
            if let eos = tokenizer.eosTokenId { ids.append(eos) }
            let masked = min(promptIds.count, ids.count)
            let labels = Array(repeating: Self.ignoreIndex, count: masked) + ids[masked...]
            return truncatePromptCompletion(
                ids: ids, labels: labels, promptCount: masked,
                prefixCount: tokenizer.addsBOS ? 1 : 0, line: example.line)
        case .text(let text):
            guard let tokenizer else { throw TrainingError.missingTokenizer(path: path) }
            let ids = tokenizer.encode(text)
            return truncateRight(ids: ids, labels: ids, line: example.line)
        case .tokenized(let ids, let labels):
            guard ids.count == labels.count else {
                throw TrainingError.invalidExample(
                    path: path, line: example.line,
                    reason: "\"input_ids\" has \(ids.count) tokens but \"labels\" \(labels.count)")
            }
            return truncateRight(ids: ids, labels: labels, line: example.line)
        }
    }

    func truncateRight(ids: [Int], labels: [Int], line: Int) -> EncodedExample {
        guard let limit = maxSequenceLength, ids.count > limit else {
            return EncodedExample(inputIds: ids, labels: labels, line: line)
        }
        return EncodedExample(
            inputIds: Array(ids.prefix(limit)), labels: Array(labels.prefix(limit)), line: line,
            wasTruncated: true)
    }

    /// The prompt–completion rule: keep the prefix (BOS) and the completion, cut the prompt
    /// from the left.
    func truncatePromptCompletion(
        ids: [Int], labels: [Int], promptCount: Int, prefixCount: Int, line: Int
    ) -> EncodedExample {
        guard let limit = maxSequenceLength, ids.count > limit else {
            return EncodedExample(inputIds: ids, labels: labels, line: line)
        }
        let prefix = min(prefixCount, promptCount)
        let completionCount = ids.count - promptCount
        let promptKept = max(0, limit - prefix - completionCount)
        var keep = Array(0..<prefix)
        keep += Array((promptCount - promptKept)..<promptCount)
        keep += Array(promptCount..<ids.count)
        keep = Array(keep.prefix(limit))
        return EncodedExample(
            inputIds: keep.map { ids[$0] }, labels: keep.map { labels[$0] }, line: line,
            wasTruncated: true)
    }
}
