/// Σ min(count in a, count in b) over the distinct elements of two multisets of keys.
enum MultisetOverlap {
    /// Sorts both key lists in place and merges them.
    /// - Returns: The clipped match count (BLEU's "correct", ROUGE-N's overlap, chrF's matches).
    static func count<Key: Comparable>(_ a: inout [Key], _ b: inout [Key]) -> Int {
        a.sort()
        b.sort()
        var i = 0
        var j = 0
        var matches = 0
        while i < a.count && j < b.count {
            if a[i] < b[j] {
                i += 1
            } else if b[j] < a[i] {
                j += 1
            } else {
                let key = a[i]
                var countA = 0
                while i < a.count && a[i] == key {
                    countA += 1
                    i += 1
                }
                var countB = 0
                while j < b.count && b[j] == key {
                    countB += 1
                    j += 1
                }
                matches += min(countA, countB)
            }
        }
        return matches
    }
}
