import Checkpoints
import Tensors
import TestSupport
import Testing
import Transformer

/// Finite-difference checks of the whole model's backward on a tiny random model (GQA, q/k/v
/// biases, tied embeddings, LoRA with dropout): complements the parity fixtures, which have no
/// biases and no dropout.
@Suite struct DecoderModelGradientTests {
    static let configuration = TransformerConfiguration(
        architecture: .qwen2, vocabSize: 11, hiddenSize: 8, intermediateSize: 12, layerCount: 2,
        headCount: 4, kvHeads: 2, rmsNormEps: 1e-5, maxPositionEmbeddings: 16,
        tieWordEmbeddings: true, qkvBias: true)
    let tokens = [[1, 5, 3, 9, 2, 7], [4, 4, 10, 0, 6, 8]]
    let labels = [[-100, -100, 3, 9, 2, 7], [-100, 4, 10, 0, 6, -100]]

    func randomModel() -> DecoderModel {
        var model = DecoderModel(randomWith: Self.configuration, seed: 3, initializerRange: 0.5)
        var rng = SeededGenerator(seed: 4)
        model.updateTrainable(.baseWeights) { name, tensor in
            // Biases and norm weights away from their 0/1 defaults, so their gradients matter.
            if name.hasSuffix(".bias") || name.contains("norm") {
                tensor = Tensor(
                    normalWithStandardDeviation: 0.3, mean: name.contains("norm") ? 1 : 0,
                    shape: tensor.shape, using: &rng)
            }
        }
        return model
    }

    @Test func fullFineTuneGradientsMatchFiniteDifferences() throws {
        let model = randomModel()
        var none: SeededGenerator?
        let (_, gradients) = try model.lossAndGradients(
            tokens, labels: labels, trainable: .baseWeights, generator: &none)
        let named = gradients.named
        #expect(named.map(\.name) == model.trainableTensors(.baseWeights).map(\.name))
        for (name, value) in model.trainableTensors(.baseWeights) {
            let g = named.first { $0.name == name }!.value
            gradientCheck(
                value.scalars, analytic: g.scalars, samples: 6, epsilon: 5e-3,
                rtol: 3e-2, atol: 3e-4, name
            ) { x in
                var changed = model
                changed.updateTrainable(.baseWeights) { n, t in
                    if n == name { t = Tensor(shape: t.shape, scalars: x) }
                }
                return try! changed.loss(tokens, labels: labels).mean
            }
        }
    }

    @Test func loraGradientsWithDropoutMatchFiniteDifferences() throws {
        var model = randomModel()
        var rng = SeededGenerator(seed: 8)
        let lora = LoRAAdapterConfiguration(
            rank: 2, alpha: 6, dropout: 0.2,
            targetModules: .names(["q_proj", "v_proj", "down_proj"]))
        model.attachNewAdapters(lora, using: &rng)
        // Make B non-zero so that A's gradient is not trivially zero.
        model.updateTrainable(.adapters) { name, tensor in
            if name.contains("lora_B") {
                tensor = Tensor(normalWithStandardDeviation: 0.5, shape: tensor.shape, using: &rng)
            }
        }
        func loss(_ m: DecoderModel) -> Double {
            var dropout: SeededGenerator? = SeededGenerator(seed: 77)
            return try! m.lossAndGradients(
                tokens, labels: labels, trainable: .adapters,
                generator: &dropout
            ).loss.mean
        }
        var dropout: SeededGenerator? = SeededGenerator(seed: 77)
        let (_, gradients) = try model.lossAndGradients(
            tokens, labels: labels, trainable: .adapters, generator: &dropout)
        #expect(gradients.named.count == 2 * 2 * 3)
        for (name, value) in model.trainableTensors(.adapters) {
            let g = gradients.named.first { $0.name == name }!.value
            gradientCheck(
                value.scalars, analytic: g.scalars, samples: 6, epsilon: 5e-3,
                rtol: 3e-2, atol: 3e-4, name
            ) { x in
                var changed = model
                changed.updateTrainable(.adapters) { n, t in
                    if n == name { t = Tensor(shape: t.shape, scalars: x) }
                }
                return loss(changed)
            }
        }
        // Saved adapters round-trip by base-weight name and merge back into the same logits.
        var reloaded = model
        reloaded.detachAdapters()
        try reloaded.attachAdapters(model.adapterWeights(), scaling: 3)
        expectClose(
            try reloaded.logits(tokens).scalars, try model.logits(tokens).scalars, rtol: 0, atol: 0)
        expectClose(
            try model.merged().logits(tokens).scalars, try model.logits(tokens).scalars,
            rtol: 0, atol: 1e-5)
    }

    @Test func batchLossEqualsTheSumOfItsSequencesAndPaddingIsNeutral() throws {
        let model = randomModel()
        let whole = try model.loss(tokens, labels: labels)
        let first = try model.loss([tokens[0]], labels: [labels[0]])
        let second = try model.loss(
            [Array(tokens[1].prefix(5))], labels: [Array(labels[1].prefix(5))])
        #expect(whole.tokenCount == 4 + 4)
        expectClose(whole.totalNats, first.totalNats + second.totalNats, rtol: 1e-5)
        // Ragged rows are padded on the right with ignored labels.
        let ragged = try model.loss(
            [tokens[0], Array(tokens[1].prefix(5))],
            labels: [labels[0], Array(labels[1].prefix(5))])
        expectClose(ragged.totalNats, whole.totalNats, rtol: 1e-5)
        #expect(throws: TransformerError.tokenOutOfRange(token: 11, vocabSize: 11)) {
            _ = try model.loss([[1, 11]], labels: [[1, 11]])
        }
    }
}
