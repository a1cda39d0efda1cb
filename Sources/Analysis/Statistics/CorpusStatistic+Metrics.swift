import Metrics

/// Corpus BLEU and chrF as ``CorpusStatistic``s over `Metrics`' sufficient statistics: the only
/// part of `Analysis` that depends on `Metrics`.
extension CorpusStatistic {
    /// Corpus BLEU (sacreBLEU 2.6.0 `corpus_bleu`: 13a tokens, "exp" smoothing, no effective
    /// order), 0–100, higher is better. Item vector layout (`K = 10`):
    /// `[hypothesisLength, referenceLength, matches₁…₄, totals₁…₄]` (see ``bleuVector(_:)``).
    public static let bleu = CorpusStatistic(name: "bleu", statisticCount: 10) { s in
        let statistics = BLEUStatistics(
            hypothesisLength: Int(s[0]), referenceLength: Int(s[1]),
            matches: (2..<6).map { Int(s[$0]) }, totals: (6..<10).map { Int(s[$0]) })
        return BLEUScore(statistics: statistics, effectiveOrder: false).score
    }

    /// Corpus chrF (sacreBLEU 2.6.0 `CHRF()`: character order 6, β = 2), 0–100, higher is
    /// better. Item vector layout (`K = 18`): `[hypothesis₁…₆, reference₁…₆, matches₁…₆]` (see
    /// ``chrFVector(_:)``).
    public static let chrF = CorpusStatistic(name: "chrf", statisticCount: 18) { s in
        let statistics = CHRFStatistics(
            hypothesisCounts: (0..<6).map { Int(s[$0]) },
            referenceCounts: (6..<12).map { Int(s[$0]) }, matchCounts: (12..<18).map { Int(s[$0]) })
        return CHRFScore(statistics: statistics).score
    }

    /// One segment's BLEU statistics as the vector ``bleu`` sums.
    public static func bleuVector(_ statistics: BLEUStatistics) -> [Double] {
        [Double(statistics.hypothesisLength), Double(statistics.referenceLength)]
            + statistics.matches.map(Double.init) + statistics.totals.map(Double.init)
    }

    /// One segment's chrF statistics as the vector ``chrF`` sums.
    public static func chrFVector(_ statistics: CHRFStatistics) -> [Double] {
        (statistics.hypothesisCounts + statistics.referenceCounts + statistics.matchCounts)
            .map(Double.init)
    }
}

extension PairedData {
    /// Corpus BLEU of aligned segments: the bootstrap resamples segments and rescores the summed
    /// statistics.
    public static func bleu(baseline: [BLEUStatistics], candidate: [BLEUStatistics]) -> PairedData {
        .corpus(
            baseline: baseline.map(CorpusStatistic.bleuVector),
            candidate: candidate.map(CorpusStatistic.bleuVector), statistic: .bleu)
    }

    /// Corpus chrF of aligned segments, resampled the same way.
    public static func chrF(baseline: [CHRFStatistics], candidate: [CHRFStatistics]) -> PairedData {
        .corpus(
            baseline: baseline.map(CorpusStatistic.chrFVector),
            candidate: candidate.map(CorpusStatistic.chrFVector), statistic: .chrF)
    }
}

extension PairedData {
    /// Corpus BLEU of two checkpoints' outputs on the same segments, scored against the same
    /// references with `Metrics`' sacreBLEU-compatible statistics.
    /// - Parameters:
    ///   - baseline: The baseline's hypotheses, `[N]`.
    ///   - candidate: The candidate's hypotheses, `[N]`.
    ///   - references: Each segment's references, `[N][R]` (`R ≥ 1`).
    /// - Precondition: equal lengths, at least one reference per segment.
    public static func bleu(baseline: [String], candidate: [String], references: [[String]])
        -> PairedData
    {
        precondition(
            baseline.count == candidate.count && baseline.count == references.count,
            "PairedData.bleu: \(baseline.count) baseline, \(candidate.count) candidate, "
                + "\(references.count) reference segments")
        return .bleu(
            baseline: baseline.indices.map {
                BLEUStatistics(hypothesis: baseline[$0], references: references[$0])
            },
            candidate: candidate.indices.map {
                BLEUStatistics(hypothesis: candidate[$0], references: references[$0])
            })
    }

    /// Corpus chrF of two checkpoints' outputs on the same segments (see
    /// ``bleu(baseline:candidate:references:)``).
    public static func chrF(baseline: [String], candidate: [String], references: [[String]])
        -> PairedData
    {
        precondition(
            baseline.count == candidate.count && baseline.count == references.count,
            "PairedData.chrF: \(baseline.count) baseline, \(candidate.count) candidate, "
                + "\(references.count) reference segments")
        return .chrF(
            baseline: baseline.indices.map {
                CHRFStatistics(hypothesis: baseline[$0], references: references[$0])
            },
            candidate: candidate.indices.map {
                CHRFStatistics(hypothesis: candidate[$0], references: references[$0])
            })
    }
}
