import Metrics
import TestSupport
import Testing

@Suite struct BLEUScoreTests {
    @Test(arguments: ReferenceVectors.sentences)
    func sentenceBLEUMatchesSacreBLEU(_ vector: ReferenceVectors.Sentence) {
        let bleu = BLEUScore.sentence(hypothesis: vector.prediction, references: [vector.reference])
        BLEUScoreTests.expectMatches(bleu, vector.sentence_bleu)
    }

    @Test(arguments: ReferenceVectors.corpora)
    func corpusBLEUMatchesSacreBLEU(_ vector: ReferenceVectors.Corpus) {
        let bleu = BLEUScore.corpus(
            hypotheses: vector.predictions, references: vector.references.map { [$0] })
        BLEUScoreTests.expectMatches(bleu, vector.corpus_bleu)
    }

    @Test func everyCorpusVectorIsLoaded() {
        #expect(ReferenceVectors.corpora.count == 32, "corpus_vectors.jsonl missing")
    }

    @Test func workedExample() {
        // matches [5, 3, 2, 1] of totals [6, 5, 4, 3]; no smoothing needed; bp 1.
        let bleu = BLEUScore.sentence(
            hypothesis: "the cat sat on the mat", references: ["the cat sat on a mat"])
        #expect(bleu.matches == [5, 3, 2, 1])
        #expect(bleu.totals == [6, 5, 4, 3])
        #expect(bleu.precisions == [83.33333333333333, 60.0, 50.0, 33.333333333333336])
        #expect(bleu.brevityPenalty == 1.0)
        expectClose(bleu.score, 53.7284965911771, rtol: 0, atol: 1e-9)
    }

    @Test func perfectMatchIsExpOfLog100() {
        let bleu = BLEUScore.sentence(
            hypothesis: "a b c d e", references: ["a b c d e"])
        expectClose(bleu.score, 100.00000000000004, rtol: 0, atol: 1e-9)
    }

    @Test func corpusIsScoreOfSummedStatistics() {
        // What a bootstrap resample does: sum per-segment statistics, score with effective
        // order off.
        let hypotheses = ["the cat sat on the mat", "a dog barked at night", "hello"]
        let references = [["the cat sat on a mat"], ["the dog barked all night"], ["hello there"]]
        let summed = BLEUStatistics.sum(
            zip(hypotheses, references).map { BLEUStatistics(hypothesis: $0, references: $1) })
        #expect(
            BLEUScore(statistics: summed, effectiveOrder: false)
                == BLEUScore.corpus(hypotheses: hypotheses, references: references))
        // Resampling the first segment twice equals a corpus holding it twice.
        let first = BLEUStatistics(hypothesis: hypotheses[0], references: references[0])
        #expect(
            BLEUScore(statistics: first + first, effectiveOrder: false)
                == BLEUScore.corpus(
                    hypotheses: [hypotheses[0], hypotheses[0]],
                    references: [references[0], references[0]]))
    }

    @Test func shortCorpusScoresZeroWithoutEffectiveOrder() {
        let bleu = BLEUScore.corpus(hypotheses: ["yes", "no"], references: [["yes"], ["no"]])
        #expect(bleu.score == 0)
        #expect(bleu.precisions == [100, 0, 0, 0])
    }

    @Test func severalReferencesUseMaxCountsAndClosestShorterLength() {
        // Hypothesis 4 tokens; references of 3 and 5 tokens are equally close: the shorter wins.
        let stats = BLEUStatistics(
            hypothesis: "a a b c", references: ["a b c", "a a x y z"])
        #expect(stats.referenceLength == 3)
        #expect(stats.hypothesisLength == 4)
        // Unigram "a": max count over references is 2; b, c from the first: 4 matches.
        #expect(stats.matches[0] == 4)
        // Bigrams: "a a" (second ref), "a b", "b c" (first ref).
        #expect(stats.matches[1] == 3)
    }

    static func expectMatches(
        _ bleu: BLEUScore, _ expected: ReferenceVectors.BLEU,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        // exp/log come from glibc as in CPython; allow 1e-9 for other libms.
        expectClose(
            bleu.score, expected.score, rtol: 0, atol: 1e-9, "score",
            sourceLocation: sourceLocation)
        expectClose(
            bleu.brevityPenalty, expected.bp, rtol: 0, atol: 1e-12, "bp",
            sourceLocation: sourceLocation)
        #expect(
            bleu.precisions == expected.precisions, "precisions", sourceLocation: sourceLocation)
        #expect(
            bleu.hypothesisLength == expected.sys_len, "sys_len", sourceLocation: sourceLocation)
        #expect(bleu.referenceLength == expected.ref_len, "ref_len", sourceLocation: sourceLocation)
        #expect(bleu.matches == expected.counts, "counts", sourceLocation: sourceLocation)
        #expect(bleu.totals == expected.totals, "totals", sourceLocation: sourceLocation)
    }
}
