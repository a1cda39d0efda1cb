/// An n-gram (n ≤ 4) of token ids, unused positions −1.
struct NGramKey: Hashable, Comparable {
    var a: Int32, b: Int32, c: Int32, d: Int32

    static func < (lhs: NGramKey, rhs: NGramKey) -> Bool {
        (lhs.a, lhs.b, lhs.c, lhs.d) < (rhs.a, rhs.b, rhs.c, rhs.d)
    }

    static func keys(_ ids: [Int32], order: Int) -> [NGramKey] {
        guard ids.count >= order else { return [] }
        var keys: [NGramKey] = []
        keys.reserveCapacity(ids.count - order + 1)
        for start in 0...(ids.count - order) {
            keys.append(
                NGramKey(
                    a: ids[start], b: order > 1 ? ids[start + 1] : -1,
                    c: order > 2 ? ids[start + 2] : -1, d: order > 3 ? ids[start + 3] : -1))
        }
        return keys
    }
}
