import Foundation

/// The fields of a PEFT `adapter_config.json` (`LoraConfig`) that plain LoRA on a Llama-family
/// model needs, decoded with peft's defaults and checked for features this tool does not
/// implement.
///
/// LoRA replaces a projection `y = x Wᵀ` by `y = x Wᵀ + (alpha / r) · (x Aᵀ) Bᵀ` with `A`
/// `[R, in]` and `B` `[out, R]`; the scale is `alpha / r` (peft's default, not rsLoRA's
/// `alpha / √r`).
///
/// Refused, as ``SafetensorsError/unsupportedAdapterFeature(path:field:value:)``: `peft_type`
/// other than `LORA`; `use_dora`, `use_rslora`, `use_qalora`, `lora_bias`, `use_bdlora`;
/// `bias` other than `"none"`; `fan_in_fan_out`; non-empty `rank_pattern`, `alpha_pattern`,
/// `modules_to_save`, `exclude_modules`; any `layer_replication`, `trainable_token_indices`,
/// `target_parameters`, `alora_invocation_tokens`, `megatron_config`; `init_lora_weights` that
/// rewrites the base weights (`pissa`, `olora`, `corda`, `loftq`, ...); `task_type` other than
/// `CAUSAL_LM`. Target modules must be Llama projections (``CheckpointNaming/Projection``).
///
/// ### References
/// peft `LoraConfig` (`peft/tuners/lora/config.py`) and `check_target_module_exists`
/// (`peft/tuners/tuners_utils.py`) for target matching; the fixture
/// `../shared/reference/parity/lora_adapter/adapter_config.json` (peft 0.21.2).
public struct LoRAAdapterConfiguration: Sendable, Equatable {
    /// Which modules are adapted: `target_modules` as a list of names or as one string.
    public enum TargetModules: Sendable, Equatable {
        /// A list: a module matches when its path equals an entry or ends with `"." + entry`
        /// (`"q_proj"`, `"self_attn.q_proj"`, `"model.layers.0.self_attn.q_proj"`).
        case names([String])
        /// A string: `"all-linear"` (every projection; `lm_head` is never adapted), or a regular
        /// expression that must match the whole module path (peft's `re.fullmatch`).
        case pattern(String)

        /// Lists are equal as sets (peft keeps `target_modules` as a set).
        public static func == (lhs: TargetModules, rhs: TargetModules) -> Bool {
            switch (lhs, rhs) {
            case (.names(let a), .names(let b)): return Set(a) == Set(b)
            case (.pattern(let a), .pattern(let b)): return a == b
            default: return false
            }
        }
    }

    /// How peft initialised the factors (`init_lora_weights`); it matters only for a new adapter.
    public enum Initialization: String, Sendable, Equatable {
        /// `true`: `A` Kaiming-uniform, `B` zero (peft's default), so the adapter starts as a no-op.
        case kaimingUniform = "true"
        /// `"gaussian"`: `A ~ N(0, 1/r)`, `B` zero.
        case gaussian
        /// `"eva"`: `A` from activations (EVA), `B` zero; a loaded adapter is plain LoRA.
        case eva
        /// `false`: both factors keep `nn.Linear`'s random initialisation.
        case random = "false"
    }

    /// `r`, the rank `R` (> 0).
    public var rank: Int
    /// `lora_alpha`; the update is scaled by `alpha / rank`.
    public var alpha: Double
    /// `lora_dropout`, the dropout probability on the LoRA input during training, in `[0, 1)`.
    public var dropout: Double
    /// `target_modules`.
    public var targetModules: TargetModules
    /// `layers_to_transform`: only these decoder layers are adapted; `nil` for all. Only with a
    /// list of target modules (peft refuses it with a string).
    public var layersToTransform: [Int]?
    /// `base_model_name_or_path`: the base model the adapter was trained on, as given.
    public var baseModelNameOrPath: String?
    /// `task_type` (`"CAUSAL_LM"`).
    public var taskType: String?
    /// `init_lora_weights`.
    public var initialization: Initialization
    /// `inference_mode`: `true` in saved adapters.
    public var inferenceMode: Bool
    /// `revision` of the base model, if recorded.
    public var revision: String?

    /// The LoRA scale `alpha / rank`.
    public var scale: Double { alpha / Double(rank) }

    /// A plain LoRA configuration.
    /// - Precondition: `rank > 0` and `0 <= dropout < 1`.
    public init(
        rank: Int, alpha: Double, dropout: Double = 0, targetModules: TargetModules,
        layersToTransform: [Int]? = nil, baseModelNameOrPath: String? = nil,
        taskType: String? = "CAUSAL_LM", initialization: Initialization = .kaimingUniform,
        inferenceMode: Bool = true, revision: String? = nil
    ) {
        precondition(rank > 0, "LoRAAdapterConfiguration: rank must be > 0, got \(rank)")
        precondition(
            (0..<1).contains(dropout), "LoRAAdapterConfiguration: dropout \(dropout) not in [0, 1)")
        if case .pattern = targetModules {
            precondition(
                layersToTransform == nil,
                "LoRAAdapterConfiguration: layersToTransform needs a list of target modules (peft refuses a string)"
            )
        }
        self.rank = rank
        self.alpha = alpha
        self.dropout = dropout
        self.targetModules = targetModules
        self.layersToTransform = layersToTransform
        self.baseModelNameOrPath = baseModelNameOrPath
        self.taskType = taskType
        self.initialization = initialization
        self.inferenceMode = inferenceMode
        self.revision = revision
    }

    /// Reads and checks `adapter_config.json`.
    /// - Throws: `SafetensorsError.unreadableFile`, `.malformedJSON`,
    ///   `.invalidAdapterConfiguration`, `.unsupportedAdapterFeature`, `.unknownTargetModule`.
    public init(contentsOf url: URL) throws {
        try self.init(jsonObject: try ModelFolder.readJSONObject(url), path: url.path)
    }

    /// Decodes a parsed `adapter_config.json` object (`path` is used in messages only).
    /// - Throws: as ``init(contentsOf:)``.
    public init(jsonObject object: [String: Any], path: String) throws {
        func invalid(_ field: String, _ reason: String) -> SafetensorsError {
            .invalidAdapterConfiguration(path: path, field: field, reason: reason)
        }
        func unsupported(_ field: String, _ value: Any) -> SafetensorsError {
            .unsupportedAdapterFeature(path: path, field: field, value: Self.render(value))
        }
        func isSet(_ field: String) -> Bool {
            guard let value = object[field], !(value is NSNull) else { return false }
            if let number = value as? NSNumber, String(cString: number.objCType) == "c" {
                return number.boolValue
            }
            if let array = value as? [Any] { return !array.isEmpty }
            if let dictionary = value as? [String: Any] { return !dictionary.isEmpty }
            return true
        }

        guard let peftType = object["peft_type"] as? String else {
            throw invalid("peft_type", "is missing; a LoRA adapter has \"peft_type\": \"LORA\"")
        }
        guard peftType == "LORA" else { throw unsupported("peft_type", peftType) }
        for field in [
            "use_dora", "use_rslora", "use_qalora", "lora_bias", "use_bdlora", "fan_in_fan_out",
        ]
        where isSet(field) {
            throw unsupported(field, object[field]!)
        }
        for field in [
            "rank_pattern", "alpha_pattern", "modules_to_save", "exclude_modules",
            "layer_replication",
            "trainable_token_indices", "target_parameters", "alora_invocation_tokens",
            "megatron_config",
        ] where isSet(field) {
            throw unsupported(field, object[field]!)
        }
        if let bias = object["bias"], !(bias is NSNull) {
            guard let text = bias as? String else { throw invalid("bias", "must be a string") }
            guard text == "none" else { throw unsupported("bias", text) }
        }
        var taskType: String? = nil
        if let value = object["task_type"], !(value is NSNull) {
            guard let text = value as? String else {
                throw invalid("task_type", "must be a string")
            }
            guard text == "CAUSAL_LM" else { throw unsupported("task_type", text) }
            taskType = text
        }

        // r and lora_alpha default to 8, lora_dropout to 0.0, as in LoraConfig.
        var rank = 8
        if let value = object["r"] {
            guard let r = SafetensorsHeader.exactInteger(value), r > 0 else {
                throw invalid("r", "must be a positive integer, got \(Self.render(value))")
            }
            rank = r
        }
        var alpha = 8.0
        if let value = object["lora_alpha"] {
            guard let number = value as? NSNumber, String(cString: number.objCType) != "c",
                number.doubleValue.isFinite
            else {
                throw invalid("lora_alpha", "must be a number, got \(Self.render(value))")
            }
            alpha = number.doubleValue
        }
        var dropout = 0.0
        if let value = object["lora_dropout"] {
            guard let number = value as? NSNumber, String(cString: number.objCType) != "c",
                (0..<1).contains(number.doubleValue)
            else {
                throw invalid(
                    "lora_dropout", "must be a number in [0, 1), got \(Self.render(value))")
            }
            dropout = number.doubleValue
        }

        let targets: TargetModules
        switch object["target_modules"] {
        case let list as [Any]:
            var names: [String] = []
            for item in list {
                guard let name = item as? String else {
                    throw invalid("target_modules", "must hold strings, got \(Self.render(item))")
                }
                guard Self.isKnownTarget(name) else {
                    throw SafetensorsError.unknownTargetModule(path: path, module: name)
                }
                names.append(name)
            }
            guard !names.isEmpty else { throw invalid("target_modules", "is empty") }
            targets = .names(names)
        case let text as String:
            if text != "all-linear" {
                do {
                    _ = try NSRegularExpression(pattern: text)
                } catch {
                    throw invalid("target_modules", "is not a valid regular expression: \(text)")
                }
            }
            targets = .pattern(text)
        default:
            throw invalid(
                "target_modules",
                "is missing; list the adapted modules, e.g. [\"q_proj\", \"v_proj\"]")
        }

        var layers: [Int]? = nil
        if let value = object["layers_to_transform"], !(value is NSNull) {
            if let single = SafetensorsHeader.exactInteger(value) {
                layers = [single]
            } else if let list = value as? [Any] {
                layers = try list.map { item in
                    guard let layer = SafetensorsHeader.exactInteger(item), layer >= 0 else {
                        throw invalid(
                            "layers_to_transform",
                            "must hold layer indices, got \(Self.render(item))")
                    }
                    return layer
                }
            } else {
                throw invalid("layers_to_transform", "must be an integer or a list of integers")
            }
            if let pattern = object["layers_pattern"], !(pattern is NSNull) {
                let patterns = (pattern as? [String]) ?? (pattern as? String).map { [$0] } ?? []
                guard patterns == ["layers"] else { throw unsupported("layers_pattern", pattern) }
            }
        }

        if layers != nil, case .pattern = targets {
            throw invalid(
                "layers_to_transform",
                "cannot be used when target_modules is a string (peft refuses it)")
        }

        var initialization = Initialization.kaimingUniform
        if let value = object["init_lora_weights"] {
            if let number = value as? NSNumber, String(cString: number.objCType) == "c" {
                initialization = number.boolValue ? .kaimingUniform : .random
            } else if let text = value as? String, let known = Initialization(rawValue: text),
                known == .gaussian || known == .eva
            {
                initialization = known
            } else {
                throw unsupported("init_lora_weights", value)
            }
        }

        self.rank = rank
        self.alpha = alpha
        self.dropout = dropout
        self.targetModules = targets
        self.layersToTransform = layers
        self.baseModelNameOrPath = object["base_model_name_or_path"] as? String
        self.taskType = taskType
        self.initialization = initialization
        self.inferenceMode = (object["inference_mode"] as? NSNumber)?.boolValue ?? true
        self.revision = object["revision"] as? String
    }

    /// Whether a `target_modules` entry names a Llama projection: its last component is a
    /// projection name and any component before it is that projection's parent
    /// (`"q_proj"`, `"self_attn.q_proj"`, `"model.layers.0.self_attn.q_proj"`).
    static func isKnownTarget(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard let last = parts.last,
            let projection = CheckpointNaming.Projection(rawValue: String(last))
        else {
            return false
        }
        if parts.count == 1 { return true }
        if parts[parts.count - 2] != projection.block { return false }
        if parts.count == 2 { return true }
        return CheckpointNaming.parseModulePath(name) != nil
            || "model.layers.0.\(projection.block).\(projection.rawValue)".hasSuffix("." + name)
    }

    /// Whether the projection of decoder layer `layer` is adapted, following peft's matching
    /// (list: equal or `"." + entry` suffix of the module path; string: `"all-linear"` or a
    /// full-match regular expression) and `layers_to_transform`.
    public func targets(layer: Int, _ projection: CheckpointNaming.Projection) -> Bool {
        if let layersToTransform, !layersToTransform.contains(layer) { return false }
        let path = CheckpointNaming.modulePath(layer: layer, projection)
        switch targetModules {
        case .names(let names):
            return names.contains { path == $0 || path.hasSuffix("." + $0) }
        case .pattern("all-linear"):
            return true
        case .pattern(let pattern):
            guard let regex = try? NSRegularExpression(pattern: "^(?:\(pattern))$") else {
                return false
            }
            return regex.firstMatch(in: path, range: NSRange(path.startIndex..., in: path)) != nil
        }
    }

    /// `target_modules` for messages: `["q_proj", "v_proj"]` or the pattern.
    var targetDescription: String {
        switch targetModules {
        case .names(let names): return "target_modules " + Self.render(names)
        case .pattern(let pattern): return "target_modules \"\(pattern)\""
        }
    }

    /// A short JSON-like rendering of a foreign value for messages.
    static func render(_ value: Any) -> String {
        if let json = JSONValue(foundationObject: value) { return json.compactText }
        if let strings = value as? [String] {
            return "["
                + strings.map { JSONValue.quoted($0, asciiOnly: false) }.joined(separator: ", ")
                + "]"
        }
        return "\(value)"
    }
}
