import Foundation

/// The shape and conventions of a Llama-family decoder, decoded from a Hugging Face
/// `config.json`.
///
/// Both transformers v4 and v5 spellings are accepted:
/// - `rope_theta` at the top level (v4) or under `rope_parameters` (v5); default 10000;
/// - `torch_dtype` (v4) or `dtype` (v5); informational only, weights are computed in float32;
/// - `head_dim` written out, or implied as `hidden_size / num_attention_heads`;
/// - `num_key_value_heads` absent means one key/value head per query head.
///
/// Supported `architectures`: `LlamaForCausalLM`, `MistralForCausalLM` (same maths; a sliding
/// window is not applied, so sequences must stay within `sliding_window`), `Qwen2ForCausalLM`
/// (biases on q/k/v projections). RoPE scaling other than the default is refused.
///
/// ### References
/// transformers `LlamaConfig`, `MistralConfig`, `Qwen2Config`.
public struct TransformerConfiguration: Codable, Sendable, Equatable {
    /// The supported decoder families.
    public enum Architecture: String, Codable, Sendable, CaseIterable {
        case llama = "LlamaForCausalLM"
        case mistral = "MistralForCausalLM"
        case qwen2 = "Qwen2ForCausalLM"
    }

    public var architecture: Architecture
    /// V.
    public var vocabSize: Int
    /// C, the model width.
    public var hiddenSize: Int
    /// The SwiGLU inner width.
    public var intermediateSize: Int
    /// L.
    public var layerCount: Int
    /// H, query heads.
    public var headCount: Int
    /// Key/value heads (grouped-query attention: query head `h` reads kv head
    /// `h / (headCount / kvHeads)`).
    public var kvHeads: Int
    /// D, the per-head width.
    public var headDim: Int
    public var rmsNormEps: Float
    /// RoPE base θ.
    public var ropeTheta: Double
    public var maxPositionEmbeddings: Int
    /// The LM head reuses `embed_tokens` when true.
    public var tieWordEmbeddings: Bool
    /// Whether q, k and v projections carry a bias (Qwen2 always; Llama with `attention_bias`).
    public var qkvBias: Bool
    /// Whether the o projection carries a bias (Llama's `attention_bias` also covers o_proj).
    public var outputBias: Bool
    public var bosTokenId: Int?
    /// End-of-sequence ids (`eos_token_id` may be one id or a list).
    public var eosTokenIds: [Int]
    /// The checkpoint's dtype name (`float32`, `bfloat16`, …), if given.
    public var dtype: String?
    /// Mistral's sliding attention window, if any (not applied; see the type's notes).
    public var slidingWindow: Int?

    /// A configuration given field by field (tests, benchmarks presets).
    public init(
        architecture: Architecture = .llama, vocabSize: Int, hiddenSize: Int,
        intermediateSize: Int, layerCount: Int, headCount: Int, kvHeads: Int,
        headDim: Int? = nil, rmsNormEps: Float = 1e-5, ropeTheta: Double = 10000,
        maxPositionEmbeddings: Int = 2048, tieWordEmbeddings: Bool = false,
        qkvBias: Bool = false, outputBias: Bool = false, bosTokenId: Int? = 1,
        eosTokenIds: [Int] = [2], dtype: String? = "float32", slidingWindow: Int? = nil
    ) {
        self.architecture = architecture
        self.vocabSize = vocabSize
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.kvHeads = kvHeads
        self.headDim = headDim ?? hiddenSize / headCount
        self.rmsNormEps = rmsNormEps
        self.ropeTheta = ropeTheta
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.tieWordEmbeddings = tieWordEmbeddings
        self.qkvBias = qkvBias
        self.outputBias = outputBias
        self.bosTokenId = bosTokenId
        self.eosTokenIds = eosTokenIds
        self.dtype = dtype
        self.slidingWindow = slidingWindow
    }

    enum CodingKeys: String, CodingKey {
        case architectures
        case vocabSize = "vocab_size"
        case hiddenSize = "hidden_size"
        case intermediateSize = "intermediate_size"
        case layerCount = "num_hidden_layers"
        case headCount = "num_attention_heads"
        case kvHeads = "num_key_value_heads"
        case headDim = "head_dim"
        case rmsNormEps = "rms_norm_eps"
        case ropeTheta = "rope_theta"
        case ropeParameters = "rope_parameters"
        case ropeScaling = "rope_scaling"
        case maxPositionEmbeddings = "max_position_embeddings"
        case tieWordEmbeddings = "tie_word_embeddings"
        case attentionBias = "attention_bias"
        case mlpBias = "mlp_bias"
        case hiddenAct = "hidden_act"
        case bosTokenId = "bos_token_id"
        case eosTokenId = "eos_token_id"
        case torchDtype = "torch_dtype"
        case dtype
        case slidingWindow = "sliding_window"
        case useSlidingWindow = "use_sliding_window"
    }

    /// RoPE settings (`rope_parameters` in v5, `rope_scaling` in v4).
    struct RopeParameters: Codable {
        var ropeTheta: Double?
        var ropeType: String?
        var type: String?
        enum CodingKeys: String, CodingKey {
            case ropeTheta = "rope_theta"
            case ropeType = "rope_type"
            case type
        }
    }

    /// Where a decode error is reported; set through the decoder's `userInfo`.
    static let sourcePathKey = CodingUserInfoKey(rawValue: "fmn.configurationPath")!

    public init(from decoder: Decoder) throws {
        let path = decoder.userInfo[Self.sourcePathKey] as? String ?? "config.json"
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let architectures = try c.decodeIfPresent([String].self, forKey: .architectures) ?? []
        guard let architecture = architectures.lazy.compactMap(Architecture.init(rawValue:)).first,
            architectures.count == 1
        else {
            throw TransformerError.unsupportedArchitecture(path: path, architectures: architectures)
        }
        self.architecture = architecture
        vocabSize = try c.decode(Int.self, forKey: .vocabSize)
        hiddenSize = try c.decode(Int.self, forKey: .hiddenSize)
        intermediateSize = try c.decode(Int.self, forKey: .intermediateSize)
        layerCount = try c.decode(Int.self, forKey: .layerCount)
        headCount = try c.decode(Int.self, forKey: .headCount)
        kvHeads = try c.decodeIfPresent(Int.self, forKey: .kvHeads) ?? headCount
        headDim =
            try c.decodeIfPresent(Int.self, forKey: .headDim) ?? hiddenSize / max(1, headCount)
        let eps = try c.decodeIfPresent(Double.self, forKey: .rmsNormEps)
        rmsNormEps = Float(eps ?? (architecture == .llama ? 1e-6 : 1e-6))
        maxPositionEmbeddings =
            try c.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings) ?? 2048
        tieWordEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings) ?? false
        let attentionBias = try c.decodeIfPresent(Bool.self, forKey: .attentionBias) ?? false
        switch architecture {
        case .qwen2:
            qkvBias = true
            outputBias = false
        case .llama, .mistral:
            qkvBias = attentionBias
            outputBias = attentionBias
        }
        if try c.decodeIfPresent(Bool.self, forKey: .mlpBias) == true {
            throw TransformerError.unsupportedSetting(
                path: path, key: "mlp_bias", value: "true",
                reason: "MLP biases are not implemented")
        }
        let activation = try c.decodeIfPresent(String.self, forKey: .hiddenAct) ?? "silu"
        guard activation == "silu" else {
            throw TransformerError.unsupportedSetting(
                path: path, key: "hidden_act", value: activation,
                reason: "only the SiLU-gated MLP (silu) is implemented")
        }
        // RoPE: v5 `rope_parameters` first, then v4 `rope_theta` + `rope_scaling`.
        let parameters = try c.decodeIfPresent(RopeParameters.self, forKey: .ropeParameters)
        let scaling = try c.decodeIfPresent(RopeParameters.self, forKey: .ropeScaling)
        let topTheta = try c.decodeIfPresent(Double.self, forKey: .ropeTheta)
        ropeTheta = parameters?.ropeTheta ?? topTheta ?? 10000
        for (key, p) in [("rope_parameters", parameters), ("rope_scaling", scaling)] {
            let kind = p?.ropeType ?? p?.type ?? "default"
            if kind != "default" {
                throw TransformerError.unsupportedSetting(
                    path: path, key: "\(key).rope_type", value: kind,
                    reason: "only default RoPE (no scaling) is implemented")
            }
        }
        bosTokenId = try c.decodeIfPresent(Int.self, forKey: .bosTokenId)
        if let one = try? c.decodeIfPresent(Int.self, forKey: .eosTokenId) {
            eosTokenIds = [one]
        } else {
            eosTokenIds = (try? c.decodeIfPresent([Int].self, forKey: .eosTokenId)) ?? []
        }
        dtype =
            try c.decodeIfPresent(String.self, forKey: .dtype)
            ?? c.decodeIfPresent(String.self, forKey: .torchDtype)
        let useWindow = try c.decodeIfPresent(Bool.self, forKey: .useSlidingWindow)
        let window = try? c.decodeIfPresent(Int.self, forKey: .slidingWindow)
        slidingWindow = (architecture == .mistral || useWindow == true) ? window ?? nil : nil
        try validate(path: path)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode([architecture.rawValue], forKey: .architectures)
        try c.encode(vocabSize, forKey: .vocabSize)
        try c.encode(hiddenSize, forKey: .hiddenSize)
        try c.encode(intermediateSize, forKey: .intermediateSize)
        try c.encode(layerCount, forKey: .layerCount)
        try c.encode(headCount, forKey: .headCount)
        try c.encode(kvHeads, forKey: .kvHeads)
        try c.encode(headDim, forKey: .headDim)
        try c.encode(Double(rmsNormEps), forKey: .rmsNormEps)
        try c.encode(ropeTheta, forKey: .ropeTheta)
        try c.encode(maxPositionEmbeddings, forKey: .maxPositionEmbeddings)
        try c.encode(tieWordEmbeddings, forKey: .tieWordEmbeddings)
        if architecture != .qwen2 { try c.encode(qkvBias, forKey: .attentionBias) }
        try c.encode("silu", forKey: .hiddenAct)
        try c.encodeIfPresent(bosTokenId, forKey: .bosTokenId)
        if eosTokenIds.count == 1 {
            try c.encode(eosTokenIds[0], forKey: .eosTokenId)
        } else if !eosTokenIds.isEmpty {
            try c.encode(eosTokenIds, forKey: .eosTokenId)
        }
        try c.encodeIfPresent(dtype, forKey: .torchDtype)
        try c.encodeIfPresent(slidingWindow, forKey: .slidingWindow)
    }

    /// Checks the invariants the layers rely on.
    /// - Throws: `TransformerError.unsupportedSetting` naming the key.
    public func validate(path: String = "config.json") throws {
        func require(_ ok: Bool, _ key: String, _ value: Int, _ reason: String) throws {
            if !ok {
                throw TransformerError.unsupportedSetting(
                    path: path, key: key, value: String(value), reason: reason)
            }
        }
        try require(vocabSize > 0, "vocab_size", vocabSize, "must be positive")
        try require(hiddenSize > 0, "hidden_size", hiddenSize, "must be positive")
        try require(intermediateSize > 0, "intermediate_size", intermediateSize, "must be positive")
        try require(layerCount > 0, "num_hidden_layers", layerCount, "must be positive")
        try require(headCount > 0, "num_attention_heads", headCount, "must be positive")
        try require(
            kvHeads > 0 && headCount % kvHeads == 0, "num_key_value_heads", kvHeads,
            "must divide num_attention_heads (\(headCount))")
        try require(
            headDim > 0 && headDim % 2 == 0, "head_dim", headDim,
            "must be positive and even (RoPE rotates pairs)")
        try require(
            maxPositionEmbeddings > 0, "max_position_embeddings", maxPositionEmbeddings,
            "must be positive")
    }

    /// Decodes `config.json`.
    /// - Parameter url: the file (or the model folder holding it).
    /// - Throws: `TransformerError` naming the file: unreadable JSON, unsupported
    ///   `architectures`, or an unsupported setting.
    public static func load(from url: URL) throws -> TransformerConfiguration {
        var isDirectory: ObjCBool = false
        var file = url
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
            isDirectory.boolValue
        {
            file = url.appendingPathComponent("config.json")
        }
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw TransformerError.unreadableConfiguration(
                path: file.path, reason: "the file cannot be read (\(error.localizedDescription))")
        }
        return try decode(data, path: file.path)
    }

    /// Decodes the bytes of a `config.json`; `path` only names the file in errors.
    public static func decode(_ data: Data, path: String = "config.json") throws
        -> TransformerConfiguration
    {
        let decoder = JSONDecoder()
        decoder.userInfo[sourcePathKey] = path
        do {
            return try decoder.decode(TransformerConfiguration.self, from: data)
        } catch let error as TransformerError {
            throw error
        } catch let DecodingError.keyNotFound(key, _) {
            throw TransformerError.unreadableConfiguration(
                path: path, reason: "required key '\(key.stringValue)' is missing")
        } catch let DecodingError.typeMismatch(_, context) {
            throw TransformerError.unreadableConfiguration(
                path: path,
                reason: "'\(context.codingPath.map(\.stringValue).joined(separator: "."))' "
                    + "has the wrong type")
        } catch {
            throw TransformerError.unreadableConfiguration(path: path, reason: "\(error)")
        }
    }

    /// Query heads per key/value head.
    public var groupSize: Int { headCount / kvHeads }
    /// Width of the query projection output, `H·D`.
    public var queryWidth: Int { headCount * headDim }
    /// Width of each key/value projection output, `KV·D`.
    public var keyValueWidth: Int { kvHeads * headDim }
}
