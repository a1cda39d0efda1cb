/// A corpus-level score computed from per-item sufficient statistics.
///
/// Corpus BLEU and chrF are not means of sentence scores: each item contributes a vector of
/// counts (n-gram matches and totals, lengths), the counts are summed over the corpus and the
/// score is computed once from the sums. A paired bootstrap therefore resamples items, sums
/// their statistics and calls ``score`` on the sums. `Analysis` holds the mechanism; the
/// statistic vectors and the score function for BLEU and chrF come from `Metrics`.
public struct CorpusStatistic: Sendable {
    /// The statistic's name for reports (e.g. `bleu`).
    public var name: String
    /// Length `K` of each item's statistic vector.
    public var statisticCount: Int
    /// The corpus score of summed statistics (shape `[K]`).
    public var score: @Sendable ([Double]) -> Double

    /// Creates a corpus statistic.
    /// - Parameters:
    ///   - name: Label for reports.
    ///   - statisticCount: `K`, the length of every item's vector.
    ///   - score: The corpus score of summed statistics `[K]`.
    public init(name: String, statisticCount: Int, score: @escaping @Sendable ([Double]) -> Double)
    {
        precondition(statisticCount > 0, "CorpusStatistic: statisticCount must be > 0")
        self.name = name
        self.statisticCount = statisticCount
        self.score = score
    }

    /// A ratio of sums, `Σ a / Σ b`, from item vectors `[a, b]` (e.g. micro-averaged accuracy).
    public static let ratio = CorpusStatistic(name: "ratio", statisticCount: 2) { $0[0] / $0[1] }
}
