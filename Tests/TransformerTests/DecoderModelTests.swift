import Checkpoints
import Foundation
import Tensors
import TestSupport
import Testing
import Transformer

/// The whole model against `../shared/reference/parity` (README tolerances).
@Suite struct DecoderModelTests {
    @Test func baseLogitsLossAndLogProbabilitiesMatchTransformers() throws {
        let model = try ParityFixture.baseModel()
        let ids = try ParityFixture.inputIds()
        let expected = try ParityFixture.file("base_expected.safetensors")
        let logits = try model.logits(ids)
        #expect(logits.shape == [2, 32, 256])
        expectClose(
            logits.scalars, try expected.tensor(named: "logits").scalars, rtol: 0, atol: 1e-4)
        let loss = try model.loss(ids, labels: try ParityFixture.labels())
        #expect(loss.tokenCount == 48)
        expectClose(
            loss.mean, Double(try expected.tensor(named: "loss").scalars[0]), rtol: 0, atol: 1e-5)
        let logProbabilities = try model.tokenLogProbabilities(ids)
        expectClose(
            logProbabilities.flatMap { $0 },
            try expected.tensor(named: "token_logprobs").scalars, rtol: 0, atol: 1e-4)
    }

    @Test func ropeTablesMatchTransformersFloat32Recipe() throws {
        let model = try ParityFixture.baseModel()
        let expected = try ParityFixture.file("base_expected.safetensors")
        let (cos, sin) = model.rope.fullTables(positions: 32)
        expectClose(cos, try expected.tensor(named: "rope_cos").scalars, rtol: 0, atol: 1e-6)
        expectClose(sin, try expected.tensor(named: "rope_sin").scalars, rtol: 0, atol: 1e-6)
    }

    @Test func activationsMatchTransformers() throws {
        let model = try ParityFixture.baseModel()
        let ids = try ParityFixture.inputIds()
        let acts = try ParityFixture.file("base_activations.safetensors")
        var none: SeededGenerator?
        let cache = try model.forward(ids, generator: &none)
        func check(_ got: [Float], _ name: String, atol: Double = 1e-5) throws {
            expectClose(got, try acts.tensor(named: name).scalars, rtol: 0, atol: atol, "\(name)")
        }
        try check(cache.layers[0].input.array, "embed_out")
        try check(cache.layers[1].input.array, "layer0.out")
        try check(cache.finalInput.array, "layer1.out")
        try check(cache.hidden.array, "final_norm_out")
        let l0 = cache.layers[0]
        try check(l0.attentionInput.array, "layer0.input_layernorm_out")
        try check(l0.attention.context.array, "layer0.attn_context")
        try check(l0.mlpInput.array, "layer0.post_attention_layernorm_out")
        try check(l0.mlp.activation.array, "layer0.mlp_act")
        try check(l0.attention.probabilities.array, "layer0.attn_probs", atol: 1e-6)
        // q/k after RoPE are kept [B·T, H·D]; the fixture is [B, H, T, D].
        func headMajor(_ buffer: FloatBuffer, heads: Int) -> [Float] {
            var out: [Float] = []
            for b in 0..<2 {
                for h in 0..<heads {
                    for t in 0..<32 {
                        let row = (b * 32 + t) * heads * 16 + h * 16
                        out += (0..<16).map { buffer[row + $0] }
                    }
                }
            }
            return out
        }
        try check(headMajor(l0.attention.queries, heads: 4), "layer0.q_rope")
        try check(headMajor(l0.attention.keys, heads: 2), "layer0.k_rope")
        try check(l0.attention.values.array, "layer0.v_proj_out")
        // Projections before RoPE, recomputed from the cached attention input.
        var generator: SeededGenerator?
        for (name, linear) in [
            ("layer0.q_proj_out", model.layers[0].attention.query),
            ("layer0.k_proj_out", model.layers[0].attention.key),
        ] {
            let out = FloatBuffer(count: 64 * linear.outFeatures)
            _ = linear.forward(
                l0.attentionInput.pointer, rows: 64, into: out.pointer,
                generator: &generator)
            try check(out.array, name)
        }
        let oOut = FloatBuffer(count: 64 * 64)
        _ = model.layers[0].attention.output.forward(
            l0.attention.context.pointer, rows: 64, into: oOut.pointer, generator: &generator)
        try check(oOut.array, "layer0.o_proj_out")
        let mlpOut = FloatBuffer(count: 64 * 64)
        _ = model.layers[0].mlp.forward(
            l0.mlpInput.pointer, rows: 64, into: mlpOut.pointer,
            generator: &generator)
        try check(mlpOut.array, "layer0.mlp_out")
    }

    @Test func fullFineTuneGradientsMatchTransformers() throws {
        let model = try ParityFixture.baseModel()
        var none: SeededGenerator?
        let (loss, gradients) = try model.lossAndGradients(
            try ParityFixture.inputIds(), labels: try ParityFixture.labels(),
            trainable: .baseWeights, generator: &none)
        expectClose(loss.mean, 6.2871537, rtol: 0, atol: 1e-5)
        let expected = try ParityFixture.file("base_grads.safetensors")
        let named = gradients.dictionary
        #expect(Set(named.keys) == Set(expected.tensorNames))
        for name in expected.tensorNames {
            guard let got = named[name] else { continue }
            expectGradientClose(got, try expected.tensor(named: name), name)
        }
    }

    @Test func loraLogitsLossAndGradientsMatchPeft() throws {
        let model = try ParityFixture.loraModel()
        let ids = try ParityFixture.inputIds()
        let labels = try ParityFixture.labels()
        let expected = try ParityFixture.file("lora_expected.safetensors")
        expectClose(
            try model.logits(ids).scalars, try expected.tensor(named: "logits").scalars,
            rtol: 0, atol: 1e-4)
        expectClose(
            try model.tokenLogProbabilities(ids).flatMap { $0 },
            try expected.tensor(named: "token_logprobs").scalars, rtol: 0, atol: 1e-4)
        var none: SeededGenerator?
        let (loss, gradients) = try model.lossAndGradients(
            ids, labels: labels, trainable: .adapters, generator: &none)
        expectClose(
            loss.mean, Double(try expected.tensor(named: "loss").scalars[0]), rtol: 0, atol: 1e-5)
        let grads = try ParityFixture.file("lora_grads.safetensors")
        let named = gradients.dictionary
        #expect(Set(named.keys) == Set(grads.tensorNames))
        for name in grads.tensorNames {
            guard let got = named[name] else { continue }
            expectGradientClose(got, try grads.tensor(named: name), name)
        }
        // Trainable tensors and gradients line up by name and shape, in the same order.
        let params = model.trainableTensors(.adapters)
        #expect(params.map(\.name) == gradients.named.map(\.name))
        #expect(params.map(\.value.shape) == gradients.named.map(\.value.shape))
    }

    @Test func mergingMatchesPeftAndKeepsTheLogits() throws {
        let model = try ParityFixture.loraModel()
        let merged = model.merged()
        #expect(!merged.hasAdapters)
        let expected = try ParityFixture.file("lora_merged.safetensors")
        let weights = Dictionary(
            uniqueKeysWithValues: merged.namedWeights().map { ($0.name, $0.value) })
        for name in expected.tensorNames {
            expectClose(
                weights[name]?.scalars ?? [], try expected.tensor(named: name).scalars,
                rtol: 0, atol: 1e-6, "\(name)")
        }
        let ids = try ParityFixture.inputIds()
        expectClose(
            try merged.logits(ids).scalars, try model.logits(ids).scalars, rtol: 0, atol: 1e-4)
    }

    @Test func tiedVariantMatchesTransformers() throws {
        let model = try ParityFixture.tiedModel()
        #expect(model.lmHead == nil)
        let ids = try ParityFixture.inputIds()
        let expected = try ParityFixture.file("tied_expected.safetensors")
        expectClose(
            try model.logits(ids).scalars, try expected.tensor(named: "logits").scalars,
            rtol: 0, atol: 1e-4)
        var none: SeededGenerator?
        let (loss, gradients) = try model.lossAndGradients(
            ids, labels: try ParityFixture.labels(), trainable: .baseWeights, generator: &none)
        expectClose(
            loss.mean, Double(try expected.tensor(named: "loss").scalars[0]), rtol: 0, atol: 1e-5)
        let named = gradients.dictionary
        let gradNames = expected.tensorNames.filter { $0.hasPrefix("grad.") }
        #expect(Set(named.keys) == Set(gradNames.map { String($0.dropFirst(5)) }))
        for name in gradNames {
            let key = String(name.dropFirst(5))
            guard let got = named[key] else { continue }
            expectGradientClose(got, try expected.tensor(named: name), key)
        }
    }
}
