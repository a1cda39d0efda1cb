import Foundation
import TestSupport
import Testing

/// End-to-end runs of `fmn score` against the shared reference vectors.
@Suite struct ScoreCommandTests {
    struct Score: Decodable, Equatable {
        var precision: Double
        var recall: Double
        var fmeasure: Double
    }

    struct BLEU: Decodable, Equatable {
        var score: Double
        var precisions: [Double]
        var bp: Double
        var sys_len: Int
        var ref_len: Int
        var counts: [Int]
        var totals: [Int]
    }

    struct CHRF: Decodable, Equatable {
        var score: Double
    }

    /// One object of `fmn score --json` (with `n`) or `--per-example --json` (without).
    struct Output: Decodable {
        var n: Int?
        var rouge1: Score?
        var rouge2: Score?
        var rougeL: Score?
        var rougeLsum: Score?
        var bleu: BLEU?
        var chrf: CHRF?
        var exact_match: Double?
    }

    struct ROUGE: Decodable {
        var rouge1: Score
        var rouge2: Score
        var rougeL: Score
        var rougeLsum: Score
    }

    struct SentenceVector: Decodable {
        var prediction: String
        var reference: String
        var rouge_use_stemmer_false: ROUGE
        var rouge_use_stemmer_true: ROUGE
        var sentence_bleu: BLEU
        var chrf: CHRF
        var exact_match: Double
    }

    struct CorpusVector: Decodable {
        struct Means: Decodable {
            var use_stemmer_true: ROUGE
        }
        var id: String
        var predictions: [String]
        var references: [String]
        var corpus_bleu: BLEU
        var corpus_chrf: CHRF
        var rouge_mean: Means
        var exact_match_mean: Double
    }

    static func pairsFile(_ pairs: [(String, String)], in folder: URL, name: String = "pairs.jsonl")
        throws -> URL
    {
        let encoder = JSONEncoder()
        var text = ""
        for (prediction, reference) in pairs {
            let data = try encoder.encode(["prediction": prediction, "reference": reference])
            text += String(decoding: data, as: UTF8.self) + "\n"
        }
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    static func decodeLines(_ text: String) throws -> [Output] {
        try text.split(separator: "\n").map {
            try JSONDecoder().decode(Output.self, from: Data($0.utf8))
        }
    }

    static func expectBLEU(
        _ actual: BLEU?, _ expected: BLEU, _ label: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let actual else {
            Issue.record("\(label): no bleu field", sourceLocation: sourceLocation)
            return
        }
        expectClose(
            actual.score, expected.score, rtol: 0, atol: 1e-9, "\(label) score",
            sourceLocation: sourceLocation)
        expectClose(
            actual.bp, expected.bp, rtol: 0, atol: 1e-12, "\(label) bp",
            sourceLocation: sourceLocation)
        #expect(
            actual.precisions == expected.precisions, "\(label)", sourceLocation: sourceLocation)
        #expect(actual.sys_len == expected.sys_len, "\(label)", sourceLocation: sourceLocation)
        #expect(actual.ref_len == expected.ref_len, "\(label)", sourceLocation: sourceLocation)
        #expect(actual.counts == expected.counts, "\(label)", sourceLocation: sourceLocation)
        #expect(actual.totals == expected.totals, "\(label)", sourceLocation: sourceLocation)
    }

    @Test(arguments: [false, true])
    func perExampleJSONReproducesTheSentenceVectors(useStemmer: Bool) throws {
        let vectors = try Fixtures.jsonLines(
            SentenceVector.self, at: Fixtures.shared("reference/metrics/sentence_vectors.jsonl"))
        #expect(vectors.count == 344)
        let folder = try Fixtures.temporaryDirectory("fmn-score")
        defer { try? FileManager.default.removeItem(at: folder) }
        let pairs = try Self.pairsFile(vectors.map { ($0.prediction, $0.reference) }, in: folder)
        let result = try runFMN(
            ["score", "--pairs", pairs.path, "--per-example", "--json"]
                + (useStemmer ? ["--use-stemmer"] : []))
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let outputs = try Self.decodeLines(result.stdout)
        try #require(outputs.count == vectors.count)
        for (k, (output, vector)) in zip(outputs, vectors).enumerated() {
            let rouge = useStemmer ? vector.rouge_use_stemmer_true : vector.rouge_use_stemmer_false
            #expect(output.n == nil)
            #expect(output.rouge1 == rouge.rouge1, "pair \(k + 1) rouge1")
            #expect(output.rouge2 == rouge.rouge2, "pair \(k + 1) rouge2")
            #expect(output.rougeL == rouge.rougeL, "pair \(k + 1) rougeL")
            #expect(output.rougeLsum == rouge.rougeLsum, "pair \(k + 1) rougeLsum")
            Self.expectBLEU(output.bleu, vector.sentence_bleu, "pair \(k + 1) bleu")
            #expect(output.chrf == vector.chrf, "pair \(k + 1) chrf")
            #expect(output.exact_match == vector.exact_match, "pair \(k + 1) exact_match")
        }
    }

    @Test func corpusJSONReproducesTheCorpusVectors() throws {
        let vectors = try Fixtures.jsonLines(
            CorpusVector.self, at: Fixtures.shared("reference/metrics/corpus_vectors.jsonl"))
        #expect(vectors.count == 32)
        let folder = try Fixtures.temporaryDirectory("fmn-score")
        defer { try? FileManager.default.removeItem(at: folder) }
        for vector in vectors {
            let pairs = try Self.pairsFile(
                Array(zip(vector.predictions, vector.references)), in: folder)
            let result = try runFMN(["score", "--pairs", pairs.path, "--json", "--use-stemmer"])
            #expect(result.status == 0, "\(vector.id): \(result.stderr)")
            let output = try #require(try Self.decodeLines(result.stdout).first)
            let rouge = vector.rouge_mean.use_stemmer_true
            #expect(output.n == vector.predictions.count, "\(vector.id)")
            #expect(output.rouge1 == rouge.rouge1, "\(vector.id) rouge1")
            #expect(output.rouge2 == rouge.rouge2, "\(vector.id) rouge2")
            #expect(output.rougeL == rouge.rougeL, "\(vector.id) rougeL")
            #expect(output.rougeLsum == rouge.rougeLsum, "\(vector.id) rougeLsum")
            Self.expectBLEU(output.bleu, vector.corpus_bleu, "\(vector.id) bleu")
            #expect(output.chrf == vector.corpus_chrf, "\(vector.id) chrf")
            #expect(output.exact_match == vector.exact_match_mean, "\(vector.id) exact_match")
        }
    }

    @Test func plainTextFilesWithTwoReferencesEqualReferencesArrays() throws {
        let folder = try Fixtures.temporaryDirectory("fmn-score")
        defer { try? FileManager.default.removeItem(at: folder) }
        let predictions = folder.appendingPathComponent("pred.txt")
        let first = folder.appendingPathComponent("ref1.txt")
        let second = folder.appendingPathComponent("ref2.txt")
        try Data("the cat sat on the mat\nhello world\n".utf8).write(to: predictions)
        try Data("a cat sat on a mat\r\nhello there world\r\n".utf8).write(to: first)
        try Data("the cat sat\nhello world".utf8).write(to: second)
        let jsonl = folder.appendingPathComponent("pairs.jsonl")
        try Data(
            ("{\"prediction\": \"the cat sat on the mat\", \"references\": [\"a cat sat on a mat\", "
                + "\"the cat sat\"]}\n{\"prediction\": \"hello world\", \"references\": "
                + "[\"hello there world\", \"hello world\"]}\n").utf8
        ).write(to: jsonl)
        let fromText = try runFMN([
            "score", "--predictions", predictions.path, "--references", first.path,
            "--references", second.path, "--json",
        ])
        let fromJSON = try runFMN(["score", "--pairs", jsonl.path, "--json"])
        #expect(fromText.status == 0, "\(fromText.stderr)")
        #expect(fromJSON.status == 0, "\(fromJSON.stderr)")
        #expect(fromText.stdout == fromJSON.stdout)
        let output = try #require(try Self.decodeLines(fromJSON.stdout).first)
        // The second pair matches its second reference exactly.
        #expect(output.exact_match == 0.5)
        #expect(output.n == 2)
    }

    @Test func metricsFlagSelectsFieldsAndDefaultIsATable() throws {
        let folder = try Fixtures.temporaryDirectory("fmn-score")
        defer { try? FileManager.default.removeItem(at: folder) }
        let pairs = try Self.pairsFile([("the cat sat", "the cat sat on the mat")], in: folder)
        let subset = try runFMN([
            "score", "--pairs", pairs.path, "--json", "--metrics", "chrf,exact_match",
        ])
        #expect(subset.status == 0)
        let output = try #require(try Self.decodeLines(subset.stdout).first)
        #expect(output.rouge1 == nil && output.bleu == nil)
        #expect(output.chrf != nil && output.exact_match == 0)
        let table = try runFMN(["score", "--pairs", pairs.path])
        #expect(table.status == 0)
        // rouge1 for "the cat sat" vs "the cat sat on the mat": P 1, R 0.5, F 0.6667.
        #expect(table.stdout.contains("rouge1      1.0000      0.5000      0.6667"))
        #expect(table.stdout.contains("BLEU"))
        let unknown = try runFMN(["score", "--pairs", pairs.path, "--metrics", "meteor"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("meteor"))
    }

    @Test(arguments: [
        (
            "{\"prediction\": \"a\", \"reference\": \"a\"}\n{\"prediction\": \"b\", \"reference\": \"b\"}\n{\"prediction\": \"c\", \"refer",
            ":3:"
        ),
        ("{\"prediction\": \"a\", \"reference\": \"a\"}\n{\"reference\": \"b\"}\n", ":2:"),
        ("{\"prediction\": \"a\", \"reference\": 5}\n", ":1:"),
        ("{\"prediction\": \"a\", \"references\": []}\n", ":1:"),
        ("[1, 2]\n", ":1:"),
    ])
    func badJSONLinesFailNamingFileAndLine(_ content: String, _ location: String) throws {
        let folder = try Fixtures.temporaryDirectory("fmn-score")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("bad.jsonl")
        try Data(content.utf8).write(to: url)
        let result = try runFMN(["score", "--pairs", url.path, "--json"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty, "no partial result: \(result.stdout)")
        #expect(result.stderr.contains(url.path + location), "\(result.stderr)")
    }

    @Test func invalidUTF8AndMismatchedCountsFailNamingFileAndLine() throws {
        let folder = try Fixtures.temporaryDirectory("fmn-score")
        defer { try? FileManager.default.removeItem(at: folder) }
        let predictions = folder.appendingPathComponent("pred.txt")
        let references = folder.appendingPathComponent("ref.txt")
        try Data([0x61, 0x0A, 0x62, 0xFF, 0x0A]).write(to: predictions)
        try Data("a\nb\n".utf8).write(to: references)
        let badUTF8 = try runFMN([
            "score", "--predictions", predictions.path, "--references", references.path,
        ])
        #expect(badUTF8.status == 1)
        #expect(badUTF8.stdout.isEmpty)
        #expect(badUTF8.stderr.contains(predictions.path + ":2:"), "\(badUTF8.stderr)")

        try Data("a\nb\nc\n".utf8).write(to: predictions)
        let mismatch = try runFMN([
            "score", "--predictions", predictions.path, "--references", references.path,
        ])
        #expect(mismatch.status == 1)
        #expect(mismatch.stdout.isEmpty)
        #expect(mismatch.stderr.contains(references.path + ":3:"), "\(mismatch.stderr)")

        let missing = try runFMN([
            "score", "--pairs", folder.appendingPathComponent("nope.jsonl").path,
        ])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("nope.jsonl"))
    }
}
