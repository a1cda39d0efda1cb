/// Every external tensor name this tool reads or writes, in one place: Hugging Face Llama-family
/// weight names and the PEFT names of LoRA adapter tensors.
///
/// Hugging Face `LlamaForCausalLM` (also Mistral, Qwen2) state-dict names, with `i` the layer:
///
/// | tensor | shape |
/// | --- | --- |
/// | `model.embed_tokens.weight` | `[V, C]` |
/// | `model.layers.{i}.input_layernorm.weight` | `[C]` |
/// | `model.layers.{i}.self_attn.{q,k,v,o}_proj.weight` | `[H·D, C]`, `[Hkv·D, C]` ×2, `[C, H·D]` |
/// | `model.layers.{i}.self_attn.{q,k,v}_proj.bias` (Qwen2) | `[H·D]`, `[Hkv·D]` ×2 |
/// | `model.layers.{i}.post_attention_layernorm.weight` | `[C]` |
/// | `model.layers.{i}.mlp.{gate,up}_proj.weight` | `[I, C]` |
/// | `model.layers.{i}.mlp.down_proj.weight` | `[C, I]` |
/// | `model.norm.weight` | `[C]` |
/// | `lm_head.weight` (absent when tied to the embedding) | `[V, C]` |
///
/// PEFT saves LoRA tensors of module `m` (e.g. `model.layers.0.self_attn.q_proj`) as
/// `base_model.model.<m>.lora_A.weight` (`[R, in]`) and `base_model.model.<m>.lora_B.weight`
/// (`[out, R]`); in memory peft inserts the adapter name (`lora_A.default.weight`), which
/// ``loraKey(parsing:)`` also accepts.
///
/// ### References
/// transformers `modeling_llama.py` (module names); peft `get_peft_model_state_dict` /
/// `set_peft_model_state_dict` (the `base_model.model.` prefix, adapter name removal).
public enum CheckpointNaming {
    /// `model.embed_tokens.weight`, `[V, C]`.
    public static let embedTokens = "model.embed_tokens.weight"
    /// `model.norm.weight`, the final RMSNorm, `[C]`.
    public static let finalNorm = "model.norm.weight"
    /// `lm_head.weight`, `[V, C]`; absent when `tie_word_embeddings` is true.
    public static let lmHead = "lm_head.weight"

    /// The seven Linear projections of a Llama decoder layer, the modules LoRA can target.
    public enum Projection: String, CaseIterable, Sendable, Codable {
        case q = "q_proj"
        case k = "k_proj"
        case v = "v_proj"
        case o = "o_proj"
        case gate = "gate_proj"
        case up = "up_proj"
        case down = "down_proj"

        /// The parent module: `self_attn` for q/k/v/o, `mlp` for gate/up/down.
        public var block: String {
            switch self {
            case .q, .k, .v, .o: return "self_attn"
            case .gate, .up, .down: return "mlp"
            }
        }
    }

    /// The two LoRA factors: `A` `[R, in]` (applied first) and `B` `[out, R]`.
    public enum LoRAFactor: String, CaseIterable, Sendable {
        case a = "lora_A"
        case b = "lora_B"
    }

    /// `model.layers.{layer}`.
    public static func layerPrefix(_ layer: Int) -> String { "model.layers.\(layer)" }

    /// Module path of a projection, e.g. `model.layers.0.self_attn.q_proj` (peft's module key).
    public static func modulePath(layer: Int, _ projection: Projection) -> String {
        "\(layerPrefix(layer)).\(projection.block).\(projection.rawValue)"
    }

    /// Weight of a projection, `[out, in]`, e.g. `model.layers.0.self_attn.q_proj.weight`.
    public static func projectionWeight(layer: Int, _ projection: Projection) -> String {
        modulePath(layer: layer, projection) + ".weight"
    }

    /// Bias of a projection, `[out]` (Qwen2 has them on q, k and v).
    public static func projectionBias(layer: Int, _ projection: Projection) -> String {
        modulePath(layer: layer, projection) + ".bias"
    }

    /// `model.layers.{layer}.input_layernorm.weight`, the RMSNorm before attention, `[C]`.
    public static func inputLayerNorm(layer: Int) -> String {
        "\(layerPrefix(layer)).input_layernorm.weight"
    }

    /// `model.layers.{layer}.post_attention_layernorm.weight`, the RMSNorm before the MLP, `[C]`.
    public static func postAttentionLayerNorm(layer: Int) -> String {
        "\(layerPrefix(layer)).post_attention_layernorm.weight"
    }

    /// Every weight name of a Llama-family model, in the order `save_pretrained` sorts them
    /// (by name).
    /// - Parameters:
    ///   - layers: number of decoder layers `L`.
    ///   - tiedEmbeddings: leave out `lm_head.weight`.
    ///   - attentionBias: include q/k/v biases (Qwen2).
    public static func modelTensorNames(
        layers: Int, tiedEmbeddings: Bool, attentionBias: Bool = false
    )
        -> [String]
    {
        var names = [embedTokens, finalNorm]
        if !tiedEmbeddings { names.append(lmHead) }
        for layer in 0..<layers {
            names.append(inputLayerNorm(layer: layer))
            names.append(postAttentionLayerNorm(layer: layer))
            for projection in Projection.allCases {
                names.append(projectionWeight(layer: layer, projection))
            }
            if attentionBias {
                for projection in [Projection.q, .k, .v] {
                    names.append(projectionBias(layer: layer, projection))
                }
            }
        }
        return names.sorted()
    }

    /// Parses a projection weight name such as `model.layers.3.mlp.up_proj.weight`.
    /// - Returns: layer and projection, or `nil` for any other name.
    public static func parseProjectionWeight(_ name: String) -> (
        layer: Int, projection: Projection
    )? {
        guard name.hasSuffix(".weight") else { return nil }
        return parseModulePath(String(name.dropLast(".weight".count)))
    }

    /// Parses a module path such as `model.layers.3.self_attn.q_proj`.
    /// - Returns: layer and projection, or `nil` when the path is not a Llama projection.
    public static func parseModulePath(_ path: String) -> (layer: Int, projection: Projection)? {
        let parts = path.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "model", parts[1] == "layers",
            let layer = Int(parts[2]), layer >= 0, String(layer) == parts[2],
            let projection = Projection(rawValue: String(parts[4])), parts[3] == projection.block
        else { return nil }
        return (layer, projection)
    }

    /// The prefix peft puts before a base-model module path in a saved adapter.
    public static let peftPrefix = "base_model.model."

    /// The key peft saves a LoRA factor under, e.g.
    /// `base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight`.
    public static func loraKey(layer: Int, _ projection: Projection, _ factor: LoRAFactor) -> String
    {
        peftPrefix + modulePath(layer: layer, projection) + ".\(factor.rawValue).weight"
    }

    /// A parsed PEFT LoRA key.
    public struct LoRAKey: Sendable, Equatable {
        /// Decoder layer.
        public var layer: Int
        /// Adapted projection.
        public var projection: Projection
        /// Which factor.
        public var factor: LoRAFactor

        /// A key from its parts.
        public init(layer: Int, projection: Projection, factor: LoRAFactor) {
            self.layer = layer
            self.projection = projection
            self.factor = factor
        }

        /// The base weight it adapts, e.g. `model.layers.0.self_attn.q_proj.weight`.
        public var baseWeight: String {
            CheckpointNaming.projectionWeight(layer: layer, projection)
        }
        /// The module path, e.g. `model.layers.0.self_attn.q_proj`.
        public var modulePath: String { CheckpointNaming.modulePath(layer: layer, projection) }
    }

    /// Parses a saved PEFT key, `base_model.model.<module>.lora_{A,B}[.<adapter>].weight`.
    /// - Returns: the key's parts, or `nil` if the name is not a LoRA factor of a Llama
    ///   projection.
    public static func loraKey(parsing name: String) -> LoRAKey? {
        guard name.hasPrefix(peftPrefix), name.hasSuffix(".weight") else { return nil }
        var parts = name.dropFirst(peftPrefix.count).dropLast(".weight".count)
            .split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        // In-memory names carry the adapter name after lora_A / lora_B.
        if parts.count == 7, LoRAFactor(rawValue: parts[5]) != nil { parts.removeLast() }
        guard parts.count == 6, let factor = LoRAFactor(rawValue: parts[5]),
            let module = parseModulePath(parts[0..<5].joined(separator: "."))
        else { return nil }
        return LoRAKey(layer: module.layer, projection: module.projection, factor: factor)
    }
}
