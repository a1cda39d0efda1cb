/// An open-addressing hash map from a pair of token ids to a merge `(rank, newId)`.
///
/// The BPE inner loop looks pairs up millions of times per megabyte; a flat table of `UInt64`
/// keys with linear probing is several times faster than `Dictionary` for this.
struct PairTable: Sendable {
    private var keys: [UInt64]
    private var values: [UInt64]
    private let mask: Int
    private static let empty = UInt64.max

    /// A table sized for `count` entries at a load factor of at most 1/2.
    init(capacity count: Int) {
        var size = 16
        while size < count * 2 { size <<= 1 }
        keys = Array(repeating: Self.empty, count: size)
        values = Array(repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always)
    static func key(_ a: Int32, _ b: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// Sets the merge for `(a, b)`, replacing an earlier one (as Rust's `HashMap::insert`).
    mutating func insert(_ a: Int32, _ b: Int32, rank: Int32, newId: Int32) {
        let k = Self.key(a, b)
        var i = slot(k)
        while keys[i] != Self.empty && keys[i] != k { i = (i + 1) & mask }
        keys[i] = k
        values[i] = UInt64(UInt32(bitPattern: rank)) << 32 | UInt64(UInt32(bitPattern: newId))
    }

    /// The merge `(rank, newId)` for `(a, b)`, packed as `rank << 32 | newId`, or `nil`.
    @inline(__always)
    func lookup(_ a: Int32, _ b: Int32) -> UInt64? {
        let k = Self.key(a, b)
        return keys.withUnsafeBufferPointer { keys in
            var i = slot(k)
            while true {
                let stored = keys[i]
                if stored == k { return values.withUnsafeBufferPointer { $0[i] } }
                if stored == Self.empty { return nil }
                i = (i + 1) & mask
            }
        }
    }
}
