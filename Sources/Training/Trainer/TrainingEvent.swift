import Foundation

/// What a ``Trainer`` reports while it runs; the CLI renders these (progress bar, plain lines
/// or JSON), the library never prints.
public enum TrainingEvent: Sendable {
    /// Data read and model ready; nothing trained yet.
    case prepared(TrainingPlan)
    /// One optimizer step finished.
    case step(TrainingStepRecord)
    /// Resumable state written after `step`.
    case saved(step: Int, folder: URL)
    /// The result is in place.
    case finished(TrainingSummary)
}

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

/// The outcome of a finished run.
public struct TrainingSummary: Sendable, Codable, Equatable {
    /// The output folder.
    public var output: String
    public var method: TrainingConfiguration.Method
    /// Optimizer steps done in all (resumed ones included).
    public var steps: Int
    /// Loss of the first and last step of this process.
    public var firstLoss: Double?
    public var finalLoss: Double?
    /// Examples cut to the maximum sequence length.
    public var truncatedCount: Int
    /// Wall-clock seconds of this process's training.
    public var elapsedSeconds: Double
    /// Mean tokens per second over this process's steps.
    public var tokensPerSecond: Double

    enum CodingKeys: String, CodingKey {
        case output, method, steps
        case firstLoss = "first_loss"
        case finalLoss = "final_loss"
        case truncatedCount = "truncated"
        case elapsedSeconds = "elapsed_seconds"
        case tokensPerSecond = "tokens_per_second"
    }
}
