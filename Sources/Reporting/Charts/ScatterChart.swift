import Analysis

/// Learning against forgetting (Biderman et al. 2024): one point per candidate, x the mean
/// signed change on the tasks it was not trained on (left = forgot more), y the mean gain on its
/// target tasks (up = learned more); colour by fine-tuning method.
public struct ScatterChart: Sendable {
    /// One candidate.
    public struct Point: Sendable {
        /// Label (stage name).
        public var label: String
        /// Method (colour key), e.g. `lora`.
        public var group: String
        /// Mean change on other tasks.
        public var x: Double
        /// Mean gain on target tasks.
        public var y: Double

        /// Creates a point.
        public init(label: String, group: String, x: Double, y: Double) {
            self.label = label
            self.group = group
            self.x = x
            self.y = y
        }
    }

    /// The points.
    public var points: [Point]
    /// Axis labels.
    public var xLabel: String
    public var yLabel: String

    /// Creates the chart.
    public init(
        points: [Point], xLabel: String = "mean change on other tasks (← forgets more)",
        yLabel: String = "gain on target tasks"
    ) {
        self.points = points
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    /// The chart as a standalone `<svg>` element.
    public func svg() -> String {
        let width = 520.0
        let height = 340.0
        let left = 60.0
        let right = 20.0
        let top = 20.0
        let bottom = 44.0
        let groups = Array(Set(points.map(\.group))).sorted()
        let legend = groups.isEmpty ? 0.0 : 18
        var canvas = SVGCanvas(width: width, height: height + legend)
        guard !points.isEmpty else {
            canvas.text(
                "no stage with target tasks", x: width / 2, y: height / 2, anchor: "middle",
                fill: "#888")
            return canvas.render(title: "Learning vs forgetting")
        }
        // Ranges include 0 and are padded by 8 % so points never sit on the frame.
        func padded(_ values: [Double]) -> [Double] {
            let low = min(values.min()!, 0)
            let high = max(values.max()!, 0)
            let pad = max(high - low, 1e-9) * 0.08
            return ChartStyle.ticks(low: low - pad, high: high + pad)
        }
        let xTicks = padded(points.map(\.x))
        let yTicks = padded(points.map(\.y))
        let (xLow, xHigh) = (xTicks.first!, xTicks.last!)
        let (yLow, yHigh) = (yTicks.first!, yTicks.last!)
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        func px(_ x: Double) -> Double { left + (x - xLow) / (xHigh - xLow) * plotWidth }
        func py(_ y: Double) -> Double {
            top + plotHeight - (y - yLow) / (yHigh - yLow) * plotHeight
        }
        let xd = ChartStyle.tickDecimals(xTicks)
        let yd = ChartStyle.tickDecimals(yTicks)
        for t in xTicks {
            canvas.line(
                x1: px(t), y1: top, x2: px(t), y2: top + plotHeight, stroke: ChartStyle.grid)
            canvas.text(
                NumberFormatting.fixed(t, decimals: xd), x: px(t), y: top + plotHeight + 14,
                size: 9, anchor: "middle", fill: "#555")
        }
        for t in yTicks {
            canvas.line(
                x1: left, y1: py(t), x2: left + plotWidth, y2: py(t), stroke: ChartStyle.grid)
            canvas.text(
                NumberFormatting.fixed(t, decimals: yd), x: left - 4, y: py(t) + 3.5, size: 9,
                anchor: "end", fill: "#555")
        }
        canvas.line(x1: px(0), y1: top, x2: px(0), y2: top + plotHeight, stroke: "#777")
        canvas.line(x1: left, y1: py(0), x2: left + plotWidth, y2: py(0), stroke: "#777")
        canvas.text(
            xLabel, x: left + plotWidth / 2, y: height - 8, size: 10, anchor: "middle",
            fill: "#444")
        canvas.text(
            yLabel, x: 14, y: top + plotHeight / 2, size: 10, anchor: "middle",
            fill: "#444", rotate: -90)
        for p in points {
            let color = ChartStyle.color(groups.firstIndex(of: p.group) ?? 0)
            canvas.circle(
                cx: px(p.x), cy: py(p.y), r: 5, fill: color,
                title:
                    "\(p.label) (\(p.group)): other tasks \(NumberFormatting.signed(p.x, scale: p.x)), "
                    + "target \(NumberFormatting.signed(p.y, scale: p.y))")
            let nearRight = px(p.x) > left + plotWidth * 0.7
            canvas.text(
                Escaping.truncated(p.label, limit: 20), x: px(p.x) + (nearRight ? -7 : 7),
                y: py(p.y) - 7, size: 10, anchor: nearRight ? "end" : "start", fill: "#333")
        }
        for (k, group) in groups.enumerated() {
            let x = left + Double(k) * 110
            canvas.circle(cx: x + 5, cy: height + 6, r: 5, fill: ChartStyle.color(k))
            canvas.text(Escaping.truncated(group, limit: 14), x: x + 14, y: height + 10, size: 10)
        }
        return canvas.render(title: "Learning vs forgetting")
    }
}
