/// Decides whether a candidate checkpoint may replace a baseline: per task and metric pass,
/// fail or inconclusive, with noise taken into account.
///
/// For each comparison (task `t`, metric `m`, `N` paired items, direction sign `s`) with the
/// policy's ``GateThreshold`` (`δ`, relative or absolute, `α`, `min_items`):
///
/// 1. The paired bootstrap (``PairedBootstrap``, the policy's resamples and seed, stream
///    `t/m`) gives the distribution of the drop `D = −s·(candidate − baseline)`.
///    `δ_abs = δ·|baseline score|` when relative, else `δ`.
/// 2. **pass** when the one-sided `1 − α` upper bound of the drop (the `1 − α` quantile of `D*`)
///    is `≤ δ_abs`;
/// 3. otherwise the p-value of H0 `D ≤ δ_abs` is `(1 + #{D* ≤ δ_abs}) / (B + 1)` (percentile
///    test inversion); for binary items with `δ_abs = 0` it is the exact two-sided McNemar
///    p-value when the candidate lost more items than it gained (else 1). P-values are
///    Holm-corrected across the comparisons with at least `min_items` items, in two families —
///    the deciding tasks, and the advisory ones (`must_not_regress` leaves them out) — so that
///    reporting more tasks never weakens the test of those that decide; **fail** when the
///    adjusted p-value is `< α` (each comparison's own `α`);
/// 4. **inconclusive** when `N < min_items`, or when neither holds. The report gives the minimal
///    detectable drop `(z_{1−α} + z_{0.8})·SE`, `SE` the bootstrap standard error (at least
///    `1/N` for binary items, the effect of one flipped item, so it is never 0).
///
/// The overall verdict: **fail** if any deciding task fails, else **inconclusive** if any
/// deciding task is inconclusive, else **pass**; a task decides unless the policy's
/// `must_not_regress` list leaves it out. Exit codes: ``GateVerdict/exitCode(inconclusiveAs:)``.
///
/// Usage from the CLI:
/// ```swift
/// let policy = try YAMLDecoder().decode(GatePolicy.self, from: text)
/// let report = try MergeGate(policy: policy).evaluate(comparisons)
/// exit(report.exitCode(inconclusiveAs: .fail))
/// ```
///
/// ### References
/// S. Holm, Scand. J. Statist. 1979; Q. McNemar, Psychometrika 1947; B. Efron,
/// R. Tibshirani, *An Introduction to the Bootstrap*, 1993, §16 (tests from intervals).
public struct MergeGate: Sendable {
    /// The policy applied.
    public let policy: GatePolicy

    /// Creates a gate.
    /// - Throws: ``AnalysisError/invalidPolicy(field:value:expected:)`` for out-of-range values.
    public init(policy: GatePolicy = GatePolicy()) throws {
        try policy.validate()
        self.policy = policy
    }

    /// Judges every comparison and the whole.
    /// - Parameter comparisons: One per task and metric, each with `N ≥ 1` aligned items.
    /// - Returns: Verdicts ordered by task then metric, and the overall verdict.
    /// - Throws: ``AnalysisError/noItems(task:metric:)``,
    ///   ``AnalysisError/duplicateComparison(task:metric:)``,
    ///   ``AnalysisError/missingMustNotRegressTask(task:available:)`` (all exit code 2).
    public func evaluate(_ comparisons: [GateComparison]) throws -> GateReport {
        let ordered = comparisons.sorted {
            ($0.task.unicodeScalars.lexicographicallyPrecedes($1.task.unicodeScalars))
                || ($0.task == $1.task
                    && $0.metric.unicodeScalars.lexicographicallyPrecedes($1.metric.unicodeScalars))
        }
        for (a, b) in zip(ordered, ordered.dropFirst())
        where a.task == b.task && a.metric == b.metric {
            throw AnalysisError.duplicateComparison(task: a.task, metric: a.metric)
        }
        let tasks = Array(Set(ordered.map(\.task))).sorted()
        for task in policy.mustNotRegress ?? [] where !tasks.contains(task) {
            throw AnalysisError.missingMustNotRegressTask(task: task, available: tasks)
        }
        if let empty = ordered.first(where: { $0.data.itemCount == 0 }) {
            throw AnalysisError.noItems(task: empty.task, metric: empty.metric)
        }
        guard !ordered.isEmpty else {
            throw AnalysisError.noItems(task: "(none)", metric: "(none)")
        }

        let bootstrap = PairedBootstrap(resamples: policy.resamples, seed: policy.seed)
        var partial: [TaskVerdict] = []
        for item in ordered {
            partial.append(judge(item, bootstrap: bootstrap))
        }

        // Holm within two families of comparisons with enough items: the deciding ones (whose
        // verdicts make the overall verdict) and the advisory ones, so that reporting extra
        // tasks never weakens the test of the tasks that must not regress.
        for advisory in [false, true] {
            let family = partial.indices.filter {
                partial[$0].reason != .tooFewItems && partial[$0].advisory == advisory
            }
            let adjusted = HolmCorrection.adjust(family.map { partial[$0].pValue })
            for (index, p) in zip(family, adjusted) {
                partial[index].adjustedPValue = p
                if partial[index].verdict == .pass { continue }
                if p < partial[index].threshold.alpha {
                    partial[index].verdict = .fail
                    partial[index].reason = .beyondTolerance
                }
            }
        }

        let deciding = partial.filter { !$0.advisory }.map(\.verdict)
        let overall: GateVerdict =
            deciding.contains(.fail)
            ? .fail
            : deciding.contains(.inconclusive) ? .inconclusive : .pass
        return GateReport(
            verdicts: partial, overall: overall, resamples: policy.resamples, seed: policy.seed)
    }

    /// Everything but the Holm step: pass, too few items, or provisionally not significant.
    private func judge(_ item: GateComparison, bootstrap: PairedBootstrap) -> TaskVerdict {
        let threshold = policy.threshold(task: item.task, metric: item.metric)
        let distribution = bootstrap.run(item.data, key: "\(item.task)/\(item.metric)")
        let comparison = PairedComparison(
            task: item.task, metric: item.metric, direction: item.direction, data: item.data,
            alpha: threshold.alpha, distribution: distribution)
        let n = item.data.itemCount
        let alpha = threshold.alpha
        let tolerated = threshold.absoluteDelta(baselineScore: distribution.baselineScore)
        let upperDrop: Double
        var pValue: Double
        if item.direction == .higherIsBetter {
            // drop* = −delta*: upper quantile of the drop is minus the α-quantile of delta.
            upperDrop = -distribution.quantile(alpha)
            pValue = distribution.tailFraction(atLeast: -tolerated)
        } else {
            upperDrop = distribution.quantile(1 - alpha)
            pValue = distribution.tailFraction(atMost: tolerated)
        }
        if item.data.isBinary, tolerated == 0, let test = comparison.mcNemar {
            pValue = comparison.drop > 0 ? test.pValue : 1
        }
        var standardError = distribution.standardError
        if item.data.isBinary { standardError = max(standardError, 1 / Double(n)) }
        let z = NormalDistribution.quantile(1 - alpha) + NormalDistribution.quantile(0.8)
        let verdict: GateVerdict
        let reason: TaskVerdict.Reason
        if n < threshold.minItems {
            (verdict, reason) = (.inconclusive, .tooFewItems)
        } else if upperDrop <= tolerated {
            (verdict, reason) = (.pass, .withinTolerance)
        } else {
            (verdict, reason) = (.inconclusive, .notSignificant)
        }
        return TaskVerdict(
            comparison: comparison, threshold: threshold, toleratedDrop: tolerated,
            dropUpperBound: upperDrop, pValue: pValue, adjustedPValue: nil,
            minimalDetectableDrop: z * standardError, advisory: !policy.decides(task: item.task),
            verdict: verdict, reason: reason)
    }
}
