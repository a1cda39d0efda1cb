import Foundation
import TestSupport
import Testing

@testable import Tokenizers

/// `lstrip`, `rstrip`, `single_word` and `normalized` on added tokens, on a copy of llama2-hf
/// whose `<unk>` is `normalized`, `<s>` strips both sides and `</s>` is `single_word`.
/// Expected values come from `tokenizers` 0.23.3 on the same modified file.
@Suite struct AddedTokenFlagsTests {
    static func modifiedLlama() throws -> Tokenizer {
        var text = try String(
            contentsOf: Fixtures.shared("data/tokenizers/llama2-hf/tokenizer.json"),
            encoding: .utf8)
        func flags(_ content: String, _ replacement: String) {
            let old = """
                "content": "\(content)",
                      "single_word": false,
                      "lstrip": false,
                      "rstrip": false,
                      "normalized": false,
                """
            text = text.replacingOccurrences(of: old, with: replacement)
        }
        flags(
            "<unk>",
            #""content": "<unk>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": true,"#
        )
        flags(
            "<s>",
            #""content": "<s>", "single_word": false, "lstrip": true, "rstrip": true, "normalized": false,"#
        )
        flags(
            "</s>",
            #""content": "</s>", "single_word": true, "lstrip": false, "rstrip": false, "normalized": false,"#
        )
        let folder = try Fixtures.temporaryDirectory("fmn-flags")
        let url = folder.appendingPathComponent("tokenizer.json")
        try Data(text.utf8).write(to: url)
        return try Tokenizer(contentsOf: url)
    }

    @Test func flagsChangeMatchingTokenStringsAndDecoding() throws {
        let tokenizer = try Self.modifiedLlama()
        let stripped = tokenizer.encodeWithPieces("a <s> b")
        #expect(stripped.ids == [1, 263, 1, 289])
        #expect(stripped.tokens == ["<s>", "\u{2581}a", " <s> ", "\u{2581}b"])

        let normalized = tokenizer.encodeWithPieces("a <unk> b")
        #expect(normalized.ids == [1, 263, 0, 289])
        #expect(normalized.tokens == ["<s>", "\u{2581}a", "\u{2581}<unk>", "\u{2581}b"])
        #expect(tokenizer.token(forId: 0) == "\u{2581}<unk>")

        #expect(tokenizer.encode("x</s>y") == [1, 921, 829, 29879, 29958, 29891])
        #expect(tokenizer.encode("x </s> y") == [1, 921, 29871, 2, 29871, 343])

        // "▁<unk>" is not the special content "<unk>", so skipping keeps it.
        #expect(tokenizer.decode([1, 0, 15043], skipSpecialTokens: true) == "<unk> Hello")
    }
}
