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
