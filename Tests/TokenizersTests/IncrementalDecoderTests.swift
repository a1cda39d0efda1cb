import Testing

@testable import Tokenizers

/// Streaming decode: the pieces concatenate to the full decode of every reference vector of
/// up to 200 ids (each append decodes the whole list, so longer ones only cost test time).
@Suite struct IncrementalDecoderTests {
    @Test(arguments: ["gpt2-hf", "llama2-hf", "stories260K-hf"])
    func streamedTextEqualsTheFullDecode(_ name: String) throws {
        let tokenizer = try #require(ReferenceVectors.tokenizers[name])
        let vectors = ReferenceVectors.vectors.filter {
            $0.tokenizer == name && $0.decodedPerToken != nil && $0.ids.count <= 200
        }
        #expect(!vectors.isEmpty)
        for vector in vectors {
            var stream = IncrementalDecoder(tokenizer: tokenizer)
            var text = ""
            for id in vector.ids {
                text.unicodeScalars.append(contentsOf: stream.append(id).unicodeScalars)
            }
            text.unicodeScalars.append(contentsOf: stream.flush().unicodeScalars)
            #expect(Array(text.utf8) == vector.decoded, "\(vector.id)")
        }
    }

    @Test func aSplitCharacterWaitsForItsLastByte() throws {
        let tokenizer = try #require(ReferenceVectors.tokenizers["llama2-hf"])
        var stream = IncrementalDecoder(tokenizer: tokenizer)
        // 爱 = <0xE7> <0x88> <0xB1> (ids 234, 139, 180).
        #expect(stream.append(234) == "")
        #expect(stream.append(139) == "")
        #expect(stream.append(180) == "爱")
    }
}
