import Testing

@testable import Tokenizers

/// `BPEModel` on tiny vocabularies, with the Rust library's own unit-test expectations.
@Suite struct BPEModelTests {
    func model(
        _ pieces: [String], merges: [(String, String)] = [], unknown: String? = nil,
        fuse: Bool = false, byteFallback: Bool = false
    ) throws -> BPEModel {
        var vocabulary: [ByteKey: Int32] = [:]
        for (id, piece) in pieces.enumerated() {
            vocabulary[ByteKey(Array(piece.utf8))] = Int32(id)
        }
        return try BPEModel(
            vocabulary: vocabulary,
            merges: merges.map { (Array($0.0.utf8), Array($0.1.utf8)) },
            unknownPiece: unknown.map { Array($0.utf8) }, fuseUnknown: fuse,
            byteFallback: byteFallback, ignoreMerges: false, byteLevel: false, path: "test")
    }

    func encode(_ model: BPEModel, _ word: String) -> [Int32] {
        var scratch = BPEScratch()
        var out: [Int32] = []
        Array(word.utf8).withUnsafeBufferPointer { model.encode($0, scratch: &scratch, into: &out) }
        return out
    }

    @Test func unknownCharactersFuseOnlyWhenAsked() throws {
        let pieces = ["<unk>", "a", "b"]
        #expect(encode(try model(pieces, unknown: "<unk>"), "accb") == [1, 0, 0, 2])
        #expect(encode(try model(pieces, unknown: "<unk>", fuse: true), "accb") == [1, 0, 2])
        // Without an unknown piece the Rust library drops the character.
        #expect(encode(try model(pieces), "accb") == [1, 2])
    }

    @Test func byteFallbackUsesByteHexPieces() throws {
        let m = try model(
            ["<unk>", "<0x61>", "<0xC3>", "<0xA9>"], unknown: "<unk>", byteFallback: true)
        #expect(encode(m, "a") == [1])
        #expect(encode(m, "é") == [2, 3])
        #expect(encode(m, "c") == [0])
    }

    @Test func mergesApplyByRankNotByVocabularyOrder() throws {
        // "unrelated" from the Rust library's test: all merges lead to the whole word.
        let pieces = [
            "u", "n", "r", "e", "l", "a", "t", "d", "re", "at", "ed", "un", "ated",
            "rel", "related", "unrelated",
        ]
        let merges = [
            ("r", "e"), ("a", "t"), ("e", "d"), ("u", "n"), ("at", "ed"), ("re", "l"),
            ("rel", "ated"), ("un", "related"),
        ]
        #expect(encode(try model(pieces, merges: merges), "unrelated") == [15])
        // Rank decides between overlapping pairs: "aaa" with a+a merges the leftmost pair.
        #expect(encode(try model(["a", "aa"], merges: [("a", "a")]), "aaa") == [1, 0])
    }

    @Test func aMergeNamingAMissingPieceIsRefused() {
        #expect(throws: TokenizerError.self) {
            try model(["a", "b"], merges: [("a", "b")])
        }
    }
}
