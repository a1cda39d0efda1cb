import Tensors
import TestSupport
import Testing
import Transformer

@Suite struct AttentionTests {
    // B 2, T 5, C 8, H 4, KV 2, D 2... use D 4 so RoPE has two pairs: C = H·D = 16.
    let batch = 2
    let length = 5
    let c = 16
    let heads = 4
    let kvHeads = 2
    let d = 4

    func make(_ p: [String: [Float]]) -> Attention {
        func linear(_ name: String, _ out: Int, _ inF: Int, bias: Bool) -> LoRALinear {
            LoRALinear(
                weight: Tensor(shape: [out, inF], scalars: p[name]!),
                bias: bias ? Tensor(shape: [out], scalars: p[name + ".bias"]!) : nil)
        }
        return Attention(
            query: linear("q", heads * d, c, bias: true),
            key: linear("k", kvHeads * d, c, bias: true),
            value: linear("v", kvHeads * d, c, bias: true),
            output: linear("o", c, heads * d, bias: false),
            headCount: heads, kvHeads: kvHeads, headDim: d)
    }

    @Test func backwardMatchesFiniteDifferences() {
        var params: [String: [Float]] = [
            "q": LayerTest.random(heads * d * c, scale: 0.5, seed: 30),
            "k": LayerTest.random(kvHeads * d * c, scale: 0.5, seed: 31),
            "v": LayerTest.random(kvHeads * d * c, scale: 0.5, seed: 32),
            "o": LayerTest.random(c * heads * d, scale: 0.5, seed: 33),
        ]
        params["q.bias"] = LayerTest.random(heads * d, seed: 34)
        params["k.bias"] = LayerTest.random(kvHeads * d, seed: 35)
        params["v.bias"] = LayerTest.random(kvHeads * d, seed: 36)
        let n = batch * length
        let h = LayerTest.random(n * c, seed: 37)
        let probe = LayerTest.random(n * c, seed: 38)
        let rope = RoPE(headDim: d, theta: 10000, maxPositions: 8)
        func loss(_ h: [Float], _ p: [String: [Float]]) -> Double {
            var none: SeededGenerator?
            let out = FloatBuffer(count: n * c)
            _ = make(p).forward(
                LayerTest.buffer(h).pointer, batch: batch, length: length,
                into: out.pointer, rope: rope, generator: &none)
            return LayerTest.probeLoss(out, probe)
        }
        let layer = make(params)
        var none: SeededGenerator?
        let input = LayerTest.buffer(h)
        let out = FloatBuffer(count: n * c)
        let cache = layer.forward(
            input.pointer, batch: batch, length: length, into: out.pointer,
            rope: rope, generator: &none)
        // Causal softmax rows sum to one and are zero above the diagonal.
        let p = cache.probabilities.array
        for row in 0..<(batch * heads * length) {
            let r = row % length
            let values = p[(row * length)..<((row + 1) * length)]
            expectClose(values.reduce(0, +), 1, atol: 1e-6)
            #expect(values.dropFirst(r + 1).allSatisfy { $0 == 0 })
        }
        let dh = FloatBuffer(count: n * c)
        var grads = layer.zeroGradients(.baseWeights)
        layer.backward(
            LayerTest.buffer(probe).pointer, input: input.pointer, batch: batch,
            length: length, cache: cache, rope: rope, dh: dh.pointer, gradients: &grads)
        gradientCheck(h, analytic: dh.array, samples: 24, "dh") { loss($0, params) }
        let analytic: [String: [Float]] = [
            "q": grads.query.weight!.scalars, "k": grads.key.weight!.scalars,
            "v": grads.value.weight!.scalars, "o": grads.output.weight!.scalars,
            "q.bias": grads.query.bias!.scalars, "k.bias": grads.key.bias!.scalars,
            "v.bias": grads.value.bias!.scalars,
        ]
        for (name, g) in analytic.sorted(by: { $0.key < $1.key }) {
            gradientCheck(params[name]!, analytic: g, name) { value in
                var changed = params
                changed[name] = value
                return loss(h, changed)
            }
        }
    }
}
