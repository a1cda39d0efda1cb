/// The training loss of one stage, by optimizer step.
public struct LossCurve: Codable, Sendable, Equatable {
    /// The stage's name.
    public var stage: String
    /// Optimizer steps, `[P]`, ascending.
    public var steps: [Int]
    /// Mean training loss at each step, nats per token, `[P]`.
    public var losses: [Double]

    /// Creates a curve.
    /// - Precondition: `steps.count == losses.count`.
    public init(stage: String, steps: [Int], losses: [Double]) {
        precondition(
            steps.count == losses.count,
            "LossCurve(\(stage)): \(steps.count) steps but \(losses.count) losses")
        self.stage = stage
        self.steps = steps
        self.losses = losses
    }
}
