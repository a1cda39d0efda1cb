import Analysis

/// The full report as ONE self-contained HTML file: inline CSS and SVG, no script, nothing
/// fetched, readable without JavaScript and printable.
///
/// Sections: summary and gate verdicts; forgetting per stage; the score matrix as a heatmap
/// (``HeatmapChart``); changes with confidence intervals (``IntervalChart``); each task across
/// stages (``LineChart``); training-loss curves; learning vs forgetting (``ScatterChart``);
/// flipped items with both checkpoints' outputs side by side. Every string from data or a model
/// is HTML-escaped. Output is deterministic.
///
/// ```swift
/// let html = HTMLReport(input: input).render()
/// ```
public struct HTMLReport: Sendable {
    /// What to render.
    public var input: ReportInput
    /// How many flipped items to list (default 50).
    public var flipLimit: Int

    /// Creates a renderer.
    public init(input: ReportInput, flipLimit: Int = 50) {
        self.input = input
        self.flipLimit = flipLimit
    }

    static let style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#222;margin:0;\
        background:#fafafa;line-height:1.4}
        main{max-width:1180px;margin:0 auto;padding:16px 24px 40px;background:#fff}
        h1{font-size:24px;margin:8px 0 4px}h2{font-size:18px;margin:28px 0 8px;\
        border-bottom:1px solid #ddd;padding-bottom:4px}
        h3{font-size:15px;margin:18px 0 6px}
        p.summary{font-size:16px;margin:6px 0 12px}
        .badge{display:inline-block;padding:2px 10px;border-radius:10px;color:#fff;font-weight:bold}
        .pass{background:#00855f}.fail{background:#c0392b}.inconclusive{background:#a07400}
        .note{color:#666;font-size:13px}
        table{border-collapse:collapse;font-size:13px;margin:6px 0}
        th,td{border:1px solid #ddd;padding:4px 8px;vertical-align:top;text-align:left}
        th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums;\
        white-space:nowrap}
        td.text{max-width:320px;white-space:pre-wrap;word-break:break-word}
        .grid{display:flex;flex-wrap:wrap;gap:8px}
        .scroll{overflow-x:auto}
        footer{margin-top:32px;color:#777;font-size:12px}
        """

    private func h(_ text: String) -> String { Escaping.html(text) }

    private func badge(_ verdict: GateVerdict) -> String {
        "<span class=\"badge \(verdict.rawValue)\">\(verdict.rawValue)</span>"
    }

    /// The report, a UTF-8 HTML document ending in a newline.
    public func render() -> String {
        let summary = ReportSummary(input: input)
        let m = input.matrix
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>ForgetMeNot report: \(h(input.experiment))</title>\n"
        out += "<style>\n\(Self.style)\n</style>\n</head>\n<body>\n<main>\n"
        out += "<h1>\(h(input.experiment))</h1>\n"
        out += "<p class=\"summary\">"
        if let verdict = input.worstVerdict { out += badge(verdict) + " " }
        out += "\(h(summary.headline))</p>\n"
        out +=
            "<p class=\"note\">Forgetting is measured \(h(input.reference.label)); positive "
            + "forgetting means worse, for lower-is-better metrics (perplexity) too.</p>\n"

        out += gateSection(summary)
        out += stagesSection(summary)
        out += "<section id=\"matrix\">\n<h2>Score matrix</h2>\n<div class=\"scroll\">\n"
        out += HeatmapChart(matrix: m, reference: input.reference).svg()
        out += "</div>\n</section>\n"

        let comparisons = input.shownComparisons
        if input.hasSeveralGates {
            out +=
                "<section id=\"deltas\">\n<h2>Changes with \(summary.confidenceLabel) "
                + "confidence intervals</h2>\n"
            for candidate in input.candidateGates {
                out +=
                    "<h3>\(h(candidate.candidate)) vs \(h(candidate.baseline))</h3>\n"
                    + "<p class=\"note\">Each row on its own scale, right is better; dashed: "
                    + "tolerated drop.</p>\n"
                out +=
                    "<div class=\"scroll\">\n" + IntervalChart(gate: candidate.gate).svg()
                    + "</div>\n"
            }
            out += "</section>\n"
        } else if !comparisons.isEmpty {
            out +=
                "<section id=\"deltas\">\n<h2>Changes with \(summary.confidenceLabel) "
                + "confidence intervals</h2>\n"
            if let b = input.baselineName, let c = input.candidateName {
                out +=
                    "<p class=\"note\">\(h(c)) vs \(h(b)); each row on its own scale, right is "
                    + "better; dashed: tolerated drop.</p>\n"
            }
            let chart =
                input.gate.map { IntervalChart(gate: $0) }
                ?? IntervalChart(rows: comparisons.map { IntervalChart.Row(comparison: $0) })
            out += "<div class=\"scroll\">\n" + chart.svg() + "</div>\n</section>\n"
        }

        if m.rowCount > 1 {
            out +=
                "<section id=\"tasks\">\n<h2>Each task across stages</h2>\n<div class=\"grid\">\n"
            for (j, column) in m.columns.enumerated() {
                let points = (0..<m.rowCount).map { (x: Double($0), y: m.values[$0][j]) }
                let errors = m.standardErrors.map { se in (0..<m.rowCount).map { se[$0][j] } }
                let arrow = column.direction == .higherIsBetter ? "↑ better" : "↓ better"
                out += LineChart(
                    title: column.label, xLabel: "stage", yLabel: "\(column.metric) (\(arrow))",
                    series: [LineChart.Series(name: column.label, points: points, errors: errors)],
                    categories: m.stages, width: 280, height: 210
                ).svg()
            }
            out += "</div>\n</section>\n"
        }

        if !input.lossCurves.isEmpty {
            out += "<section id=\"loss\">\n<h2>Training loss</h2>\n"
            let series = input.lossCurves.map { curve in
                LineChart.Series(
                    name: curve.stage,
                    points: zip(curve.steps, curve.losses).map { (x: Double($0), y: $1) })
            }
            out += LineChart(
                title: "Training loss by step", xLabel: "step",
                yLabel: "loss (nats per token)", series: series, width: 720, height: 300
            ).svg()
            out += "</section>\n"
        }

        let points = m.learningVersusForgetting(
            reference: .baseModel, columns: summary.proportionColumns
        )
        .compactMap { p -> ScatterChart.Point? in
            guard let gain = p.targetGain, let other = p.otherChange else { return nil }
            return ScatterChart.Point(
                label: p.stage, group: input.stages[p.row].method, x: other, y: gain)
        }
        if !points.isEmpty {
            out += "<section id=\"learning\">\n<h2>Learning vs forgetting</h2>\n"
            out +=
                "<p class=\"note\">Per stage, against the base model: mean change on the tasks "
                + "it was not trained on (x) and mean gain on its target tasks (y), over "
                + "proportion metrics (Biderman et al. 2024).</p>\n"
            out += ScatterChart(points: points).svg()
            out += "</section>\n"
        }

        out += flipsSection(summary)
        out += "<footer>ForgetMeNot report"
        if !input.generatedBy.isEmpty { out += " · \(h(input.generatedBy))" }
        if let gate = input.gate {
            out +=
                " · paired bootstrap, \(gate.resamples) resamples, seed \(gate.seed); "
                + "Holm correction across tasks"
        }
        out += "</footer>\n</main>\n</body>\n</html>\n"
        return out
    }

    private func gateSection(_ summary: ReportSummary) -> String {
        if input.hasSeveralGates {
            var out = "<section id=\"gate\">\n<h2>Gate verdicts</h2>\n"
            out +=
                "<div class=\"scroll\"><table>\n<thead><tr><th>candidate</th><th>baseline</th>"
                + "<th>verdict</th><th>checks</th></tr></thead>\n<tbody>\n"
            for candidate in input.candidateGates {
                out +=
                    "<tr><td>\(h(candidate.candidate))</td><td>\(h(candidate.baseline))</td>"
                    + "<td>\(badge(candidate.gate.overall))</td>"
                    + "<td>\(h(String(ReportSummary.checksText(candidate.gate).dropFirst(2).dropLast())))</td>"
                    + "</tr>\n"
            }
            out += "</tbody></table></div>\n"
            for candidate in input.candidateGates {
                out +=
                    "<h3>\(h(candidate.candidate)) vs \(h(candidate.baseline)) "
                    + "\(badge(candidate.gate.overall))</h3>\n"
                out += gateTable(
                    candidate.gate.verdicts.map(\.comparison), gate: candidate.gate,
                    summary: summary)
            }
            return out + "</section>\n"
        }
        let comparisons = input.shownComparisons
        guard !comparisons.isEmpty else { return "" }
        var out = "<section id=\"gate\">\n<h2>"
        out += input.gate == nil ? "Baseline vs candidate" : "Gate verdicts"
        out += "</h2>\n"
        out += gateTable(comparisons, gate: input.gate, summary: summary)
        return out + "</section>\n"
    }

    /// The verdict (or comparison) table of one baseline and candidate.
    private func gateTable(
        _ comparisons: [PairedComparison], gate: GateReport?, summary: ReportSummary
    ) -> String {
        var out =
            "<div class=\"scroll\"><table>\n<thead><tr><th>task</th><th>metric (↓: lower is better)</th>"
            + "<th>items</th><th>baseline</th><th>candidate</th>"
            + "<th>Δ [\(summary.confidenceLabel) CI]</th>"
        if gate != nil {
            out += "<th>tolerated drop</th><th>p (Holm)</th><th>verdict</th>"
        } else {
            out += "<th>McNemar p</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for c in comparisons {
            let scale = c.baselineScore
            let arrow = c.direction == .lowerIsBetter ? " ↓" : ""
            out +=
                "<tr><td>\(h(c.task))</td><td>\(h(c.metric))\(arrow)</td>"
                + "<td class=\"num\">\(c.itemCount)</td>"
                + "<td class=\"num\">\(NumberFormatting.score(c.baselineScore))</td>"
                + "<td class=\"num\">\(NumberFormatting.score(c.candidateScore, scale: scale))</td>"
                + "<td class=\"num\">\(ReportSummary.deltaText(c))</td>"
            if let v = ReportSummary.verdict(for: c, in: gate) {
                let p = v.adjustedPValue.map(NumberFormatting.pValue) ?? "–"
                var verdict = badge(v.verdict)
                if v.advisory { verdict += " <span class=\"note\">advisory</span>" }
                if v.verdict == .inconclusive {
                    verdict +=
                        " <span class=\"note\">"
                        + (v.reason == .tooFewItems ? "too few items; " : "")
                        + "detectable drop \(NumberFormatting.score(v.minimalDetectableDrop, scale: scale))"
                        + "</span>"
                }
                out +=
                    "<td class=\"num\">\(NumberFormatting.score(v.toleratedDrop, scale: scale))</td>"
                    + "<td class=\"num\">\(p)</td><td>\(verdict)</td>"
            } else {
                let p = c.mcNemar.map { NumberFormatting.pValue($0.pValue) } ?? "–"
                out += "<td class=\"num\">\(p)</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody></table></div>\n"
        return out
    }

    private func stagesSection(_ summary: ReportSummary) -> String {
        let m = input.matrix
        let columns = summary.proportionColumns
        var out = "<section id=\"stages\">\n<h2>Stages and forgetting</h2>\n"
        out +=
            "<div class=\"scroll\"><table>\n<thead><tr><th>checkpoint</th><th>method</th>"
            + "<th>parent</th><th>commit</th><th>avg forgetting</th><th>max forgetting</th>"
            + "<th>most forgotten</th></tr></thead>\n<tbody>\n"
        for (i, stage) in input.stages.enumerated() {
            let average = i > 0 ? m.averageForgetting(row: i, columns: columns) : nil
            let maximum = i > 0 ? m.maximumForgetting(row: i, columns: columns) : nil
            var worst = "–"
            if i > 0 {
                var best: (Int, Double)?
                for j in 0..<m.columnCount {
                    guard let f = m.forgetting(column: j, row: i, reference: input.reference) else {
                        continue
                    }
                    let relative = f / max(abs(m.values[0][j]), 1e-12)
                    if best == nil || relative > best!.1 { best = (j, relative) }
                }
                if let best, best.1 > 0 {
                    worst =
                        h(m.columns[best.0].label) + " ("
                        + NumberFormatting.signed(-best.1 * 100, scale: 10) + "%)"
                }
            }
            let commit = stage.checkpoint.map { String($0.prefix(10)) } ?? "–"
            out +=
                "<tr><td>\(h(stage.name))</td><td>\(h(stage.method))</td>"
                + "<td>\(h(stage.parent ?? "–"))</td><td><code>\(h(commit))</code></td>"
                + "<td class=\"num\">\(average.map { NumberFormatting.signed($0, scale: 1) } ?? "–")</td>"
                + "<td class=\"num\">\(maximum.map { NumberFormatting.signed($0, scale: 1) } ?? "–")</td>"
                + "<td>\(worst)</td></tr>\n"
        }
        out += "</tbody></table></div>\n"
        var transfer: [String] = []
        if let bwt = m.backwardTransfer(columns: columns) {
            transfer.append("backward transfer \(NumberFormatting.signed(bwt, scale: 1))")
        }
        if let fwt = m.forwardTransfer(columns: columns) {
            transfer.append("forward transfer \(NumberFormatting.signed(fwt, scale: 1))")
        }
        out +=
            "<p class=\"note\">Average and maximum forgetting as Chaudhry et al. (2018) "
            + "(against the best score so far), over proportion metrics"
        out +=
            transfer.isEmpty
            ? ""
            : "; " + transfer.joined(separator: ", ")
                + " (Lopez-Paz &amp; Ranzato 2017)"
        out += ". Most forgotten: largest relative drop \(h(input.reference.label)).</p>\n"
        out += "</section>\n"
        return out
    }

    private func flipsSection(_ summary: ReportSummary) -> String {
        let flips = summary.flips(limit: flipLimit)
        let several = input.hasSeveralGates
        let anyFlips =
            several ? input.candidateGates.contains { !$0.flips.isEmpty } : !flips.isEmpty
        guard anyFlips || !input.forgotten.isEmpty else { return "" }
        var out = "<section id=\"flips\">\n<h2>Flipped items</h2>\n"
        if !input.forgotten.isEmpty {
            out +=
                "<p class=\"note\">Items right at the base model and wrong at every later "
                + "checkpoint (forgotten for good):</p>\n<table>\n<thead><tr><th>task</th>"
                + "<th>forgotten</th><th>of right at base</th><th>items</th></tr></thead>\n<tbody>\n"
            for f in input.forgotten {
                var ids = f.itemIds.prefix(12).map(h).joined(separator: ", ")
                if f.itemIds.count > 12 { ids += ", …" }
                out +=
                    "<tr><td>\(h(f.task))</td><td class=\"num\">\(f.itemIds.count)</td>"
                    + "<td class=\"num\">\(f.rightAtBase)</td><td>\(ids)</td></tr>\n"
            }
            out += "</tbody></table>\n"
        }
        if several {
            for candidate in input.candidateGates where !candidate.flips.isEmpty {
                out += "<h3>\(h(candidate.candidate)) vs \(h(candidate.baseline))</h3>\n"
                out += flipTable(
                    Array(candidate.flips.prefix(flipLimit)), baseline: candidate.baseline,
                    candidate: candidate.candidate)
            }
            return out + "</section>\n"
        }
        guard !flips.isEmpty else { return out + "</section>\n" }
        out += flipTable(
            flips, baseline: input.baselineName ?? "baseline",
            candidate: input.candidateName ?? "candidate")
        return out + "</section>\n"
    }

    /// Flipped items with the prompt, the reference and both outputs side by side.
    private func flipTable(_ flips: [FlipExample], baseline b: String, candidate c: String)
        -> String
    {
        var out =
            "<div class=\"scroll\"><table>\n<thead><tr><th>task</th><th>item</th>"
            + "<th>prompt</th><th>reference</th><th>\(h(b)) output</th><th>\(h(c)) output</th>"
            + "<th>score</th></tr></thead>\n<tbody>\n"
        for f in flips {
            out +=
                "<tr><td>\(h(f.task))</td><td>\(h(f.itemId))</td>"
                + "<td class=\"text\">\(h(Escaping.truncated(f.prompt, limit: 400)))</td>"
                + "<td class=\"text\">\(h(f.reference))</td>"
                + "<td class=\"text\">\(h(f.baselineOutput))</td>"
                + "<td class=\"text\">\(h(f.candidateOutput))</td>"
                + "<td class=\"num\">\(NumberFormatting.score(f.baselineScore, scale: 1)) → "
                + "\(NumberFormatting.score(f.candidateScore, scale: 1))</td></tr>\n"
        }
        out += "</tbody></table></div>\n"
        return out
    }
}
