import Foundation
import TestSupport
import Testing

@testable import Probes

@Suite struct PreparedTaskTests {
    @Test(arguments: ["sst2", "copa", "arc_easy"])
    func multipleChoiceItemsEqualLmEvalRequests(task: String) throws {
        let reference = try ReferenceProbeFile.load(task)
        let suite = try ProbeSuite.load(contentsOf: ReferenceProbeFile.taskFile(task))
        let items = try suite.prepare()[0].items()
        #expect(items.count == reference.items.count)
        for (item, ref) in zip(items, reference.items) {
            #expect(item.id == ref.doc_id)
            #expect(item.context == ref.context, "doc \(ref.doc_id)")
            #expect(item.choices == ref.choices, "doc \(ref.doc_id)")
            #expect(item.gold == [ref.gold!], "doc \(ref.doc_id)")
        }
    }

    @Test func rollingItemsAreTheReferenceTexts() throws {
        let reference = try ReferenceProbeFile.load("tinystories")
        let items = try ProbeSuite.load(contentsOf: ReferenceProbeFile.taskFile("tinystories"))
            .prepare()[0].items()
        #expect(items.map(\.targets) == reference.items.map { [$0.text!] })
        #expect(items.map(\.context) == Array(repeating: "", count: 100))
        // lm-eval's counts: len(re.split(r"\s+", text)) words, UTF-8 bytes.
        #expect(
            items.map { PythonStrings.wordCount($0.targets[0]) }
                == reference.items.map { $0.words! })
        #expect(items.map { $0.targets[0].utf8.count } == reference.items.map { $0.bytes! })
    }

    @Test func generationItemsAreTheReferencePrompts() throws {
        let reference = try ReferenceProbeFile.load("dialogsum")
        let prepared = try ProbeSuite.load(contentsOf: ReferenceProbeFile.taskFile("dialogsum"))
            .prepare()[0]
        let items = try prepared.items()
        #expect(items.map(\.context) == reference.items.map { $0.prompt! })
        #expect(items.map(\.targets) == reference.items.map { [$0.reference!] })
        #expect(prepared.task.generation == ProbeGenerationOptions(until: ["\n"], maxGenTokens: 48))
        #expect(prepared.task.metrics.map(\.metric) == ["rouge1", "rouge2", "rougeL", "rougeLsum"])
        #expect(prepared.task.metrics.allSatisfy { $0.useStemmer })
    }

    @Test func limitTakesTheFirstRowsOrAFraction() throws {
        let prepared = try ProbeSuite.load(contentsOf: ReferenceProbeFile.taskFile("copa"))
            .prepare()[0]
        #expect(try prepared.items(limit: 7).map(\.id) == Array(0..<7))
        #expect(try prepared.items(limit: 0.255).count == 26)  // ceil(100 × 0.255)
    }

    @Test func fewShotContextFollowsLmEvalSampler() throws {
        // Three rows, 1-shot, examples drawn from the same split: lm-eval samples k+1 rows with
        // random.Random(1234).sample and drops the row itself.
        let folder = try Fixtures.temporaryDirectory()
        try "{\"q\": \"a\", \"l\": 0}\n{\"q\": \"b\", \"l\": 1}\n{\"q\": \"c\", \"l\": 0}\n"
            .write(to: folder.appendingPathComponent("d.jsonl"), atomically: true, encoding: .utf8)
        let yaml = """
            task: t
            dataset_path: json
            dataset_kwargs: {data_files: {test: d.jsonl}}
            test_split: test
            output_type: multiple_choice
            doc_to_text: "Q: {{q}}"
            doc_to_choice: ["no", "yes"]
            doc_to_target: l
            num_fewshot: 1
            """
        try yaml.write(
            to: folder.appendingPathComponent("t.yaml"), atomically: true, encoding: .utf8)
        let items = try ProbeSuite.load(contentsOf: folder.appendingPathComponent("t.yaml"))
            .prepare()[0].items()
        // One random.Random(1234) for the task: sample(range(3), 2) gives [1, 0], then [0, 2],
        // then [2, 0] (CPython 3.11); the doc itself is removed and the first remaining kept.
        #expect(items.map(\.context) == ["Q: b yes\n\nQ: a", "Q: a no\n\nQ: b", "Q: a no\n\nQ: c"])
    }
}
