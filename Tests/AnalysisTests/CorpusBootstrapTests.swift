import Analysis
import Foundation
import Metrics
import TestSupport
import Testing

struct CorpusVector: Decodable {
    struct BLEU: Decodable { var score: Double }
    struct CHRF: Decodable { var score: Double }
    var id: String
    var predictions: [String]
    var references: [String]
    var corpus_bleu: BLEU
    var corpus_chrf: CHRF
}

@Suite struct CorpusBootstrapTests {
    static func vectors() throws -> [CorpusVector] {
        try Fixtures.jsonLines(
            CorpusVector.self, at: Fixtures.shared("reference/metrics/corpus_vectors.jsonl"))
    }

    @Test func fullSampleScoresEqualSacreBLEUCorpusScores() throws {
        // Summing per-segment statistics and scoring once must give sacreBLEU's corpus_bleu and
        // corpus chrF for every shared corpus vector (the candidate side is the references
        // themselves, a perfect system).
        for vector in try Self.vectors() where vector.predictions.count == vector.references.count {
            let bleu = vector.predictions.indices.map {
                BLEUStatistics(
                    hypothesis: vector.predictions[$0], references: [vector.references[$0]])
            }
            let chrf = vector.predictions.indices.map {
                CHRFStatistics(
                    hypothesis: vector.predictions[$0], references: [vector.references[$0]])
            }
            let bleuResult = PairedBootstrap(resamples: 20).run(
                .bleu(baseline: bleu, candidate: bleu), key: vector.id)
            expectClose(
                bleuResult.baselineScore, vector.corpus_bleu.score, rtol: 1e-9, atol: 1e-9,
                "BLEU of \(vector.id)")
            let chrfResult = PairedBootstrap(resamples: 20).run(
                .chrF(baseline: chrf, candidate: chrf), key: vector.id)
            expectClose(
                chrfResult.baselineScore, vector.corpus_chrf.score, rtol: 1e-9, atol: 1e-9,
                "chrF of \(vector.id)")
            // Identical sides: every resampled difference is exactly 0.
            #expect(bleuResult.sortedDeltas.allSatisfy { $0 == 0 })
        }
    }

    @Test func resamplesRescoreTheSummedStatisticsNotTheMeanOfSentences() throws {
        let vector = try #require(try Self.vectors().first { $0.predictions.count >= 2 })
        let baseline = vector.predictions.indices.map {
            BLEUStatistics(hypothesis: vector.predictions[$0], references: [vector.references[$0]])
        }
        let perfect = vector.references.map { BLEUStatistics(hypothesis: $0, references: [$0]) }
        let result = PairedBootstrap(resamples: 500).run(
            .bleu(baseline: baseline, candidate: perfect), key: "perfect")
        // The perfect system scores 100 on every resample (BLEU of identical text: the float
        // 100.00000000000004), so each difference is 100 minus the baseline's corpus BLEU of
        // that resample, which lies in [0, 100].
        expectClose(result.candidateScore, 100, rtol: 1e-12)
        #expect(result.sortedDeltas.allSatisfy { $0 >= -1e-9 && $0 <= 100 + 1e-9 })
        expectClose(result.estimate, 100 - vector.corpus_bleu.score, rtol: 1e-9)
    }
}
