/// The resolved gate settings of one task and metric: tolerance, significance and sample size.
///
/// In the policy file every field is optional per rule; ``GatePolicy/threshold(task:metric:)``
/// fills the missing ones from the more general rule and finally from ``GatePolicy/defaults``.
public struct GateThreshold: Codable, Sendable, Equatable {
    /// The tolerated drop `δ ≥ 0`: in the metric's units, or a fraction of the baseline score
    /// when ``relative``.
    public var delta: Double
    /// Whether ``delta`` is a fraction of `|baseline score|` (`0.02` = 2 %).
    public var relative: Bool
    /// Significance level `α` in `(0, 1)`: pass needs confidence `1 − α`, fail needs a
    /// Holm-adjusted p-value below `α`.
    public var alpha: Double
    /// The fewest paired items the verdict may rest on; fewer gives inconclusive.
    public var minItems: Int

    /// Creates a threshold.
    public init(delta: Double, relative: Bool, alpha: Double, minItems: Int) {
        self.delta = delta
        self.relative = relative
        self.alpha = alpha
        self.minItems = minItems
    }

    /// `δ = 0.02` relative (2 % of the baseline score, which suits every scale), `α = 0.05`,
    /// at least 100 items.
    public static let standard = GateThreshold(
        delta: 0.02, relative: true, alpha: 0.05, minItems: 100)

    /// The tolerated drop in the metric's units for a given baseline score.
    public func absoluteDelta(baselineScore: Double) -> Double {
        relative ? delta * abs(baselineScore) : delta
    }

    enum CodingKeys: String, CodingKey {
        case delta, relative, alpha
        case minItems = "min_items"
    }

    /// Decodes a threshold; missing fields take the values of ``standard``.
    public init(from decoder: any Decoder) throws {
        try PolicyKey.rejectUnknown(
            in: decoder, allowed: ["delta", "relative", "alpha", "min_items"], field: "defaults")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let s = GateThreshold.standard
        delta = try c.decodeIfPresent(Double.self, forKey: .delta) ?? s.delta
        relative = try c.decodeIfPresent(Bool.self, forKey: .relative) ?? s.relative
        alpha = try c.decodeIfPresent(Double.self, forKey: .alpha) ?? s.alpha
        minItems = try c.decodeIfPresent(Int.self, forKey: .minItems) ?? s.minItems
    }

    func validate(at field: String) throws {
        guard delta >= 0, delta.isFinite else {
            throw AnalysisError.invalidPolicy(
                field: "\(field).delta", value: "\(delta)", expected: "a finite number >= 0")
        }
        guard alpha > 0, alpha < 1 else {
            throw AnalysisError.invalidPolicy(
                field: "\(field).alpha", value: "\(alpha)", expected: "a number in (0, 1)")
        }
        guard minItems >= 1 else {
            throw AnalysisError.invalidPolicy(
                field: "\(field).min_items", value: "\(minItems)", expected: "an integer >= 1")
        }
    }
}
