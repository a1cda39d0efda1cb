import Checkpoints
import Tensors

/// Parameters by name, LoRA adapters (create, attach, merge) and what to save.
extension DecoderModel {
    /// Visits the seven projections of layer `l` with their external names.
    mutating func withProjections(
        layer l: Int, _ body: (CheckpointNaming.Projection, inout LoRALinear) throws -> Void
    ) rethrows {
        try body(.q, &layers[l].attention.query)
        try body(.k, &layers[l].attention.key)
        try body(.v, &layers[l].attention.value)
        try body(.o, &layers[l].attention.output)
        try body(.gate, &layers[l].mlp.gate)
        try body(.up, &layers[l].mlp.up)
        try body(.down, &layers[l].mlp.down)
    }

    func projections(layer l: Int) -> [(CheckpointNaming.Projection, LoRALinear)] {
        let layer = layers[l]
        return [
            (.q, layer.attention.query), (.k, layer.attention.key),
            (.v, layer.attention.value), (.o, layer.attention.output), (.gate, layer.mlp.gate),
            (.up, layer.mlp.up), (.down, layer.mlp.down),
        ]
    }

    /// Every base weight by its Hugging Face name (`lm_head.weight` only when untied): what a
    /// full fine-tune saves as `model.safetensors`. Adapters are not included (merge first).
    public func namedWeights() -> [(name: String, value: Tensor)] {
        var out: [(String, Tensor)] = [(CheckpointNaming.embedTokens, embedding.table)]
        for l in layers.indices {
            out.append((CheckpointNaming.inputLayerNorm(layer: l), layers[l].inputNorm.weight))
            for (p, projection) in projections(layer: l) {
                out.append((CheckpointNaming.projectionWeight(layer: l, p), projection.weight))
                if let bias = projection.bias {
                    out.append((CheckpointNaming.projectionBias(layer: l, p), bias))
                }
            }
            out.append(
                (
                    CheckpointNaming.postAttentionLayerNorm(layer: l),
                    layers[l].postAttentionNorm.weight
                ))
        }
        out.append((CheckpointNaming.finalNorm, finalNorm.weight))
        if let lmHead { out.append((CheckpointNaming.lmHead, lmHead)) }
        return out
    }

    /// Every adapter tensor by its PEFT key (`base_model.model.….lora_A.weight`): what a LoRA
    /// fine-tune saves as `adapter_model.safetensors`.
    public func namedAdapterTensors() -> [(name: String, value: Tensor)] {
        var out: [(String, Tensor)] = []
        for l in layers.indices {
            for (p, projection) in projections(layer: l) {
                guard let adapter = projection.adapter else { continue }
                out.append((CheckpointNaming.loraKey(layer: l, p, .a), adapter.a))
                out.append((CheckpointNaming.loraKey(layer: l, p, .b), adapter.b))
            }
        }
        return out
    }

    /// The trainable tensors by name, in the same order as `Gradients.named`.
    public func trainableTensors(_ trainable: TrainableParameters) -> [(
        name: String, value: Tensor
    )] {
        switch trainable {
        case .baseWeights:
            // Same order as Gradients.named: embedding, per layer (input norm, projections with
            // biases, post norm), final norm, head.
            return namedWeights()
        case .adapters:
            return namedAdapterTensors()
        }
    }

    /// Lets `body` update each trainable tensor in place (an optimiser step), in the order of
    /// `trainableTensors` / `Gradients.named`.
    /// - Precondition: `body` keeps every shape.
    public mutating func updateTrainable(
        _ trainable: TrainableParameters, _ body: (String, inout Tensor) -> Void
    ) {
        func visit(_ name: String, _ tensor: inout Tensor) {
            let shape = tensor.shape
            body(name, &tensor)
            precondition(
                tensor.shape == shape,
                "DecoderModel.updateTrainable: \(name) changed shape \(shape) → \(tensor.shape)")
        }
        switch trainable {
        case .baseWeights:
            visit(CheckpointNaming.embedTokens, &embedding.table)
            for l in layers.indices {
                visit(CheckpointNaming.inputLayerNorm(layer: l), &layers[l].inputNorm.weight)
                withProjections(layer: l) { p, projection in
                    visit(CheckpointNaming.projectionWeight(layer: l, p), &projection.weight)
                    if projection.bias != nil {
                        visit(CheckpointNaming.projectionBias(layer: l, p), &projection.bias!)
                    }
                }
                visit(
                    CheckpointNaming.postAttentionLayerNorm(layer: l),
                    &layers[l].postAttentionNorm.weight)
            }
            visit(CheckpointNaming.finalNorm, &finalNorm.weight)
            if lmHead != nil { visit(CheckpointNaming.lmHead, &lmHead!) }
        case .adapters:
            for l in layers.indices {
                withProjections(layer: l) { p, projection in
                    guard projection.adapter != nil else { return }
                    visit(CheckpointNaming.loraKey(layer: l, p, .a), &projection.adapter!.a)
                    visit(CheckpointNaming.loraKey(layer: l, p, .b), &projection.adapter!.b)
                }
            }
        }
    }

    /// Whether any projection carries an adapter.
    public var hasAdapters: Bool {
        layers.indices.contains { l in projections(layer: l).contains { $0.1.adapter != nil } }
    }

    /// Adds fresh adapters as peft creates them (A kaiming-uniform(a = sqrt(5)), B zero) to the
    /// projections `lora` targets, replacing any existing adapters; the model's outputs do not
    /// change. A is drawn layer by layer, projections in the order q k v o gate up down.
    /// - Precondition: `lora.initialization` is `.kaimingUniform` (peft's default).
    public mutating func attachNewAdapters(
        _ lora: LoRAAdapterConfiguration, using generator: inout SeededGenerator
    ) {
        precondition(
            lora.initialization == .kaimingUniform,
            "DecoderModel.attachNewAdapters: only init_lora_weights = true is implemented")
        for l in layers.indices {
            withProjections(layer: l) { p, projection in
                guard lora.targets(layer: l, p) else {
                    projection.adapter = nil
                    return
                }
                projection.adapter = LoRALinear.Adapter(
                    inFeatures: projection.inFeatures, outFeatures: projection.outFeatures,
                    rank: lora.rank, alpha: Float(lora.alpha), dropout: Float(lora.dropout),
                    using: &generator)
            }
        }
    }

    /// Attaches adapter factors keyed by the base weight they adapt
    /// (`model.layers.0.self_attn.q_proj.weight`), as `AdapterFolder.loadWeights` returns them;
    /// projections not listed carry no adapter afterwards.
    /// - Parameters:
    ///   - scaling: `alpha / r`.
    ///   - dropout: training dropout on the adapter input.
    ///   - source: names the adapter in errors.
    /// - Throws: `TransformerError.invalidAdapter` when a key names no projection of this model
    ///   or a factor does not fit its weight.
    public mutating func attachAdapters(
        _ weights: [String: LoRAWeights], scaling: Float, dropout: Float = 0,
        source: String = "adapter"
    ) throws {
        var model = self
        var used = Set<String>()
        for l in layers.indices {
            try model.withProjections(layer: l) { p, projection in
                let name = CheckpointNaming.projectionWeight(layer: l, p)
                guard let pair = weights[name] else {
                    projection.adapter = nil
                    return
                }
                let wantA = [pair.rank, projection.inFeatures]
                let wantB = [projection.outFeatures, pair.rank]
                guard pair.a.shape == wantA, pair.b.shape == wantB else {
                    throw TransformerError.invalidAdapter(
                        source: source,
                        reason: "the factors of \(name) have shapes A \(pair.a.shape) and "
                            + "B \(pair.b.shape); this model needs \(wantA) and \(wantB)")
                }
                used.insert(name)
                projection.adapter = LoRALinear.Adapter(
                    a: pair.a, b: pair.b, scaling: scaling, dropout: dropout)
            }
        }
        if let extra = weights.keys.sorted().first(where: { !used.contains($0) }) {
            throw TransformerError.invalidAdapter(
                source: source,
                reason: "'\(extra)' is not a projection of this \(configuration.layerCount)-layer "
                    + "model")
        }
        self = model
    }

    /// The adapter factors keyed by base weight name, as `AdapterFolder.write` takes them.
    public func adapterWeights() -> [String: LoRAWeights] {
        var out: [String: LoRAWeights] = [:]
        for l in layers.indices {
            for (p, projection) in projections(layer: l) {
                guard let adapter = projection.adapter else { continue }
                out[CheckpointNaming.projectionWeight(layer: l, p)] = LoRAWeights(
                    a: adapter.a, b: adapter.b)
            }
        }
        return out
    }

    /// Removes every adapter.
    public mutating func detachAdapters() {
        for l in layers.indices { withProjections(layer: l) { _, p in p.adapter = nil } }
    }

    /// The model with every adapter folded into its weight, `W + (alpha/r)·B·A` (peft's
    /// `merge_and_unload`), and no adapters left.
    public func merged() -> DecoderModel {
        var model = self
        for l in layers.indices {
            model.withProjections(layer: l) { _, projection in projection = projection.merged() }
        }
        return model
    }
}
