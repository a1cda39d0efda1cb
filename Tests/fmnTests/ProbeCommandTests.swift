import Foundation
import TestSupport
import Testing

/// End-to-end runs of `fmn probe` on stories260K-hf with the shared lm-eval task files.
@Suite struct ProbeCommandTests {
    static let model = Fixtures.shared("data/models/stories260K-hf").path
    static let tasks = Fixtures.shared("reference/probes/tasks")

    struct Result: Decodable {
        struct Metric: Decodable {
            var name: String
            var value: Double
            var standardError: Double?
        }
        struct Item: Decodable {
            var itemId: Int
            var choiceLogLikelihoods: [Double]?
            var predictedChoice: Int?
            var prediction: String?
            var scores: [String: Double]
        }
        struct Task: Decodable {
            var task: String
            var metrics: [Metric]
            var itemCount: Int
            var items: [Item]
            var itemsPerSecond: Double
        }
        var suite: String
        var contentHash: String
        var tasks: [Task]
    }

    struct Reference: Decodable {
        struct Item: Decodable {
            var loglik: [Double]
            var pred: Int
        }
        var items: [Item]
    }

    @Test func jsonOutputMatchesLmEvalPerItem() throws {
        let run = try runFMN([
            "probe", "--model", Self.model, "--suite",
            Self.tasks.appendingPathComponent("copa.yaml").path,
            "--limit", "20", "--json",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let result = try JSONDecoder().decode(Result.self, from: Data(run.stdout.utf8))
        let reference = try JSONDecoder().decode(
            Reference.self,
            from: Data(contentsOf: Fixtures.shared("reference/probes/copa.stories260K.json")))
        #expect(result.contentHash.count == 64)
        let task = try #require(result.tasks.first)
        #expect(task.task == "fmn_copa" && task.itemCount == 20 && task.items.count == 20)
        for (item, ref) in zip(task.items, reference.items) {
            expectClose(
                item.choiceLogLikelihoods!, ref.loglik, rtol: 0, atol: 1e-3, "item \(item.itemId)")
            #expect(item.predictedChoice == ref.pred)
        }
        // acc is the mean of the item scores; lm-eval's stderr is sd(n−1)/√n.
        let acc = task.items.map { $0.scores["acc"]! }
        #expect(task.metrics.first { $0.name == "acc" }?.value == acc.reduce(0, +) / 20)
        #expect(task.metrics.first { $0.name == "acc" }?.standardError != nil)
    }

    @Test func tableListsMetricsWithStandardErrorsAndWritesOutput() throws {
        let folder = try Fixtures.temporaryDirectory()
        let output = folder.appendingPathComponent("result.json")
        let run = try runFMN([
            "probe", "--model", Self.model, "--suite",
            Self.tasks.appendingPathComponent("dialogsum.yaml").path,
            "--limit", "3", "--batch-size", "4", "--output", output.path,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("fmn_dialogsum"))
        #expect(run.stdout.contains("rougeLsum"))
        #expect(run.stdout.contains("content hash"))
        let written = try JSONDecoder().decode(Result.self, from: Data(contentsOf: output))
        // The reference's first three predictions (../shared/reference/probes/dialogsum).
        #expect(written.tasks[0].items[0].prediction == "Whatters are toys!\" said the airage.")
    }

    /// Writes a one-task suite with `yaml` (a task file) and `data` in a fresh folder.
    func write(_ yaml: String, data: String) throws -> URL {
        let folder = try Fixtures.temporaryDirectory()
        try data.write(
            to: folder.appendingPathComponent("d.jsonl"), atomically: true, encoding: .utf8)
        let url = folder.appendingPathComponent("t.yaml")
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static let task = """
        task: t
        dataset_path: json
        dataset_kwargs: {data_files: {test: d.jsonl}}
        test_split: test
        output_type: multiple_choice
        doc_to_text: "Q: {{q}}"
        doc_to_choice: ["no", "yes"]
        doc_to_target: l

        """

    @Test func badInputFailsWithFileAndLine() throws {
        let missingField = try write(
            Self.task, data: "{\"q\": \"a\", \"l\": 0}\n{\"x\": \"b\", \"l\": 1}\n")
        var run = try runFMN(["probe", "--model", Self.model, "--suite", missingField.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("d.jsonl:2") && run.stderr.contains("'q'"), "\(run.stderr)")

        let badGold = try write(Self.task, data: "{\"q\": \"a\", \"l\": 5}\n")
        run = try runFMN(["probe", "--model", Self.model, "--suite", badGold.path])
        #expect(
            run.status == 1 && run.stderr.contains("d.jsonl:1")
                && run.stderr.contains("gold label 5"), "\(run.stderr)")

        let noFile = try write(
            Self.task.replacingOccurrences(of: "d.jsonl", with: "gone.jsonl"), data: "")
        run = try runFMN(["probe", "--model", Self.model, "--suite", noFile.path])
        #expect(
            run.status == 1 && run.stderr.contains("gone.jsonl does not exist"), "\(run.stderr)")

        let metric = try write(
            Self.task + "metric_list: [{metric: f1}]\n", data: "{\"q\": \"a\", \"l\": 0}\n")
        run = try runFMN(["probe", "--model", Self.model, "--suite", metric.path])
        #expect(run.status == 1 && run.stderr.contains("metric 'f1'"), "\(run.stderr)")

        let hook = try write(
            Self.task + "process_results: !function utils.process\n",
            data: "{\"q\": \"a\", \"l\": 0}\n")
        run = try runFMN(["probe", "--model", Self.model, "--suite", hook.path])
        #expect(
            run.status == 1 && run.stderr.contains("'process_results'")
                && run.stderr.contains("!function"), "\(run.stderr)")

        run = try runFMN([
            "probe", "--model", Self.model, "--suite", missingField.path, "--tasks", "nope",
        ])
        #expect(run.status == 1 && run.stderr.contains("no task named 'nope'"), "\(run.stderr)")

        run = try runFMN([
            "probe", "--model", Self.model, "--suite", missingField.path, "--limit", "0",
        ])
        #expect(run.status == 64)

        let empty = try write(Self.task, data: "")
        run = try runFMN(["probe", "--model", Self.model, "--suite", empty.path, "--json"])
        #expect(
            run.status == 1 && run.stderr.contains("split 'test' has no rows")
                && run.stderr.contains("d.jsonl"), "\(run.stderr)")

        // --output into a folder that does not exist fails before any scoring.
        let good = try write(Self.task, data: "{\"q\": \"a\", \"l\": 0}\n")
        run = try runFMN([
            "probe", "--model", Self.model, "--suite", good.path, "--output",
            "/nonexistent-fmn-folder/out.json",
        ])
        #expect(
            run.status == 64 && run.stderr.contains("/nonexistent-fmn-folder does not exist"),
            "\(run.stderr)")
    }

    @Test func limitTakesACountOrAFraction() throws {
        let url = try write(
            Self.task,
            data: (0..<5).map { "{\"q\": \"q\($0)\", \"l\": \($0 % 2)}\n" }.joined())
        func items(_ limit: String) throws -> Int? {
            let run = try runFMN([
                "probe", "--model", Self.model, "--suite", url.path, "--limit", limit, "--json",
            ])
            guard run.status == 0 else { return nil }
            let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
            let tasks = (object as? [String: Any])?["tasks"] as? [[String: Any]]
            return tasks?.first?["itemCount"] as? Int
        }
        #expect(try items("3") == 3)
        #expect(try items("0.5") == 3)  // lm-eval's fraction: ceil(5 × 0.5)
        #expect(try items("0.2") == 1)
        #expect(try items("2.5") == nil)
    }

    @Test func longContextsAreTruncatedAndReported() throws {
        // 2,600 characters (about 1,000 tokens) with this 512-position model: cut and counted.
        let long = String(repeating: "The cat sat. ", count: 200)
        let url = try write(
            Self.task, data: "{\"q\": \"\(long)\", \"l\": 0}\n{\"q\": \"short\", \"l\": 1}\n")
        let run = try runFMN(["probe", "--model", Self.model, "--suite", url.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("t: 1 of 2 contexts were cut on the left"), "\(run.stdout)")
    }

    @Test func adapterChangesTheScores() throws {
        // A LoRA adapter trained for a few steps by `fmn train` moves every log-likelihood;
        // a missing adapter folder is an error naming it.
        let folder = try Fixtures.temporaryDirectory()
        let data = folder.appendingPathComponent("d.jsonl")
        try String(
            repeating: "{\"text\": \"Once upon a time there was a happy dog named Max.\"}\n",
            count: 8
        )
        .write(to: data, atomically: true, encoding: .utf8)
        let adapter = folder.appendingPathComponent("adapter")
        let train = try runFMN([
            "train", "--model", Self.model, "--data", data.path, "--method", "lora", "--out",
            adapter.path, "--max-steps", "3", "--learning-rate", "0.05", "--batch-size", "4",
        ])
        #expect(train.status == 0, "\(train.stderr)")
        let copa = Self.tasks.appendingPathComponent("copa.yaml").path
        let base = try runFMN([
            "probe", "--model", Self.model, "--suite", copa, "--limit", "5", "--json",
        ])
        let tuned = try runFMN([
            "probe", "--model", Self.model, "--adapter", adapter.path, "--suite", copa, "--limit",
            "5",
            "--json",
        ])
        #expect(base.status == 0 && tuned.status == 0, "\(tuned.stderr)")
        let a = try JSONDecoder().decode(Result.self, from: Data(base.stdout.utf8)).tasks[0].items
        let b = try JSONDecoder().decode(Result.self, from: Data(tuned.stdout.utf8)).tasks[0].items
        for (x, y) in zip(a, b) {
            #expect(x.choiceLogLikelihoods != y.choiceLogLikelihoods, "item \(x.itemId)")
        }
        let missing = try runFMN([
            "probe", "--model", Self.model, "--adapter", folder.appendingPathComponent("nope").path,
            "--suite", copa,
        ])
        #expect(missing.status == 1 && missing.stderr.contains("nope"), "\(missing.stderr)")
    }
}
