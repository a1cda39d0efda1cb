/// The result of one gate evaluation: a verdict per task and metric, and the overall verdict.
public struct GateReport: Codable, Sendable, Equatable {
    /// Per task and metric, ordered by task then metric (code-point order).
    public var verdicts: [TaskVerdict]
    /// Overall: fail if any deciding task fails, else inconclusive if any is inconclusive, else
    /// pass. Advisory tasks do not count.
    public var overall: GateVerdict
    /// Bootstrap resamples used.
    public var resamples: Int
    /// Bootstrap seed used.
    public var seed: UInt64

    /// Creates a report.
    public init(verdicts: [TaskVerdict], overall: GateVerdict, resamples: Int, seed: UInt64) {
        self.verdicts = verdicts
        self.overall = overall
        self.resamples = resamples
        self.seed = seed
    }

    /// The process exit code (see ``GateVerdict/exitCode(inconclusiveAs:)``).
    public func exitCode(inconclusiveAs mapping: GateVerdict = .inconclusive) -> Int32 {
        overall.exitCode(inconclusiveAs: mapping)
    }
}
