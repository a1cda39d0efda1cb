import Foundation

/// A byte-pair-encoding model as `tokenizers`' `models::bpe::BPE` runs it.
///
/// A word becomes one symbol per character (per byte in byte-level mode, where each byte
/// stands for its byte-level character), then adjacent pairs are merged repeatedly, always the
/// pair with the lowest **rank** (its index in `model.merges`; a pair listed twice keeps its
/// later rank, as Rust's `HashMap` does), the leftmost among equal ranks.
///
/// A character missing from the vocabulary becomes its UTF-8 bytes as `<0xHH>` pieces when
/// `byte_fallback` is set and all of them exist (byte pieces never merge with anything that is
/// not in `merges`); otherwise the unknown piece (runs fused into one when `fuse_unk`), or is
/// dropped when the model has no unknown piece, exactly as the Rust library does.
///
/// Results for words shorter than 256 bytes are cached (thread-safe), as in the Rust library.
///
/// ### References
/// `tokenizers/src/models/bpe/model.rs` (`merge_word`) and `word.rs` (`merge_all`).
final class BPEModel: Sendable {
    /// Piece bytes → id.
    let vocabulary: [ByteKey: Int32]
    /// Id → piece bytes (`nil` for ids the model does not have).
    let pieces: [[UInt8]?]
    let merges: PairTable
    let mergeCount: Int
    /// Merge rank → the id of the merged piece.
    let rankToNewId: [Int32]
    let unknownId: Int32?
    let fuseUnknown: Bool
    let byteFallback: Bool
    let ignoreMerges: Bool
    /// Whether words arrive as raw bytes standing for byte-level characters.
    let byteLevel: Bool
    /// `<0xHH>` piece id per byte, or -1.
    let byteFallbackIds: [Int32]
    /// In byte-level mode: the id of each byte's character piece, or -1.
    let byteLevelIds: [Int32]
    /// Ids of single-character pieces: ASCII in a table, the rest in a dictionary.
    let asciiIds: [Int32]
    let scalarIds: [UInt32: Int32]
    private let cache = WordCache()
    static let cacheWordLimit = 256
    static let cacheCapacity = 200_000

    init(
        vocabulary: [ByteKey: Int32], merges: [([UInt8], [UInt8])], unknownPiece: [UInt8]?,
        fuseUnknown: Bool, byteFallback: Bool, ignoreMerges: Bool, byteLevel: Bool,
        path: String
    ) throws(TokenizerError) {
        self.vocabulary = vocabulary
        let maxId = vocabulary.values.max() ?? -1
        var pieces = [[UInt8]?](repeating: nil, count: Int(maxId) + 1)
        for (key, id) in vocabulary where id >= 0 { pieces[Int(id)] = key.bytes }
        self.pieces = pieces

        var table = PairTable(capacity: merges.count)
        var rankToNewId = [Int32](repeating: -1, count: merges.count)
        for (rank, merge) in merges.enumerated() {
            guard let a = vocabulary[ByteKey(merge.0)] else {
                throw .invalid(
                    path: path,
                    reason: "merge \(rank) names \(Self.show(merge.0)), "
                        + "which is not in the vocabulary")
            }
            guard let b = vocabulary[ByteKey(merge.1)] else {
                throw .invalid(
                    path: path,
                    reason: "merge \(rank) names \(Self.show(merge.1)), "
                        + "which is not in the vocabulary")
            }
            guard let merged = vocabulary[ByteKey(merge.0 + merge.1)] else {
                throw .invalid(
                    path: path,
                    reason: "merge \(rank) makes "
                        + "\(Self.show(merge.0 + merge.1)), which is not in the vocabulary")
            }
            table.insert(a, b, rank: Int32(rank), newId: merged)
            rankToNewId[rank] = merged
        }
        self.merges = table
        self.mergeCount = merges.count
        self.rankToNewId = rankToNewId

        if let unknownPiece {
            guard let id = vocabulary[ByteKey(unknownPiece)] else {
                throw .invalid(
                    path: path,
                    reason: "the unknown piece \(Self.show(unknownPiece)) "
                        + "is not in the model vocabulary")
            }
            unknownId = id
        } else {
            unknownId = nil
        }
        self.fuseUnknown = fuseUnknown
        self.byteFallback = byteFallback
        self.ignoreMerges = ignoreMerges
        self.byteLevel = byteLevel

        let hex = Array("0123456789ABCDEF".utf8)
        byteFallbackIds = (0..<256).map { b in
            let name: [UInt8] =
                Array("<0x".utf8) + [hex[b >> 4], hex[b & 15]] + [UInt8(ascii: ">")]
            return vocabulary[ByteKey(name)] ?? -1
        }
        byteLevelIds = (0..<256).map { b in
            vocabulary[ByteKey(ByteLevelTable.characterUTF8[b])] ?? -1
        }
        var ascii = [Int32](repeating: -1, count: 128)
        var scalars: [UInt32: Int32] = [:]
        for (key, id) in vocabulary {
            let bytes = key.bytes
            guard !bytes.isEmpty else { continue }
            let scalarsOfKey = String(decoding: bytes, as: UTF8.self).unicodeScalars
            guard scalarsOfKey.count == 1, let scalar = scalarsOfKey.first,
                Array(String(scalar).utf8) == bytes
            else { continue }
            if scalar.value < 128 {
                ascii[Int(scalar.value)] = id
            } else {
                scalars[scalar.value] = id
            }
        }
        asciiIds = ascii
        scalarIds = scalars
    }

    static func show(_ bytes: [UInt8]) -> String {
        "\"" + String(decoding: bytes, as: UTF8.self) + "\""
    }

    /// The number of pieces the model has.
    var vocabularyCount: Int { vocabulary.count }

    /// Encodes one word (a pre-tokenized piece) and appends its ids to `output`.
    ///
    /// - Parameter word: the piece's bytes: UTF-8 text, or raw bytes in byte-level mode.
    func encode(
        _ word: UnsafeBufferPointer<UInt8>, scratch: inout BPEScratch, into output: inout [Int32]
    ) {
        if word.isEmpty { return }
        if ignoreMerges, let id = wholeWordId(word) {
            output.append(id)
            return
        }
        let cacheable = word.count < Self.cacheWordLimit
        var key: ByteKey?
        if cacheable {
            let k = ByteKey(Array(word))
            if let hit = cache.lookup(k) {
                output.append(contentsOf: hit)
                return
            }
            key = k
        }
        let start = output.count
        initialSymbols(word, scratch: &scratch)
        mergeAll(&scratch, into: &output)
        if let key {
            let result = Array(output[start...])
            cache.store(key, result, capacity: Self.cacheCapacity)
        }
    }

    private func wholeWordId(_ word: UnsafeBufferPointer<UInt8>) -> Int32? {
        if byteLevel {
            var mapped: [UInt8] = []
            mapped.reserveCapacity(word.count * 2)
            for b in word { mapped.append(contentsOf: ByteLevelTable.characterUTF8[Int(b)]) }
            return vocabulary[ByteKey(mapped)]
        }
        return vocabulary[ByteKey(Array(word))]
    }

    /// Fills `scratch.symbols` with the word's first symbols (Rust `merge_word` before merging).
    private func initialSymbols(_ word: UnsafeBufferPointer<UInt8>, scratch: inout BPEScratch) {
        scratch.symbols.removeAll(keepingCapacity: true)
        var pendingUnknown = false
        if byteLevel {
            for b in word {
                let id = byteLevelIds[Int(b)]
                if id >= 0 {
                    if pendingUnknown, let unknownId { scratch.symbols.append(unknownId) }
                    pendingUnknown = false
                    scratch.symbols.append(id)
                } else {
                    missing(ByteLevelTable.characterUTF8[Int(b)][...], &scratch, &pendingUnknown)
                }
            }
        } else {
            var i = 0
            let n = word.count
            while i < n {
                let b0 = word[i]
                var id: Int32 = -1
                let length: Int
                if b0 < 0x80 {
                    id = asciiIds[Int(b0)]
                    length = 1
                } else {
                    let (value, l) = GPT2Splitter.decode(word, i)
                    length = l
                    id = scalarIds[value] ?? -1
                }
                if id >= 0 {
                    if pendingUnknown, let unknownId { scratch.symbols.append(unknownId) }
                    pendingUnknown = false
                    scratch.symbols.append(id)
                } else {
                    missing(word[i..<(i + length)], &scratch, &pendingUnknown)
                }
                i += length
            }
        }
        if pendingUnknown, let unknownId { scratch.symbols.append(unknownId) }
    }

    /// A character that is not a piece: byte fallback, else the unknown piece, else dropped.
    private func missing<C: Collection<UInt8>>(
        _ character: C, _ scratch: inout BPEScratch, _ pendingUnknown: inout Bool
    ) {
        if byteFallback, character.allSatisfy({ byteFallbackIds[Int($0)] >= 0 }) {
            // As in Rust, a pending unknown piece is not flushed before the byte pieces.
            for b in character { scratch.symbols.append(byteFallbackIds[Int(b)]) }
            return
        }
        guard let unknownId else { return }
        if pendingUnknown && !fuseUnknown { scratch.symbols.append(unknownId) }
        pendingUnknown = true
    }

    /// Merges `scratch.symbols` by rank (Rust `Word::merge_all`) and appends the result.
    private func mergeAll(_ scratch: inout BPEScratch, into output: inout [Int32]) {
        let n = scratch.symbols.count
        if n == 1 {
            output.append(scratch.symbols[0])
            return
        }
        scratch.prepare(n)
        scratch.symbols.withUnsafeMutableBufferPointer { c in
            scratch.next.withUnsafeMutableBufferPointer { next in
                scratch.prev.withUnsafeMutableBufferPointer { prev in
                    scratch.heap.withUnsafeMutableBufferPointer { heapStorage in
                        var heap = MinHeap(storage: heapStorage)
                        for i in 0..<(n - 1) {
                            if let m = merges.lookup(c[i], c[i + 1]) {
                                heap.pushUnordered((m >> 32) << 32 | UInt64(i))
                            }
                        }
                        heap.heapify()
                        while let top = heap.pop() {
                            let rank = Int(top >> 32)
                            let pos = Int(top & 0xFFFF_FFFF)
                            if prev[pos] == -2 { continue }  // removed
                            let nx = Int(next[pos])
                            if nx < 0 { continue }
                            guard let m = merges.lookup(c[pos], c[nx]),
                                Int32(truncatingIfNeeded: m) == rankToNewId[rank]
                            else { continue }
                            c[pos] = Int32(truncatingIfNeeded: m)
                            let after = next[nx]
                            next[pos] = after
                            prev[nx] = -2
                            if after >= 0 { prev[Int(after)] = Int32(pos) }
                            let before = prev[pos]
                            if before >= 0, let m2 = merges.lookup(c[Int(before)], c[pos]) {
                                heap.push((m2 >> 32) << 32 | UInt64(before))
                            }
                            if after >= 0, let m3 = merges.lookup(c[pos], c[Int(after)]) {
                                heap.push((m3 >> 32) << 32 | UInt64(pos))
                            }
                        }
                        var i = 0
                        while i >= 0 {
                            output.append(c[i])
                            i = Int(next[i])
                        }
                    }
                }
            }
        }
    }
}

/// Reusable buffers for `BPEModel`, one per encoding call.
struct BPEScratch {
    var symbols: [Int32] = []
    var next: [Int32] = []
    var prev: [Int32] = []
    var heap: [UInt64] = []

    mutating func prepare(_ n: Int) {
        next.removeAll(keepingCapacity: true)
        prev.removeAll(keepingCapacity: true)
        for i in 0..<n {
            next.append(i + 1 < n ? Int32(i + 1) : -1)
            prev.append(Int32(i - 1))
        }
        // Each merge pushes at most two entries; the start pushes at most n - 1.
        let needed = 3 * n
        if heap.count < needed { heap = [UInt64](repeating: 0, count: needed) }
    }
}

/// The word → ids cache shared by all callers of one model, guarded by a lock.
final class WordCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [ByteKey: [Int32]] = [:]

    func lookup(_ key: ByteKey) -> [Int32]? {
        lock.lock()
        defer { lock.unlock() }
        return entries[key]
    }

    /// Stores a result unless the cache already holds `capacity` words (as Rust's cache).
    func store(_ key: ByteKey, _ ids: [Int32], capacity: Int) {
        lock.lock()
        defer { lock.unlock() }
        if entries.count < capacity { entries[key] = ids }
    }
}
