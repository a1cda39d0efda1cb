import Analysis
import Foundation
import TestSupport
import Testing

@Suite struct PairedBootstrapTests {
    // Expected values come from an independent Python transcription of the documented algorithm
    // (SplitMix64 → xoshiro256**, FNV-1a stream keys, Lemire's bounded integers, NumPy's
    // default linear percentile); the script is in Benchmarks/analysis/bootstrap_reference.py.
    @Test func generatorMatchesTheReferenceStream() {
        var g = SeededGenerator(seed: 0)
        #expect(
            [g.next(), g.next(), g.next()]
                == [
                    11_091_344_671_253_066_420, 13_793_997_310_169_335_082,
                    1_900_383_378_846_508_768,
                ])
        var keyed = SeededGenerator(seed: 7, key: "sst2/acc", index: 3)
        #expect((0..<8).map { _ in keyed.index(below: 10) } == [3, 3, 7, 3, 2, 0, 4, 0])
    }

    @Test func meanDifferenceIntervalMatchesTheReference() {
        // diffs = candidate − baseline = [0, −1, 1, −1, 0, 0.5, −0.25]; B = 1200 (3 blocks), seed 42.
        // python Benchmarks/analysis/bootstrap_reference.py → percentile 2.5 % −0.6071428571428571,
        // 97.5 % 0.39285714285714285, 5 % −0.5357142857142857, sd (ddof=1) 0.25905284298821324
        let baseline = [1.0, 1.0, 0.0, 1.0, 0.0, 0.25, 0.5]
        let candidate = [1.0, 0.0, 1.0, 0.0, 0.0, 0.75, 0.25]
        let result = PairedBootstrap(resamples: 1200, seed: 42).run(
            .continuous(baseline: baseline, candidate: candidate), key: "t/m")
        let interval = result.interval(alpha: 0.05)
        expectClose(interval.lower, -0.6071428571428571, rtol: 1e-12)
        expectClose(interval.upper, 0.39285714285714285, rtol: 1e-12)
        expectClose(result.quantile(0.05), -0.5357142857142857, rtol: 1e-12)
        expectClose(result.standardError, 0.25905284298821324, rtol: 1e-9)
        // Full-sample estimate: (−1 + 1 − 1 + 0.5 − 0.25) / 7 = −0.75 / 7.
        expectClose(result.estimate, -0.75 / 7, rtol: 1e-12)
    }

    @Test func sameSeedSameResultDifferentSeedDifferent() {
        let data = PairedData.continuous(
            baseline: (0..<300).map { sin(Double($0)) },
            candidate: (0..<300).map { cos(Double($0)) })
        let a = PairedBootstrap(resamples: 2000, seed: 1).run(data, key: "x/y")
        let b = PairedBootstrap(resamples: 2000, seed: 1).run(data, key: "x/y")
        let c = PairedBootstrap(resamples: 2000, seed: 2).run(data, key: "x/y")
        #expect(a == b)
        #expect(a.sortedDeltas != c.sortedDeltas)
    }

    @Test func standardErrorApproachesTheAnalyticValue() {
        // Diffs alternate ±1 (mean 0, population sd 1), N = 400: the bootstrap SE of the mean is
        // sd/√N = 0.05; 10,000 resamples estimate it to about 1 %.
        let n = 400
        let baseline = Array(repeating: 0.0, count: n)
        let candidate = (0..<n).map { $0 % 2 == 0 ? 1.0 : -1.0 }
        let result = PairedBootstrap().run(
            .continuous(baseline: baseline, candidate: candidate), key: "se")
        expectClose(result.standardError, 0.05, rtol: 0.03)
    }

    @Test func perplexityIsRecomputedFromSummedLogLikelihoods() {
        // Two documents: L = −10 − 20 = −30 nats; tokens 5 + 10, words 4 + 6, bytes 20 + 30.
        let docs = [
            PerplexityDocument(logLikelihood: -10, tokenCount: 5, wordCount: 4, byteCount: 20),
            PerplexityDocument(logLikelihood: -20, tokenCount: 10, wordCount: 6, byteCount: 30),
        ]
        expectClose(PerplexityUnit.tokenPerplexity.score(docs), exp(2.0))  // exp(30/15)
        expectClose(PerplexityUnit.wordPerplexity.score(docs), exp(3.0))  // exp(30/10)
        expectClose(PerplexityUnit.bitsPerByte.score(docs), 30 / (50 * log(2.0)))
        // Not the mean of per-document perplexities: exp(10/4) and exp(20/6) average to 26.2, not e³.
        let worse = docs.map {
            PerplexityDocument(
                logLikelihood: $0.logLikelihood * 1.1, tokenCount: $0.tokenCount,
                wordCount: $0.wordCount, byteCount: $0.byteCount)
        }
        let result = PairedBootstrap(resamples: 500).run(
            .perplexity(baseline: docs, candidate: worse, unit: .wordPerplexity), key: "wiki")
        expectClose(result.baselineScore, exp(3.0))
        expectClose(result.candidateScore, exp(3.3))  // exp(33/10)
        // Every resample is made of these two documents, each with the same 10 % more nats per
        // word, so every resampled difference lies between the per-document ones.
        let low = exp(1.1 * 10 / 4) - exp(10.0 / 4)
        let high = exp(1.1 * 20 / 6) - exp(20.0 / 6)
        #expect(result.sortedDeltas.first! >= low - 1e-9)
        #expect(result.sortedDeltas.last! <= high + 1e-9)
    }

    @Test func corpusStatisticSumsBeforeScoring() {
        // Ratio of sums: items [matches, total] = [1, 4], [3, 4] → 4/8 = 0.5 (mean of ratios also
        // 0.5) vs [1, 1], [3, 9] → 4/10 = 0.4 (mean of ratios 2/3).
        let data = PairedData.corpus(
            baseline: [[1, 4], [3, 4]], candidate: [[1, 1], [3, 9]], statistic: .ratio)
        let result = PairedBootstrap(resamples: 100).run(data, key: "bleu-like")
        expectClose(result.baselineScore, 0.5)
        expectClose(result.candidateScore, 0.4)
        // A one-item corpus resamples to itself: every delta equals the estimate.
        let single = PairedBootstrap(resamples: 50).run(
            .corpus(baseline: [[1, 4]], candidate: [[3, 4]], statistic: .ratio), key: "one")
        #expect(single.sortedDeltas.allSatisfy { abs($0 - 0.5) < 1e-15 })
    }
}
