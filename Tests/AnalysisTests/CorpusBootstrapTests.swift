import Analysis
import Foundation
import TestSupport
import Testing

struct CorpusVector: Decodable {
    struct Score: Decodable { var score: Double }
    var id: String
    var predictions: [String]
    var references: [String]
    var corpus_bleu: Score
    var corpus_chrf: Score
}

@Suite struct CorpusBootstrapTests {
    static func vectors() throws -> [CorpusVector] {
        try Fixtures.jsonLines(
            CorpusVector.self, at: Fixtures.shared("reference/metrics/corpus_vectors.jsonl")
        ).filter { $0.predictions.count == $0.references.count }
    }

    @Test func fullSampleScoresEqualSacreBLEUCorpusScores() throws {
        // Summing per-segment statistics and scoring once must give sacreBLEU's corpus_bleu and
        // corpus chrF for every shared corpus vector (../shared/reference/metrics).
        let vectors = try Self.vectors()
        #expect(vectors.count >= 10)
        for vector in vectors {
            let references = vector.references.map { [$0] }
            let bleu = PairedBootstrap(resamples: 20).run(
                .bleu(
                    baseline: vector.predictions, candidate: vector.predictions,
                    references: references),
                key: vector.id)
            expectClose(
                bleu.baselineScore, vector.corpus_bleu.score, rtol: 1e-9, atol: 1e-9,
                "BLEU of \(vector.id)")
            let chrf = PairedBootstrap(resamples: 20).run(
                .chrF(
                    baseline: vector.predictions, candidate: vector.predictions,
                    references: references),
                key: vector.id)
            expectClose(
                chrf.baselineScore, vector.corpus_chrf.score, rtol: 1e-9, atol: 1e-9,
                "chrF of \(vector.id)")
            // Identical sides: every resampled difference is exactly 0.
            #expect(bleu.sortedDeltas.allSatisfy { $0 == 0 })
        }
    }

    @Test func resamplesRescoreTheSummedStatisticsNotTheMeanOfSentences() throws {
        let vector = try #require(try Self.vectors().first { $0.predictions.count >= 2 })
        let references = vector.references.map { [$0] }
        let result = PairedBootstrap(resamples: 500).run(
            .bleu(
                baseline: vector.predictions, candidate: vector.references, references: references),
            key: "perfect")
        // The perfect system (its outputs are the references) scores 100 on every resample
        // (sacreBLEU's float 100.00000000000004), so each difference is 100 minus the baseline's
        // corpus BLEU of that resample, which lies in [0, 100].
        expectClose(result.candidateScore, 100, rtol: 1e-12)
        #expect(result.sortedDeltas.allSatisfy { $0 >= -1e-9 && $0 <= 100 + 1e-9 })
        expectClose(result.estimate, 100 - vector.corpus_bleu.score, rtol: 1e-9)
        // Not the mean of sentence BLEUs: the resamples spread (some segments are far from
        // perfect), but each one is a corpus score of summed statistics.
        #expect(result.sortedDeltas.first! < result.sortedDeltas.last!)
    }
}
