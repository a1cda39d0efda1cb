import Analysis

/// Everything a report shows, as plain values: the pipeline fills it from the store, and
/// ``MarkdownReport`` and ``HTMLReport`` render it without reading anything else.
///
/// Rendering is deterministic: the same input gives byte-identical output (no clock, no
/// locale, no dictionary order). Put a timestamp in ``generatedBy`` if one is wanted.
///
/// Filling it from the store (what `fmn report` does):
/// ```swift
/// let matrix = ScoreMatrix(
///     stages: lineage.map(\.name), columns: columns,           // one row per probe run
///     values: scores, standardErrors: stderrs, targetTasks: lineage.map(\.trainedTasks))
/// let deltas = columns.indices.map { j in                     // parent → leaf, per item
///     PairedComparison(task: columns[j].task, metric: columns[j].metric,
///                      direction: columns[j].direction, data: pairedData[j])
/// }
/// let input = ReportInput(
///     experiment: name, generatedBy: "fmn \(version)", stages: stages, matrix: matrix,
///     baselineName: parent.name, candidateName: leaf.name, deltas: deltas,
///     lossCurves: curves, flips: flips, forgotten: forgotten)
/// try ReportFiles.write(input, to: URL(fileURLWithPath: "Reports/\(name)"))
/// ```
/// For a gate, ``init(gate:experiment:baseline:candidate:flips:generatedBy:)`` builds the
/// two-row input of a pull-request comment.
public struct ReportInput: Codable, Sendable {
    /// The experiment's name (report title).
    public var experiment: String
    /// A provenance line shown in the footer (e.g. `fmn 0.1.0, suite 3f2a…`); empty for none.
    public var generatedBy: String
    /// One per matrix row, base first (`stages[i]` describes `matrix.stages[i]`).
    public var stages: [ReportStage]
    /// The score matrix of the lineage, with standard errors when known.
    public var matrix: ScoreMatrix
    /// The reference the heatmap and the forgetting table use.
    public var reference: ForgettingReference
    /// The two checkpoints the delta table compares (stage names), when there is a comparison.
    public var baselineName: String?
    /// See ``baselineName``.
    public var candidateName: String?
    /// Paired statistics per task and metric between baseline and candidate. When ``gate`` is
    /// set, its verdicts' comparisons are shown instead.
    public var deltas: [PairedComparison]
    /// The gate's verdicts on baseline → candidate, if it was run.
    public var gate: GateReport?
    /// Training-loss curves, one per stage that trained.
    public var lossCurves: [LossCurve]
    /// Flipped or most-dropped items with both checkpoints' outputs, worst first.
    public var flips: [FlipExample]
    /// Per binary task, the items forgotten at every stage after the base (in task order).
    public var forgotten: [ForgottenItems]
    /// Every gated candidate, in the experiment's order, when there are several: the reports
    /// then show a verdict per candidate, and each candidate's verdicts, intervals and flipped
    /// items. With one or none, ``gate`` and ``flips`` say everything and this stays empty.
    public var candidateGates: [CandidateGate]

    /// Creates a report input; only the experiment, stages and matrix are required.
    public init(
        experiment: String, generatedBy: String = "", stages: [ReportStage], matrix: ScoreMatrix,
        reference: ForgettingReference = .baseModel, baselineName: String? = nil,
        candidateName: String? = nil, deltas: [PairedComparison] = [], gate: GateReport? = nil,
        lossCurves: [LossCurve] = [], flips: [FlipExample] = [],
        forgotten: [ForgottenItems] = [], candidateGates: [CandidateGate] = []
    ) {
        precondition(
            stages.count == matrix.rowCount,
            "ReportInput: \(stages.count) stages for a matrix of \(matrix.rowCount) rows")
        self.experiment = experiment
        self.generatedBy = generatedBy
        self.stages = stages
        self.matrix = matrix
        self.reference = reference
        self.baselineName = baselineName
        self.candidateName = candidateName
        self.deltas = deltas
        self.gate = gate
        self.lossCurves = lossCurves
        self.flips = flips
        self.forgotten = forgotten
        self.candidateGates = candidateGates
    }

    /// Whether several candidates were gated (``candidateGates`` has more than one).
    public var hasSeveralGates: Bool { candidateGates.count > 1 }

    /// The worst overall verdict among the gates shown (fail, then inconclusive, then pass);
    /// `nil` without a gate.
    public var worstVerdict: GateVerdict? {
        let verdicts =
            hasSeveralGates ? candidateGates.map(\.gate.overall) : gate.map { [$0.overall] } ?? []
        if verdicts.isEmpty { return nil }
        if verdicts.contains(.fail) { return .fail }
        return verdicts.contains(.inconclusive) ? .inconclusive : .pass
    }

    /// The comparisons the delta table shows: the gate's when present, else ``deltas``.
    public var shownComparisons: [PairedComparison] {
        gate.map { $0.verdicts.map(\.comparison) } ?? deltas
    }
}
