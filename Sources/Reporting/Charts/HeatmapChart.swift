import Analysis

/// The score matrix as a heatmap: one row per checkpoint, one column per task and metric,
/// each cell showing the score and coloured by its direction-aware relative change against the
/// chosen forgetting reference (blue better, vermillion worse, full colour at ±25 %).
public struct HeatmapChart: Sendable {
    /// The matrix shown.
    public var matrix: ScoreMatrix
    /// What each cell's colour compares against.
    public var reference: ForgettingReference
    /// The relative change that gets full colour (default 0.25 = 25 %).
    public var saturation: Double

    /// Creates a heatmap.
    public init(
        matrix: ScoreMatrix, reference: ForgettingReference = .baseModel, saturation: Double = 0.25
    ) {
        self.matrix = matrix
        self.reference = reference
        self.saturation = saturation
    }

    /// The colour value in `[-1, 1]` of a cell (`nil` where the reference is undefined).
    func shade(row: Int, column: Int) -> Double? {
        guard let f = matrix.forgetting(column: column, row: row, reference: reference) else {
            return nil
        }
        let scale = max(abs(matrix.values[0][column]), 1e-12)
        return max(-1, min(1, -f / scale / saturation))
    }

    /// The chart as a standalone `<svg>` element.
    public func svg() -> String {
        let cellWidth = 66.0
        let cellHeight = 22.0
        let labelWidth = min(
            200, max(60, Double(matrix.stages.map(\.count).max() ?? 4) * 6.6 + 12))
        let header = min(
            140, max(40, Double(matrix.columns.map(\.label.count).max() ?? 4) * 5.2 + 16))
        let legendHeight = 44.0
        // Rotated column labels lean right past the last column; the legend needs ~520 px.
        let width = max(
            labelWidth + cellWidth * Double(matrix.columnCount) + header * 0.85,
            labelWidth + 5 * 46 + 250)
        let height = header + cellHeight * Double(matrix.rowCount) + legendHeight
        var canvas = SVGCanvas(width: width, height: height)
        for (j, column) in matrix.columns.enumerated() {
            let x = labelWidth + cellWidth * (Double(j) + 0.5)
            canvas.text(
                Escaping.truncated(column.label, limit: 26), x: x + 4, y: header - 6, size: 10,
                anchor: "start", rotate: -35)
        }
        for i in 0..<matrix.rowCount {
            let y = header + cellHeight * Double(i)
            canvas.text(
                Escaping.truncated(matrix.stages[i], limit: 30), x: labelWidth - 6,
                y: y + cellHeight * 0.68, size: 11, anchor: "end")
            for j in 0..<matrix.columnCount {
                let x = labelWidth + cellWidth * Double(j)
                let value = matrix.values[i][j]
                let shade = shade(row: i, column: j)
                let fill = shade.map(ChartStyle.diverging) ?? "#f2f2f2"
                let scale = matrix.values[0][j]
                var title =
                    "\(matrix.stages[i]) · \(matrix.columns[j].label): "
                    + NumberFormatting.score(value, scale: scale)
                if let f = matrix.forgetting(column: j, row: i, reference: reference), i > 0 {
                    title +=
                        " (forgetting \(reference.label): "
                        + NumberFormatting.signed(f, scale: scale) + ")"
                }
                canvas.rect(
                    x: x, y: y, width: cellWidth - 1, height: cellHeight - 1, fill: fill,
                    title: title)
                canvas.text(
                    NumberFormatting.score(value, scale: scale), x: x + cellWidth / 2,
                    y: y + cellHeight * 0.68, size: 10, anchor: "middle",
                    fill: ChartStyle.needsLightText(shade ?? 0) ? "#fff" : "#222")
            }
        }
        // Legend: five swatches from −saturation (worse) to +saturation (better).
        let legendY = header + cellHeight * Double(matrix.rowCount) + 14
        canvas.text("worse", x: labelWidth - 6, y: legendY + 11, size: 10, anchor: "end")
        for (k, t) in [-1.0, -0.5, 0, 0.5, 1].enumerated() {
            let x = labelWidth + Double(k) * 46
            canvas.rect(
                x: x, y: legendY, width: 44, height: 14, fill: ChartStyle.diverging(t),
                stroke: ChartStyle.grid)
            canvas.text(
                NumberFormatting.signed(t * saturation * 100, scale: 100) + "%",
                x: x + 22, y: legendY + 26, size: 9, anchor: "middle")
        }
        canvas.text("better", x: labelWidth + 5 * 46 + 4, y: legendY + 11, size: 10)
        canvas.text(
            "relative change \(reference.label)", x: labelWidth + 5 * 46 + 44, y: legendY + 11,
            size: 10, fill: "#666")
        return canvas.render(title: "Score matrix, coloured by change \(reference.label)")
    }
}
