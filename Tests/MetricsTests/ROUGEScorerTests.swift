import Metrics
import Testing

@Suite struct ROUGEScorerTests {
    @Test func everySentenceVectorIsLoaded() {
        #expect(ReferenceVectors.sentences.count == 344, "sentence_vectors.jsonl missing")
    }

    @Test(arguments: ReferenceVectors.sentences)
    func matchesRougeScoreWithoutStemmer(_ vector: ReferenceVectors.Sentence) {
        let scores = ROUGEScorer(useStemmer: false).score(
            prediction: vector.prediction, reference: vector.reference)
        expectEqual(scores, vector.rouge_use_stemmer_false)
    }

    @Test(arguments: ReferenceVectors.sentences)
    func matchesRougeScoreWithStemmer(_ vector: ReferenceVectors.Sentence) {
        let scores = ROUGEScorer(useStemmer: true).score(
            prediction: vector.prediction, reference: vector.reference)
        expectEqual(scores, vector.rouge_use_stemmer_true)
    }

    @Test(arguments: ReferenceVectors.sentences)
    func tokenizerMatchesRougeScore(_ vector: ReferenceVectors.Sentence) {
        let plain = ROUGETokenizer(useStemmer: false)
        let stemmed = ROUGETokenizer(useStemmer: true)
        #expect(plain.tokenize(vector.prediction) == vector.debug.rouge_tokens.prediction)
        #expect(plain.tokenize(vector.reference) == vector.debug.rouge_tokens.reference)
        #expect(stemmed.tokenize(vector.prediction) == vector.debug.rouge_tokens_stemmed.prediction)
        #expect(stemmed.tokenize(vector.reference) == vector.debug.rouge_tokens_stemmed.reference)
    }

    @Test func workedExample() {
        // rouge1: 3 shared unigrams; P 3/3, R 3/6, F (2·1·0.5)/1.5.
        // rouge2: "the cat", "cat sat"; P 2/2, R 2/5. rougeL: LCS 3, same as rouge1.
        let scores = ROUGEScorer(useStemmer: false).score(
            prediction: "the cat sat", reference: "the cat sat on the mat")
        #expect(
            scores.rouge1 == ROUGEScore(precision: 1, recall: 0.5, fmeasure: 0.6666666666666666))
        #expect(
            scores.rouge2 == ROUGEScore(precision: 1, recall: 0.4, fmeasure: 0.5714285714285715))
        #expect(scores.rougeL == scores.rouge1)
        #expect(scores.rougeLsum == scores.rouge1)
    }

    @Test func tokenizerWorkedExample() {
        let text = "The \u{130}stanbul caf\u{E9}s were 1990s-era!"
        #expect(
            ROUGETokenizer(useStemmer: false).tokenize(text)
                == ["the", "i", "stanbul", "caf", "s", "were", "1990s", "era"])
        #expect(
            ROUGETokenizer(useStemmer: true).tokenize(text)
                == ["the", "i", "stanbul", "caf", "s", "were", "1990", "era"])
    }

    @Test func multipleReferencesKeepTheBestFPerType() {
        let scorer = ROUGEScorer(useStemmer: false)
        let prediction = "the cat sat on the mat"
        let a = "a cat sat on a mat"  // better unigram overlap
        let b = "the cat sat"  // better bigram precision, worse recall
        let single = [a, b].map { scorer.score(prediction: prediction, reference: $0) }
        let multi = scorer.score(prediction: prediction, references: [a, b])
        for k in 0..<4 {
            let best = max(single[0].named[k].score.fmeasure, single[1].named[k].score.fmeasure)
            #expect(multi.named[k].score.fmeasure == best)
            let expected =
                single[0].named[k].score.fmeasure >= single[1].named[k].score.fmeasure
                ? single[0].named[k].score : single[1].named[k].score
            #expect(multi.named[k].score == expected)
        }
    }

    @Test func meanIsLeftToRightSumOverCount() {
        let scores = [
            ROUGEScores(
                rouge1: ROUGEScore(precision: 0.1, recall: 0.2), rouge2: .zero, rougeL: .zero,
                rougeLsum: .zero),
            ROUGEScores(
                rouge1: ROUGEScore(precision: 0.2, recall: 0.4), rouge2: .zero, rougeL: .zero,
                rougeLsum: .zero),
            ROUGEScores(
                rouge1: ROUGEScore(precision: 0.3, recall: 0.6), rouge2: .zero, rougeL: .zero,
                rougeLsum: .zero),
        ]
        let mean = ROUGEScores.mean(scores)
        #expect(mean.rouge1.precision == (0.1 + 0.2 + 0.3) / 3)
        #expect(mean.rouge1.recall == (0.2 + 0.4 + 0.6) / 3)
    }

    private func expectEqual(
        _ actual: ROUGEScores, _ expected: ReferenceVectors.ROUGE,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for ((name, score), (_, reference)) in zip(actual.named, expected.named) {
            #expect(
                score.precision == reference.precision, "\(name) precision",
                sourceLocation: sourceLocation)
            #expect(
                score.recall == reference.recall, "\(name) recall", sourceLocation: sourceLocation)
            #expect(
                score.fmeasure == reference.fmeasure, "\(name) fmeasure",
                sourceLocation: sourceLocation)
        }
    }
}
