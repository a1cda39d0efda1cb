import Checkpoints
import Tensors

/// The backward pass: gradients of the mean next-token loss for a full fine-tune or LoRA.
extension DecoderModel {
    /// Gradients of the trainable parameters, shaped like the parameters.
    public struct Gradients: Sendable {
        /// Which parameters these are for.
        public var trainable: TrainableParameters
        /// Embedding table (includes the LM head's contribution when tied); full fine-tune only.
        public var embedding: Embedding.Gradients?
        public var layers: [DecoderLayer.Gradients]
        public var finalNorm: RMSNorm.Gradients?
        /// `lm_head.weight`; full fine-tune of an untied model only.
        public var lmHead: Tensor?
    }

    /// Zero gradients for `trainable`.
    public func zeroGradients(_ trainable: TrainableParameters) -> Gradients {
        let full = trainable == .baseWeights
        return Gradients(
            trainable: trainable,
            embedding: full
                ? Embedding.Gradients(table: Tensor(shape: embedding.table.shape)) : nil,
            layers: layers.map { $0.zeroGradients(trainable) },
            finalNorm: full
                ? RMSNorm.Gradients(weight: Tensor(shape: finalNorm.weight.shape)) : nil,
            lmHead: full && lmHead != nil ? Tensor(shape: lmHead!.shape) : nil)
    }

    /// Mean next-token loss of a batch and the gradients of the trainable parameters.
    ///
    /// The loss is `LlamaForCausalLM(labels=…)`'s: the mean over positions whose shifted label
    /// is not -100. Gradients are of that mean (so a batch of 48 scored tokens scales each
    /// token's contribution by 1/48).
    /// - Parameters:
    ///   - tokens: `[B][T]` ids.
    ///   - labels: `[B][T]` (Hugging Face convention, see `loss(_:labels:)`); rows of different
    ///     lengths are right-padded.
    ///   - trainable: `.baseWeights` (full fine-tune) or `.adapters` (LoRA; needs an adapter).
    ///   - generator: LoRA dropout randomness; nil disables dropout.
    /// - Returns: the loss summary and the gradients (zero when nothing is scored).
    /// - Throws: `TransformerError` for out-of-range ids or too long sequences.
    public func lossAndGradients(
        _ tokens: [[Int]], labels: [[Int]], trainable: TrainableParameters,
        generator: inout SeededGenerator?
    ) throws -> (loss: LossSummary, gradients: Gradients) {
        let (tokens, labels) = Self.padded(tokens, labels: labels)
        let cache = try forward(tokens, generator: &generator)
        let (rows, targets) = scoredRows(labels: labels, batch: cache.batch, length: cache.length)
        try validateTargets(targets)
        var gradients = zeroGradients(trainable)
        let n = cache.batch * cache.length
        let c = configuration.hiddenSize
        let dx = FloatBuffer(count: n * c)
        if rows.isEmpty { return (LossSummary(totalNats: 0, tokenCount: 0), gradients) }
        let dHidden = FloatBuffer(count: n * c)
        defer { withExtendedLifetime((dx, dHidden)) {} }
        var dOutput: Tensor? =
            trainable == .baseWeights ? Tensor(shape: [configuration.vocabSize, c]) : nil
        let losses = headLoss(
            hidden: cache.hidden, rows: rows, targets: targets,
            gradientScale: 1 / Float(rows.count), dHidden: dHidden, dOutputWeight: &dOutput)
        finalNorm.backward(
            dHidden.pointer, input: cache.finalInput.pointer, rows: n, cache: cache.finalNorm,
            dx: dx.pointer, accumulate: false, gradients: &gradients.finalNorm)
        for l in layers.indices.reversed() {
            layers[l].backward(
                dx.pointer, batch: cache.batch, length: cache.length, cache: cache.layers[l],
                rope: rope, gradients: &gradients.layers[l])
        }
        if trainable == .baseWeights {
            embedding.backward(dx.pointer, ids: cache.tokens, gradients: &gradients.embedding!)
            if lmHead != nil {
                gradients.lmHead = dOutput
            } else if let dOutput {
                gradients.embedding!.table.add(dOutput)
            }
        }
        let summary = LossSummary(
            totalNats: losses.reduce(0.0) { $0 + Double($1) }, tokenCount: rows.count)
        return (summary, gradients)
    }
}

extension DecoderModel.Gradients {
    /// The gradients by external name, in the order of `DecoderModel.trainableTensors`: Hugging
    /// Face weight names for a full fine-tune, PEFT adapter keys for LoRA.
    public var named: [(name: String, value: Tensor)] {
        var out: [(String, Tensor)] = []
        switch trainable {
        case .baseWeights:
            if let embedding { out.append((CheckpointNaming.embedTokens, embedding.table)) }
            for (l, layer) in layers.enumerated() {
                if let g = layer.inputNorm {
                    out.append((CheckpointNaming.inputLayerNorm(layer: l), g.weight))
                }
                for (p, g) in layer.projections {
                    if let w = g.weight {
                        out.append((CheckpointNaming.projectionWeight(layer: l, p), w))
                    }
                    if let b = g.bias {
                        out.append((CheckpointNaming.projectionBias(layer: l, p), b))
                    }
                }
                if let g = layer.postAttentionNorm {
                    out.append((CheckpointNaming.postAttentionLayerNorm(layer: l), g.weight))
                }
            }
            if let finalNorm { out.append((CheckpointNaming.finalNorm, finalNorm.weight)) }
            if let lmHead { out.append((CheckpointNaming.lmHead, lmHead)) }
        case .adapters:
            for (l, layer) in layers.enumerated() {
                for (p, g) in layer.projections {
                    if let a = g.a { out.append((CheckpointNaming.loraKey(layer: l, p, .a), a)) }
                    if let b = g.b { out.append((CheckpointNaming.loraKey(layer: l, p, .b), b)) }
                }
            }
        }
        return out
    }

    /// The gradients by name, as a dictionary.
    public var dictionary: [String: Tensor] {
        Dictionary(uniqueKeysWithValues: named.map { ($0.name, $0.value) })
    }

    /// `Σ g²` over every gradient element, in double (for clipping by global norm).
    public var sumOfSquares: Double { named.reduce(0) { $0 + $1.value.sumOfSquares } }

    /// Whether every gradient element is finite.
    public var isFinite: Bool { named.allSatisfy { $0.value.isFinite } }

    /// Multiplies every gradient by `factor` (clipping, accumulation averages).
    public mutating func scale(by factor: Float) {
        apply { $0.scale(by: factor) }
    }

    /// Adds another set of gradients of the same kind (gradient accumulation).
    /// - Precondition: same trainable set and shapes.
    public mutating func add(_ other: DecoderModel.Gradients) {
        precondition(
            trainable == other.trainable,
            "Gradients.add: \(trainable) and \(other.trainable) differ")
        var others = other.named.map(\.value).makeIterator()
        apply { $0.add(others.next()!) }
    }

    /// Calls `body` on every gradient tensor, in the order of `named`.
    mutating func apply(_ body: (inout Tensor) -> Void) {
        if embedding != nil { body(&embedding!.table) }
        for l in layers.indices {
            if layers[l].inputNorm != nil { body(&layers[l].inputNorm!.weight) }
            layers[l].applyToProjections(trainable, body)
            if layers[l].postAttentionNorm != nil { body(&layers[l].postAttentionNorm!.weight) }
        }
        if finalNorm != nil { body(&finalNorm!.weight) }
        if lmHead != nil { body(&lmHead!) }
    }
}

extension DecoderLayer.Gradients {
    /// The seven projections' gradients, in `CheckpointNaming.Projection` order.
    var projections: [(CheckpointNaming.Projection, LoRALinear.Gradients)] {
        [
            (.q, attention.query), (.k, attention.key), (.v, attention.value),
            (.o, attention.output), (.gate, mlp.gate), (.up, mlp.up), (.down, mlp.down),
        ]
    }

    mutating func applyToProjections(
        _ trainable: TrainableParameters, _ body: (inout Tensor) -> Void
    ) {
        func visit(_ g: inout LoRALinear.Gradients) {
            switch trainable {
            case .baseWeights:
                if g.weight != nil { body(&g.weight!) }
                if g.bias != nil { body(&g.bias!) }
            case .adapters:
                if g.a != nil { body(&g.a!) }
                if g.b != nil { body(&g.b!) }
            }
        }
        visit(&attention.query)
        visit(&attention.key)
        visit(&attention.value)
        visit(&attention.output)
        visit(&mlp.gate)
        visit(&mlp.up)
        visit(&mlp.down)
    }
}
