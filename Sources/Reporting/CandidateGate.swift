import Analysis

/// One candidate's gate in an experiment that gates several candidates against one baseline
/// (e.g. `dialogsum-full` and `dialogsum-lora` against `sentiment`): its verdicts and the items
/// it got wrong that the baseline got right.
public struct CandidateGate: Codable, Sendable, Equatable {
    /// The candidate's stage name.
    public var candidate: String
    /// The baseline's stage name.
    public var baseline: String
    /// The gate's verdicts on baseline → candidate.
    public var gate: GateReport
    /// Flipped or most-dropped items with both checkpoints' outputs, worst first.
    public var flips: [FlipExample]

    /// Creates a candidate's gate.
    public init(candidate: String, baseline: String, gate: GateReport, flips: [FlipExample] = []) {
        self.candidate = candidate
        self.baseline = baseline
        self.gate = gate
        self.flips = flips
    }
}
