import Foundation
import TestSupport
import Testing

@testable import Tokenizers

/// llama2.c `tokenizer.bin` files: the check values of `../shared/data/README.md`, and
/// agreement with the `stories260K-hf` `tokenizer.json` on plain TinyStories text.
@Suite struct Llama2CTokenizerTests {
    static let tok512 = try? Llama2CTokenizer(
        contentsOf: Fixtures.shared("data/models/stories260K/tok512.bin"), vocabularySize: 512)
    static let llama2 = try? Llama2CTokenizer(
        contentsOf: Fixtures.shared("data/tokenizers/llama2/tokenizer.bin"), vocabularySize: 32000)

    @Test func readmeCheckValues() throws {
        let tok512 = try #require(Self.tok512)
        #expect(tok512.maxTokenLength == 7)
        #expect(tok512.encode("Once upon a time") == [1, 403, 407, 261, 378])
        let llama2 = try #require(Self.llama2)
        #expect(llama2.maxTokenLength == 27)
        #expect(llama2.encode("Hello world", addBOS: false) == [15043, 3186])
        #expect(llama2.encode("Once upon a time", addBOS: false) == [9038, 2501, 263, 931])
        #expect(llama2.encode("", addBOS: true, addEOS: true) == [1, 2])
    }

    @Test func decodingDropsTheSpaceAfterBOSAndReadsBytePieces() throws {
        let llama2 = try #require(Self.llama2)
        #expect(llama2.decode([1, 15043, 3186], skipSpecialTokens: true) == "Hello world")
        #expect(llama2.decode([1, 15043, 3186]) == "\n<s>\nHello world")
        #expect(llama2.decode(llama2.encode("爱 x\n"), skipSpecialTokens: true) == "爱 x\n")
        #expect(llama2.decode([15043, 3186]) == " Hello world")
    }

    @Test func agreesWithTheTokenizerJSONOnTinyStories() throws {
        let tok512 = try #require(Self.tok512)
        let hf = try #require(ReferenceVectors.tokenizers["stories260K-hf"])
        let vectors = ReferenceVectors.vectors.filter {
            $0.tokenizer == "stories260K-hf" && $0.kind.hasPrefix("tinystories_paragraph")
        }
        #expect(!vectors.isEmpty)
        for vector in vectors {
            let text = String(decoding: vector.text, as: UTF8.self)
            #expect(tok512.encode(text) == hf.encode(text), "\(vector.id)")
        }
    }

    @Test func aWrongRecordCountIsRefused() {
        #expect(throws: TokenizerError.self) {
            try Llama2CTokenizer(
                contentsOf: Fixtures.shared("data/models/stories260K/tok512.bin"),
                vocabularySize: 32000)
        }
    }
}
