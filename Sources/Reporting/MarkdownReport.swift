import Analysis

/// A Markdown report fit for a pull-request comment: one summary line, a table of tasks
/// (baseline, candidate, delta with interval, verdict) and the worst flipped items.
///
/// Every string from data or a model is escaped for GitHub-flavoured Markdown (HTML entities,
/// `|`, backticks, emphasis markers) and folded onto one line. Output is deterministic.
///
/// ```swift
/// let markdown = MarkdownReport(input: input).render()
/// ```
public struct MarkdownReport: Sendable {
    /// What to render.
    public var input: ReportInput
    /// How many flipped items to list (default 5).
    public var flipLimit: Int

    /// Creates a renderer.
    public init(input: ReportInput, flipLimit: Int = 5) {
        self.input = input
        self.flipLimit = flipLimit
    }

    static func badge(_ verdict: GateVerdict) -> String {
        switch verdict {
        case .pass: "✅ pass"
        case .fail: "❌ fail"
        case .inconclusive: "⚠️ inconclusive"
        }
    }

    /// The report, UTF-8 Markdown ending in a newline.
    ///
    /// With several gated candidates (``ReportInput/candidateGates``), the summary line names
    /// each candidate's verdict and each candidate gets its own verdict line, task table and
    /// flipped items.
    public func render() -> String {
        let summary = ReportSummary(input: input)
        let cell = { (text: String) in Escaping.markdownCell(text) }
        var out = "### ForgetMeNot: \(cell(input.experiment))\n\n"
        let mark = input.worstVerdict.map { Self.badge($0).split(separator: " ")[0] + " " } ?? ""
        out += "\(mark)**\(Escaping.markdownCell(summary.headline, limit: 400))**\n\n"

        if input.matrix.rowCount > 2 {
            out += scoreMatrixTable(input.matrix)
        }
        if input.hasSeveralGates {
            for candidate in input.candidateGates {
                out +=
                    "**\(cell(candidate.candidate)) vs \(cell(candidate.baseline)): "
                    + Self.badge(candidate.gate.overall)
                    + Escaping.markdownCell(ReportSummary.checksText(candidate.gate), limit: 400)
                    + "**\n\n"
                out += comparisonTable(
                    candidate.gate.verdicts.map(\.comparison), gate: candidate.gate,
                    summary: summary)
                out += flipTable(Array(candidate.flips.prefix(flipLimit)))
            }
        } else {
            let comparisons = input.shownComparisons
            if !comparisons.isEmpty {
                out += comparisonTable(comparisons, gate: input.gate, summary: summary)
            } else if input.matrix.rowCount > 1 {
                let m = input.matrix
                let last = m.rowCount - 1
                out += "| task | metric | \(cell(m.stages[0])) | \(cell(m.stages[last])) | Δ |\n"
                out += "|:--|:--|--:|--:|--:|\n"
                for (j, column) in m.columns.enumerated() {
                    let base = m.values[0][j]
                    out +=
                        "| \(cell(column.task)) | \(cell(column.metric)) | "
                        + NumberFormatting.score(base) + " | "
                        + NumberFormatting.score(m.values[last][j], scale: base) + " | "
                        + NumberFormatting.signed(m.values[last][j] - base, scale: base) + " |\n"
                }
                out += "\n"
            }
            out += flipTable(summary.flips(limit: flipLimit))
        }
        var footer =
            input.matrix.rowCount > 2 ? "forgetting \(input.reference.label)" : "delta vs baseline"
        if let gate = input.gate {
            footer +=
                " · paired bootstrap, \(gate.resamples) resamples, seed \(gate.seed), Holm-corrected"
        }
        if !input.generatedBy.isEmpty { footer += " · \(cell(input.generatedBy))" }
        out += "<sub>\(footer)</sub>\n"
        return out
    }

    /// The task table: baseline, candidate, delta with interval, and the verdict when gated.
    private func comparisonTable(
        _ comparisons: [PairedComparison], gate: GateReport?, summary: ReportSummary
    ) -> String {
        let cell = { (text: String) in Escaping.markdownCell(text) }
        let hasGate = gate != nil
        var out =
            "| task | metric (↓: lower is better) | baseline | candidate | Δ [\(summary.confidenceLabel) CI] |"
        out += hasGate ? " verdict |\n" : "\n"
        out += "|:--|:--|--:|--:|:--|" + (hasGate ? ":--|\n" : "\n")
        for c in comparisons {
            let arrow = c.direction == .lowerIsBetter ? " ↓" : ""
            out +=
                "| \(cell(c.task)) | \(cell(c.metric))\(arrow) | "
                + NumberFormatting.score(c.baselineScore) + " | "
                + NumberFormatting.score(c.candidateScore, scale: c.baselineScore) + " | "
                + ReportSummary.deltaText(c) + " |"
            if let v = ReportSummary.verdict(for: c, in: gate) {
                var text = Self.badge(v.verdict)
                if v.advisory { text += " (advisory)" }
                if v.verdict == .inconclusive {
                    text += v.reason == .tooFewItems ? ", too few items" : ""
                    text +=
                        ", detectable drop "
                        + NumberFormatting.score(v.minimalDetectableDrop, scale: c.baselineScore)
                }
                out += " \(text) |"
            }
            out += "\n"
        }
        return out + "\n"
    }

    /// The score matrix R[i][j]: one row per checkpoint (base first), one column per task
    /// metric, each cell with its standard error when known.
    private func scoreMatrixTable(_ m: ScoreMatrix) -> String {
        let cell = { (text: String) in Escaping.markdownCell(text) }
        var out = "**Score matrix** (rows: checkpoints; ↓: lower is better)\n\n"
        out += "| checkpoint |"
        for column in m.columns {
            out +=
                " \(cell(column.task))/\(cell(column.metric))"
                + (column.direction == .lowerIsBetter ? " ↓" : "") + " |"
        }
        out += "\n|:--|" + String(repeating: "--:|", count: m.columnCount) + "\n"
        for (i, stage) in m.stages.enumerated() {
            out += "| \(cell(stage)) |"
            for j in 0..<m.columnCount {
                let base = m.values[0][j]
                var text = NumberFormatting.score(m.values[i][j], scale: base)
                if let error = m.standardErrors?[i][j], error > 0 {
                    text += " ± " + NumberFormatting.score(error, scale: base)
                }
                out += " \(text) |"
            }
            out += "\n"
        }
        return out + "\n"
    }

    /// The worst flipped items with both outputs; empty when there are none.
    private func flipTable(_ flips: [FlipExample]) -> String {
        guard !flips.isEmpty else { return "" }
        let cell = { (text: String) in Escaping.markdownCell(text) }
        var out = "**Worst flipped items**\n\n"
        out += "| task | item | reference | baseline output | candidate output | score |\n"
        out += "|:--|:--|:--|:--|:--|:--|\n"
        for f in flips {
            out +=
                "| \(cell(f.task)) | \(cell(f.itemId)) | \(Escaping.markdownCell(f.reference, limit: 40)) | "
                + "\(Escaping.markdownCell(f.baselineOutput, limit: 60)) | "
                + "\(Escaping.markdownCell(f.candidateOutput, limit: 60)) | "
                + NumberFormatting.score(f.baselineScore, scale: 1) + " → "
                + NumberFormatting.score(f.candidateScore, scale: 1) + " |\n"
        }
        return out + "\n"
    }
}
