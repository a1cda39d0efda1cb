import Analysis
import Crypto
import Foundation
import Reporting
import Tracking

/// `fmn merge`: merges a candidate checkpoint into a branch of the checkpoint repository only
/// when the gate passes against the branch's tip (or another baseline), and records the verdict
/// on the merged commit as a git note (`refs/notes/fmn-gate`).
///
/// A failing or inconclusive gate, or any error, leaves every branch as it was. The branch tip
/// is read before the gate runs and the merge is a compare-and-swap against it, so a branch that
/// moved meanwhile is not overwritten. See `CheckpointRepository.merge(_:into:expectedTip:note:)`
/// for what a checkpoint merge is (fast-forward, else a merge commit holding the candidate's
/// tree). A merge commit gets its `checkpoint` row like every ForgetMeNot commit.
public struct GatedMerge {
    public let tracker: Tracker
    public var toolVersion: String
    /// Requests per model call when a checkpoint must be probed.
    public var probeBatchSize: Int = 8

    /// The gate and, when it passed, the merge.
    public struct Result: Sendable {
        /// The gate's result (its baseline REF is the branch name when it defaulted to the tip).
        public var gate: GateRunner.Result
        /// What the merge did; `nil` when the gate did not pass.
        public var merge: CheckpointMerge?
        /// The note written on the new tip.
        public var note: String?
    }

    public init(tracker: Tracker, toolVersion: String) {
        self.tracker = tracker
        self.toolVersion = toolVersion
    }

    /// Gates `candidate` and merges it into `branch` when the overall verdict is pass.
    /// - Parameters:
    ///   - candidate: The candidate checkpoint REF.
    ///   - branch: The branch (lineage) to merge into; it must exist.
    ///   - baseline: The baseline REF; `nil` for the branch's tip.
    ///   - suite, policy: As `GateRunner.run`.
    /// - Throws: `TrackingError.unknownReference` for a missing branch, and what
    ///   `GateRunner.run` and `CheckpointRepository.merge` throw. Nothing is merged then.
    public func run(
        candidate: String, into branch: String, baseline: String?, suite: URL?, policy: URL?,
        onEvent: (GateRunner.Event) -> Void = { _ in }
    ) throws -> Result {
        guard let tip = try tracker.checkpoints.branches()[branch] else {
            throw TrackingError.unknownReference(
                ref: "refs/heads/\(branch)", repository: tracker.layout.repository.path)
        }
        var runner = GateRunner(tracker: tracker, toolVersion: toolVersion)
        runner.probeBatchSize = probeBatchSize
        // The branch's name as the baseline REF when it resolves to the tip (a stage tag of the
        // same name would win in `resolve`), else the tip's id.
        let tipRef = (try? tracker.resolve(branch)) == tip ? branch : tip
        var gate = try runner.run(
            baseline: baseline ?? tipRef, candidate: candidate, suite: suite, policy: policy,
            onEvent: onEvent)
        if baseline == nil { gate.baselineRef = branch }
        guard gate.outcome.report.overall == .pass else {
            return Result(gate: gate, merge: nil, note: nil)
        }
        let note = Self.noteText(gate)
        let merge = try tracker.checkpoints.merge(
            gate.candidateId, into: branch, expectedTip: tip, note: note)
        if merge.kind == .mergeCommit {
            try recordMergeCommit(merge)
        }
        return Result(gate: gate, merge: merge, note: merge.notesRef == nil ? nil : note)
    }

    /// The `checkpoint` row of a merge commit: the candidate's kind and parent (from its
    /// `fmn.json`), on the branch, named `<branch>@<id prefix>`.
    private func recordMergeCommit(_ merge: CheckpointMerge) throws {
        let info = try tracker.checkpoints.commitInfo(merge.newTip)
        try tracker.experiments.recordCheckpoint(
            CheckpointRecord(
                commitId: merge.newTip,
                parentCommitId: info.manifest?.parent ?? info.parentIds.first,
                kind: info.manifest?.kind ?? .base,
                name: info.tags.first ?? "\(merge.branch)@\(merge.newTip.prefix(8))",
                lineage: merge.branch, created: info.created))
    }

    /// The git note: verdict, both checkpoints, suite, policy digest, then the per-task lines.
    static func noteText(_ gate: GateRunner.Result) -> String {
        let digest = SHA256.hash(data: Data(gate.policyText.utf8))
            .map { String(format: "%02x", $0) }.joined()
        var text = "fmn gate: \(gate.outcome.report.overall.rawValue)\n"
        text += "baseline: \(gate.baselineId) (\(gate.baselineRef))\n"
        text += "candidate: \(gate.candidateId) (\(gate.candidateRef))\n"
        text += "suite: \(gate.suiteName) \(gate.suiteHash)\n"
        text += "policy sha256: \(digest)\n\n"
        text += GateTextReport(
            gate: gate.outcome.report, baselineName: gate.baselineRef,
            candidateName: gate.candidateRef
        ).render()
        return text
    }
}
