/// What a merge gate tolerates: per task and metric a tolerated drop, a significance level and a
/// minimum item count, and which tasks decide the verdict.
///
/// The CLI and the pipeline decode it from YAML (with Yams; the keys below are the file's keys)
/// and hand it to ``MergeGate``. Every key is optional; docs/gate-policy.md documents the format:
///
/// ```yaml
/// defaults: {delta: 0.02, relative: true, alpha: 0.05, min_items: 100}
/// must_not_regress: [sst2, wikitext]     # absent: every task decides
/// rules:
///   - {task: sst2, metric: acc, delta: 0.01, relative: false}
///   - {task: wikitext, delta: 0.05}       # every metric of wikitext
/// resamples: 10000
/// seed: 0
/// ```
public struct GatePolicy: Codable, Sendable, Equatable {
    /// Settings for every task and metric no rule overrides.
    public var defaults: GateThreshold
    /// Overrides, by task or by task and metric. When several match, a task-and-metric rule wins
    /// over a task rule, and a later rule over an earlier one of the same kind.
    public var rules: [GateRule]
    /// The tasks whose verdicts decide the overall verdict; `nil` means every task compared.
    /// Tasks not listed are still evaluated and reported, marked advisory. A listed task that
    /// the comparison lacks is an error (the gate fails closed).
    public var mustNotRegress: [String]?
    /// Bootstrap resamples (default 10,000).
    public var resamples: Int
    /// Bootstrap seed (default 0).
    public var seed: UInt64

    /// Creates a policy; every argument has the documented default.
    public init(
        defaults: GateThreshold = .standard, rules: [GateRule] = [],
        mustNotRegress: [String]? = nil, resamples: Int = 10_000, seed: UInt64 = 0
    ) {
        self.defaults = defaults
        self.rules = rules
        self.mustNotRegress = mustNotRegress
        self.resamples = resamples
        self.seed = seed
    }

    enum CodingKeys: String, CodingKey {
        case defaults, rules, resamples, seed
        case mustNotRegress = "must_not_regress"
    }

    /// Decodes a policy; absent keys take their defaults.
    public init(from decoder: any Decoder) throws {
        try PolicyKey.rejectUnknown(
            in: decoder, allowed: ["defaults", "rules", "must_not_regress", "resamples", "seed"],
            field: "")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        defaults = try c.decodeIfPresent(GateThreshold.self, forKey: .defaults) ?? .standard
        rules = try c.decodeIfPresent([GateRule].self, forKey: .rules) ?? []
        mustNotRegress = try c.decodeIfPresent([String].self, forKey: .mustNotRegress)
        resamples = try c.decodeIfPresent(Int.self, forKey: .resamples) ?? 10_000
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? 0
    }

    /// The settings for one task and metric: defaults, then task rules, then task-and-metric
    /// rules, each laid over the previous.
    public func threshold(task: String, metric: String) -> GateThreshold {
        var resolved = defaults
        for rule in rules where rule.task == task && rule.metric == nil {
            resolved = rule.applied(to: resolved)
        }
        for rule in rules where rule.task == task && rule.metric == metric {
            resolved = rule.applied(to: resolved)
        }
        return resolved
    }

    /// Whether a task's verdict counts towards the overall verdict.
    public func decides(task: String) -> Bool {
        mustNotRegress?.contains(task) ?? true
    }

    /// Checks every value's range.
    /// - Throws: ``AnalysisError/invalidPolicy(field:value:expected:)`` naming the field.
    public func validate() throws {
        try defaults.validate(at: "defaults")
        for (index, rule) in rules.enumerated() {
            try rule.applied(to: defaults).validate(at: "rules[\(index)]")
        }
        guard resamples >= 1 else {
            throw AnalysisError.invalidPolicy(
                field: "resamples", value: "\(resamples)", expected: "an integer >= 1")
        }
    }
}
