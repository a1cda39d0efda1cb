/// One aggregate score of one task in a probe run: a `taskScore` row.
public struct TaskScoreRecord: Codable, Equatable, Sendable {
    /// Task name, e.g. `"arc_easy"`.
    public var task: String
    /// Metric name, e.g. `"acc"`, `"acc_norm"`, `"rougeL"`, `"word_perplexity"`.
    public var metric: String
    /// The metric's value (its own units and direction, as the Probes module defines them).
    public var value: Double
    /// Standard error of `value`; `nil` when not computed.
    public var stderr: Double?
    /// Number of items the value is computed over.
    public var n: Int

    public init(task: String, metric: String, value: Double, stderr: Double? = nil, n: Int) {
        self.task = task
        self.metric = metric
        self.value = value
        self.stderr = stderr
        self.n = n
    }
}
