import Analysis

/// What both renderers say in their first line and share in their tables.
struct ReportSummary {
    let input: ReportInput

    /// `95%` for the comparisons' α (0.05 when there is none).
    var confidenceLabel: String {
        NumberFormatting.percent(1 - (input.shownComparisons.first?.alpha ?? 0.05))
    }

    /// Columns the forgetting averages use: higher-is-better metrics whose base score lies in
    /// [0, 1] (accuracies, exact match, ROUGE as fractions), so units agree.
    var proportionColumns: [Int] {
        input.matrix.columns.indices.filter {
            input.matrix.columns[$0].direction == .higherIsBetter
                && (0...1).contains(input.matrix.values[0][$0])
        }
    }

    /// The headline: the gate's verdict when present, else the worst forgetting in the lineage.
    var headline: String {
        let pair: String
        if let b = input.baselineName, let c = input.candidateName {
            pair = "; candidate \(c) vs baseline \(b)"
        } else {
            pair = ""
        }
        if input.hasSeveralGates {
            let baselines = Set(input.candidateGates.map(\.baseline))
            var text =
                "Gates: "
                + input.candidateGates.map {
                    "\($0.candidate) \($0.gate.overall.rawValue.uppercased())"
                }.joined(separator: ", ")
            if baselines.count == 1, let baseline = baselines.first {
                text += " (vs baseline \(baseline))"
            }
            return text
        }
        if let gate = input.gate {
            return "Gate: \(gate.overall.rawValue.uppercased())" + Self.checksText(gate) + pair
        }
        let m = input.matrix
        guard m.rowCount > 1 else {
            return "\(m.columnCount) task metrics on the base model only"
        }
        let last = m.rowCount - 1
        var worst: (column: Int, value: Double)?
        for j in 0..<m.columnCount {
            guard let f = m.forgetting(column: j, row: last, reference: input.reference) else {
                continue
            }
            let relative = f / max(abs(m.values[0][j]), 1e-12)
            if worst == nil || relative > worst!.value { worst = (j, relative) }
        }
        var text = "\(m.rowCount) checkpoints × \(m.columnCount) task metrics"
        if let worst, worst.value > 0 {
            let column = m.columns[worst.column]
            let f = m.forgetting(column: worst.column, row: last, reference: input.reference)!
            text +=
                "; most forgotten by \(m.stages[last]): \(column.label) "
                + NumberFormatting.signed(
                    -column.direction.sign * f, scale: m.values[0][worst.column])
                + " \(input.reference.label)"
        } else {
            text += "; no task got worse by \(m.stages[last]) \(input.reference.label)"
        }
        return text + pair
    }

    /// ` (all 4 checks pass)`, ` (1 of 4 checks fail: sst2/acc)` or
    /// ` (2 of 4 checks inconclusive, none fail)`: the deciding checks behind a verdict.
    static func checksText(_ gate: GateReport) -> String {
        let deciding = gate.verdicts.filter { !$0.advisory }
        let failed = deciding.filter { $0.verdict == .fail }
        let unsure = deciding.filter { $0.verdict == .inconclusive }
        switch gate.overall {
        case .pass:
            return " (all \(deciding.count) checks pass)"
        case .fail:
            let names = failed.prefix(3).map { "\($0.comparison.task)/\($0.comparison.metric)" }
            return " (\(failed.count) of \(deciding.count) checks fail: "
                + names.joined(separator: ", ") + (failed.count > 3 ? ", …" : "") + ")"
        case .inconclusive:
            return " (\(unsure.count) of \(deciding.count) checks inconclusive, none fail)"
        }
    }

    /// Verdict of a comparison in the delta table, if the gate judged it.
    func verdict(for comparison: PairedComparison) -> TaskVerdict? {
        Self.verdict(for: comparison, in: input.gate)
    }

    /// Verdict of a comparison in a given gate's verdicts.
    static func verdict(for comparison: PairedComparison, in gate: GateReport?) -> TaskVerdict? {
        gate?.verdicts.first {
            $0.comparison.task == comparison.task && $0.comparison.metric == comparison.metric
        }
    }

    /// `-0.078 [-0.102, -0.055]`, decimals by the baseline's scale.
    static func deltaText(_ c: PairedComparison) -> String {
        let scale = c.baselineScore
        return NumberFormatting.signed(c.delta, scale: scale) + " ["
            + NumberFormatting.signed(c.lower, scale: scale) + ", "
            + NumberFormatting.signed(c.upper, scale: scale) + "]"
    }

    /// The items to show, worst first (as given), at most `limit`.
    func flips(limit: Int) -> [FlipExample] { Array(input.flips.prefix(limit)) }
}
