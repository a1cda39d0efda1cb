/// One override in a gate policy: settings for a task, or for one metric of a task.
///
/// Fields left out (`nil`) fall back to the task-wide rule (`metric` absent), then to the
/// policy's defaults. In YAML: `{task: sst2, metric: acc, delta: 0.01, relative: false}`.
public struct GateRule: Codable, Sendable, Equatable {
    /// The probe task's name.
    public var task: String
    /// The metric's name; `nil` for every metric of the task.
    public var metric: String?
    /// Tolerated drop `δ` (see ``GateThreshold/delta``).
    public var delta: Double?
    /// Whether `δ` is relative to the baseline score.
    public var relative: Bool?
    /// Significance level `α`.
    public var alpha: Double?
    /// Fewest paired items for a verdict.
    public var minItems: Int?

    /// Creates a rule.
    public init(
        task: String, metric: String? = nil, delta: Double? = nil, relative: Bool? = nil,
        alpha: Double? = nil, minItems: Int? = nil
    ) {
        self.task = task
        self.metric = metric
        self.delta = delta
        self.relative = relative
        self.alpha = alpha
        self.minItems = minItems
    }

    /// Decodes a rule; `task` is required, unknown keys are errors.
    public init(from decoder: any Decoder) throws {
        try PolicyKey.rejectUnknown(
            in: decoder,
            allowed: ["task", "metric", "delta", "relative", "alpha", "min_items"],
            field: "rules[]")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        task = try c.decode(String.self, forKey: .task)
        metric = try c.decodeIfPresent(String.self, forKey: .metric)
        delta = try c.decodeIfPresent(Double.self, forKey: .delta)
        relative = try c.decodeIfPresent(Bool.self, forKey: .relative)
        alpha = try c.decodeIfPresent(Double.self, forKey: .alpha)
        minItems = try c.decodeIfPresent(Int.self, forKey: .minItems)
    }

    enum CodingKeys: String, CodingKey {
        case task, metric, delta, relative, alpha
        case minItems = "min_items"
    }

    /// `threshold` with this rule's fields laid over it.
    func applied(to threshold: GateThreshold) -> GateThreshold {
        GateThreshold(
            delta: delta ?? threshold.delta, relative: relative ?? threshold.relative,
            alpha: alpha ?? threshold.alpha, minItems: minItems ?? threshold.minItems)
    }
}
