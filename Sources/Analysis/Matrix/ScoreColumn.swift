/// One column of a ``ScoreMatrix``: a metric of a probe task, with the way it improves.
public struct ScoreColumn: Codable, Sendable, Hashable {
    /// The probe task's name, as in the probe suite (e.g. `sst2`).
    public var task: String
    /// The metric's name as stored (e.g. `acc`, `rougeL`, `word_perplexity`).
    public var metric: String
    /// Whether larger or smaller scores are better.
    public var direction: MetricDirection

    /// Creates a column for `metric` of `task`.
    public init(task: String, metric: String, direction: MetricDirection = .higherIsBetter) {
        self.task = task
        self.metric = metric
        self.direction = direction
    }

    /// `task/metric`, the label reports use.
    public var label: String { "\(task)/\(metric)" }
}
