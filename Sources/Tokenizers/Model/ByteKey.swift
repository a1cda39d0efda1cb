/// Bytes used as a dictionary key, compared byte for byte.
///
/// Vocabulary pieces and words are keyed by their exact UTF-8 bytes, never by `String`: Swift's
/// `String` equality is canonical equivalence, so NFC and NFD spellings (or U+00C5 and U+212B)
/// would collide.
struct ByteKey: Hashable, Sendable {
    let bytes: [UInt8]
    private let hashValue64: UInt64

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        // FNV-1a, 64-bit.
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        hashValue64 = h
    }

    static func == (lhs: ByteKey, rhs: ByteKey) -> Bool {
        lhs.hashValue64 == rhs.hashValue64 && lhs.bytes == rhs.bytes
    }

    func hash(into hasher: inout Hasher) { hasher.combine(hashValue64) }
}
