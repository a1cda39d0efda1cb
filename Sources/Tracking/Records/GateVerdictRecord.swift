import Foundation

/// A merge-gate decision: a `gateVerdict` row.
public struct GateVerdictRecord: Codable, Equatable, Sendable {
    /// Commit id of the baseline checkpoint.
    public var baselineCommitId: String
    /// Commit id of the candidate checkpoint.
    public var candidateCommitId: String
    /// The policy applied, as text (its normalised YAML or JSON).
    public var policy: String
    /// The verdict, e.g. `"pass"`, `"fail"`.
    public var verdict: String
    /// One line per reason, in the gate's order.
    public var reasons: [String]
    /// When it was decided.
    public var created: Date

    public init(
        baselineCommitId: String, candidateCommitId: String, policy: String, verdict: String,
        reasons: [String], created: Date = Date()
    ) {
        self.baselineCommitId = baselineCommitId
        self.candidateCommitId = candidateCommitId
        self.policy = policy
        self.verdict = verdict
        self.reasons = reasons
        self.created = created
    }
}
