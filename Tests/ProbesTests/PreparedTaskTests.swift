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

    /// Six rows, 3-shot, few-shot rows from the test split itself. lm-eval leaves the item out
    /// only when `fewshot_split` equals `test_split` as configured; with `fewshot_split` unset it
    /// samples three rows as they come, the item included. The index lists are what lm-eval
    /// 0.4.13's `ContextSampler(docs, rnd=1234).sample(n=3, eval_doc=…)` returned, doc by doc.
    @Test(arguments: [
        (
            "", [[3, 0, 4], [0, 4, 5], [5, 0, 4], [2, 1, 0], [0, 5, 2], [5, 4, 3]]
        ),
        (
            "fewshot_split: test",
            [[3, 4, 5], [4, 0, 5], [1, 0, 3], [0, 2, 4], [3, 1, 0], [0, 4, 2]]
        ),
    ])
    func fewshotExamplesAreSampledAsLmEvalDoes(split: String, picks: [[Int]]) throws {
        let letters = ["a", "b", "c", "d", "e", "f"]
        let data = letters.enumerated().map { "{\"q\": \"\($1)\", \"l\": \($0 % 2)}\n" }.joined()
        let yaml = """
            task: t
            dataset_path: json
            dataset_kwargs: {data_files: {test: d.jsonl}}
            test_split: test
            \(split)
            output_type: multiple_choice
            doc_to_text: "Q: {{q}}"
            doc_to_choice: ["no", "yes"]
            doc_to_target: l
            num_fewshot: 3
            """
        let items = try ProbeTaskTests.items(yaml, data: data)
        let answers = ["no", "yes"]
        let expected = picks.enumerated().map { n, rows in
            rows.map { "Q: \(letters[$0]) \(answers[$0 % 2])\n\n" }.joined() + "Q: \(letters[n])"
        }
        #expect(items.map(\.context) == expected)
    }
}

/// Per-row rules lm-eval applies through `datasets` and `resolve_field`.
@Suite struct LmEvalRowRulesTests {
    static let base = """
        task: t
        dataset_path: json
        dataset_kwargs: {data_files: {test: d.jsonl}}
        test_split: test
        output_type: multiple_choice
        doc_to_text: "Q: {{q}}"
        doc_to_choice: ["no", "yes"]
        doc_to_target: l

        """

    @Test func descriptionIsResolvedPerRow() throws {
        let data = """
            {"q": "a", "l": 0, "subject": "Science"}
            {"q": "b", "l": 1, "subject": "History"}

            """
        // A template is rendered on each row; a column name gives that column's value.
        let rendered = try ProbeTaskTests.items(
            Self.base + "description: \"Topic: {{subject}}.\\n\\n\"\n", data: data)
        #expect(rendered.map(\.context) == ["Topic: Science.\n\nQ: a", "Topic: History.\n\nQ: b"])
        let column = try ProbeTaskTests.items(Self.base + "description: subject\n", data: data)
        #expect(column.map(\.context) == ["ScienceQ: a", "HistoryQ: b"])
        let literal = try ProbeTaskTests.items(
            Self.base + "description: \"Read.\\n\"\n", data: data)
        #expect(literal.map(\.context) == ["Read.\nQ: a", "Read.\nQ: b"])
    }

    @Test func jsonColumnsMixingIntegersAndFloatsAreFloats() throws {
        let yaml = Self.base.replacingOccurrences(of: "Q: {{q}}", with: "x={{x}} y={{y}}")
        let items = try ProbeTaskTests.items(
            yaml, data: "{\"x\": 3, \"y\": 1, \"l\": 0}\n{\"x\": 4.5, \"y\": 2, \"l\": 1}\n")
        // x is float in every row (Arrow's column type), y stays int.
        #expect(items.map(\.context) == ["x=3.0 y=1", "x=4.5 y=2"])
    }
}

/// CSV cells typed as `datasets`' csv builder (pandas' `read_csv`, then Arrow) types them.
@Suite struct CSVTypingTests {
    @Test func cellsAreTypedAsPandasReadsThem() throws {
        let folder = try Fixtures.temporaryDirectory()
        try "a,b,c,d,e,f\n1,x,true,2.50, 7,NA\n,NA,FALSE,3,8,n/a\n3,y,True,1e3,+9,null\n".write(
            to: folder.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        let yaml = """
            task: t
            dataset_path: csv
            dataset_kwargs: {data_files: {test: t.csv}}
            test_split: test
            output_type: loglikelihood
            doc_to_text: "{{a}}|{{b}}|{{c}}|{{d}}|{{e}}|{{f}}"
            doc_to_target: " x"

            """
        try yaml.write(
            to: folder.appendingPathComponent("t.yaml"), atomically: true, encoding: .utf8)
        let items = try ProbeSuite.load(contentsOf: folder.appendingPathComponent("t.yaml"))
            .prepare()[0].items()
        // What lm-eval's apply_template printed for these rows loaded by datasets 4.x: an int
        // column with a missing cell is float, NA spellings are None, true/FALSE/True are bools,
        // " 7" and "+9" are ints.
        #expect(
            items.map(\.context) == [
                "1.0|x|True|2.5|7|None", "None|None|False|3.0|8|None", "3.0|y|True|1000.0|9|None",
            ])
    }
}
