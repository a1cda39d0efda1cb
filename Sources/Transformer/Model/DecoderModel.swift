import Checkpoints
import Tensors

/// A Llama-family decoder-only language model: token embedding, `L` decoder blocks, a final
/// RMSNorm and the LM head (tied to the embedding or separate), with forward and backward
/// passes for full fine-tuning and LoRA.
///
/// Every computation is float32 on the CPU: matrix products through BLAS `sgemm`, attention
/// heads and row-wise kernels spread over the cores. Sequences in a batch share one length T;
/// pad on the right (padding cannot influence earlier positions under the causal mask) and mark
/// padded labels with -100.
///
/// ### References
/// transformers `LlamaForCausalLM` (`modeling_llama.py`); A. Karpathy, llm.c (layer layout);
/// `../shared/reference/parity/make_parity.py` `ref_forward` (the executable spec).
public struct DecoderModel: Sendable {
    public var configuration: TransformerConfiguration
    public var embedding: Embedding
    public var layers: [DecoderLayer]
    public var finalNorm: RMSNorm
    /// `lm_head.weight` `[V, C]`; nil when tied to the embedding table.
    public var lmHead: Tensor?
    /// The rotation table, covering `max_position_embeddings` positions.
    public let rope: RoPE

    /// Assembles a model from named weights (Hugging Face names, see `CheckpointNaming`).
    /// - Parameters:
    ///   - weights: every tensor the configuration requires; `lm_head.weight` is ignored when
    ///     the embeddings are tied.
    ///   - source: names the checkpoint in errors.
    /// - Throws: `TransformerError.missingTensor`, `.shapeMismatch`, `.unexpectedTensor`.
    public init(
        configuration: TransformerConfiguration, weights: [String: Tensor],
        source: String = "weights"
    ) throws {
        let cfg = configuration
        var used = Set<String>()
        func take(_ name: String, _ shape: [Int]) throws -> Tensor {
            guard let tensor = weights[name] else {
                throw TransformerError.missingTensor(name: name, source: source)
            }
            guard tensor.shape == shape else {
                throw TransformerError.shapeMismatch(
                    name: name, expected: shape, actual: tensor.shape, source: source)
            }
            used.insert(name)
            return tensor
        }
        let c = cfg.hiddenSize
        let table = try take(CheckpointNaming.embedTokens, [cfg.vocabSize, c])
        var layers: [DecoderLayer] = []
        for l in 0..<cfg.layerCount {
            func projection(_ p: CheckpointNaming.Projection, _ shape: [Int], bias: Bool) throws
                -> LoRALinear
            {
                let weight = try take(CheckpointNaming.projectionWeight(layer: l, p), shape)
                let b =
                    bias
                    ? try take(CheckpointNaming.projectionBias(layer: l, p), [shape[0]]) : nil
                return LoRALinear(weight: weight, bias: b)
            }
            let attention = Attention(
                query: try projection(.q, [cfg.queryWidth, c], bias: cfg.qkvBias),
                key: try projection(.k, [cfg.keyValueWidth, c], bias: cfg.qkvBias),
                value: try projection(.v, [cfg.keyValueWidth, c], bias: cfg.qkvBias),
                output: try projection(.o, [c, cfg.queryWidth], bias: cfg.outputBias),
                headCount: cfg.headCount, kvHeads: cfg.kvHeads, headDim: cfg.headDim)
            let mlp = MLP(
                gate: try projection(.gate, [cfg.intermediateSize, c], bias: false),
                up: try projection(.up, [cfg.intermediateSize, c], bias: false),
                down: try projection(.down, [c, cfg.intermediateSize], bias: false))
            layers.append(
                DecoderLayer(
                    inputNorm: RMSNorm(
                        weight: try take(CheckpointNaming.inputLayerNorm(layer: l), [c]),
                        eps: cfg.rmsNormEps),
                    attention: attention,
                    postAttentionNorm: RMSNorm(
                        weight: try take(CheckpointNaming.postAttentionLayerNorm(layer: l), [c]),
                        eps: cfg.rmsNormEps),
                    mlp: mlp))
        }
        let norm = try take(CheckpointNaming.finalNorm, [c])
        var head: Tensor?
        if cfg.tieWordEmbeddings {
            if weights[CheckpointNaming.lmHead] != nil { used.insert(CheckpointNaming.lmHead) }
        } else {
            head = try take(CheckpointNaming.lmHead, [cfg.vocabSize, c])
        }
        if let extra = weights.keys.sorted().first(where: { !used.contains($0) }) {
            throw TransformerError.unexpectedTensor(name: extra, source: source)
        }
        self.configuration = cfg
        self.embedding = Embedding(table: table)
        self.layers = layers
        self.finalNorm = RMSNorm(weight: norm, eps: cfg.rmsNormEps)
        self.lmHead = head
        self.rope = RoPE(
            headDim: cfg.headDim, theta: cfg.ropeTheta, maxPositions: cfg.maxPositionEmbeddings)
    }

    /// A randomly initialised model as transformers initialises one: every matrix
    /// `N(0, initializerRange²)`, every norm weight 1, no biases set (zero). For benchmarks
    /// and tests, not for training from scratch.
    public init(
        randomWith configuration: TransformerConfiguration, seed: UInt64,
        initializerRange: Double = 0.02
    ) {
        var rng = SeededGenerator(seed: seed)
        var weights: [String: Tensor] = [:]
        let cfg = configuration
        func normal(_ shape: [Int]) -> Tensor {
            Tensor(normalWithStandardDeviation: initializerRange, shape: shape, using: &rng)
        }
        let c = cfg.hiddenSize
        weights[CheckpointNaming.embedTokens] = normal([cfg.vocabSize, c])
        for l in 0..<cfg.layerCount {
            let shapes: [(CheckpointNaming.Projection, [Int])] = [
                (.q, [cfg.queryWidth, c]), (.k, [cfg.keyValueWidth, c]),
                (.v, [cfg.keyValueWidth, c]), (.o, [c, cfg.queryWidth]),
                (.gate, [cfg.intermediateSize, c]), (.up, [cfg.intermediateSize, c]),
                (.down, [c, cfg.intermediateSize]),
            ]
            for (p, shape) in shapes {
                weights[CheckpointNaming.projectionWeight(layer: l, p)] = normal(shape)
                let biased = [.q, .k, .v].contains(p) ? cfg.qkvBias : (p == .o && cfg.outputBias)
                if biased {
                    weights[CheckpointNaming.projectionBias(layer: l, p)] = Tensor(shape: [shape[0]]
                    )
                }
            }
            weights[CheckpointNaming.inputLayerNorm(layer: l)] = Tensor(shape: [c], repeating: 1)
            weights[CheckpointNaming.postAttentionLayerNorm(layer: l)] = Tensor(
                shape: [c], repeating: 1)
        }
        weights[CheckpointNaming.finalNorm] = Tensor(shape: [c], repeating: 1)
        if !cfg.tieWordEmbeddings { weights[CheckpointNaming.lmHead] = normal([cfg.vocabSize, c]) }
        // The names and shapes above are exactly what init(configuration:weights:) requires.
        self = try! DecoderModel(configuration: cfg, weights: weights, source: "random init")
    }

    /// The output projection `[V, C]`: `lm_head.weight`, or the embedding table when tied.
    public var outputWeight: Tensor { lmHead ?? embedding.table }

    /// Total number of parameters (the base model; adapters not counted).
    public var parameterCount: Int {
        namedWeights().reduce(0) { $0 + $1.value.count }
    }
}
