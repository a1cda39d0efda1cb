/// A token's code points with a precomputed FNV-1a hash, so that a dictionary lookup feeds the
/// hasher one word instead of every code point. Equality still compares every code point.
struct TokenKey: Hashable {
    let scalars: ArraySlice<UInt32>
    let fingerprint: UInt64

    init(_ scalars: ArraySlice<UInt32>) {
        self.scalars = scalars
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for v in scalars { h = (h ^ UInt64(v)) &* 0x100_0000_01b3 }
        fingerprint = h
    }

    static func == (lhs: TokenKey, rhs: TokenKey) -> Bool {
        lhs.fingerprint == rhs.fingerprint && lhs.scalars.elementsEqual(rhs.scalars)
    }

    func hash(into hasher: inout Hasher) { hasher.combine(fingerprint) }
}
