/// The four ROUGE types rouge-score computes for one prediction: ROUGE-1, ROUGE-2, ROUGE-L and
/// ROUGE-Lsum, each with precision, recall and F-measure in [0, 1] (higher is better).
///
/// See ``ROUGEScorer`` for how each is computed and a worked example.
public struct ROUGEScores: Sendable, Hashable, Codable {
    /// Unigram overlap.
    public var rouge1: ROUGEScore
    /// Bigram overlap.
    public var rouge2: ROUGEScore
    /// Longest common subsequence of the whole token sequences (sentence-level).
    public var rougeL: ROUGEScore
    /// Summary-level LCS over lines (split on U+000A only); equals `rougeL` without newlines.
    public var rougeLsum: ROUGEScore

    /// The four scores, as given.
    public init(rouge1: ROUGEScore, rouge2: ROUGEScore, rougeL: ROUGEScore, rougeLsum: ROUGEScore) {
        self.rouge1 = rouge1
        self.rouge2 = rouge2
        self.rougeL = rougeL
        self.rougeLsum = rougeLsum
    }

    /// All four scores zero.
    public static let zero = ROUGEScores(
        rouge1: .zero, rouge2: .zero, rougeL: .zero, rougeLsum: .zero)

    /// The four scores as (name, score) pairs in rouge-score's order: `rouge1`, `rouge2`,
    /// `rougeL`, `rougeLsum`.
    public var named: [(name: String, score: ROUGEScore)] {
        [("rouge1", rouge1), ("rouge2", rouge2), ("rougeL", rougeL), ("rougeLsum", rougeLsum)]
    }

    /// The mean of each precision, recall and F-measure over several predictions: a plain
    /// left-to-right sum divided by the count (not rouge-score's bootstrap aggregator, whose
    /// result is random).
    /// - Parameter scores: Per-prediction scores; an empty list gives all zeros.
    public static func mean(_ scores: [ROUGEScores]) -> ROUGEScores {
        guard !scores.isEmpty else { return .zero }
        func average(_ pick: (ROUGEScores) -> ROUGEScore) -> ROUGEScore {
            var p = 0.0
            var r = 0.0
            var f = 0.0
            for score in scores {
                let s = pick(score)
                p += s.precision
                r += s.recall
                f += s.fmeasure
            }
            let n = Double(scores.count)
            return ROUGEScore(precision: p / n, recall: r / n, fmeasure: f / n)
        }
        return ROUGEScores(
            rouge1: average(\.rouge1), rouge2: average(\.rouge2), rougeL: average(\.rougeL),
            rougeLsum: average(\.rougeLsum))
    }
}
