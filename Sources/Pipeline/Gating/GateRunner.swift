import Analysis
import Foundation
import Probes
import Reporting
import Tracking

/// What `fmn gate` and `fmn merge` do before they print or merge: resolves both checkpoints,
/// chooses the probe suite, probes a checkpoint whose run is not stored yet, applies the gate
/// and records its verdict.
///
/// A merge commit made by `fmn merge` holds exactly its candidate's tree, so the candidate's
/// runs stand for it (`runSource`) instead of probing the same files again.
///
/// Suite choice:
/// - with a suite file, both checkpoints are compared on that suite (content hash); a
///   checkpoint without a finished run of it is probed first and the run recorded;
/// - without one, the suite of the latest finished run common to both checkpoints (by suite
///   hash) is used; when they have none in common the gate fails closed
///   (`PipelineError.incomparableRuns`, exit code 2) and says to pass `--suite`.
///
/// ```swift
/// let runner = GateRunner(tracker: tracker, toolVersion: "0.1.0")
/// let result = try runner.run(
///     baseline: "main", candidate: "dialogsum-lora", suite: suiteURL, policy: policyURL)
/// exit(result.outcome.report.exitCode(inconclusiveAs: .fail))
/// ```
public struct GateRunner {
    public let tracker: Tracker
    public var toolVersion: String
    /// Requests per model call when a checkpoint must be probed.
    public var probeBatchSize: Int = 8

    /// Progress, for the CLI to draw.
    public enum Event {
        /// A checkpoint is probed because its run is not stored (`ref` as given).
        case probeStarted(ref: String)
        /// A probe task finished or progressed.
        case probing(ref: String, ProbeRunner.Event)
        /// A stored run is reused.
        case probeReused(ref: String, runId: Int64)
    }

    /// Everything the gate judged and decided.
    public struct Result: Sendable {
        /// REF as given and commit id of the baseline.
        public var baselineRef: String
        public var baselineId: String
        /// REF as given and commit id of the candidate.
        public var candidateRef: String
        public var candidateId: String
        /// The suite compared on: its name and content hash.
        public var suiteName: String
        public var suiteHash: String
        /// The runs, the report, and whether the verdict was recorded.
        public var outcome: CheckpointGate.Outcome
        /// The worst dropped items per task (at most 5 per task), for the pull-request comment.
        public var flips: [FlipExample]
        /// The policy's text as stored.
        public var policyText: String
    }

    public init(tracker: Tracker, toolVersion: String) {
        self.tracker = tracker
        self.toolVersion = toolVersion
    }

    /// Judges `candidate` against `baseline`.
    /// - Parameters:
    ///   - baseline: A checkpoint REF (stage tag, branch, commit id or unique prefix).
    ///   - candidate: A checkpoint REF.
    ///   - suite: A probe suite file; `nil` to use the latest suite both were probed with.
    ///   - policy: A gate policy file (docs/gate-policy.md); `nil` for the default policy.
    ///   - record: Store the verdict (`gateVerdict` row).
    /// - Returns: The verdicts with what they rest on.
    /// - Throws: `TrackingError` (unknown REF), `PipelineError` (unreadable policy, no common
    ///   suite, different suites, runs without item details), `ProbeError`, `AnalysisError`.
    public func run(
        baseline: String, candidate: String, suite: URL?, policy: URL?, record: Bool = true,
        onEvent: (Event) -> Void = { _ in }
    ) throws -> Result {
        let baselineId = try tracker.resolve(baseline)
        let candidateId = try tracker.resolve(candidate)
        let (gatePolicy, policyText) = try CheckpointGate.loadPolicy(policy)
        let gate = try CheckpointGate(tracker: tracker, policy: gatePolicy, policyText: policyText)

        var loadedSuite: ProbeSuite?
        let baselineSource: String
        let candidateSource: String
        let suiteHash: String
        let suiteName: String
        if let suite {
            let probeSuite = try ProbeSuite.load(contentsOf: suite)
            let prober = try CheckpointProber(
                tracker: tracker, suite: probeSuite, batchSize: probeBatchSize,
                toolVersion: toolVersion)
            suiteHash = prober.suiteRecord.contentHash
            baselineSource = try runSource(baselineId, suiteHash: suiteHash)
            candidateSource = try runSource(candidateId, suiteHash: suiteHash)
            for (ref, id) in [(baseline, baselineSource), (candidate, candidateSource)] {
                if let stored = try prober.finishedRun(of: id) {
                    onEvent(.probeReused(ref: ref, runId: stored.id))
                } else {
                    onEvent(.probeStarted(ref: ref))
                    try prober.probe(id) { onEvent(.probing(ref: ref, $0)) }
                }
            }
            loadedSuite = probeSuite
            suiteName = probeSuite.name
        } else {
            baselineSource = try runSource(baselineId, suiteHash: nil)
            candidateSource = try runSource(candidateId, suiteHash: nil)
            (suiteHash, suiteName) = try Self.commonSuite(
                baseline: (baseline, baselineSource), candidate: (candidate, candidateSource),
                store: tracker.experiments)
        }
        let outcome = try gate.evaluate(
            baselineCommitId: baselineId, candidateCommitId: candidateId, suiteHash: suiteHash,
            record: record, baselineRunsOf: baselineSource, candidateRunsOf: candidateSource)
        let flips = try StoredFlips.examples(
            baseline: outcome.baseline, candidate: outcome.candidate, suite: loadedSuite)
        return Result(
            baselineRef: baseline, baselineId: baselineId, candidateRef: candidate,
            candidateId: candidateId, suiteName: suiteName, suiteHash: suiteHash,
            outcome: outcome, flips: flips, policyText: policyText)
    }

    /// The commit whose probe runs stand for checkpoint `id`: `id` itself when it has a
    /// finished run (of `suiteHash`, when given); otherwise, for a merge commit made by
    /// `fmn merge` (several parents, one of which has the same tree: the same files, so the
    /// same scores), that parent's run source; otherwise `id`.
    func runSource(_ id: String, suiteHash: String?) throws -> String {
        let runs = try tracker.experiments.probeRuns(checkpointCommitId: id, suiteHash: suiteHash)
        if runs.contains(where: { $0.status == .finished }) { return id }
        let info = try tracker.checkpoints.commitInfo(id)
        guard info.parentIds.count > 1 else { return id }
        for parent in info.parentIds
        where try tracker.checkpoints.commitInfo(parent).treeId == info.treeId {
            return try runSource(parent, suiteHash: suiteHash)
        }
        return id
    }

    /// The suite of the latest finished run both checkpoints have (by the later of the two runs'
    /// ids, so the most recently probed suite wins).
    /// - Throws: `PipelineError.incomparableRuns` naming both checkpoints' suites when they
    ///   share none.
    static func commonSuite(
        baseline: (ref: String, id: String), candidate: (ref: String, id: String),
        store: ExperimentStore
    ) throws -> (hash: String, name: String) {
        let baseRuns = try store.probeRuns(checkpointCommitId: baseline.id)
            .filter { $0.status == .finished }
        let candRuns = try store.probeRuns(checkpointCommitId: candidate.id)
            .filter { $0.status == .finished }
        var best: (hash: String, name: String, latest: Int64)?
        for hash in Set(baseRuns.map(\.suiteHash)).intersection(candRuns.map(\.suiteHash)) {
            let runs = (baseRuns + candRuns).filter { $0.suiteHash == hash }
            let latest = runs.map(\.id).max() ?? 0
            if best == nil || latest > best!.latest {
                best = (hash, runs.last?.suiteName ?? "", latest)
            }
        }
        if let best { return (best.hash, best.name) }
        func suites(_ runs: [StoredProbeRun]) -> String {
            var seen: Set<String> = []
            let names = runs.reversed().filter { seen.insert($0.suiteHash).inserted }
                .map { "\($0.suiteName) \($0.suiteHash.prefix(12))" }
            return names.isEmpty
                ? "no finished probe run" : "runs of " + names.joined(separator: ", ")
        }
        throw PipelineError.incomparableRuns(
            reason: "\(baseline.ref) (\(baseline.id.prefix(12))) has \(suites(baseRuns)) and "
                + "\(candidate.ref) (\(candidate.id.prefix(12))) has \(suites(candRuns)): no "
                + "finished run of one suite (same content hash) on both. Pass --suite FILE to "
                + "probe them with one suite")
    }
}
