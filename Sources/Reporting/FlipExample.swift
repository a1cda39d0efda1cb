/// One probe item whose score changed, with what both checkpoints produced.
public struct FlipExample: Codable, Sendable, Equatable {
    /// The probe task.
    public var task: String
    /// The item id.
    public var itemId: String
    /// The prompt (or its start), as the model saw it.
    public var prompt: String
    /// The reference answer or target.
    public var reference: String
    /// The baseline's output (generation) or chosen answer (multiple choice).
    public var baselineOutput: String
    /// The candidate's output or chosen answer.
    public var candidateOutput: String
    /// The baseline's item score.
    public var baselineScore: Double
    /// The candidate's item score.
    public var candidateScore: Double

    /// Creates an example.
    public init(
        task: String, itemId: String, prompt: String, reference: String, baselineOutput: String,
        candidateOutput: String, baselineScore: Double, candidateScore: Double
    ) {
        self.task = task
        self.itemId = itemId
        self.prompt = prompt
        self.reference = reference
        self.baselineOutput = baselineOutput
        self.candidateOutput = candidateOutput
        self.baselineScore = baselineScore
        self.candidateScore = candidateScore
    }
}
