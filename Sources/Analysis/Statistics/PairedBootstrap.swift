import Dispatch

/// The paired bootstrap for the difference of a task score between two checkpoints.
///
/// Each resample draws `N` item indices uniformly with replacement (the same indices for
/// baseline and candidate: the pairing is kept) and recomputes both task scores on them:
/// the mean for binary and continuous items, the corpus perplexity from summed log-likelihoods
/// and lengths, corpus BLEU/chrF from summed sufficient statistics. The distribution of
/// `candidate − baseline` over ``resamples`` resamples gives percentile intervals and tests.
///
/// Randomness: ``SeededGenerator`` (xoshiro256** seeded by SplitMix64). Resamples are drawn in
/// blocks of ``blockSize``; block `b` of the comparison named `key` uses the stream
/// `SeededGenerator(seed: seed, key: key, index: b)`. Blocks run on all cores, and because each
/// block's stream is fixed the result is identical for any thread count or task order.
///
/// ### References
/// B. Efron, R. Tibshirani, *An Introduction to the Bootstrap*, 1993 (percentile interval);
/// P. Koehn, *Statistical Significance Tests for Machine Translation Evaluation*, EMNLP 2004
/// (paired bootstrap over corpus BLEU).
public struct PairedBootstrap: Sendable {
    /// Number of resamples `B` (default 10,000).
    public var resamples: Int
    /// The seed of every stream (default 0).
    public var seed: UInt64
    /// Resamples per random stream and per unit of parallel work.
    public static let blockSize = 500

    /// Creates a bootstrap configuration.
    /// - Precondition: `resamples ≥ 1`.
    public init(resamples: Int = 10_000, seed: UInt64 = 0) {
        precondition(resamples >= 1, "PairedBootstrap: resamples must be >= 1, got \(resamples)")
        self.resamples = resamples
        self.seed = seed
    }

    /// Bootstraps the score difference of one comparison.
    /// - Parameters:
    ///   - data: Aligned per-item data, `N ≥ 1` items.
    ///   - key: A stable name of the comparison (e.g. `sst2/acc`) that selects its streams.
    /// - Returns: The full-sample scores and the sorted `B` resampled differences.
    /// - Precondition: `N ≥ 1`, both sides of equal shape.
    public func run(_ data: PairedData, key: String) -> BootstrapDistribution {
        data.checkShapes(task: key)
        let n = data.itemCount
        precondition(n >= 1, "PairedBootstrap(\(key)): needs at least one item")
        switch data {
        case .binary(let b, let c), .continuous(let b, let c):
            let diffs = zip(c, b).map { $0 - $1 }
            let deltas = resampleMeans(diffs, key: key)
            let baseline = b.reduce(0, +) / Double(n)
            let candidate = c.reduce(0, +) / Double(n)
            return BootstrapDistribution(
                baselineScore: baseline, candidateScore: candidate, sortedDeltas: deltas)
        case .perplexity(let b, let c, let unit):
            let flatB = b.flatMap { [$0.logLikelihood, unit.denominator($0)] }
            let flatC = c.flatMap { [$0.logLikelihood, unit.denominator($0)] }
            let score: @Sendable ([Double]) -> Double = {
                unit.score(logLikelihood: $0[0], denominator: $0[1])
            }
            return resampleCorpus(flatB, flatC, k: 2, score: score, key: key)
        case .corpus(let b, let c, let statistic):
            return resampleCorpus(
                b.flatMap { $0 }, c.flatMap { $0 }, k: statistic.statisticCount,
                score: statistic.score, key: key)
        }
    }

    /// Runs `body(block, range)` for every block of resamples, in parallel.
    private func forEachBlock(_ body: @Sendable (Int, Range<Int>) -> Void) {
        let blocks = (resamples + Self.blockSize - 1) / Self.blockSize
        DispatchQueue.concurrentPerform(iterations: blocks) { block in
            let start = block * Self.blockSize
            body(block, start..<min(resamples, start + Self.blockSize))
        }
    }

    private func resampleMeans(_ diffs: [Double], key: String) -> [Double] {
        let n = diffs.count
        let output = SharedBuffer(count: resamples)
        let seed = seed
        diffs.withUnsafeBufferPointer { d in
            let items = UnsafeSendable(d)
            forEachBlock { block, range in
                var rng = SeededGenerator(seed: seed, key: key, index: block)
                let d = items.value
                for r in range {
                    var sum = 0.0
                    for _ in 0..<n { sum += d[rng.index(below: n)] }
                    output.pointer[r] = sum / Double(n)
                }
            }
        }
        return output.sorted()
    }

    private func resampleCorpus(
        _ flatB: [Double], _ flatC: [Double], k: Int, score: @Sendable ([Double]) -> Double,
        key: String
    ) -> BootstrapDistribution {
        let n = flatB.count / k
        func totals(_ flat: [Double]) -> [Double] {
            var sums = Array(repeating: 0.0, count: k)
            for i in 0..<n { for s in 0..<k { sums[s] += flat[i * k + s] } }
            return sums
        }
        let baseline = score(totals(flatB))
        let candidate = score(totals(flatC))
        let output = SharedBuffer(count: resamples)
        let seed = seed
        // Both sides interleaved per item, `[N][2K]`, so one resampled index touches one
        // contiguous run of memory.
        var interleaved = [Double](repeating: 0, count: n * 2 * k)
        for i in 0..<n {
            for s in 0..<k {
                interleaved[i * 2 * k + s] = flatB[i * k + s]
                interleaved[i * 2 * k + k + s] = flatC[i * k + s]
            }
        }
        interleaved.withUnsafeBufferPointer { items in
            let shared = UnsafeSendable(items)
            forEachBlock { block, range in
                var rng = SeededGenerator(seed: seed, key: key, index: block)
                let data = shared.value.baseAddress!
                let width = 2 * k
                let sums = UnsafeMutablePointer<Double>.allocate(capacity: width)
                defer { sums.deallocate() }
                var sumB = [Double](repeating: 0, count: k)
                var sumC = [Double](repeating: 0, count: k)
                for r in range {
                    sums.initialize(repeating: 0, count: width)
                    for _ in 0..<n {
                        let row = data + rng.index(below: n) * width
                        for s in 0..<width { sums[s] += row[s] }
                    }
                    for s in 0..<k {
                        sumB[s] = sums[s]
                        sumC[s] = sums[k + s]
                    }
                    output.pointer[r] = score(sumC) - score(sumB)
                }
            }
        }
        return BootstrapDistribution(
            baselineScore: baseline, candidateScore: candidate, sortedDeltas: output.sorted())
    }
}

/// A fixed-size buffer that parallel blocks write disjoint ranges of.
private final class SharedBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Double>
    let count: Int
    init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: count)
        pointer.initialize(repeating: 0, count: count)
    }
    deinit { pointer.deallocate() }
    func sorted() -> [Double] {
        Array(UnsafeBufferPointer(start: pointer, count: count)).sorted()
    }
}

/// Read-only pointers shared with parallel blocks for the duration of one call.
private struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
