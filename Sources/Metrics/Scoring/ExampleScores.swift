import Foundation

/// Every selected metric for one prediction, plus the per-example sufficient statistics from
/// which corpus BLEU and chrF are computed (and recomputed on bootstrap resamples).
///
/// Metrics that were not selected are `nil`.
public struct ExampleScores: Sendable, Hashable {
    /// ROUGE-1/2/L/Lsum against the best reference per type.
    public var rouge: ROUGEScores?
    /// Sentence BLEU (effective order on), 0–100.
    public var bleu: BLEUScore?
    /// This example's BLEU statistics; sum them over examples for corpus BLEU.
    public var bleuStatistics: BLEUStatistics?
    /// Sentence chrF, 0–100.
    public var chrf: CHRFScore?
    /// This example's chrF statistics; sum them over examples for corpus chrF.
    public var chrfStatistics: CHRFStatistics?
    /// 1 when the prediction equals a reference code point by code point, else 0.
    public var exactMatch: Double?

    /// Scores one pair.
    /// - Parameters:
    ///   - pair: The prediction and its references.
    ///   - metrics: Which metric families to compute.
    ///   - useStemmer: Porter-stem ROUGE tokens (rouge-score's `use_stemmer`).
    public init(pair: PredictionPair, metrics: Set<GenerationMetric>, useStemmer: Bool) {
        if metrics.contains(.rouge) {
            rouge = ROUGEScorer(useStemmer: useStemmer).score(
                prediction: pair.prediction, references: pair.references)
        }
        if metrics.contains(.bleu) {
            let statistics = BLEUStatistics(
                hypothesis: pair.prediction, references: pair.references)
            bleuStatistics = statistics
            bleu = BLEUScore(statistics: statistics, effectiveOrder: true)
        }
        if metrics.contains(.chrf) {
            let statistics = CHRFStatistics(
                hypothesis: pair.prediction, references: pair.references)
            chrfStatistics = statistics
            chrf = CHRFScore(statistics: statistics)
        }
        if metrics.contains(.exactMatch) {
            exactMatch = ExactMatch.score(prediction: pair.prediction, references: pair.references)
        }
    }

    /// Scores many pairs, in parallel over the available cores (`DispatchQueue.concurrentPerform`
    /// over chunks of pairs); the result is in input order and identical to scoring one by one.
    public static func scoring(
        _ pairs: [PredictionPair], metrics: Set<GenerationMetric>, useStemmer: Bool
    ) -> [ExampleScores] {
        if pairs.isEmpty { return [] }
        let chunkSize = 64
        let chunks = (pairs.count + chunkSize - 1) / chunkSize
        let results = ResultSlots<ExampleScores>(count: pairs.count)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let start = chunk * chunkSize
            for i in start..<min(start + chunkSize, pairs.count) {
                results.set(
                    i, ExampleScores(pair: pairs[i], metrics: metrics, useStemmer: useStemmer))
            }
        }
        return results.values()
    }
}
