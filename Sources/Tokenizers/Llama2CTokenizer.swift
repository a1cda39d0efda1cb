import Foundation

/// A llama2.c `tokenizer.bin` tokenizer (`tok512.bin`, Llama-2's `tokenizer.bin`), encoding
/// exactly as llama2.c's `run.c` does.
///
/// File layout (little-endian): one `UInt32` `max_token_length`, then one record per id:
/// `Float32` score, `Int32` byte length *n*, *n* bytes of UTF-8. The record count is not
/// stored; the file is read to its end (and checked against `vocabularySize` when given).
/// Ids 1 and 2 hold `"\n<s>\n"` and `"\n</s>\n"`, ids 3…258 the byte pieces `<0x00>`…`<0xFF>`,
/// and SentencePiece's `▁` is already an ASCII space.
///
/// Encoding (`run.c`): optional BOS (1); for non-empty text the piece `" "` (dummy prefix);
/// each code point as its piece, else its bytes as ids `byte + 3`; then repeatedly merge the
/// adjacent pair whose concatenation is a piece with the **highest score** (leftmost on
/// ties); optional EOS (2). On plain text this gives the same ids as the `tokenizer.json` of
/// `stories260K-hf`, but it does not match `<s>`-style strings as special tokens.
///
/// Decoding: each piece's bytes, a `<0xHH>` piece as the raw byte, and one leading space
/// dropped after BOS; invalid UTF-8 becomes U+FFFD.
///
/// ### References
/// `../shared/data/README.md` §6.2; Karpathy, llama2.c `run.c` (`encode`, `decode`).
public struct Llama2CTokenizer: Sendable {
    let pieces: [[UInt8]]
    let scores: [Float]
    let pieceIds: [ByteKey: Int32]
    /// Byte length of the longest piece, as stored in the header.
    public let maxTokenLength: Int
    /// The beginning-of-sequence id (1).
    public let bosTokenId = 1
    /// The end-of-sequence id (2).
    public let eosTokenId = 2

    /// The number of pieces (512 for `tok512.bin`, 32,000 for Llama-2).
    public var vocabularySize: Int { pieces.count }

    /// Reads a `tokenizer.bin`.
    ///
    /// - Parameters:
    ///   - url: the file.
    ///   - vocabularySize: the expected number of records (from the model header), checked
    ///     when given.
    /// - Throws: `TokenizerError.unreadable` or `.malformed` (truncated record, wrong count).
    public init(contentsOf url: URL, vocabularySize: Int? = nil) throws(TokenizerError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(path: url.path, reason: "\(error)")
        }
        let bytes = [UInt8](data)
        func u32(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16
                | UInt32(bytes[at + 3]) << 24
        }
        guard bytes.count >= 4 else {
            throw .malformed(path: url.path, reason: "shorter than its 4-byte header")
        }
        maxTokenLength = Int(u32(0))
        var pieces: [[UInt8]] = []
        var scores: [Float] = []
        var offset = 4
        while offset < bytes.count {
            guard offset + 8 <= bytes.count else {
                throw .malformed(
                    path: url.path,
                    reason: "record \(pieces.count) is truncated at byte \(offset)")
            }
            let score = Float(bitPattern: u32(offset))
            let length = Int(Int32(bitPattern: u32(offset + 4)))
            guard length >= 0, offset + 8 + length <= bytes.count else {
                throw .malformed(
                    path: url.path,
                    reason: "record \(pieces.count) has an invalid length \(length)")
            }
            pieces.append(Array(bytes[(offset + 8)..<(offset + 8 + length)]))
            scores.append(score)
            offset += 8 + length
        }
        if let vocabularySize, vocabularySize != pieces.count {
            throw .malformed(
                path: url.path,
                reason: "it holds \(pieces.count) pieces, but the model expects \(vocabularySize)")
        }
        guard pieces.count > 258 else {
            throw .malformed(
                path: url.path,
                reason: "only \(pieces.count) pieces; ids 3…258 must be the byte pieces")
        }
        var ids: [ByteKey: Int32] = [:]
        for (id, piece) in pieces.enumerated() where ids[ByteKey(piece)] == nil {
            ids[ByteKey(piece)] = Int32(id)  // the first id wins, as run.c's sorted lookup
        }
        self.pieces = pieces
        self.scores = scores
        self.pieceIds = ids
    }

    /// The piece of an id (with spaces, not `▁`), or `nil` outside the vocabulary.
    public func token(forId id: Int) -> String? {
        guard id >= 0, id < pieces.count else { return nil }
        return String(decoding: pieces[id], as: UTF8.self)
    }

    /// The id of a piece, or `nil`.
    public func id(forToken token: String) -> Int? {
        pieceIds[ByteKey(Array(token.utf8))].map(Int.init)
    }

    /// Encodes text as llama2.c's `run.c` does.
    ///
    /// - Parameters:
    ///   - text: the input (UTF-8 code points).
    ///   - addBOS: put BOS (1) first.
    ///   - addEOS: put EOS (2) last.
    /// - Returns: token ids.
    public func encode(_ text: String, addBOS: Bool = true, addEOS: Bool = false) -> [Int] {
        let bytes = Array(text.utf8)
        var symbols: [Int32] = []
        symbols.reserveCapacity(bytes.count + 1)
        if !bytes.isEmpty, let space = pieceIds[ByteKey([0x20])] { symbols.append(space) }
        bytes.withUnsafeBufferPointer { buffer in
            var i = 0
            while i < buffer.count {
                let (_, length) = GPT2Splitter.decode(buffer, i)
                let end = min(i + length, buffer.count)
                if let id = pieceIds[ByteKey(Array(buffer[i..<end]))] {
                    symbols.append(id)
                } else {
                    for b in buffer[i..<end] { symbols.append(Int32(b) + 3) }
                }
                i = end
            }
        }
        var ids: [Int] = addBOS ? [bosTokenId] : []
        ids += merge(symbols).map(Int.init)
        if addEOS { ids.append(eosTokenId) }
        return ids
    }

    /// A key that sorts higher scores first (an order-preserving map of the float's bits).
    static func scoreKey(_ score: Float) -> UInt64 {
        let bits = score.bitPattern
        let ascending = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
        return UInt64(~ascending)
    }

    private func mergedId(_ a: Int32, _ b: Int32) -> Int32? {
        pieceIds[ByteKey(pieces[Int(a)] + pieces[Int(b)])]
    }

    /// Merges by highest score, leftmost on ties (a heap; same result as run.c's scan).
    private func merge(_ start: [Int32]) -> [Int32] {
        let n = start.count
        if n < 2 { return start }
        var c = start
        var next = (0..<n).map { Int32($0 + 1 < n ? $0 + 1 : -1) }
        var prev = (0..<n).map { Int32($0 - 1) }
        var storage = [UInt64](repeating: 0, count: 3 * n)
        return storage.withUnsafeMutableBufferPointer { storage in
            var heap = MinHeap(storage: storage)
            for i in 0..<(n - 1) {
                if let id = mergedId(c[i], c[i + 1]) {
                    heap.pushUnordered(Self.scoreKey(scores[Int(id)]) << 32 | UInt64(i))
                }
            }
            heap.heapify()
            while let top = heap.pop() {
                let pos = Int(top & 0xFFFF_FFFF)
                if prev[pos] == -2 { continue }
                let nx = Int(next[pos])
                if nx < 0 { continue }
                guard let id = mergedId(c[pos], c[nx]),
                    Self.scoreKey(scores[Int(id)]) == top >> 32
                else { continue }
                c[pos] = id
                let after = next[nx]
                next[pos] = after
                prev[nx] = -2
                if after >= 0 { prev[Int(after)] = Int32(pos) }
                let before = prev[pos]
                if before >= 0, let left = mergedId(c[Int(before)], id) {
                    heap.push(Self.scoreKey(scores[Int(left)]) << 32 | UInt64(before))
                }
                if after >= 0, let right = mergedId(id, c[Int(after)]) {
                    heap.push(Self.scoreKey(scores[Int(right)]) << 32 | UInt64(pos))
                }
            }
            var out: [Int32] = []
            var i = 0
            while i >= 0 {
                out.append(c[i])
                i = Int(next[i])
            }
            return out
        }
    }

    /// Decodes ids as llama2.c's `run.c` prints them.
    ///
    /// - Parameters:
    ///   - ids: token ids; ids outside the vocabulary are dropped.
    ///   - skipSpecialTokens: drop `<unk>` (0), BOS (1) and EOS (2) pieces from the output
    ///     (BOS still removes the next piece's leading space).
    /// - Returns: the text.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) -> String {
        var out: [UInt8] = []
        var previous = -1
        for id in ids {
            guard id >= 0, id < pieces.count else { continue }
            defer { previous = id }
            if skipSpecialTokens && id <= 2 { continue }
            var piece = pieces[id][...]
            if previous == bosTokenId, piece.first == 0x20 { piece = piece.dropFirst() }
            if let byte = TokenDecoder.bytePiece(Array(piece)) {
                out.append(byte)
            } else {
                out.append(contentsOf: piece)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
