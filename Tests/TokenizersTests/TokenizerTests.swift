import Foundation
import TestSupport
import Testing

@testable import Tokenizers

/// Every vector of `../shared/reference/tokenizers`: ids (with and without special tokens),
/// token strings, and decoded text (skipping special tokens, keeping them, and token by token),
/// compared as exact UTF-8 bytes (never as Swift `String`s, which equate NFC and NFD).
@Suite struct TokenizerTests {
    static let tokenizerNames = ["gpt2-hf", "llama2-hf", "stories260K-hf"]

    @Test func referenceFilesArePresent() {
        #expect(ReferenceVectors.vectors.count == 480)
        #expect(ReferenceVectors.decodeVectors.count == 28)
        for name in Self.tokenizerNames {
            #expect(ReferenceVectors.tokenizers[name] != nil, "\(name) failed to load")
        }
    }

    @Test(arguments: tokenizerNames)
    func encodesEveryVectorExactly(_ name: String) throws {
        let tokenizer = try #require(ReferenceVectors.tokenizers[name])
        let vectors = ReferenceVectors.vectors.filter { $0.tokenizer == name }
        #expect(vectors.count == 160)
        var failures: [String] = []
        for vector in vectors {
            let text = String(decoding: vector.text, as: UTF8.self)
            let encoded = tokenizer.encodeWithPieces(text)
            if encoded.ids != vector.ids {
                failures.append("\(vector.id): ids \(encoded.ids) != \(vector.ids)")
                continue
            }
            if encoded.tokens.map({ Array($0.utf8) }) != vector.tokens {
                failures.append("\(vector.id): tokens \(encoded.tokens)")
            }
            let plain = tokenizer.encode(text, addSpecialTokens: false)
            if plain != vector.idsNoSpecial {
                failures.append("\(vector.id): ids_no_special \(plain) != \(vector.idsNoSpecial)")
            }
        }
        #expect(
            failures.isEmpty,
            "\(failures.count) mismatches:\n\(failures.prefix(20).joined(separator: "\n"))")
    }

    @Test(arguments: tokenizerNames)
    func decodesEveryVectorExactly(_ name: String) throws {
        let tokenizer = try #require(ReferenceVectors.tokenizers[name])
        var failures: [String] = []
        for vector in ReferenceVectors.vectors where vector.tokenizer == name {
            let skipped = Array(tokenizer.decode(vector.ids, skipSpecialTokens: true).utf8)
            if skipped != vector.decoded {
                failures.append(
                    "\(vector.id): decoded \(ReferenceVectors.show(skipped)) != "
                        + ReferenceVectors.show(vector.decoded))
            }
            let kept = Array(tokenizer.decode(vector.ids, skipSpecialTokens: false).utf8)
            if kept != vector.decodedWithSpecial {
                failures.append(
                    "\(vector.id): decoded_with_special \(ReferenceVectors.show(kept))"
                        + " != \(ReferenceVectors.show(vector.decodedWithSpecial))")
            }
            if let perToken = vector.decodedPerToken {
                let ours = vector.ids.map { Array(tokenizer.decode([$0]).utf8) }
                if ours != perToken {
                    failures.append("\(vector.id): decoded_per_token differs")
                }
            }
        }
        #expect(
            failures.isEmpty,
            "\(failures.count) mismatches:\n\(failures.prefix(20).joined(separator: "\n"))")
    }

    @Test func decodesEveryDecodeVectorExactly() throws {
        var failures: [String] = []
        for vector in ReferenceVectors.decodeVectors {
            let tokenizer = try #require(ReferenceVectors.tokenizers[vector.tokenizer])
            let skipped = Array(tokenizer.decode(vector.ids, skipSpecialTokens: true).utf8)
            let kept = Array(tokenizer.decode(vector.ids, skipSpecialTokens: false).utf8)
            if skipped != vector.decoded || kept != vector.decodedWithSpecial {
                failures.append(
                    "\(vector.id): \(ReferenceVectors.show(skipped)) / "
                        + "\(ReferenceVectors.show(kept)) != \(ReferenceVectors.show(vector.decoded)) / "
                        + ReferenceVectors.show(vector.decodedWithSpecial))
            }
        }
        #expect(ReferenceVectors.decodeVectors.count == 28)
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
