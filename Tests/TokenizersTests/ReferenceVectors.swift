import Foundation
import TestSupport

@testable import Tokenizers

/// The Rust library's reference vectors in `../shared/reference/tokenizers`, and the three
/// tokenizers they were made with, loaded once for all tests.
enum ReferenceVectors {
    /// One line of `vectors.jsonl` (strings kept as exact UTF-8 bytes).
    struct Vector: Sendable {
        var id: String
        var tokenizer: String
        var kind: String
        var text: [UInt8]
        var ids: [Int]
        var idsNoSpecial: [Int]
        var tokens: [[UInt8]]
        var decoded: [UInt8]
        var decodedWithSpecial: [UInt8]
        var decodedPerToken: [[UInt8]]?
    }

    /// One line of `decode_vectors.jsonl`.
    struct DecodeVector: Sendable {
        var id: String
        var tokenizer: String
        var kind: String
        var ids: [Int]
        var decoded: [UInt8]
        var decodedWithSpecial: [UInt8]
    }

    static let folder = Fixtures.shared("reference/tokenizers")

    static let tokenizerURLs: [String: URL] = [
        "gpt2-hf": Fixtures.shared("data/tokenizers/gpt2-hf"),
        "llama2-hf": Fixtures.shared("data/tokenizers/llama2-hf"),
        "stories260K-hf": Fixtures.shared("data/models/stories260K-hf"),
    ]

    /// The three tokenizers, by name (loading errors are fatal to the tests that use them).
    static let tokenizers: [String: Tokenizer] = {
        var result: [String: Tokenizer] = [:]
        for (name, url) in tokenizerURLs { result[name] = try? Tokenizer(contentsOf: url) }
        return result
    }()

    static func lines(_ name: String) throws -> [JSONValue] {
        let data = try Data(contentsOf: folder.appendingPathComponent(name))
        return try data.split(separator: 0x0A).map { try JSONValue.parse([UInt8]($0)) }
    }

    static func ints(_ value: JSONValue?) -> [Int] {
        (value?.array ?? []).compactMap(\.int)
    }

    static let vectors: [Vector] = {
        guard let lines = try? lines("vectors.jsonl") else { return [] }
        return lines.map { line in
            Vector(
                id: line["id"]?.string ?? "?",
                tokenizer: line["tokenizer"]?.string ?? "?",
                kind: line["kind"]?.string ?? "?",
                text: line["text"]?.bytes ?? [],
                ids: ints(line["ids"]),
                idsNoSpecial: ints(line["ids_no_special"]),
                tokens: (line["tokens"]?.array ?? []).map { $0.bytes ?? [] },
                decoded: line["decoded"]?.bytes ?? [],
                decodedWithSpecial: line["decoded_with_special"]?.bytes ?? [],
                decodedPerToken: line["decoded_per_token"]?.array?.map { $0.bytes ?? [] })
        }
    }()

    static let decodeVectors: [DecodeVector] = {
        guard let lines = try? lines("decode_vectors.jsonl") else { return [] }
        return lines.map { line in
            DecodeVector(
                id: line["id"]?.string ?? "?",
                tokenizer: line["tokenizer"]?.string ?? "?",
                kind: line["kind"]?.string ?? "?",
                ids: ints(line["ids"]),
                decoded: line["decoded"]?.bytes ?? [],
                decodedWithSpecial: line["decoded_with_special"]?.bytes ?? [])
        }
    }()

    /// A readable form of bytes for failure messages (escapes non-ASCII scalars).
    static func show(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).unicodeScalars.map { scalar in
            scalar.isASCII && scalar.value >= 0x20
                ? String(scalar) : "\\u{\(String(scalar.value, radix: 16))}"
        }.joined()
    }
}
