import TestSupport
import Testing

@testable import Probes

/// Generation metrics through `Metrics`, against sacreBLEU 2.6 values computed for these strings.
@Suite struct GenerationScoringTests {
    static func spec(_ metric: String, _ aggregation: String = "mean") -> ProbeMetricSpec {
        ProbeMetricSpec(metric: metric, aggregation: aggregation, higherIsBetter: true)
    }

    @Test func bleuIsSentenceLevelPerItemAndCorpusLevelPerTask() {
        // sacrebleu.sentence_bleu('the cat sat on the mat', ['the cat sat on a mat']).score
        let item = GenerationScoring.itemScores(
            prediction: "the cat sat on the mat", references: ["the cat sat on a mat"],
            metrics: [Self.spec("bleu", "bleu"), Self.spec("chrf", "chrf")])
        expectClose(item["bleu"]!, 53.7284965911771, rtol: 1e-9)
        // sacrebleu.corpus_bleu(['the cat sat on the mat', 'a dog'],
        //                       [['the cat sat on a mat', 'a dog ran']]).score
        let corpus = GenerationScoring.corpusScore(
            metric: "bleu", predictions: ["the cat sat on the mat", "a dog"],
            references: [["the cat sat on a mat"], ["a dog ran"]])
        expectClose(corpus, 49.27817047811719, rtol: 1e-9)
        // sacrebleu.corpus_chrf(['hi there'], [['hi there']]).score
        expectClose(
            GenerationScoring.corpusScore(
                metric: "chrf", predictions: ["hi there"], references: [["hi there"]]),
            100.0, rtol: 1e-12)
    }

    @Test func exactMatchOptionsFollowHuggingFaceEvaluate() {
        var spec = Self.spec("exact_match")
        let strict = GenerationScoring.itemScores(
            prediction: "Hello, World!", references: ["hello world"], metrics: [spec])
        #expect(strict["exact_match"] == 0)
        spec.ignoreCase = true
        spec.ignorePunctuation = true
        let loose = GenerationScoring.itemScores(
            prediction: "Hello, World!", references: ["hello world"], metrics: [spec])
        #expect(loose["exact_match"] == 1)
    }
}
