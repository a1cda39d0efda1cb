import Analysis

extension ReportInput {
    /// The input for a gate's pull-request comment (`fmn gate --format md`): a two-row score
    /// matrix (baseline, candidate) made from the verdicts' full-sample scores, the gate, and the
    /// worst flipped items.
    /// - Parameters:
    ///   - gate: The gate's result.
    ///   - experiment: Title (e.g. the candidate's branch).
    ///   - baseline: The baseline checkpoint (row 0).
    ///   - candidate: The candidate checkpoint (row 1).
    ///   - flips: Flipped items with both outputs, worst first.
    ///   - generatedBy: Footer provenance line.
    public init(
        gate: GateReport, experiment: String, baseline: ReportStage, candidate: ReportStage,
        flips: [FlipExample] = [], generatedBy: String = ""
    ) {
        let comparisons = gate.verdicts.map(\.comparison)
        let matrix = ScoreMatrix(
            stages: [baseline.name, candidate.name],
            columns: comparisons.map {
                ScoreColumn(task: $0.task, metric: $0.metric, direction: $0.direction)
            },
            values: [comparisons.map(\.baselineScore), comparisons.map(\.candidateScore)])
        self.init(
            experiment: experiment, generatedBy: generatedBy, stages: [baseline, candidate],
            matrix: matrix, reference: .previousCheckpoint, baselineName: baseline.name,
            candidateName: candidate.name, gate: gate, flips: flips)
    }
}
