import Tensors
import TestSupport
import Testing
import Transformer

@Suite struct LoRALinearTests {
    let rows = 4
    let inF = 6
    let outF = 5
    let rank = 2

    func make(_ w: [Float], _ b: [Float], _ a: [Float], _ bb: [Float], dropout: Float = 0)
        -> LoRALinear
    {
        LoRALinear(
            weight: Tensor(shape: [outF, inF], scalars: w),
            bias: Tensor(shape: [outF], scalars: b),
            adapter: .init(
                a: Tensor(shape: [rank, inF], scalars: a),
                b: Tensor(shape: [outF, rank], scalars: bb),
                scaling: 1.5, dropout: dropout))
    }

    @Test(arguments: [Float(0), 0.3])
    func backwardMatchesFiniteDifferences(dropout: Float) {
        let x = LayerTest.random(rows * inF, seed: 10)
        let w = LayerTest.random(outF * inF, seed: 11)
        let b = LayerTest.random(outF, seed: 12)
        let a = LayerTest.random(rank * inF, seed: 13)
        let bb = LayerTest.random(outF * rank, seed: 14)
        let probe = LayerTest.random(rows * outF, seed: 15)
        // The same seed gives the same dropout mask on every evaluation.
        func loss(_ x: [Float], _ w: [Float], _ b: [Float], _ a: [Float], _ bb: [Float]) -> Double {
            let layer = make(w, b, a, bb, dropout: dropout)
            var rng: SeededGenerator? = SeededGenerator(seed: 99)
            let y = FloatBuffer(count: rows * outF)
            _ = layer.forward(
                LayerTest.buffer(x).pointer, rows: rows, into: y.pointer, generator: &rng)
            return LayerTest.probeLoss(y, probe)
        }
        let layer = make(w, b, a, bb, dropout: dropout)
        var rng: SeededGenerator? = SeededGenerator(seed: 99)
        let input = LayerTest.buffer(x)
        let y = FloatBuffer(count: rows * outF)
        let cache = layer.forward(input.pointer, rows: rows, into: y.pointer, generator: &rng)
        #expect((cache.dropoutMask != nil) == (dropout > 0))
        let dx = FloatBuffer(count: rows * inF)
        var full = layer.zeroGradients(.baseWeights)
        layer.backward(
            LayerTest.buffer(probe).pointer, input: input.pointer, rows: rows,
            cache: cache, dx: dx.pointer, accumulate: false, gradients: &full)
        var lora = layer.zeroGradients(.adapters)
        layer.backward(
            LayerTest.buffer(probe).pointer, input: input.pointer, rows: rows,
            cache: cache, dx: nil, accumulate: false, gradients: &lora)
        gradientCheck(x, analytic: dx.array, samples: 24, "dx") { loss($0, w, b, a, bb) }
        gradientCheck(w, analytic: full.weight!.scalars, "dW") { loss(x, $0, b, a, bb) }
        gradientCheck(b, analytic: full.bias!.scalars, "db") { loss(x, w, $0, a, bb) }
        gradientCheck(a, analytic: lora.a!.scalars, "dA") { loss(x, w, b, $0, bb) }
        gradientCheck(bb, analytic: lora.b!.scalars, "dB") { loss(x, w, b, a, $0) }
        #expect(full.a == nil && lora.weight == nil)
    }

    @Test func freshAdapterIsANoOpAndMergingKeepsTheOutput() {
        let w = LayerTest.tensor([outF, inF], seed: 20)
        var rng = SeededGenerator(seed: 1)
        let fresh = LoRALinear.Adapter(
            inFeatures: inF, outFeatures: outF, rank: rank, alpha: 16, dropout: 0, using: &rng)
        #expect(fresh.b.scalars.allSatisfy { $0 == 0 })
        #expect(fresh.scaling == 8)
        // kaiming_uniform(a=√5) on [r, in]: bound 1/sqrt(in).
        let bound = 1 / Float(inF).squareRoot()
        #expect(fresh.a.scalars.allSatisfy { abs($0) <= bound })
        #expect(fresh.a.scalars.contains { abs($0) > bound / 2 })
        let x = LayerTest.buffer(LayerTest.random(rows * inF, seed: 21))
        var none: SeededGenerator?
        let plain = FloatBuffer(count: rows * outF)
        _ = LoRALinear(weight: w).forward(
            x.pointer, rows: rows, into: plain.pointer, generator: &none)
        let adapted = FloatBuffer(count: rows * outF)
        _ = LoRALinear(weight: w, adapter: fresh).forward(
            x.pointer, rows: rows, into: adapted.pointer, generator: &none)
        #expect(plain.array == adapted.array)
        // A trained adapter: merged and unmerged agree.
        let trained = make(
            w.scalars, [Float](repeating: 0.1, count: outF),
            LayerTest.random(rank * inF, seed: 22), LayerTest.random(outF * rank, seed: 23))
        let unmerged = FloatBuffer(count: rows * outF)
        _ = trained.forward(x.pointer, rows: rows, into: unmerged.pointer, generator: &none)
        let merged = FloatBuffer(count: rows * outF)
        _ = trained.merged().forward(x.pointer, rows: rows, into: merged.pointer, generator: &none)
        #expect(trained.merged().adapter == nil)
        expectClose(merged.array, unmerged.array, rtol: 1e-5, atol: 1e-6)
    }

    @Test func dropoutZeroesAboutPOfTheAdapterInputAndScalesTheRest() {
        let big = 200
        let layer = LoRALinear(
            weight: Tensor(shape: [outF, inF]),
            adapter: .init(
                a: LayerTest.tensor([rank, inF], seed: 1),
                b: LayerTest.tensor([outF, rank], seed: 2),
                scaling: 1, dropout: 0.25))
        var rng: SeededGenerator? = SeededGenerator(seed: 5)
        let x = LayerTest.buffer([Float](repeating: 1, count: big * inF))
        let y = FloatBuffer(count: big * outF)
        let cache = layer.forward(x.pointer, rows: big, into: y.pointer, generator: &rng)
        let mask = cache.dropoutMask!.array
        let zeros = mask.filter { $0 == 0 }.count
        expectClose(Double(zeros) / Double(mask.count), 0.25, atol: 0.03)
        #expect(mask.allSatisfy { $0 == 0 || abs($0 - 4.0 / 3.0) < 1e-6 })
        // Without a generator (evaluation) there is no dropout.
        var none: SeededGenerator?
        #expect(
            layer.forward(x.pointer, rows: big, into: y.pointer, generator: &none).dropoutMask
                == nil)
    }
}
