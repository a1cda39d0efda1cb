import Analysis

/// Per task and metric, the change from baseline to candidate with its confidence interval.
///
/// Every row is drawn as an improvement (`sign · delta`, so right is better for perplexity as
/// for accuracy) on its own scale, because metrics differ in units; the zero line and, when a
/// gate verdict is given, the tolerated drop `−δ` (dashed) are marked, and the numbers are
/// printed beside the row.
public struct IntervalChart: Sendable {
    /// One row.
    public struct Row: Sendable {
        /// The comparison shown.
        public var comparison: PairedComparison
        /// The tolerated drop `δ` in metric units, if a gate judged it.
        public var toleratedDrop: Double?
        /// The verdict, if a gate judged it.
        public var verdict: GateVerdict?

        /// Creates a row.
        public init(
            comparison: PairedComparison, toleratedDrop: Double? = nil, verdict: GateVerdict? = nil
        ) {
            self.comparison = comparison
            self.toleratedDrop = toleratedDrop
            self.verdict = verdict
        }
    }

    /// The rows, top to bottom.
    public var rows: [Row]

    /// Creates the chart.
    public init(rows: [Row]) { self.rows = rows }

    /// Rows from a gate report (tolerance and verdict included).
    public init(gate: GateReport) {
        rows = gate.verdicts.map {
            Row(comparison: $0.comparison, toleratedDrop: $0.toleratedDrop, verdict: $0.verdict)
        }
    }

    static func color(_ verdict: GateVerdict?) -> String {
        switch verdict {
        case .pass: "#009E73"
        case .fail: "#D55E00"
        case .inconclusive: "#B8860B"
        case nil: "#0072B2"
        }
    }

    /// The chart as a standalone `<svg>` element.
    public func svg() -> String {
        let labelWidth = 200.0
        let track = 280.0
        let numbers = 270.0
        let rowHeight = 26.0
        let top = 24.0
        let width = labelWidth + track + numbers
        var canvas = SVGCanvas(width: width, height: top + rowHeight * Double(rows.count) + 8)
        canvas.text("← worse", x: labelWidth, y: 14, size: 10, fill: "#666")
        canvas.text("better →", x: labelWidth + track, y: 14, size: 10, anchor: "end", fill: "#666")
        canvas.text("Δ [interval]", x: labelWidth + track + 12, y: 14, size: 10, fill: "#666")
        for (k, row) in rows.enumerated() {
            let c = row.comparison
            let sign = c.direction.sign
            let estimate = sign * c.delta
            let ends = [sign * c.lower, sign * c.upper].sorted()
            let tolerance = row.toleratedDrop.map { -$0 }
            let candidates = [ends[0], ends[1], 0, estimate] + (tolerance.map { [$0] } ?? [])
            var low = candidates.min()!
            var high = candidates.max()!
            let pad = max((high - low) * 0.08, 1e-9)
            low -= pad
            high += pad
            func px(_ v: Double) -> Double {
                labelWidth + 8 + (v - low) / (high - low) * (track - 16)
            }
            let y = top + rowHeight * Double(k)
            let mid = y + rowHeight / 2
            if k % 2 == 0 {
                canvas.rect(x: 0, y: y, width: width, height: rowHeight, fill: "#f7f7f7")
            }
            canvas.text(
                Escaping.truncated("\(c.task) / \(c.metric)", limit: 32), x: labelWidth - 8,
                y: mid + 4, size: 11, anchor: "end")
            canvas.line(x1: px(0), y1: y + 3, x2: px(0), y2: y + rowHeight - 3, stroke: "#999")
            if let tolerance {
                canvas.line(
                    x1: px(tolerance), y1: y + 3, x2: px(tolerance), y2: y + rowHeight - 3,
                    stroke: "#D55E00", dashed: true)
            }
            let color = Self.color(row.verdict)
            canvas.line(
                x1: px(ends[0]), y1: mid, x2: px(ends[1]), y2: mid, stroke: color, width: 2.5)
            let scale = c.baselineScore
            let text =
                NumberFormatting.signed(c.delta, scale: scale) + " ["
                + NumberFormatting.signed(c.lower, scale: scale) + ", "
                + NumberFormatting.signed(c.upper, scale: scale) + "]"
            canvas.circle(
                cx: px(estimate), cy: mid, r: 4, fill: color,
                title: "\(c.task) / \(c.metric): \(text)")
            canvas.text(
                text + (row.verdict.map { "  \($0.rawValue)" } ?? ""),
                x: labelWidth + track + 12, y: mid + 4, size: 11, fill: color)
        }
        return canvas.render(title: "Change from baseline to candidate with confidence intervals")
    }
}
