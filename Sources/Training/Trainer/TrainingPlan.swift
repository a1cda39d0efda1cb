/// The run as planned once the data is read.
public struct TrainingPlan: Sendable, Codable, Equatable {
    /// Examples in the data file.
    public var exampleCount: Int
    /// Examples cut to the maximum sequence length.
    public var truncatedCount: Int
    /// Tokens and scored tokens over the whole file.
    public var tokenCount: Int
    public var scoredTokenCount: Int
    /// Optimizer steps of the whole run.
    public var totalSteps: Int
    /// Micro-batches in one epoch.
    public var batchesPerEpoch: Int
    /// Trainable scalars (adapter or all weights).
    public var trainableParameterCount: Int
    /// The step the run starts after (0, or the resumed state's step).
    public var startStep: Int
    /// The maximum sequence length in force.
    public var maxSequenceLength: Int

    enum CodingKeys: String, CodingKey {
        case exampleCount = "examples"
        case truncatedCount = "truncated"
        case tokenCount = "tokens"
        case scoredTokenCount = "scored_tokens"
        case totalSteps = "total_steps"
        case batchesPerEpoch = "batches_per_epoch"
        case trainableParameterCount = "trainable_parameters"
        case startStep = "start_step"
        case maxSequenceLength = "max_seq_len"
    }
}
