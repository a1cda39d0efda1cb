/// A line chart of one or more series against a numeric or categorical x axis: a task's score
/// across stages, or training loss by step.
public struct LineChart: Sendable {
    /// One line.
    public struct Series: Sendable {
        /// Legend name.
        public var name: String
        /// `(x, y)` points in drawing order.
        public var points: [(x: Double, y: Double)]
        /// Optional ± error bar per point (a standard error), same length as `points`.
        public var errors: [Double]?

        /// Creates a series.
        public init(name: String, points: [(x: Double, y: Double)], errors: [Double]? = nil) {
            self.name = name
            self.points = points
            self.errors = errors
        }
    }

    /// Chart title (drawn above the plot).
    public var title: String
    /// Axis labels.
    public var xLabel: String
    public var yLabel: String
    /// The lines.
    public var series: [Series]
    /// Labels for x = 0, 1, 2, … (categorical axis); `nil` for a numeric axis.
    public var categories: [String]?
    /// Size in pixels.
    public var width: Double
    public var height: Double

    /// Creates a chart.
    public init(
        title: String, xLabel: String, yLabel: String, series: [Series],
        categories: [String]? = nil, width: Double = 360, height: Double = 230
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.categories = categories
        self.width = width
        self.height = height
    }

    /// The chart as a standalone `<svg>` element.
    public func svg() -> String {
        let left = 52.0
        let right = 12.0
        let top = 26.0
        let bottom = categories == nil ? 40.0 : 64.0
        let legend = series.count > 1 ? 16.0 * Double((series.count + 2) / 3) : 0
        var canvas = SVGCanvas(width: width, height: height + legend)
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        canvas.text(
            Escaping.truncated(title, limit: Int(width / 7.5)), x: left, y: 16, size: 12, bold: true
        )

        let xs = series.flatMap { $0.points.map(\.x) }
        var ys: [Double] = []
        for s in series {
            for (k, p) in s.points.enumerated() {
                let e = s.errors?[k] ?? 0
                ys.append(p.y - e)
                ys.append(p.y + e)
            }
        }
        let finiteYs = ys.filter(\.isFinite)
        guard let xMin = xs.min(), let xMax = xs.max(), let yMinRaw = finiteYs.min(),
            let yMaxRaw = finiteYs.max()
        else {
            canvas.text("no data", x: width / 2, y: height / 2, anchor: "middle", fill: "#888")
            return canvas.render(title: title)
        }
        let yTicks = ChartStyle.ticks(low: yMinRaw, high: yMaxRaw)
        let yLow = min(yTicks.first!, yMinRaw)
        let yHigh = max(yTicks.last!, yMaxRaw)
        let xLow = categories == nil ? xMin : -0.5
        let xHigh =
            categories == nil
            ? (xMax > xMin ? xMax : xMin + 1) : Double(max(categories!.count, 1)) - 0.5
        func px(_ x: Double) -> Double { left + (x - xLow) / (xHigh - xLow) * plotWidth }
        func py(_ y: Double) -> Double {
            top + plotHeight - (y - yLow) / max(yHigh - yLow, 1e-300) * plotHeight
        }

        let yDecimals = ChartStyle.tickDecimals(yTicks)
        for t in yTicks where t >= yLow && t <= yHigh {
            canvas.line(
                x1: left, y1: py(t), x2: left + plotWidth, y2: py(t), stroke: ChartStyle.grid)
            canvas.text(
                NumberFormatting.fixed(t, decimals: yDecimals), x: left - 4, y: py(t) + 3.5,
                size: 9, anchor: "end", fill: "#555")
        }
        canvas.line(
            x1: left, y1: top + plotHeight, x2: left + plotWidth, y2: top + plotHeight,
            stroke: ChartStyle.axis)
        canvas.line(x1: left, y1: top, x2: left, y2: top + plotHeight, stroke: ChartStyle.axis)
        if let categories {
            let every = max(1, (categories.count + 11) / 12)
            for (k, label) in categories.enumerated() where k % every == 0 {
                canvas.text(
                    Escaping.truncated(label, limit: 14), x: px(Double(k)) + 3,
                    y: top + plotHeight + 10, size: 9, anchor: "end", fill: "#555", rotate: -40)
            }
        } else {
            let xTicks = ChartStyle.ticks(low: xLow, high: xHigh)
            let xDecimals = ChartStyle.tickDecimals(xTicks)
            for t in xTicks where t >= xLow && t <= xHigh {
                canvas.line(
                    x1: px(t), y1: top + plotHeight, x2: px(t), y2: top + plotHeight + 4,
                    stroke: ChartStyle.axis)
                canvas.text(
                    NumberFormatting.fixed(t, decimals: xDecimals), x: px(t),
                    y: top + plotHeight + 15, size: 9, anchor: "middle", fill: "#555")
            }
        }
        canvas.text(
            xLabel, x: left + plotWidth / 2, y: height - 4, size: 10, anchor: "middle",
            fill: "#444")
        canvas.text(
            yLabel, x: 12, y: top + plotHeight / 2, size: 10, anchor: "middle", fill: "#444",
            rotate: -90)

        for (k, s) in series.enumerated() {
            let color = ChartStyle.color(k)
            let points = s.points.filter { $0.y.isFinite }.map { (px($0.x), py($0.y)) }
            canvas.polyline(points, stroke: color)
            for (index, p) in s.points.enumerated() where p.y.isFinite {
                if let e = s.errors?[index], e > 0 {
                    canvas.line(
                        x1: px(p.x), y1: py(p.y - e), x2: px(p.x), y2: py(p.y + e), stroke: color)
                }
                if s.points.count <= 60 {
                    let i = Int(p.x)
                    let label = categories.flatMap { $0.indices.contains(i) ? $0[i] : nil } ?? ""
                    canvas.circle(
                        cx: px(p.x), cy: py(p.y), r: 2.5, fill: color,
                        title: "\(s.name) \(label) \(NumberFormatting.score(p.y))")
                }
            }
        }
        if series.count > 1 {
            for (k, s) in series.enumerated() {
                let x = left + Double(k % 3) * (plotWidth / 3)
                let y = height + 12 + 16 * Double(k / 3) - 6
                canvas.rect(x: x, y: y - 8, width: 10, height: 10, fill: ChartStyle.color(k))
                canvas.text(Escaping.truncated(s.name, limit: 18), x: x + 14, y: y + 1, size: 10)
            }
        }
        return canvas.render(title: title)
    }
}
