/// Which way a metric improves.
///
/// Every forgetting measure and every gate decision in `Analysis` is direction-aware: it first
/// multiplies scores by ``sign`` so that "larger is better" holds for every column, then applies
/// the published formula. Accuracy, ROUGE, BLEU and chrF are ``higherIsBetter``; perplexity and
/// bits per byte are ``lowerIsBetter``.
public enum MetricDirection: String, Codable, Sendable, Hashable, CaseIterable {
    /// Larger scores are better (accuracy, ROUGE, BLEU, chrF, exact match).
    case higherIsBetter = "higher_is_better"
    /// Smaller scores are better (perplexity, bits per byte, loss).
    case lowerIsBetter = "lower_is_better"

    /// `+1` for ``higherIsBetter``, `-1` for ``lowerIsBetter``: `sign * score` is larger when better.
    public var sign: Double { self == .higherIsBetter ? 1 : -1 }

    /// The signed improvement from `before` to `after`: `sign * (after - before)`.
    ///
    /// Positive means `after` is better. Example: perplexity 20 → 25 gives `-5` (worse).
    public func improvement(from before: Double, to after: Double) -> Double {
        sign * (after - before)
    }
}
