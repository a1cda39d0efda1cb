import Analysis
import Foundation
import Tracking
import Yams

/// Applies the merge gate to two stored checkpoints: reads (or first makes) both probe runs of
/// one suite, compares them item by item, and records the verdict.
public struct CheckpointGate {
    public let tracker: Tracker
    public let policy: GatePolicy
    /// The policy's text as stored with the verdict.
    public let policyText: String

    /// - Throws: `AnalysisError.invalidPolicy` for out-of-range values.
    public init(tracker: Tracker, policy: GatePolicy, policyText: String) throws {
        _ = try MergeGate(policy: policy)
        self.tracker = tracker
        self.policy = policy
        self.policyText = policyText
    }

    /// Reads a gate policy file (YAML, see docs/gate-policy.md); `nil` gives the default policy.
    /// - Throws: `PipelineError.unreadableFile`, `.invalidYAML` (naming the file).
    public static func loadPolicy(_ url: URL?) throws -> (policy: GatePolicy, text: String) {
        guard let url else {
            let policy = GatePolicy()
            let text = (try? YAMLEncoder().encode(policy)) ?? "default"
            return (policy, text)
        }
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw PipelineError.unreadableFile(
                path: url.path,
                reason: error.localizedDescription + " Check the path of the policy file")
        }
        do {
            return (try YAMLDecoder().decode(GatePolicy.self, from: text), text)
        } catch {
            throw PipelineError.invalidYAML(path: url.path, reason: "\(error)")
        }
    }

    /// The gate's outcome with what it compared.
    public struct Outcome: Sendable {
        public var baseline: StoredRunResults
        public var candidate: StoredRunResults
        public var report: GateReport
    }

    /// Compares the two latest finished runs of the suite `suiteHash` (both must exist), records
    /// the verdict (unless `record` is false) and returns it.
    /// - Parameters:
    ///   - baselineRunsOf: The commit whose runs stand for the baseline's (default: the
    ///     baseline itself); `GateRunner` passes the candidate of a merge commit made by
    ///     `fmn merge`, whose tree is the same.
    ///   - candidateRunsOf: The same for the candidate.
    /// - Throws: `PipelineError.incomparableRuns` when a run is missing or the runs differ;
    ///   `AnalysisError`; `TrackingError`.
    public func evaluate(
        baselineCommitId: String, candidateCommitId: String, suiteHash: String,
        record: Bool = true, baselineRunsOf: String? = nil, candidateRunsOf: String? = nil
    ) throws -> Outcome {
        func latest(_ commitId: String) throws -> StoredRunResults {
            guard
                let run = try tracker.experiments.probeRuns(
                    checkpointCommitId: commitId, suiteHash: suiteHash
                ).last(where: { $0.status == .finished })
            else {
                throw PipelineError.incomparableRuns(
                    reason: "checkpoint \(commitId.prefix(12)) has no finished run of suite "
                        + "\(suiteHash.prefix(12)); run fmn probe --store on it (or pass --suite)")
            }
            return try StoredRunResults(run: run, store: tracker.experiments)
        }
        let baseline = try latest(baselineRunsOf ?? baselineCommitId)
        let candidate = try latest(candidateRunsOf ?? candidateCommitId)
        let comparisons = try StoredRunComparison.comparisons(
            baseline: baseline, candidate: candidate)
        let report = try MergeGate(policy: policy).evaluate(comparisons)
        let reasons = report.verdicts.map { verdict in
            "\(verdict.comparison.task)/\(verdict.comparison.metric): \(verdict.verdict.rawValue)"
                + " (\(verdict.reason.rawValue))"
        }
        guard record else {
            return Outcome(baseline: baseline, candidate: candidate, report: report)
        }
        _ = try tracker.experiments.recordGateVerdict(
            GateVerdictRecord(
                baselineCommitId: baselineCommitId, candidateCommitId: candidateCommitId,
                policy: policyText, verdict: report.overall.rawValue, reasons: reasons))
        return Outcome(baseline: baseline, candidate: candidate, report: report)
    }
}
