import Tensors
import Transformer

/// Everything that changes during a fine-tune: the model (with its trainable tensors), the
/// optimizer's moments, the step counter, the dropout generator and the data position. Saving
/// and restoring this value resumes a run exactly.
///
/// One optimizer step (``step(microBatches:learningRate:maxGradNorm:decayPolicy:)``):
/// 1. for each of the `K` micro-batches, the model's mean loss and gradients;
///    the gradients are weighted by `nᵢ / N` (scored tokens of the micro-batch over those of
///    the step), so the step minimises the mean over all `N` scored tokens of the step —
///    transformers' `num_items_in_batch` convention, not a mean of micro-batch means;
/// 2. a non-finite loss or gradient stops the run (``TrainingError/nonFiniteLoss(step:loss:)``,
///    ``TrainingError/nonFiniteGradient(step:tensor:)``) before any weight changes;
/// 3. the global gradient norm is measured and, when `maxGradNorm > 0`, clipped
///    (``GradientClipping``);
/// 4. ``AdamW`` updates every trainable tensor.
public struct TrainingState: Sendable {
    /// The model; its trainable tensors (`trainable`) change, the rest stay frozen.
    public var model: DecoderModel
    /// Adapter tensors (LoRA) or base weights (full fine-tune).
    public let trainable: TrainableParameters
    /// The optimizer with its moments and step count.
    public var optimizer: AdamW
    /// Completed optimizer steps.
    public var step: Int
    /// Micro-batches consumed from the batch stream.
    public var dataPosition: Int
    /// The LoRA dropout generator (unused without dropout).
    public var generator: SeededGenerator

    public init(
        model: DecoderModel, trainable: TrainableParameters, optimizer: AdamW, step: Int = 0,
        dataPosition: Int = 0, generator: SeededGenerator
    ) {
        self.model = model
        self.trainable = trainable
        self.optimizer = optimizer
        self.step = step
        self.dataPosition = dataPosition
        self.generator = generator
    }

    /// What one optimizer step measured.
    public struct StepOutcome: Sendable, Equatable {
        /// Mean loss over the step's scored tokens, nats per token (before the update).
        public var loss: Double
        /// Global gradient norm before clipping.
        public var gradNorm: Double
        /// Scored tokens, and real tokens, of the step.
        public var scoredTokens: Int
        public var tokens: Int
    }

    /// Whether LoRA dropout is active (it draws from ``generator``).
    var usesDropout: Bool {
        trainable == .adapters && (model.loraDropout ?? 0) > 0
    }

    /// Performs one optimizer step on `microBatches` (see the type's description).
    /// - Parameters:
    ///   - microBatches: the `K ≥ 1` micro-batches of the step.
    ///   - learningRate: `lr` of the step.
    ///   - maxGradNorm: clipping threshold; nil or 0 disables clipping.
    ///   - decayPolicy: which tensors weight decay applies to.
    /// - Returns: the step's loss, gradient norm and token counts.
    /// - Throws: `TrainingError.nonFiniteLoss`/`.nonFiniteGradient` (the state is unchanged),
    ///   `TransformerError` for ids the model rejects.
    public mutating func step(
        microBatches: [TrainingBatch], learningRate: Double, maxGradNorm: Double?,
        decayPolicy: WeightDecayPolicy
    ) throws -> StepOutcome {
        precondition(!microBatches.isEmpty, "TrainingState.step: no micro-batch")
        let stepNumber = step + 1
        let scored = microBatches.reduce(0) { $0 + $1.scoredTokenCount }
        let tokens = microBatches.reduce(0) { $0 + $1.tokenCount }
        var generatorCopy: SeededGenerator? = usesDropout ? generator : nil
        var total: DecoderModel.Gradients?
        var nats = 0.0
        for batch in microBatches {
            let (loss, gradients) = try model.lossAndGradients(
                batch.tokens, labels: batch.labels, trainable: trainable,
                generator: &generatorCopy)
            nats += loss.totalNats
            guard loss.tokenCount > 0 else { continue }
            var weighted = gradients
            if microBatches.count > 1 { weighted.scale(by: Float(loss.tokenCount) / Float(scored)) }
            if total == nil { total = weighted } else { total!.add(weighted) }
        }
        let meanLoss = scored > 0 ? nats / Double(scored) : 0
        guard meanLoss.isFinite else {
            throw TrainingError.nonFiniteLoss(step: stepNumber, loss: Float(meanLoss))
        }
        guard var gradients = total else {
            throw TrainingError.invalidSettings(
                reason: "step \(stepNumber) has no scored token; check the labels of the data")
        }
        var named = gradients.named
        if let bad = named.first(where: { !$0.value.isFinite }) {
            throw TrainingError.nonFiniteGradient(step: stepNumber, tensor: bad.name)
        }
        let norm = gradients.sumOfSquares.squareRoot()
        if let maxGradNorm, maxGradNorm > 0 {
            let factor = GradientClipping.coefficient(norm: norm, maxNorm: maxGradNorm)
            if factor < 1 {
                named = []
                gradients.scale(by: Float(factor))
                named = gradients.named
            }
        }
        let byName = Dictionary(uniqueKeysWithValues: named.map { ($0.name, $0.value) })
        var optimizer = self.optimizer
        self.optimizer = AdamW(configuration: optimizer.configuration)
        optimizer.beginStep()
        model.updateTrainable(trainable) { name, tensor in
            guard let gradient = byName[name] else { return }
            optimizer.update(
                name, parameter: &tensor, gradient: gradient, learningRate: learningRate,
                applyWeightDecay: decayPolicy.decays(name, tensor))
        }
        self.optimizer = optimizer
        if let generatorCopy { generator = generatorCopy }
        step = stepNumber
        dataPosition += microBatches.count
        return StepOutcome(loss: meanLoss, gradNorm: norm, scoredTokens: scored, tokens: tokens)
    }
}

extension DecoderModel {
    /// The dropout of the first adapter found, if any.
    var loraDropout: Float? {
        for layer in layers {
            for projection in [
                layer.attention.query, layer.attention.key, layer.attention.value,
                layer.attention.output, layer.mlp.gate, layer.mlp.up, layer.mlp.down,
            ] {
                if let adapter = projection.adapter { return adapter.dropout }
            }
        }
        return nil
    }
}
