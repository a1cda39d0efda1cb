/// Corpus-level scores of many predictions: BLEU and chrF from summed statistics (as
/// `corpus_bleu`/`corpus_chrf`), ROUGE and exact match as plain means over examples.
public struct CorpusScores: Sendable, Hashable {
    /// Number of examples.
    public var count: Int
    /// Mean of each ROUGE precision, recall and F-measure (left-to-right sum / count).
    public var rouge: ROUGEScores?
    /// Corpus BLEU (statistics summed, effective order off), 0–100.
    public var bleu: BLEUScore?
    /// Corpus chrF (statistics summed), 0–100.
    public var chrf: CHRFScore?
    /// Fraction of exact matches, in [0, 1].
    public var exactMatch: Double?

    /// Aggregates per-example scores; a metric is present when every example has it.
    ///
    /// For a bootstrap resample pass the resampled examples (repeats included): corpus BLEU and
    /// chrF are recomputed from their summed statistics.
    public init(aggregating examples: [ExampleScores]) {
        count = examples.count
        guard !examples.isEmpty else { return }
        let rouges = examples.compactMap(\.rouge)
        if rouges.count == examples.count { rouge = ROUGEScores.mean(rouges) }
        let bleuStatistics = examples.compactMap(\.bleuStatistics)
        if bleuStatistics.count == examples.count {
            bleu = BLEUScore(statistics: BLEUStatistics.sum(bleuStatistics), effectiveOrder: false)
        }
        let chrfStatistics = examples.compactMap(\.chrfStatistics)
        if chrfStatistics.count == examples.count {
            chrf = CHRFScore(statistics: CHRFStatistics.sum(chrfStatistics))
        }
        let matches = examples.compactMap(\.exactMatch)
        if matches.count == examples.count {
            var sum = 0.0
            for value in matches { sum += value }
            exactMatch = sum / Double(matches.count)
        }
    }
}
