/// Every setting of a fine-tuning run (the flags of `fmn train`), saved with the result as
/// `training_args.json` and with each resumable state.
///
/// Defaults follow Hugging Face `TrainingArguments`/TRL where they have one (linear schedule,
/// no warm-up, gradient clipping at 1.0, seed 42, weight decay 0) and peft's `LoraConfig` for
/// the adapter (alpha 16 with rank 8, targets `q_proj`, `v_proj` — peft's default for Llama).
public struct TrainingConfiguration: Codable, Sendable, Equatable {
    /// What is trained.
    public enum Method: String, Codable, Sendable, CaseIterable {
        /// A LoRA adapter only; the base weights stay frozen; the result is a PEFT adapter folder.
        case lora
        /// Every weight; the result is a Hugging Face model folder.
        case full
    }

    public var method: Method
    /// LoRA rank `r`.
    public var loraRank: Int = 8
    /// LoRA `alpha` (scale `alpha / r`).
    public var loraAlpha: Double = 16
    /// LoRA dropout on the adapter input, in `[0, 1)`.
    public var loraDropout: Double = 0
    /// Projection names the adapter targets (`q_proj`, `k_proj`, `v_proj`, `o_proj`,
    /// `gate_proj`, `up_proj`, `down_proj`).
    public var targetModules: [String] = ["q_proj", "v_proj"]
    /// Peak learning rate (2e-4, a usual LoRA rate; Hugging Face's default is 5e-5, lower it
    /// for full fine-tunes).
    public var learningRate: Double = 2e-4
    /// AdamW's decoupled weight decay.
    public var weightDecay: Double = 0
    /// Which tensors decay (2-D weights only unless told otherwise).
    public var weightDecayPolicy: WeightDecayPolicy = .matricesOnly
    /// AdamW's `β1`, `β2`, `ε`.
    public var adamBeta1: Double = 0.9
    public var adamBeta2: Double = 0.999
    public var adamEpsilon: Double = 1e-8
    /// Sequences per micro-batch, `B`.
    public var batchSize: Int = 8
    /// Micro-batches per optimizer step, `K` (the loss is the mean over all scored tokens of
    /// the `K` micro-batches).
    public var gradientAccumulationSteps: Int = 1
    /// Optimizer steps; when nil, `epochs` decides.
    public var maxSteps: Int?
    /// Passes over the data (fractions allowed) when `maxSteps` is nil.
    public var epochs: Double = 1
    /// Linear warm-up steps.
    public var warmupSteps: Int = 0
    /// The learning-rate shape after warm-up.
    public var schedule: LearningRateSchedule.Kind = .linear
    /// Clip the global gradient norm to this; nil or 0 disables clipping.
    public var maxGradNorm: Double? = 1
    /// Longest sequence kept (tokens); nil uses the model's `max_position_embeddings`.
    public var maxSequenceLength: Int?
    /// Seed of LoRA initialisation, data shuffling and dropout.
    public var seed: UInt64 = 42
    /// Whether epochs are shuffled (and length-grouped).
    public var shuffle: Bool = true
    /// Write resumable state every this many optimizer steps (nil: never).
    public var saveEvery: Int?

    public init(method: Method) {
        self.method = method
    }

    /// The AdamW hyper-parameters.
    public var adamW: AdamW.Configuration {
        AdamW.Configuration(
            beta1: adamBeta1, beta2: adamBeta2, epsilon: adamEpsilon, weightDecay: weightDecay)
    }

    /// Checks ranges that the CLI also validates, for library callers.
    /// - Throws: `TrainingError.invalidSettings` naming the setting.
    public func validate() throws {
        func fail(_ reason: String) throws { throw TrainingError.invalidSettings(reason: reason) }
        if loraRank <= 0 { try fail("lora rank must be > 0, got \(loraRank)") }
        if !(0..<1).contains(loraDropout) {
            try fail("lora dropout must be in [0, 1), got \(loraDropout)")
        }
        if targetModules.isEmpty { try fail("no LoRA target module") }
        if !(learningRate >= 0) { try fail("learning rate must be ≥ 0, got \(learningRate)") }
        if !(weightDecay >= 0) { try fail("weight decay must be ≥ 0, got \(weightDecay)") }
        if batchSize <= 0 { try fail("batch size must be > 0, got \(batchSize)") }
        if gradientAccumulationSteps <= 0 {
            try fail("gradient accumulation must be > 0, got \(gradientAccumulationSteps)")
        }
        if let maxSteps, maxSteps <= 0 { try fail("max steps must be > 0, got \(maxSteps)") }
        if maxSteps == nil && !(epochs > 0) { try fail("epochs must be > 0, got \(epochs)") }
        if warmupSteps < 0 { try fail("warm-up steps must be ≥ 0, got \(warmupSteps)") }
        if let maxGradNorm, maxGradNorm < 0 {
            try fail("max grad norm must be ≥ 0, got \(maxGradNorm)")
        }
        if let maxSequenceLength, maxSequenceLength < 2 {
            try fail("max sequence length must be ≥ 2, got \(maxSequenceLength)")
        }
        if let saveEvery, saveEvery <= 0 { try fail("save-every must be > 0, got \(saveEvery)") }
    }
}
