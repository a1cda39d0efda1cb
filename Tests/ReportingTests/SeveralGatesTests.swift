import Analysis
import Foundation
import Reporting
import TestSupport
import Testing

/// Reports of an experiment that gates two candidates against one baseline (the demo gates
/// dialogsum-full and dialogsum-lora against one baseline).
@Suite struct SeveralGatesTests {
    /// A gate on which every check passes: identical scores on 200 items per task.
    static func passingGate() -> GateReport {
        let items = SampleReport.binary(0, 0, 150, 50)
        let rouge = (0..<200).map { 0.1 + 0.15 * Double($0 % 7) / 6 }
        return try! MergeGate(
            policy: GatePolicy(resamples: 1000, seed: 0)
        ).evaluate([
            GateComparison(task: "boolq", metric: "acc", direction: .higherIsBetter, data: items),
            GateComparison(
                task: "dialogsum", metric: "rougeL", direction: .higherIsBetter,
                data: .continuous(baseline: rouge, candidate: rouge)),
        ])
    }

    static func input() -> ReportInput {
        var input = SampleReport.input()
        input.candidateGates = [
            CandidateGate(
                candidate: "dialogsum-full", baseline: "samsum-lora", gate: SampleReport.gate(),
                flips: SampleReport.flips),
            CandidateGate(
                candidate: "dialogsum-lora <b>", baseline: "samsum-lora", gate: passingGate(),
                flips: []),
        ]
        return input
    }

    @Test func markdownGivesEachCandidateItsVerdictAndTable() throws {
        let markdown = MarkdownReport(input: Self.input()).render()
        try expectMatchesGolden(markdown, "report-gates.md")
        let lines = markdown.split(separator: "\n").map(String.init)
        #expect(
            lines[1]
                == "❌ **Gates: dialogsum-full FAIL, dialogsum-lora &lt;b&gt; PASS (vs baseline "
                + "samsum-lora)**")
        #expect(lines.contains { $0.hasPrefix("**dialogsum-full vs samsum-lora: ❌ fail (") })
        #expect(
            lines.contains(
                "**dialogsum-lora &lt;b&gt; vs samsum-lora: ✅ pass (all 2 checks pass)**"))
        #expect(lines.filter { $0.hasPrefix("| task | metric (↓: lower is better)") }.count == 2)
        #expect(lines.filter { $0 == "**Worst flipped items**" }.count == 1)
        #expect(!markdown.contains("<b>"))
    }

    @Test func htmlGivesEachCandidateAVerdictIntervalsAndFlips() {
        let html = HTMLReport(input: Self.input()).render()
        #expect(html.contains("<th>candidate</th><th>baseline</th><th>verdict</th><th>checks</th>"))
        #expect(
            html.contains("<h3>dialogsum-lora &lt;b&gt; vs samsum-lora <span class=\"badge pass\">")
        )
        #expect(html.contains("<h3>dialogsum-full vs samsum-lora <span class=\"badge fail\">"))
        // One interval chart per candidate; flips only for the candidate that has some.
        #expect(html.components(separatedBy: "<h3>dialogsum-full vs samsum-lora</h3>").count == 3)
        #expect(!html.contains("<b>"))
        #expect(!html.contains("<script"))
        #expect(html.contains("<p class=\"summary\"><span class=\"badge fail\">fail</span> Gates:"))
    }

    @Test func oneCandidateRendersAsBefore() {
        var input = SampleReport.input()
        input.candidateGates = [
            CandidateGate(
                candidate: "dialogsum-full", baseline: "samsum-lora", gate: SampleReport.gate())
        ]
        #expect(
            MarkdownReport(input: input).render()
                == MarkdownReport(input: SampleReport.input()).render())
        #expect(
            HTMLReport(input: input).render() == HTMLReport(input: SampleReport.input()).render())
    }
}
