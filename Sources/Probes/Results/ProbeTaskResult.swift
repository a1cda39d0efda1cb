import Foundation

/// One aggregate metric of a task.
public struct ProbeMetricResult: Codable, Sendable, Hashable {
    /// Metric name as in `metric_list` (`acc`, `word_perplexity`, `rougeL`, …).
    public var name: String
    public var value: Double
    /// lm-eval's standard error: for a mean, the sample standard deviation (n − 1) over √n; nil
    /// where lm-eval reports N/A (perplexities, bits per byte, corpus BLEU/chrF, one item).
    public var standardError: Double?
    public var higherIsBetter: Bool

    public init(name: String, value: Double, standardError: Double?, higherIsBetter: Bool) {
        self.name = name
        self.value = value
        self.standardError = standardError
        self.higherIsBetter = higherIsBetter
    }
}

/// The result of one probe task: aggregate metrics, throughput and every item.
public struct ProbeTaskResult: Codable, Sendable, Hashable {
    /// The task's name (`task` in its file).
    public var task: String
    public var outputType: ProbeOutputType
    public var metrics: [ProbeMetricResult]
    public var itemCount: Int
    /// Items whose context was cut on the left to fit the model's window.
    public var truncatedItemCount: Int
    /// Σ of model input lengths over all requests, windows and generation steps (tokens).
    public var inputTokenCount: Int
    /// Wall time of scoring (tokenization and model work), seconds.
    public var elapsedSeconds: Double
    public var items: [ProbeItemResult]

    public var itemsPerSecond: Double {
        elapsedSeconds > 0 ? Double(itemCount) / elapsedSeconds : 0
    }
    public var tokensPerSecond: Double {
        elapsedSeconds > 0 ? Double(inputTokenCount) / elapsedSeconds : 0
    }

    /// The metric named `name`, if the task reports it.
    public func metric(_ name: String) -> ProbeMetricResult? { metrics.first { $0.name == name } }

    public init(
        task: String, outputType: ProbeOutputType, metrics: [ProbeMetricResult], itemCount: Int,
        truncatedItemCount: Int, inputTokenCount: Int, elapsedSeconds: Double,
        items: [ProbeItemResult]
    ) {
        self.task = task
        self.outputType = outputType
        self.metrics = metrics
        self.itemCount = itemCount
        self.truncatedItemCount = truncatedItemCount
        self.inputTokenCount = inputTokenCount
        self.elapsedSeconds = elapsedSeconds
        self.items = items
    }

    enum CodingKeys: String, CodingKey {
        case task, outputType, metrics, itemCount, truncatedItemCount, inputTokenCount
        case elapsedSeconds, itemsPerSecond, tokensPerSecond, items
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        task = try c.decode(String.self, forKey: .task)
        outputType = try c.decode(ProbeOutputType.self, forKey: .outputType)
        metrics = try c.decode([ProbeMetricResult].self, forKey: .metrics)
        itemCount = try c.decode(Int.self, forKey: .itemCount)
        truncatedItemCount = try c.decode(Int.self, forKey: .truncatedItemCount)
        inputTokenCount = try c.decode(Int.self, forKey: .inputTokenCount)
        elapsedSeconds = try c.decode(Double.self, forKey: .elapsedSeconds)
        items = try c.decode([ProbeItemResult].self, forKey: .items)
    }

    /// Encodes every stored property plus the derived `itemsPerSecond` and `tokensPerSecond`.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(task, forKey: .task)
        try c.encode(outputType, forKey: .outputType)
        try c.encode(metrics, forKey: .metrics)
        try c.encode(itemCount, forKey: .itemCount)
        try c.encode(truncatedItemCount, forKey: .truncatedItemCount)
        try c.encode(inputTokenCount, forKey: .inputTokenCount)
        try c.encode(elapsedSeconds, forKey: .elapsedSeconds)
        try c.encode(itemsPerSecond, forKey: .itemsPerSecond)
        try c.encode(tokensPerSecond, forKey: .tokensPerSecond)
        try c.encode(items, forKey: .items)
    }
}

/// The result of one probe run: a suite on one model.
public struct ProbeSuiteResult: Codable, Sendable, Hashable {
    /// The suite's name.
    public var suite: String
    /// `ProbeSuite.contentHash()` of the suite as run (after `--tasks`/`--limit`): scores are
    /// comparable only between runs with equal hashes.
    public var contentHash: String
    public var tasks: [ProbeTaskResult]
    /// Wall time of the whole run, seconds.
    public var elapsedSeconds: Double

    public init(
        suite: String, contentHash: String, tasks: [ProbeTaskResult], elapsedSeconds: Double
    ) {
        self.suite = suite
        self.contentHash = contentHash
        self.tasks = tasks
        self.elapsedSeconds = elapsedSeconds
    }
}
