import Tensors
import TestSupport
import Testing
import Transformer

@Suite struct RMSNormTests {
    @Test func normalisesByTheRootMeanSquareThenScales() {
        // x = [3, 4]: mean(x²) = 12.5, r = 1/sqrt(12.5) = 0.28284; w = [1, 2] → [0.84853, 2.26274].
        let norm = RMSNorm(weight: Tensor(shape: [2], scalars: [1, 2]), eps: 0)
        let x = LayerTest.buffer([3, 4])
        let y = FloatBuffer(count: 2)
        _ = norm.forward(x.pointer, rows: 1, into: y.pointer)
        expectClose(y.array, [0.848_528_1, 2.262_741_7], rtol: 1e-6, atol: 0)
    }

    @Test func backwardMatchesFiniteDifferences() {
        let rows = 3
        let c = 8
        let x = LayerTest.random(rows * c, seed: 1)
        let w = LayerTest.random(c, seed: 2).map { 1 + $0 * 0.3 }
        let probe = LayerTest.random(rows * c, seed: 3)
        func loss(_ x: [Float], _ w: [Float]) -> Double {
            let norm = RMSNorm(weight: Tensor(shape: [c], scalars: w), eps: 1e-5)
            let input = LayerTest.buffer(x)
            let y = FloatBuffer(count: rows * c)
            _ = norm.forward(input.pointer, rows: rows, into: y.pointer)
            return LayerTest.probeLoss(y, probe)
        }
        let norm = RMSNorm(weight: Tensor(shape: [c], scalars: w), eps: 1e-5)
        let input = LayerTest.buffer(x)
        let y = FloatBuffer(count: rows * c)
        let cache = norm.forward(input.pointer, rows: rows, into: y.pointer)
        let dy = LayerTest.buffer(probe)
        let dx = FloatBuffer(count: rows * c)
        var grads: RMSNorm.Gradients? = RMSNorm.Gradients(weight: Tensor(shape: [c]))
        norm.backward(
            dy.pointer, input: input.pointer, rows: rows, cache: cache, dx: dx.pointer,
            accumulate: false, gradients: &grads)
        gradientCheck(x, analytic: dx.array, samples: 24, "dx") { loss($0, w) }
        gradientCheck(w, analytic: grads!.weight.scalars, samples: 8, "dWeight") { loss(x, $0) }
    }
}
