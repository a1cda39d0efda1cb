import Tensors
import TestSupport
import Testing

@Suite struct MatmulTests {
    /// Naive triple loop with double accumulation: the reference for every transpose case.
    func naive(_ a: [[Float]], _ b: [[Float]]) -> [Float] {
        var out: [Float] = []
        for i in a.indices {
            for j in b[0].indices {
                var s = 0.0
                for k in b.indices { s += Double(a[i][k]) * Double(b[k][j]) }
                out.append(Float(s))
            }
        }
        return out
    }

    func rows(_ t: Tensor) -> [[Float]] {
        (0..<t.shape[0]).map { Array(t.scalars[($0 * t.shape[1])..<(($0 + 1) * t.shape[1])]) }
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func matmulMatchesNaiveProduct(transposeA: Bool, transposeB: Bool) {
        var rng = SeededGenerator(seed: 7)
        let (m, k, n) = (5, 7, 3)
        let a = Tensor(uniformIn: 1, shape: transposeA ? [k, m] : [m, k], using: &rng)
        let b = Tensor(uniformIn: 1, shape: transposeB ? [n, k] : [k, n], using: &rng)
        let c = Tensor.matmul(a, b, transposeA: transposeA, transposeB: transposeB)
        #expect(c.shape == [m, n])
        let opA = transposeA ? a.transposed() : a
        let opB = transposeB ? b.transposed() : b
        expectClose(c.scalars, naive(rows(opA), rows(opB)), rtol: 1e-5, atol: 1e-6)
    }

    @Test func worksOnAHand() {
        // [[1, 2], [3, 4]] · [[5, 6], [7, 8]] = [[19, 22], [43, 50]]
        let a = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let b = Tensor(shape: [2, 2], scalars: [5, 6, 7, 8])
        #expect(Tensor.matmul(a, b).scalars == [19, 22, 43, 50])
        // a · bᵀ = [[17, 23], [39, 53]]
        #expect(Tensor.matmul(a, b, transposeB: true).scalars == [17, 23, 39, 53])
    }

    @Test func batchedMatmulEqualsPerSliceProducts() {
        var rng = SeededGenerator(seed: 9)
        let a = Tensor(uniformIn: 1, shape: [3, 4, 6], using: &rng)
        let b = Tensor(uniformIn: 1, shape: [3, 5, 6], using: &rng)
        let c = Tensor.batchedMatmul(a, b, transposeB: true)
        #expect(c.shape == [3, 4, 5])
        for i in 0..<3 {
            let ai = Tensor(shape: [4, 6], scalars: Array(a.scalars[(i * 24)..<((i + 1) * 24)]))
            let bi = Tensor(shape: [5, 6], scalars: Array(b.scalars[(i * 30)..<((i + 1) * 30)]))
            let ci = Tensor.matmul(ai, bi, transposeB: true)
            expectClose(Array(c.scalars[(i * 20)..<((i + 1) * 20)]), ci.scalars, rtol: 0, atol: 0)
        }
    }

    @Test func gemvMatchesGemm() {
        var rng = SeededGenerator(seed: 3)
        let w = Tensor(uniformIn: 1, shape: [6, 4], using: &rng)
        let x = Tensor(uniformIn: 1, shape: [1, 4], using: &rng)
        var y = [Float](repeating: 0, count: 6)
        w.scalars.withUnsafeBufferPointer { pw in
            x.scalars.withUnsafeBufferPointer { px in
                Matmul.gemv(
                    rows: 6, columns: 4, a: pw.baseAddress!, lda: 4,
                    x: px.baseAddress!, y: &y)
            }
        }
        expectClose(y, Tensor.matmul(x, w, transposeB: true).scalars, rtol: 1e-6, atol: 1e-6)
    }
}
