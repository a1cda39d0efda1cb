import Foundation
import TestSupport
import Testing

@testable import Probes

@Suite struct ProbeTaskTests {
    static let base = """
        task: t
        dataset_path: json
        dataset_kwargs:
          data_files:
            test: d.jsonl
        test_split: test
        output_type: multiple_choice
        doc_to_text: "Q: {{q}}"
        doc_to_choice: ["no", "yes"]
        doc_to_target: l

        """

    /// Writes `yaml` as t.yaml and `data` as d.jsonl in a fresh folder; returns the task file.
    static func write(_ yaml: String, data: String = "{\"q\": \"a\", \"l\": 0}\n") throws -> URL {
        let folder = try Fixtures.temporaryDirectory()
        try data.write(
            to: folder.appendingPathComponent("d.jsonl"), atomically: true, encoding: .utf8)
        let url = folder.appendingPathComponent("t.yaml")
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func items(_ yaml: String, data: String = "{\"q\": \"a\", \"l\": 0}\n") throws
        -> [ProbeItem]
    {
        try ProbeSuite.load(contentsOf: write(yaml, data: data)).prepare()[0].items()
    }

    @Test(arguments: ["sst2", "copa", "arc_easy", "tinystories", "dialogsum"])
    func referenceTaskFilesParse(task: String) throws {
        let t = try ProbeTask.load(contentsOf: ReferenceProbeFile.taskFile(task))
        #expect(t.name == "fmn_\(task)")
        #expect(t.dataFiles == ["test": ["data/\(task).jsonl"]])
        #expect(t.targetDelimiter == " ")
    }

    @Test func unknownKeyNamesFileAndKey() throws {
        let url = try Self.write(Self.base + "process_docs: 3\n")
        #expect(
            throws: ProbeError.unknownKey(
                path: url.path, key: "process_docs", line: 11, allowed: ProbeTask.supportedKeys)
        ) {
            try ProbeSuite.load(contentsOf: url)
        }
    }

    @Test func pythonHookIsRefused() throws {
        let url = try Self.write(Self.base + "process_results: !function utils.process_results\n")
        #expect(throws: ProbeError.pythonHook(path: url.path, key: "process_results", line: 11)) {
            try ProbeSuite.load(contentsOf: url)
        }
        let nested = try Self.write(
            Self.base.replacingOccurrences(
                of: "doc_to_target: l", with: "doc_to_target: !function u.f"))
        #expect(throws: ProbeError.pythonHook(path: nested.path, key: "doc_to_target", line: 10)) {
            try ProbeSuite.load(contentsOf: nested)
        }
    }

    @Test func unknownMetricAndOutputTypeAreErrors() throws {
        let metric = try Self.write(Self.base + "metric_list:\n  - metric: f1\n")
        #expect(
            throws: ProbeError.unknownMetric(
                path: metric.path, metric: "f1", outputType: "multiple_choice",
                supported: ["acc", "acc_norm"])
        ) {
            try ProbeSuite.load(contentsOf: metric)
        }
        let type = try Self.write(
            Self.base.replacingOccurrences(of: "multiple_choice", with: "multiple_input"))
        #expect(throws: ProbeError.unknownOutputType(path: type.path, value: "multiple_input")) {
            try ProbeSuite.load(contentsOf: type)
        }
    }

    @Test func missingDataFileIsAnErrorBeforeScoring() throws {
        let url = try Self.write(
            Self.base.replacingOccurrences(of: "test: d.jsonl", with: "test: nope.jsonl"))
        let dataPath = url.deletingLastPathComponent().appendingPathComponent("nope.jsonl").path
        #expect(throws: ProbeError.missingDataFile(path: url.path, dataFile: dataPath)) {
            try ProbeSuite.load(contentsOf: url).prepare()
        }
    }

    @Test func missingFieldNamesFileAndLine() throws {
        let data = "{\"q\": \"a\", \"l\": 0}\n\n{\"question\": \"b\", \"l\": 1}\n"
        let url = try Self.write(Self.base, data: data)
        let dataPath = url.deletingLastPathComponent().appendingPathComponent("d.jsonl").path
        #expect(
            throws: ProbeError.missingField(path: dataPath, line: 3, field: "q", key: "doc_to_text")
        ) {
            try ProbeSuite.load(contentsOf: url).prepare()[0].items()
        }
    }

    @Test func emptyChoicesAndBadGoldAreErrors() throws {
        let empty = Self.base.replacingOccurrences(
            of: "doc_to_choice: [\"no\", \"yes\"]", with: "doc_to_choice: cs")
        let url = try Self.write(empty, data: "{\"q\": \"a\", \"l\": 0, \"cs\": []}\n")
        let dataPath = url.deletingLastPathComponent().appendingPathComponent("d.jsonl").path
        #expect(throws: ProbeError.emptyChoices(path: dataPath, line: 1, task: "t")) {
            try ProbeSuite.load(contentsOf: url).prepare()[0].items()
        }
        let bad = try Self.write(
            Self.base, data: "{\"q\": \"a\", \"l\": 0}\n{\"q\": \"b\", \"l\": 2}\n")
        #expect(
            throws: ProbeError.goldOutOfRange(
                path: dataPath.replacingOccurrences(
                    of: url.deletingLastPathComponent().path,
                    with: bad.deletingLastPathComponent().path), line: 2, task: "t", gold: "2",
                choiceCount: 2)
        ) {
            try ProbeSuite.load(contentsOf: bad).prepare()[0].items()
        }
    }

    @Test func jinjaTargetsFollowLmEvalConversions() throws {
        // A rendered all-digit target becomes an index; a list literal becomes several golds;
        // a string target is looked up among the choices.
        let yaml = Self.base.replacingOccurrences(
            of: "doc_to_target: l", with: "doc_to_target: \"{{ 1 if flag == 'true' else 0 }}\"")
        let items = try Self.items(
            yaml, data: "{\"q\": \"a\", \"flag\": \"true\"}\n{\"q\": \"b\", \"flag\": \"false\"}\n")
        #expect(items.map(\.gold) == [[1], [0]])
        let list = Self.base.replacingOccurrences(
            of: "doc_to_target: l", with: "doc_to_target: \"{{[0, 1]}}\"")
        #expect(try Self.items(list).map(\.gold) == [[0, 1]])
        let string = Self.base.replacingOccurrences(
            of: "doc_to_target: l", with: "doc_to_target: \"yes\"")
        #expect(try Self.items(string).map(\.gold) == [[1]])
        let listChoices = Self.base.replacingOccurrences(
            of: "doc_to_choice: [\"no\", \"yes\"]", with: "doc_to_choice: \"{{[a, b]}}\"")
        let docs = try Self.items(
            listChoices, data: "{\"q\": \"x\", \"a\": \"up\", \"b\": \"down\", \"l\": 1}\n")
        #expect(docs[0].choices == ["up", "down"])
    }

    @Test func csvDataWithQuotedNewlinesAndTypedColumns() throws {
        let folder = try Fixtures.temporaryDirectory()
        let csv =
            "id,dialogue,summary\n13862856,\"Hannah: Hey\nAmanda: \"\"Hi\"\"\",Short\n7,\"x, y\",S2\n"
        try csv.write(to: folder.appendingPathComponent("s.csv"), atomically: true, encoding: .utf8)
        let yaml = """
            task: s
            dataset_path: csv
            dataset_kwargs: {data_files: {test: s.csv}}
            test_split: test
            output_type: generate_until
            doc_to_text: "{{dialogue}} #{{id + 1}}"
            doc_to_target: summary
            metric_list: [{metric: rouge1, use_stemmer: true}]
            """
        try yaml.write(
            to: folder.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        let prepared = try ProbeSuite.load(contentsOf: folder.appendingPathComponent("s.yaml"))
            .prepare()[0]
        #expect(prepared.documents.map(\.line) == [2, 4])
        let items = try prepared.items()
        #expect(items.map(\.context) == ["Hannah: Hey\nAmanda: \"Hi\" #13862857", "x, y #8"])
        #expect(items.map(\.targets) == [["Short"], ["S2"]])
        // Default generation settings: until the few-shot delimiter, 256 tokens.
        #expect(
            prepared.task.generation == ProbeGenerationOptions(until: ["\n\n"], maxGenTokens: 256))
    }

    @Test func suiteListsPathsAndInlineTasksWithLimits() throws {
        let shared = Fixtures.shared("reference/probes/tasks").path
        let folder = try Fixtures.temporaryDirectory()
        try "{\"q\": \"a\", \"l\": 0}\n{\"q\": \"b\", \"l\": 1}\n"
            .write(to: folder.appendingPathComponent("d.jsonl"), atomically: true, encoding: .utf8)
        let suite = """
            suite: mini
            tasks:
              - \(shared)/copa.yaml
              - path: \(shared)/sst2.yaml
                limit: 5
              - task: inline
                dataset_path: json
                dataset_kwargs: {data_files: {test: d.jsonl}}
                test_split: test
                output_type: multiple_choice
                doc_to_text: "{{q}}"
                doc_to_choice: ["no", "yes"]
                doc_to_target: l
                limit: 1
            """
        let url = folder.appendingPathComponent("suite.yaml")
        try suite.write(to: url, atomically: true, encoding: .utf8)
        let s = try ProbeSuite.load(contentsOf: url)
        #expect(s.name == "mini")
        #expect(s.taskNames == ["fmn_copa", "fmn_sst2", "inline"])
        #expect(s.entries.map(\.limit) == [nil, 5, 1])
        let prepared = try s.prepare()
        #expect(try prepared[2].items(limit: s.entries[2].limit).count == 1)
        let picked = try s.selecting(tasks: ["fmn_sst2"], limit: 3)
        #expect(picked.taskNames == ["fmn_sst2"] && picked.entries[0].limit == 3)
        #expect(
            throws: ProbeError.unknownTask(name: "nope", suite: url.path, available: s.taskNames)
        ) {
            try s.selecting(tasks: ["nope"], limit: nil)
        }
    }
}
