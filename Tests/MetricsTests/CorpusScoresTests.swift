import Metrics
import Testing

@Suite struct CorpusScoresTests {
    @Test(arguments: ReferenceVectors.corpora)
    func aggregatesMatchTheReference(_ vector: ReferenceVectors.Corpus) {
        let pairs = zip(vector.predictions, vector.references).map {
            PredictionPair(prediction: $0, reference: $1)
        }
        for (useStemmer, expected) in [
            (false, vector.rouge_mean.use_stemmer_false),
            (true, vector.rouge_mean.use_stemmer_true),
        ] {
            let examples = ExampleScores.scoring(
                pairs, metrics: Set(GenerationMetric.allCases), useStemmer: useStemmer)
            let corpus = CorpusScores(aggregating: examples)
            #expect(corpus.count == pairs.count)
            guard let rouge = corpus.rouge, let bleu = corpus.bleu, let chrf = corpus.chrf else {
                Issue.record("a metric is missing")
                return
            }
            for ((name, score), (_, reference)) in zip(rouge.named, expected.named) {
                #expect(score.precision == reference.precision, "\(name) precision")
                #expect(score.recall == reference.recall, "\(name) recall")
                #expect(score.fmeasure == reference.fmeasure, "\(name) fmeasure")
            }
            BLEUScoreTests.expectMatches(bleu, vector.corpus_bleu)
            #expect(chrf.score == vector.corpus_chrf.score)
            #expect(corpus.exactMatch == vector.exact_match_mean)
        }
    }

    @Test func parallelScoringEqualsSequentialScoring() {
        let pairs = ReferenceVectors.sentences.map {
            PredictionPair(prediction: $0.prediction, reference: $0.reference)
        }
        let metrics = Set(GenerationMetric.allCases)
        let parallel = ExampleScores.scoring(pairs, metrics: metrics, useStemmer: true)
        let sequential = pairs.map { ExampleScores(pair: $0, metrics: metrics, useStemmer: true) }
        #expect(parallel == sequential)
    }

    @Test func unselectedMetricsAreAbsent() {
        let example = ExampleScores(
            pair: PredictionPair(prediction: "a", reference: "a"), metrics: [.bleu],
            useStemmer: false)
        #expect(example.rouge == nil && example.chrf == nil && example.exactMatch == nil)
        let corpus = CorpusScores(aggregating: [example])
        #expect(corpus.bleu != nil && corpus.rouge == nil)
    }
}
