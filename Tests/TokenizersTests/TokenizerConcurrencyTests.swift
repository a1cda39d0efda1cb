import Testing

@testable import Tokenizers

/// One tokenizer shared by concurrent tasks gives the same ids as sequential use (the word
/// cache is shared and lock-protected).
@Suite struct TokenizerConcurrencyTests {
    @Test func concurrentEncodingMatchesSequential() async throws {
        let tokenizer = try #require(ReferenceVectors.tokenizers["gpt2-hf"])
        let texts = ReferenceVectors.vectors.filter { $0.tokenizer == "gpt2-hf" }.map {
            String(decoding: $0.text, as: UTF8.self)
        }
        let expected = ReferenceVectors.vectors.filter { $0.tokenizer == "gpt2-hf" }.map(\.ids)
        let results = await withTaskGroup(of: (Int, [Int]).self) { group in
            for (index, text) in texts.enumerated() {
                group.addTask { (index, tokenizer.encode(text)) }
            }
            var out = [[Int]](repeating: [], count: texts.count)
            for await (index, ids) in group { out[index] = ids }
            return out
        }
        #expect(results == expected)
    }
}
