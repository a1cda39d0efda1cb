import Testing

@testable import Tokenizers

/// The hand-written GPT-2 split on the README's worked examples.
@Suite struct GPT2SplitterTests {
    func pieces(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        var result: [String] = []
        bytes.withUnsafeBufferPointer { buffer in
            GPT2Splitter.split(buffer) { start, end in
                result.append(String(decoding: bytes[start..<end], as: UTF8.self))
            }
        }
        return result
    }

    @Test func runsOfSpacesLeaveTheLastSpaceToTheNextWord() {
        #expect(pieces("The  quick") == ["The", " ", " quick"])
        #expect(pieces("Hello there       dear") == ["Hello", " there", "      ", " dear"])
        #expect(pieces("end   ") == ["end", "   "])
    }

    @Test func onlyASCIISpaceJoinsTheNextWord() {
        #expect(pieces("a\u{3000}b") == ["a", "\u{3000}", "b"])
        #expect(pieces("a\n b") == ["a", "\n", " b"])
    }

    @Test func contractionsAreCaseSensitiveAndASCIIOnly() {
        #expect(pieces("'twas") == ["'t", "was"])
        #expect(pieces("I'LL don\u{2019}t") == ["I", "'", "LL", " don", "\u{2019}", "t"])
        #expect(pieces("?'s") == ["?'", "s"])
    }

    @Test func numbersAndPunctuationAreSeparateRuns() {
        #expect(pieces("abc123!!? x") == ["abc", "123", "!!?", " x"])
    }
}
