extension LoRAAdapterConfiguration {
    /// The peft version whose `adapter_config.json` key set ``peftJSONText`` reproduces.
    public static let peftFormatVersion = "0.21.2"

    /// `adapter_config.json` as peft 0.21.2's `LoraConfig.save_pretrained` writes it: every
    /// field, keys sorted, 2-space indent, no trailing newline (`json.dumps(d, indent=2,
    /// sort_keys=True)`). Fields this tool does not use get peft's defaults; `target_modules`
    /// is written sorted (peft keeps it as a set, so order carries no meaning).
    ///
    /// ### References
    /// `../shared/reference/parity/lora_adapter/adapter_config.json`, written by peft 0.21.2.
    public var peftJSONText: String {
        let targets: JSONValue
        switch targetModules {
        case .names(let names): targets = .array(Array(Set(names)).sorted().map { .string($0) })
        case .pattern(let pattern): targets = .string(pattern)
        }
        let alphaValue: JSONValue =
            alpha.rounded() == alpha && abs(alpha) < 1e15 ? .int(Int(alpha)) : .double(alpha)
        let initValue: JSONValue
        switch initialization {
        case .kaimingUniform: initValue = .bool(true)
        case .random: initValue = .bool(false)
        case .gaussian, .eva: initValue = .string(initialization.rawValue)
        }
        func optionalString(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
        let members: [(String, JSONValue)] = [
            ("alora_invocation_tokens", .null),
            ("alpha_pattern", .object([])),
            ("arrow_config", .null),
            ("auto_mapping", .null),
            ("base_model_name_or_path", optionalString(baseModelNameOrPath)),
            ("bias", .string("none")),
            ("corda_config", .null),
            ("ensure_weight_tying", .bool(false)),
            ("eva_config", .null),
            ("exclude_modules", .null),
            ("fan_in_fan_out", .bool(false)),
            ("inference_mode", .bool(inferenceMode)),
            ("init_lora_weights", initValue),
            ("kasa_config", .null),
            ("layer_replication", .null),
            ("layers_pattern", .null),
            ("layers_to_transform", layersToTransform.map { .array($0.map { .int($0) }) } ?? .null),
            ("loftq_config", .object([])),
            ("lora_alpha", alphaValue),
            ("lora_bias", .bool(false)),
            ("lora_dropout", .double(dropout)),
            ("lora_ga_config", .null),
            ("megatron_config", .null),
            ("megatron_core", .string("megatron.core")),
            ("modules_to_save", .null),
            ("monteclora_config", .null),
            ("peft_type", .string("LORA")),
            ("peft_version", .string(Self.peftFormatVersion)),
            ("qalora_group_size", .int(16)),
            ("r", .int(rank)),
            ("rank_pattern", .object([])),
            ("revision", optionalString(revision)),
            ("target_modules", targets),
            ("target_parameters", .null),
            ("task_type", optionalString(taskType)),
            ("trainable_token_indices", .null),
            ("use_bdlora", .null),
            ("use_dora", .bool(false)),
            ("use_qalora", .bool(false)),
            ("use_rslora", .bool(false)),
            ("velora_config", .null),
        ]
        return JSONValue.object(members).prettyText
    }
}
