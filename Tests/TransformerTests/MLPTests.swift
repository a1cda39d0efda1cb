import Tensors
import TestSupport
import Testing
import Transformer

@Suite struct MLPTests {
    @Test func siluGateTimesUpOnAHand() {
        // C 1, F 1, all weights 1: out = silu(x)·x; x = 2 → 2·σ(2)·2 = 4·0.880797 = 3.523188.
        let one = Tensor(shape: [1, 1], scalars: [1])
        let mlp = MLP(
            gate: LoRALinear(weight: one), up: LoRALinear(weight: one),
            down: LoRALinear(weight: one))
        var none: SeededGenerator?
        let out = FloatBuffer(count: 1)
        _ = mlp.forward(LayerTest.buffer([2]).pointer, rows: 1, into: out.pointer, generator: &none)
        expectClose(out[0], 3.523_188_3, rtol: 1e-6, atol: 0)
    }

    @Test func backwardMatchesFiniteDifferences() {
        let rows = 5
        let c = 6
        let f = 10
        let gate = LayerTest.random(f * c, seed: 40)
        let up = LayerTest.random(f * c, seed: 41)
        let down = LayerTest.random(c * f, seed: 42)
        let h = LayerTest.random(rows * c, scale: 2, seed: 43)
        let probe = LayerTest.random(rows * c, seed: 44)
        func make(_ g: [Float], _ u: [Float], _ d: [Float]) -> MLP {
            MLP(
                gate: LoRALinear(weight: Tensor(shape: [f, c], scalars: g)),
                up: LoRALinear(weight: Tensor(shape: [f, c], scalars: u)),
                down: LoRALinear(weight: Tensor(shape: [c, f], scalars: d)))
        }
        func loss(_ h: [Float], _ g: [Float], _ u: [Float], _ d: [Float]) -> Double {
            var none: SeededGenerator?
            let out = FloatBuffer(count: rows * c)
            _ = make(g, u, d).forward(
                LayerTest.buffer(h).pointer, rows: rows, into: out.pointer,
                generator: &none)
            return LayerTest.probeLoss(out, probe)
        }
        let mlp = make(gate, up, down)
        var none: SeededGenerator?
        let input = LayerTest.buffer(h)
        let out = FloatBuffer(count: rows * c)
        let cache = mlp.forward(input.pointer, rows: rows, into: out.pointer, generator: &none)
        let dh = FloatBuffer(count: rows * c)
        var grads = mlp.zeroGradients(.baseWeights)
        mlp.backward(
            LayerTest.buffer(probe).pointer, input: input.pointer, rows: rows, cache: cache,
            dh: dh.pointer, gradients: &grads)
        gradientCheck(h, analytic: dh.array, samples: 24, "dh") { loss($0, gate, up, down) }
        gradientCheck(gate, analytic: grads.gate.weight!.scalars, "dGate") { loss(h, $0, up, down) }
        gradientCheck(up, analytic: grads.up.weight!.scalars, "dUp") { loss(h, gate, $0, down) }
        gradientCheck(down, analytic: grads.down.weight!.scalars, "dDown") { loss(h, gate, up, $0) }
    }
}
