import Foundation

/// BLEU exactly as sacreBLEU 2.6.0 (13a tokenizer, "exp" smoothing, no lower-casing), on the
/// 0–100 scale; higher is better.
///
/// `score = bp · exp((log p₁ + … + log p_N) / N)` with precisions pₙ in percent:
/// pₙ = 100 · matchesₙ / totalsₙ; an order with totalₙ > 0 but no match gets the "exp" smoothing
/// 100 / (2ᵏ · totalₙ) for the k-th such order; bp = exp(1 − r/c) when c < r (0 when c = 0),
/// else 1. N is 4 for corpus BLEU; sentence BLEU uses the *effective order*, the number of
/// orders with a non-zero total (min(4, hypothesis tokens)). With effective order off a zero
/// total contributes log 0 ≈ −9999999999, so a corpus of segments with at most three tokens
/// scores exactly 0. When no n-gram matches at all the score and every precision are 0.0. A
/// perfect match scores 100.00000000000004 (exp(log 100)), not 100.
///
/// Worked example (checked by a test): `sentence(hypothesis: "the cat sat on the mat",
/// references: ["the cat sat on a mat"])`: matches [5, 3, 2, 1] of totals [6, 5, 4, 3],
/// precisions [83.33333333333333, 60, 50, 33.333333333333336], bp 1, score
/// exp((log 83.33 + log 60 + log 50 + log 33.33) / 4) = 53.7284965911771.
///
/// ### References
/// K. Papineni et al., "BLEU: a Method for Automatic Evaluation of Machine Translation", ACL
/// 2002; M. Post, "A Call for Clarity in Reporting BLEU Scores", WMT 2018;
/// `sacrebleu/metrics/bleu.py` (`compute_bleu`) in sacreBLEU 2.6.0.
public struct BLEUScore: Sendable, Hashable, Codable {
    /// BLEU on the 0–100 scale.
    public var score: Double
    /// n-gram precisions for n = 1…4, in percent (smoothed where the total is non-zero but
    /// nothing matched; all 0 when nothing matched at all).
    public var precisions: [Double]
    /// Brevity penalty in [0, 1].
    public var brevityPenalty: Double
    /// Hypothesis tokens (`sys_len`).
    public var hypothesisLength: Int
    /// Closest reference tokens (`ref_len`).
    public var referenceLength: Int
    /// Clipped n-gram matches for n = 1…4 (`counts`).
    public var matches: [Int]
    /// Hypothesis n-grams for n = 1…4 (`totals`).
    public var totals: [Int]

    enum CodingKeys: String, CodingKey {
        case score, precisions
        case brevityPenalty = "bp"
        case hypothesisLength = "sys_len"
        case referenceLength = "ref_len"
        case matches = "counts"
        case totals
    }

    /// The score of (summed) statistics: sacreBLEU's `compute_bleu` with "exp" smoothing.
    /// - Parameters:
    ///   - statistics: One segment's statistics, or the sum over a corpus.
    ///   - effectiveOrder: `true` for `sentence_bleu`'s default, `false` for `corpus_bleu`'s.
    public init(statistics: BLEUStatistics, effectiveOrder: Bool) {
        let sys = statistics.hypothesisLength
        let ref = statistics.referenceLength
        var bp = 1.0
        if sys < ref { bp = sys > 0 ? exp(1.0 - Double(ref) / Double(sys)) : 0.0 }
        var precisions = [0.0, 0.0, 0.0, 0.0]
        self.brevityPenalty = bp
        self.hypothesisLength = sys
        self.referenceLength = ref
        self.matches = statistics.matches
        self.totals = statistics.totals
        if statistics.matches.allSatisfy({ $0 == 0 }) {
            self.score = 0.0
            self.precisions = precisions
            return
        }
        var smooth = 1.0
        var order = 4
        for n in 0..<4 {
            let total = statistics.totals[n]
            if total == 0 { break }
            if effectiveOrder { order = n + 1 }
            let correct = statistics.matches[n]
            if correct == 0 {
                smooth *= 2
                precisions[n] = 100.0 / (smooth * Double(total))
            } else {
                precisions[n] = (100.0 * Double(correct)) / Double(total)
            }
        }
        var sum = 0.0
        for n in 0..<order { sum += precisions[n] == 0.0 ? -9_999_999_999 : log(precisions[n]) }
        self.score = bp * exp(sum / Double(order))
        self.precisions = precisions
    }

    /// `sacrebleu.sentence_bleu(hypothesis, [references…])`: effective order on.
    /// - Precondition: `references` is not empty.
    public static func sentence(hypothesis: String, references: [String]) -> BLEUScore {
        BLEUScore(
            statistics: BLEUStatistics(hypothesis: hypothesis, references: references),
            effectiveOrder: true)
    }

    /// `sacrebleu.corpus_bleu(hypotheses, streams)`: statistics summed over segments, effective
    /// order off.
    /// - Parameters:
    ///   - hypotheses: One system output per segment.
    ///   - references: The references *of each segment* (`references[i]` belongs to
    ///     `hypotheses[i]`) — not sacreBLEU's reference streams.
    /// - Precondition: Both lists have the same length and no segment lacks a reference.
    public static func corpus(hypotheses: [String], references: [[String]]) -> BLEUScore {
        precondition(
            hypotheses.count == references.count,
            "BLEUScore.corpus: \(hypotheses.count) hypotheses but \(references.count) reference lists"
        )
        let statistics = BLEUStatistics.sum(
            zip(hypotheses, references).map { BLEUStatistics(hypothesis: $0, references: $1) })
        return BLEUScore(statistics: statistics, effectiveOrder: false)
    }
}
