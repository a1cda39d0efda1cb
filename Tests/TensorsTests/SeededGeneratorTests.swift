import Tensors
import TestSupport
import Testing

@Suite struct SeededGeneratorTests {
    @Test func firstOutputsMatchTheReferenceAlgorithm() {
        // xoshiro256** seeded by four SplitMix64 outputs of 42, computed independently in Python
        // from Vigna's reference C code.
        var rng = SeededGenerator(seed: 42)
        #expect(rng.next() == 0x1578_0b2e_0c2e_c716)
        #expect(rng.next() == 0x6104_d986_6d11_3a7e)
        #expect(rng.next() == 0xae17_5332_39e4_99a1)
    }

    @Test func savedStateResumesTheSameStream() {
        var a = SeededGenerator(seed: 5)
        _ = a.next()
        var b = SeededGenerator(stateWords: a.stateWords)
        #expect((0..<10).map { _ in a.next() } == (0..<10).map { _ in b.next() })
    }

    @Test func uniformAndNormalHaveTheirMoments() {
        var rng = SeededGenerator(seed: 1)
        let n = 200_000
        var sum = 0.0
        var lo: Float = 1
        var hi: Float = 0
        for _ in 0..<n {
            let u = rng.nextUniform()
            sum += Double(u)
            lo = min(lo, u)
            hi = max(hi, u)
        }
        #expect(lo >= 0 && hi < 1)
        expectClose(sum / Double(n), 0.5, atol: 0.005)
        let normal = Tensor(normalWithStandardDeviation: 2, shape: [n], using: &rng)
        let mean = normal.scalars.reduce(0.0) { $0 + Double($1) } / Double(n)
        let variance = normal.sumOfSquares / Double(n) - mean * mean
        expectClose(mean, 0, atol: 0.02)
        expectClose(variance.squareRoot(), 2, atol: 0.02)
    }
}
