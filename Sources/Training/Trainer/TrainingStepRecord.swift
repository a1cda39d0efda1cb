/// One optimizer step as logged in `training_log.jsonl` (one JSON object per line).
public struct TrainingStepRecord: Sendable, Codable, Equatable {
    /// 1-based optimizer step.
    public var step: Int
    /// Mean cross-entropy over the step's scored tokens (nats per token), before the update.
    public var loss: Double
    /// Learning rate used by this step.
    public var learningRate: Double
    /// Global gradient norm before clipping.
    public var gradNorm: Double
    /// Real (non-padding) tokens processed per second of this step.
    public var tokensPerSecond: Double
    /// Fractional epoch reached after this step.
    public var epoch: Double
    /// Scored tokens of the step.
    public var scoredTokens: Int
    /// Wall-clock seconds since the run (or the resumed run) started.
    public var elapsedSeconds: Double

    enum CodingKeys: String, CodingKey {
        case step, loss, epoch
        case learningRate = "learning_rate"
        case gradNorm = "grad_norm"
        case tokensPerSecond = "tokens_per_second"
        case scoredTokens = "scored_tokens"
        case elapsedSeconds = "elapsed_seconds"
    }
}
