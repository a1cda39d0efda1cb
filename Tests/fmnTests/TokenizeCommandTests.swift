import Foundation
import TestSupport
import Testing

/// End-to-end runs of `fmn tokenize` against the Rust library's reference vectors.
@Suite struct TokenizeCommandTests {
    static let tokenizerPaths = [
        "gpt2-hf": Fixtures.shared("data/tokenizers/gpt2-hf").path,
        "llama2-hf": Fixtures.shared("data/tokenizers/llama2-hf").path,
        "stories260K-hf": Fixtures.shared("data/models/stories260K-hf").path,
    ]

    /// Reads lines of a reference JSONL file by their `id`.
    static func referenceLines(_ file: String, ids: Set<String>) throws -> [[String: Any]] {
        let text = try String(
            contentsOf: Fixtures.shared("reference/tokenizers/\(file)"), encoding: .utf8)
        return try text.split(separator: "\n").compactMap { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            guard let object, let id = object["id"] as? String, ids.contains(id) else { return nil }
            return object
        }
    }

    static let encodeIds: Set<String> = [
        "gpt2-hf/tricky.multiple_spaces.005",
        "gpt2-hf/tricky.contractions.006",
        "llama2-hf/tricky.special_token_strings.005",
        "llama2-hf/tricky.cjk.000",
        "stories260K-hf/tricky.leading_trailing_spaces.005",
        "stories260K-hf/tricky.special_token_strings.017",
    ]

    @Test func encodingAFileMatchesTheVectors() throws {
        let vectors = try Self.referenceLines("vectors.jsonl", ids: Self.encodeIds)
        #expect(vectors.count == Self.encodeIds.count)
        let folder = try Fixtures.temporaryDirectory("fmn-tokenize")
        for vector in vectors {
            let name = try #require(vector["tokenizer"] as? String)
            let text = try #require(vector["text"] as? String)
            let file = folder.appendingPathComponent("input.txt")
            try Data(text.utf8).write(to: file)
            let plain = try runFMN(
                ["tokenize", "--tokenizer", Self.tokenizerPaths[name]!, "--file", file.path])
            #expect(plain.status == 0, "stderr: \(plain.stderr)")
            let expected = (vector["ids"] as? [Int]) ?? []
            #expect(
                plain.stdout == expected.map(String.init).joined(separator: " ") + "\n",
                "\(vector["id"]!)")

            let json = try runFMN(
                [
                    "tokenize", "--tokenizer", Self.tokenizerPaths[name]!, "--json", "--no-special",
                    "--file", file.path,
                ])
            #expect(json.status == 0, "stderr: \(json.stderr)")
            let object =
                try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            #expect(
                object?["ids"] as? [Int] == vector["ids_no_special"] as? [Int], "\(vector["id"]!)")
        }
    }

    @Test func encodingTheArgumentPrintsTokensInJSON() throws {
        let result = try runFMN(
            [
                "tokenize", "--tokenizer", Self.tokenizerPaths["llama2-hf"]!, "--json",
                "<s>Hello</s>",
            ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let object =
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["ids"] as? [Int] == [1, 1, 15043, 2])
        #expect(object?["tokens"] as? [String] == ["<s>", "<s>", "\u{2581}Hello", "</s>"])
    }

    @Test func fileDashReadsStandardInput() throws {
        let result = try runFMN(
            ["tokenize", "--tokenizer", Self.tokenizerPaths["llama2-hf"]!, "--file", "-"],
            input: Data("Hello world\n".utf8))
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == "1 15043 3186 13\n")
    }

    @Test func decodingMatchesTheDecodeVectors() throws {
        let ids: Set<String> = [
            "gpt2-hf/decode.partial_utf8.001", "llama2-hf/decode.invalid_utf8.001",
        ]
        let vectors = try Self.referenceLines("decode_vectors.jsonl", ids: ids)
        #expect(vectors.count == 2)
        for vector in vectors {
            let name = try #require(vector["tokenizer"] as? String)
            let list = ((vector["ids"] as? [Int]) ?? []).map(String.init)
            let asJSON = try runFMN(
                [
                    "tokenize", "--tokenizer", Self.tokenizerPaths[name]!, "--decode",
                    "--skip-special",
                    "[" + list.joined(separator: ", ") + "]",
                ])
            #expect(asJSON.status == 0, "stderr: \(asJSON.stderr)")
            let expected = try #require(vector["decoded"] as? String)
            #expect(Array(asJSON.stdout.unicodeScalars) == Array((expected + "\n").unicodeScalars))
            let spaced = try runFMN(
                [
                    "tokenize", "--tokenizer", Self.tokenizerPaths[name]!, "--decode",
                    list.joined(separator: " "),
                ])
            let withSpecial = try #require(vector["decoded_with_special"] as? String)
            #expect(
                Array(spaced.stdout.unicodeScalars) == Array((withSpecial + "\n").unicodeScalars))
        }
        let kept = try runFMN(
            ["tokenize", "--tokenizer", Self.tokenizerPaths["llama2-hf"]!, "--decode", "1 15043"])
        #expect(kept.stdout == "<s> Hello\n")
    }

    @Test func unsupportedComponentsFailWithTheirNameAndFile() throws {
        let folder = try Fixtures.temporaryDirectory("fmn-tokenize")
        let file = folder.appendingPathComponent("tokenizer.json")
        let json = #"{"model": {"type": "Unigram", "vocab": [["a", 0.0]]}, "decoder": null}"#
        try Data(json.utf8).write(to: file)
        let result = try runFMN(["tokenize", "--tokenizer", file.path, "hello"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("model Unigram"))
        #expect(result.stderr.contains(file.path))
        #expect(result.stdout.isEmpty)
    }

    @Test func badArgumentsAreValidationErrors() throws {
        let path = Self.tokenizerPaths["gpt2-hf"]!
        let none = try runFMN(["tokenize", "--tokenizer", path])
        #expect(none.status == 64)
        let badIds = try runFMN(["tokenize", "--tokenizer", path, "--decode", "[1, x]"])
        #expect(badIds.status == 64)
        #expect(badIds.stderr.contains("not an integer"))
        let skipWithoutDecode = try runFMN(["tokenize", "--tokenizer", path, "--skip-special", "a"])
        #expect(skipWithoutDecode.status == 64)
    }
}
