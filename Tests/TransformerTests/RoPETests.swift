import Foundation
import Tensors
import TestSupport
import Testing
import Transformer

@Suite struct RoPETests {
    @Test func rotatesHalfSplitPairsByPositionTimesFrequency() {
        // D = 4, θ = 100: invFreq = [1, 1/10]. Position 2 rotates pair (d0, d2) by 2 rad and
        // pair (d1, d3) by 0.2 rad.
        let rope = RoPE(headDim: 4, theta: 100, maxPositions: 4)
        let x = LayerTest.buffer([1, 0, 0, 1])
        rope.apply(x.pointer, rows: 1, heads: 1) { _ in 2 }
        // (x0, x2) = (1, 0) → (cos 2, sin 2); (x1, x3) = (0, 1) → (−sin 0.2, cos 0.2).
        expectClose(x.array, [cos(2.0), -sin(0.2), sin(2.0), cos(0.2)], rtol: 0, atol: 1e-6)
    }

    @Test func inverseUndoesTheRotationAndPositionZeroIsIdentity() {
        let rope = RoPE(headDim: 8, theta: 10000, maxPositions: 16)
        let values = LayerTest.random(3 * 2 * 8, seed: 4)
        let x = LayerTest.buffer(values)
        rope.apply(x.pointer, rows: 3, heads: 2) { 5 + $0 }
        rope.apply(x.pointer, rows: 3, heads: 2, inverse: true) { 5 + $0 }
        expectClose(x.array, values, rtol: 0, atol: 1e-6)
        let y = LayerTest.buffer(values)
        rope.apply(y.pointer, rows: 3, heads: 2) { _ in 0 }
        #expect(y.array == values)
    }
}
