import Foundation
import TestSupport
import Testing

/// `fmn report`, end to end on stored runs (made by `fmn gate --suite`).
@Suite struct ReportCommandTests {
    /// Probes `refs` with the fixture's suite (by gating each against base).
    static func probe(_ fixture: GateStore, _ refs: [String]) throws {
        for ref in refs {
            let output = try GateCLI.run([
                "gate", "--store", fixture.store, "--baseline", "base", "--candidate", ref,
                "--suite", fixture.suite, "--policy", fixture.lenientPolicy,
            ])
            #expect([0, 1].contains(output.status), "\(output.stderr)")
        }
    }

    @Test func aChainOfCheckpointsGoesToReportsByDefault() throws {
        let fixture = try GateStore.make()
        try Self.probe(fixture, ["same", "bad"])
        let output = try GateCLI.run(
            ["report", "--checkpoints", "base,same,bad", "--store", fixture.store],
            in: fixture.root)
        #expect(output.status == 0, "\(output.stderr)")
        let folder = fixture.root.appendingPathComponent("Reports/base_same_bad")
        let markdown = try String(
            contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        let html = try String(
            contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(markdown.hasPrefix("### ForgetMeNot: base → same → bad\n"), "\(markdown)")
        // The last checkpoint against the one before it, with intervals.
        #expect(markdown.contains("candidate bad vs baseline same"), "\(markdown)")
        #expect(markdown.contains("| stories | word\\_perplexity ↓ | "), "\(markdown)")
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<section id=\"matrix\">"))
        #expect(html.contains("<td>bad</td>"), "the stage table lists the chain")
        #expect(!html.contains("<script"))
    }

    @Test func aCheckpointWithoutARunIsNamedAndNothingIsWritten() throws {
        let fixture = try GateStore.make()
        try Self.probe(fixture, ["same"])
        let out = fixture.root.appendingPathComponent("out")
        let output = try GateCLI.run([
            "report", "--checkpoints", "base,same,other", "--store", fixture.store, "--out",
            out.path,
        ])
        #expect(output.status == 2)
        #expect(output.stderr.contains("checkpoint other"), "\(output.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    /// An experiment file whose checkpoints were committed under its stage tags.
    static func experiment(_ fixture: GateStore, stages: [String]) throws -> URL {
        let data = fixture.root.appendingPathComponent("train.jsonl")
        try Data("{\"text\": \"unused\"}\n".utf8).write(to: data)
        var yaml = """
            name: tiny-exp
            base: \(Fixtures.url("Models/stories260K-hf").path)
            suite: suite.yaml
            stages:

            """
        for stage in stages {
            yaml += """
                  - name: \(stage)
                    parent: base
                    method: full
                    data: train.jsonl
                    targets: [words]
                    hyperparameters: {max-steps: 1}

                """
        }
        yaml += "gate:\n  baseline: base\n  candidates: [\(stages.joined(separator: ", "))]\n"
        yaml += "  policy: lenient.yaml\n"
        let url = fixture.root.appendingPathComponent("tiny-exp.yaml")
        try Data(yaml.utf8).write(to: url)
        return url
    }

    @Test func anExperimentReportIsBuiltFromTheStoredRuns() throws {
        let fixture = try GateStore.make()
        // Tag the stored checkpoints as fmn run would have: tiny-exp/base, tiny-exp/<stage>.
        for (stage, model) in [("base", "base"), ("full-ok", "same"), ("full-bad", "bad")] {
            let folder =
                model == "base"
                ? Fixtures.url("Models/stories260K-hf")
                : fixture.root.appendingPathComponent("model-\(model)")
            var arguments = [
                "debug-store", "--store", fixture.store, "--commit", folder.path, "--stage",
                "tiny-exp/\(stage)", "--lineage", "tiny-exp/\(stage)",
            ]
            arguments +=
                model == "base" ? ["--kind", "base"] : ["--kind", "full", "--parent", "base"]
            let output = try GateCLI.run(arguments)
            #expect(output.status == 0, "\(output.stderr)")
        }
        try Self.probe(fixture, ["same", "bad"])
        let file = try Self.experiment(fixture, stages: ["full-ok", "full-bad"])
        let out = fixture.root.appendingPathComponent("report-out")
        let output = try GateCLI.run(
            ["report", file.path, "--store", fixture.store, "--out", out.path])
        #expect(output.status == 0, "\(output.stderr)")
        let markdown = try String(
            contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.hasPrefix("### ForgetMeNot: tiny-exp\n"), "\(markdown)")
        #expect(
            markdown.contains("**Gates: full-ok PASS, full-bad FAIL (vs baseline base)**"),
            "a verdict per candidate: \(markdown)")
        #expect(try fixture.rowCounts()["gateVerdict"] == 2, "report records no verdict")
    }

    @Test func anExperimentWithAStageNotStoredIsAnError() throws {
        let fixture = try GateStore.make()
        let file = try Self.experiment(fixture, stages: ["never-run"])
        let output = try GateCLI.run([
            "report", file.path, "--store", fixture.store, "--out",
            fixture.root.appendingPathComponent("out").path,
        ])
        #expect(output.status == 2)
        #expect(output.stderr.contains("tiny-exp/never-run"), "\(output.stderr)")
    }
}
