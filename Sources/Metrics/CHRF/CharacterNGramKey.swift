/// The first six code points of a suffix, each stored as value + 1 in 21 bits (0 pads a
/// suffix shorter than six), packed big-endian into two words so that comparing keys compares
/// the code-point sequences lexicographically; the lowest bit of `low` marks reference suffixes.
struct CharacterNGramKey: Comparable {
    var high: UInt64
    var low: UInt64

    var isReference: Bool { low & 1 == 1 }

    static func < (lhs: CharacterNGramKey, rhs: CharacterNGramKey) -> Bool {
        lhs.high != rhs.high ? lhs.high < rhs.high : lhs.low < rhs.low
    }

    /// The first n code points (1 ≤ n ≤ 6), comparable for equality.
    @inline(__always)
    func prefix(_ n: Int) -> (UInt64, UInt64) {
        if n <= 3 { return (high >> UInt64(21 * (3 - n)), 0) }
        return (high, low >> UInt64(21 * (6 - n) + 1))
    }

    /// Whether the suffix has a code point at `index` (0…5), i.e. is longer than `index`.
    @inline(__always)
    func hasCodePoint(at index: Int) -> Bool {
        if index < 3 { return (high >> UInt64(21 * (2 - index))) & 0x1F_FFFF != 0 }
        return (low >> UInt64(21 * (5 - index) + 1)) & 0x1F_FFFF != 0
    }

    static func appendSuffixKeys(
        of text: [UInt32], isReference: Bool, to keys: inout [CharacterNGramKey]
    ) {
        let count = text.count
        for start in 0..<count {
            var high: UInt64 = 0
            var low: UInt64 = 0
            for k in 0..<3 {
                let v: UInt64 = start + k < count ? UInt64(text[start + k]) + 1 : 0
                high = high << 21 | v
            }
            for k in 3..<6 {
                let v: UInt64 = start + k < count ? UInt64(text[start + k]) + 1 : 0
                low = low << 21 | v
            }
            low = low << 1 | (isReference ? 1 : 0)
            keys.append(CharacterNGramKey(high: high, low: low))
        }
    }
}
