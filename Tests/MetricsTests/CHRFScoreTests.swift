import Metrics
import Testing

@Suite struct CHRFScoreTests {
    @Test(arguments: ReferenceVectors.sentences)
    func sentenceCHRFMatchesSacreBLEU(_ vector: ReferenceVectors.Sentence) {
        let statistics = CHRFStatistics(
            hypothesis: vector.prediction, references: [vector.reference])
        #expect(statistics.triples == vector.chrf.stats)
        #expect(CHRFScore(statistics: statistics).score == vector.chrf.score)
    }

    @Test(arguments: ReferenceVectors.corpora)
    func corpusCHRFMatchesSacreBLEU(_ vector: ReferenceVectors.Corpus) {
        let chrf = CHRFScore.corpus(
            hypotheses: vector.predictions, references: vector.references.map { [$0] })
        #expect(chrf.score == vector.corpus_chrf.score)
    }

    @Test func workedExample() {
        // "abc" vs "abd" after deleting whitespace: order 1 → 3, 3, 2; order 2 → 2, 2, 1;
        // order 3 → 1, 1, 0; orders 4–6 absent from the reference.
        let statistics = CHRFStatistics(hypothesis: "ab c", references: ["abd"])
        #expect(statistics.hypothesisCounts == [3, 2, 1, 0, 0, 0])
        #expect(statistics.referenceCounts == [3, 2, 1, 0, 0, 0])
        #expect(statistics.matchCounts == [2, 1, 0, 0, 0, 0])
        // P = R = (2/3 + 1/2 + 0) / 3; F2 = 5PR / (4P + R).
        #expect(CHRFScore(statistics: statistics).score == 38.888888888888886)
    }

    @Test func severalReferencesKeepTheBestSentenceScore() {
        let hypothesis = "the cat sat"
        let worse = "a dog ran"
        let better = "the cat sat down"
        let pooled = CHRFStatistics(hypothesis: hypothesis, references: [worse, better])
        #expect(pooled == CHRFStatistics(hypothesis: hypothesis, references: [better]))
        // Ties keep the first reference.
        let tie = CHRFStatistics(hypothesis: "ab", references: ["ab", " a b "])
        #expect(tie == CHRFStatistics(hypothesis: "ab", references: ["ab"]))
    }

    @Test func countsCodePointsNotGraphemes() {
        // A ZWJ family emoji is one Character but five code points.
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}"
        let statistics = CHRFStatistics(hypothesis: family, references: [family])
        #expect(statistics.referenceCounts[0] == 5)
        #expect(statistics.referenceCounts[4] == 1)
    }
}
