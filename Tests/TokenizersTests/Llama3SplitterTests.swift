import Foundation
import Testing

@testable import Tokenizers

/// The Llama 3 / Qwen2 split on examples whose pieces come from `tokenizers` 0.23.3's
/// `pre_tokenizers.Split(Regex(pattern), "isolated")`.
@Suite struct Llama3SplitterTests {
    func pieces(_ text: String, maxDigits: Int) -> [String] {
        let bytes = Array(text.utf8)
        var result: [String] = []
        bytes.withUnsafeBufferPointer { buffer in
            Llama3Splitter(maxDigits: maxDigits).split(buffer) { start, end in
                result.append(String(decoding: bytes[start..<end], as: UTF8.self))
            }
        }
        return result
    }

    @Test func llama3GroupsDigitsByThreeAndKeepsNewlinesWithPunctuation() {
        #expect(
            pieces("Hello world'S 12345 (x) !!\n\n  go", maxDigits: 3) == [
                "Hello", " world", "'S", " ", "123", "45", " (", "x", ")", " !!\n\n", " ", " go",
            ])
        #expect(pieces("a \n\n b\tc  d", maxDigits: 3) == ["a", " \n\n", " b", "\tc", " ", " d"])
        #expect(pieces("I'LL '\u{17F} x", maxDigits: 3) == ["I", "'LL", " '", "\u{17F}", " x"])
    }

    @Test func qwen2SplitsEveryDigit() {
        #expect(pieces("x 12345", maxDigits: 1) == ["x", " ", "1", "2", "3", "4", "5"])
    }

    @Test func theExactPatternsSelectTheScanner() throws {
        let json = try JSONValue.parse(
            Array(
                """
                {"type": "Split", "pattern": {"Regex": \(jsonQuoted(Llama3Splitter.llama3Pattern))},
                 "behavior": "Isolated", "invert": false}
                """.utf8))
        guard case .llama3Split(let maxDigits) = try PreTokenizer.parse(json, path: "t") else {
            Issue.record("Llama 3's Split was not recognized")
            return
        }
        #expect(maxDigits == 3)
    }

    func jsonQuoted(_ text: String) -> String {
        "\""
            + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
                of: "\"", with: "\\\""
            )
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
            + "\""
    }
}
