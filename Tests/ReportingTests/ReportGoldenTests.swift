import Analysis
import Foundation
import Reporting
import TestSupport
import Testing

@Suite struct MarkdownReportTests {
    @Test func matchesGolden() throws {
        try expectMatchesGolden(MarkdownReport(input: SampleReport.input()).render(), "report.md")
    }

    @Test func escapesDataAndModelText() {
        let markdown = MarkdownReport(input: SampleReport.input()).render()
        #expect(!markdown.contains("<script"))
        #expect(markdown.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 情感"))
        #expect(markdown.contains("مرحبا"))
        // A `|` in an item id must not open a new table cell; `*` must not start emphasis.
        #expect(markdown.contains("boolq\\|113"))
        #expect(markdown.contains("\\*Nile\\*") == false)  // prompts are not in the Markdown table
    }

    @Test func summaryLineNamesTheFailedChecks() {
        let first = MarkdownReport(input: SampleReport.input()).render()
            .split(separator: "\n")[1]
        #expect(first.hasPrefix("❌ **Gate: FAIL"))
        #expect(first.contains("wikitext/word\\_perplexity"))
    }
}

@Suite struct HTMLReportTests {
    @Test func matchesGolden() throws {
        try expectMatchesGolden(HTMLReport(input: SampleReport.input()).render(), "report.html")
    }

    @Test func isSelfContainedAndEscaped() {
        let html = HTMLReport(input: SampleReport.input()).render()
        #expect(!html.contains("<script"))
        #expect(!html.contains("src="))
        #expect(!html.contains("href="))
        #expect(!html.contains("@import"))
        #expect(!html.contains("url("))
        #expect(html.contains("&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt; مرحبا"))
        #expect(html.contains("a &lt;b&gt;bold&lt;/b&gt; &amp; tender film"))
        #expect(html.contains("你好"))
        // Forgotten for good: sst2-0042 and sst2-<7>& (right at the base, wrong after).
        #expect(html.contains("<td>sst2-0042, sst2-&lt;7&gt;&amp;</td>"))
        #expect(html.contains("<svg"))
        for section in ["gate", "stages", "matrix", "deltas", "tasks", "loss", "learning", "flips"]
        {
            #expect(html.contains("<section id=\"\(section)\">"), "missing section \(section)")
        }
    }

    @Test func renderingIsDeterministic() {
        let a = HTMLReport(input: SampleReport.input()).render()
        let b = HTMLReport(input: SampleReport.input()).render()
        #expect(a == b)
    }

    @Test func writesBothFiles() throws {
        let folder = try Fixtures.temporaryDirectory("fmn-report")
        defer { try? FileManager.default.removeItem(at: folder) }
        let urls = try ReportFiles.write(
            SampleReport.input(), to: folder.appendingPathComponent("out"))
        #expect(urls.map(\.lastPathComponent) == ["report.md", "report.html"])
        let markdown = try Fixtures.text(urls[0])
        #expect(markdown == MarkdownReport(input: SampleReport.input()).render())
    }
}

@Suite struct ChartGoldenTests {
    @Test func heatmapMatchesGolden() throws {
        try expectMatchesGolden(HeatmapChart(matrix: SampleReport.matrix).svg(), "heatmap.svg")
    }

    @Test func intervalChartMatchesGolden() throws {
        try expectMatchesGolden(IntervalChart(gate: SampleReport.gate()).svg(), "intervals.svg")
    }

    @Test func lossChartMatchesGolden() throws {
        let series = SampleReport.lossCurves.map { curve in
            LineChart.Series(
                name: curve.stage,
                points: zip(curve.steps, curve.losses).map { (x: Double($0), y: $1) })
        }
        let chart = LineChart(
            title: "Training loss by step", xLabel: "step", yLabel: "loss", series: series)
        try expectMatchesGolden(chart.svg(), "loss.svg")
    }

    @Test func scatterMatchesGolden() throws {
        let points = SampleReport.matrix.learningVersusForgetting(columns: [0, 1, 2, 3]).map {
            ScatterChart.Point(
                label: $0.stage, group: SampleReport.stages[$0.row].method, x: $0.otherChange!,
                y: $0.targetGain ?? 0)
        }
        try expectMatchesGolden(ScatterChart(points: points).svg(), "learning.svg")
    }

    @Test func heatmapCellsAreDirectionAware() {
        // wikitext perplexity 41.25 → 47.80 is worse: its cell at the last row must be vermillion
        // (red channel high), while dialogsum's rise 0.120 → 0.265 is better (blue).
        let chart = HeatmapChart(matrix: SampleReport.matrix)
        #expect(chart.svg().contains("47.80"))
        let worse = SampleReport.matrix.forgetting(column: 4, row: 2, reference: .baseModel)!
        #expect(worse > 0)
    }
}

@Suite struct GateReportRenderingTests {
    static func gateInput() -> ReportInput {
        ReportInput(
            gate: SampleReport.gate(), experiment: "dialogsum-full → main",
            baseline: SampleReport.stages[1], candidate: SampleReport.stages[2],
            flips: SampleReport.flips, generatedBy: "fmn 0.1.0")
    }

    @Test func pullRequestCommentMatchesGolden() throws {
        try expectMatchesGolden(MarkdownReport(input: Self.gateInput()).render(), "gate.md")
    }

    @Test func plainTextMatchesGolden() throws {
        let text = GateTextReport(
            gate: SampleReport.gate(), baselineName: "samsum-lora", candidateName: "dialogsum-full"
        ).render()
        try expectMatchesGolden(text, "gate.txt")
    }

    @Test func gateInputHasOneColumnPerVerdict() {
        let input = Self.gateInput()
        #expect(input.matrix.rowCount == 2)
        #expect(input.matrix.columnCount == SampleReport.gate().verdicts.count)
        #expect(
            input.shownComparisons.map(\.task)
                == SampleReport.gate().verdicts.map(\.comparison.task))
    }
}
