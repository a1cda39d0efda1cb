/// One line of a training data file, before tokenization.
///
/// Three forms are accepted, one JSON object per line:
/// - `{"prompt": "...", "completion": "..."}`: TRL's prompt–completion form; only the
///   completion (and the EOS appended after it) is scored;
/// - `{"text": "..."}`: plain language modelling; every token is scored;
/// - `{"input_ids": [...], "labels": [...]}`: already tokenized (Hugging Face datasets after
///   tokenization; `labels` optional, -100 where a position is not scored).
public struct TrainingExample: Sendable, Equatable {
    /// The content of the line.
    public enum Content: Sendable, Equatable {
        case promptCompletion(prompt: String, completion: String)
        case text(String)
        case tokenized(inputIds: [Int], labels: [Int])
    }

    /// What the line holds.
    public var content: Content
    /// The 1-based line number in its file (for error messages).
    public var line: Int

    public init(content: Content, line: Int) {
        self.content = content
        self.line = line
    }
}
