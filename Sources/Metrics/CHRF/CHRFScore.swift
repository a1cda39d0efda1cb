/// chrF exactly as sacreBLEU 2.6.0's defaults (`sentence_chrf`, `corpus_chrf`: character order 6,
/// word order 0, β = 2, whitespace deleted, no epsilon smoothing), on the 0–100 scale; higher is
/// better.
///
/// Precision P and recall R are averaged over the *effective* orders (those with hypothesis and
/// reference n-grams), then one F-β is taken: `100 · ((1 + β²) · P · R) / (β² · P + R)` with
/// β² = 4, and 0 when P + R = 0. This is not the mean of per-order F scores (that is the
/// `eps_smoothing=True` variant, as chrF++.py and NLTK).
///
/// Worked example (checked by a test): hypothesis "ab c", reference "abd" (statistics in
/// ``CHRFStatistics``): orders 1–3 are effective; P = R = (2/3 + 1/2 + 0) / 3 = 0.3888…, so
/// chrF = 100 · (5 · P · R) / (4P + R) = 38.888888888888886.
///
/// ### References
/// M. Popović, "chrF: character n-gram F-score for automatic MT evaluation", WMT 2015;
/// `sacrebleu/metrics/chrf.py` (`_compute_f_score`) in sacreBLEU 2.6.0.
public struct CHRFScore: Sendable, Hashable, Codable {
    /// chrF on the 0–100 scale.
    public var score: Double

    /// β² of chrF's F-β (β = 2: recall weighs twice as much as precision).
    static let betaSquared = 4.0

    /// The score of (summed) statistics.
    public init(statistics: CHRFStatistics) {
        var precision = 0.0
        var recall = 0.0
        var effectiveOrder = 0
        for n in 0..<CHRFStatistics.order {
            let hyp = statistics.hypothesisCounts[n]
            let ref = statistics.referenceCounts[n]
            if hyp > 0 && ref > 0 {
                let match = Double(statistics.matchCounts[n])
                precision += match / Double(hyp)
                recall += match / Double(ref)
                effectiveOrder += 1
            }
        }
        if effectiveOrder > 0 {
            precision /= Double(effectiveOrder)
            recall /= Double(effectiveOrder)
        }
        if precision + recall == 0 {
            score = 0
            return
        }
        var f = (1 + Self.betaSquared) * precision * recall
        f /= (Self.betaSquared * precision) + recall
        score = 100 * f
    }

    /// `sacrebleu.sentence_chrf(hypothesis, [references…])`.
    /// - Precondition: `references` is not empty.
    public static func sentence(hypothesis: String, references: [String]) -> CHRFScore {
        CHRFScore(statistics: CHRFStatistics(hypothesis: hypothesis, references: references))
    }

    /// `sacrebleu.corpus_chrf(hypotheses, streams)`: statistics summed over segments.
    /// - Parameters:
    ///   - hypotheses: One system output per segment.
    ///   - references: The references of each segment (`references[i]` belongs to
    ///     `hypotheses[i]`).
    /// - Precondition: Both lists have the same length and no segment lacks a reference.
    public static func corpus(hypotheses: [String], references: [[String]]) -> CHRFScore {
        precondition(
            hypotheses.count == references.count,
            "CHRFScore.corpus: \(hypotheses.count) hypotheses but \(references.count) reference lists"
        )
        return CHRFScore(
            statistics: CHRFStatistics.sum(
                zip(hypotheses, references).map { CHRFStatistics(hypothesis: $0, references: $1) }))
    }
}
