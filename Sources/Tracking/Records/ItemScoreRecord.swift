/// One item's result in a probe run: an `itemScore` row.
public struct ItemScoreRecord: Codable, Equatable, Sendable {
    /// Task name.
    public var task: String
    /// The item's id within the task (e.g. the dataset row index or its own id), unique per task.
    public var itemId: String
    /// The item's score (1/0 for accuracy, a metric value for generation tasks).
    public var score: Double
    /// The model's prediction: the chosen choice index as text, or the generated text.
    public var prediction: String?
    /// Per-choice log-likelihoods (nats, summed over the continuation's tokens), in choice
    /// order; `nil` for tasks that are not multiple choice. Stored as a JSON array of numbers.
    public var choiceLogLikelihoods: [Double]?
    /// Everything else the prober knows about the item, as JSON text (for `fmn probe`: the
    /// whole per-item result — every metric's score, references, log-likelihood and word, byte
    /// and token counts of perplexity documents), so that later comparisons can recompute
    /// corpus-level scores from stored items; `nil` when not given.
    public var details: String?

    public init(
        task: String, itemId: String, score: Double, prediction: String? = nil,
        choiceLogLikelihoods: [Double]? = nil, details: String? = nil
    ) {
        self.task = task
        self.itemId = itemId
        self.score = score
        self.prediction = prediction
        self.choiceLogLikelihoods = choiceLogLikelihoods
        self.details = details
    }
}
