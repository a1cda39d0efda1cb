import Metrics
import Testing

/// Several references per pair, against values from rouge-score's `score_multi` and sacreBLEU
/// called with lists of references.
@Suite struct MultiReferenceTests {
    @Test func fixtureIsLoaded() {
        #expect(MultiReferenceVectors.pairs.count == 48, "Fixtures/Metrics/multi_reference.jsonl")
        #expect(MultiReferenceVectors.corpus != nil)
    }

    @Test(arguments: MultiReferenceVectors.pairs)
    func everyMetricMatchesTheReferencePackages(_ vector: MultiReferenceVectors.Pair) {
        for (useStemmer, expected) in [
            (false, vector.rouge_use_stemmer_false), (true, vector.rouge_use_stemmer_true),
        ] {
            let rouge = ROUGEScorer(useStemmer: useStemmer).score(
                prediction: vector.prediction, references: vector.references)
            for ((name, score), (_, reference)) in zip(rouge.named, expected.named) {
                #expect(score.precision == reference.precision, "\(name) precision")
                #expect(score.recall == reference.recall, "\(name) recall")
                #expect(score.fmeasure == reference.fmeasure, "\(name) fmeasure")
            }
        }
        BLEUScoreTests.expectMatches(
            BLEUScore.sentence(hypothesis: vector.prediction, references: vector.references),
            vector.sentence_bleu)
        #expect(
            CHRFScore.sentence(hypothesis: vector.prediction, references: vector.references).score
                == vector.chrf.score)
        #expect(
            ExactMatch.score(prediction: vector.prediction, references: vector.references)
                == vector.exact_match)
    }

    @Test func corpusScoresMatchWithTwoReferenceStreams() throws {
        let corpus = try #require(MultiReferenceVectors.corpus)
        let pairs = MultiReferenceVectors.pairs
        BLEUScoreTests.expectMatches(
            BLEUScore.corpus(
                hypotheses: pairs.map(\.prediction), references: pairs.map(\.references)),
            corpus.corpus_bleu)
        #expect(
            CHRFScore.corpus(
                hypotheses: pairs.map(\.prediction), references: pairs.map(\.references)
            )
            .score == corpus.corpus_chrf.score)
    }
}
