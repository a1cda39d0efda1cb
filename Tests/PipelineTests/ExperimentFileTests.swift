import Foundation
import TestSupport
import Testing

@testable import Pipeline

@Suite struct ExperimentFileTests {
    /// Writes an experiment file beside a fake base folder, suite and data file; returns its URL.
    func write(_ yaml: String) throws -> URL {
        let folder = try Fixtures.temporaryDirectory("fmn-experiment")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("model"), withIntermediateDirectories: true)
        try Data("tasks: []\n".utf8).write(to: folder.appendingPathComponent("suite.yaml"))
        try Data("{\"text\": \"a\"}\n".utf8).write(to: folder.appendingPathComponent("train.jsonl"))
        let url = folder.appendingPathComponent("experiment.yaml")
        try Data(yaml.utf8).write(to: url)
        return url
    }

    static let valid = """
        name: demo
        base: model
        suite: suite.yaml
        seed: 7
        stages:
          - name: first
            parent: base
            method: full
            data: train.jsonl
            targets: [sst2]
            hyperparameters: {learning-rate: 0.001, max-steps: 20}
          - name: second
            parent: first
            method: lora
            lora: {rank: 4, alpha: 8, target-modules: [q_proj, v_proj]}
            data: train.jsonl
        gate:
          baseline: first
          candidates: [second]
        """

    @Test func validFileIsReadWithPathsRelativeToIt() throws {
        let url = try write(Self.valid)
        let experiment = try ExperimentFile(contentsOf: url)
        #expect(experiment.name == "demo")
        #expect(experiment.seed == 7)
        #expect(experiment.base.lastPathComponent == "model")
        #expect(experiment.stages.map(\.name) == ["first", "second"])
        #expect(
            experiment.stages[0].hyperparameters == ["learning-rate": "0.001", "max-steps": "20"])
        #expect(experiment.stages[0].targets == ["sst2"])
        #expect(experiment.stages[1].method == .lora)
        #expect(experiment.stages[1].lora?.rank == 4)
        #expect(experiment.stages[1].lora?.alpha == 8)
        #expect(experiment.gate?.candidates == ["second"])
    }

    /// Each broken variant must fail naming this field.
    static let broken: [(String, String, String)] = [
        (
            "unknown top-level key", "name: demo\nbase: model\nsuite: suite.yaml\nstagez: []\n",
            "stagez"
        ),
        ("missing stages", "name: demo\nbase: model\nsuite: suite.yaml\n", "stages"),
        (
            "bad method", valid.replacingOccurrences(of: "method: full", with: "method: half"),
            "stages[0].method"
        ),
        (
            "unknown parent",
            valid.replacingOccurrences(of: "parent: first", with: "parent: zeroth"),
            "stages[1].parent"
        ),
        (
            "unknown hyperparameter",
            valid.replacingOccurrences(of: "max-steps: 20", with: "max-stepz: 20"),
            "stages[0].hyperparameters.max-stepz"
        ),
        (
            "missing data file",
            valid.replacingOccurrences(
                of: "data: train.jsonl\n    targets", with: "data: nope.jsonl\n    targets"),
            "stages[0].data"
        ),
        (
            "gate names no stage",
            valid.replacingOccurrences(of: "candidates: [second]", with: "candidates: [third]"),
            "gate.candidates"
        ),
        (
            "lora on a full stage",
            valid.replacingOccurrences(of: "method: lora", with: "method: full"), "stages[1].lora"
        ),
        (
            "bad lora rank", valid.replacingOccurrences(of: "rank: 4", with: "rank: 0"),
            "stages[1].lora.rank"
        ),
        (
            "unknown target module",
            valid.replacingOccurrences(of: "[q_proj, v_proj]", with: "[q_proj, w_proj]"),
            "stages[1].lora.target-modules"
        ),
        (
            "duplicate stage", valid.replacingOccurrences(of: "name: second", with: "name: first"),
            "stages[1].name"
        ),
    ]

    @Test(arguments: broken)
    func invalidFilesFailNamingTheField(_ testCase: (String, String, String)) throws {
        let (label, yaml, field) = testCase
        let url = try write(yaml)
        do {
            _ = try ExperimentFile(contentsOf: url)
            Issue.record("\(label): no error")
        } catch let error as PipelineError {
            guard case .invalidExperiment(let path, let reported, _) = error else {
                Issue.record("\(label): wrong error \(error)")
                return
            }
            #expect(reported == field, "\(label): \(error)")
            #expect(path == url.path)
            #expect(error.description.contains(url.path))
        }
    }

    @Test func malformedYAMLIsReportedWithThePath() throws {
        let url = try write("name: [unclosed\n")
        #expect {
            try ExperimentFile(contentsOf: url)
        } throws: { error in
            guard case .invalidYAML(let path, _) = error as? PipelineError else { return false }
            return path == url.path
        }
    }
}
