/// One optimizer step of a fine-tune: a `trainingStep` row.
public struct TrainingStepRecord: Codable, Equatable, Sendable {
    /// Step number, from 1.
    public var step: Int
    /// Training loss at this step, nats per token (mean over the batch's target tokens).
    public var loss: Double
    /// Learning rate used for this step.
    public var learningRate: Double
    /// Throughput over this step, tokens per second.
    public var tokensPerSecond: Double

    public init(step: Int, loss: Double, learningRate: Double, tokensPerSecond: Double) {
        self.step = step
        self.loss = loss
        self.learningRate = learningRate
        self.tokensPerSecond = tokensPerSecond
    }
}
