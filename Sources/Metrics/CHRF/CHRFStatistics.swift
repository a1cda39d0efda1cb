/// The sufficient statistics of chrF for one segment (or, summed, a corpus): for each character
/// n-gram order 1…6, the hypothesis n-grams, the reference n-grams and the clipped matches, as
/// sacreBLEU 2.6.0's `CHRF()` (char order 6, word order 0) collects them.
///
/// Whitespace (Python's set) is deleted first; n-grams are sequences of code points. The
/// hypothesis count of an order is recorded as 0 when the reference has no n-gram of that order,
/// so short references drop the order instead of penalizing it. With several references the
/// statistics of the reference with the highest sentence chrF are kept (the first on ties).
/// Corpus chrF is ``CHRFScore/init(statistics:)`` of the sum of the segments' statistics, which
/// lets a bootstrap resample sum per-segment statistics.
///
/// Worked example (checked by a test): hypothesis "ab c", reference "abd": after deleting
/// whitespace "abc" vs "abd"; order 1: 3 hypothesis, 3 reference, 2 matches; order 2: 2, 2, 1;
/// order 3: 1, 1, 0; orders 4–6: reference has none, so 0, 0, 0.
///
/// ### References
/// `sacrebleu/metrics/chrf.py` (`_get_match_statistics`, `_compute_segment_statistics`).
public struct CHRFStatistics: Sendable, Hashable, Codable {
    /// The character n-gram orders counted: 6.
    public static let order = 6

    /// Hypothesis n-grams per order 1…6 (0 where the reference has none of that order).
    public var hypothesisCounts: [Int]
    /// Reference n-grams per order 1…6.
    public var referenceCounts: [Int]
    /// Clipped matches per order 1…6.
    public var matchCounts: [Int]

    /// Statistics from their parts.
    /// - Precondition: Each array has 6 elements.
    public init(hypothesisCounts: [Int], referenceCounts: [Int], matchCounts: [Int]) {
        precondition(
            hypothesisCounts.count == Self.order && referenceCounts.count == Self.order
                && matchCounts.count == Self.order,
            "CHRFStatistics: expected 6 counts per array, got \(hypothesisCounts.count), "
                + "\(referenceCounts.count), \(matchCounts.count)")
        self.hypothesisCounts = hypothesisCounts
        self.referenceCounts = referenceCounts
        self.matchCounts = matchCounts
    }

    /// All zeros: the identity of `+`.
    public static let zero = CHRFStatistics(
        hypothesisCounts: [0, 0, 0, 0, 0, 0], referenceCounts: [0, 0, 0, 0, 0, 0],
        matchCounts: [0, 0, 0, 0, 0, 0])

    /// The statistics of one segment against its references (best sentence chrF wins).
    /// - Precondition: `references` is not empty.
    public init(hypothesis: String, references: [String]) {
        precondition(!references.isEmpty, "CHRFStatistics: no reference given")
        let hypothesisText = PythonText.removingWhitespace(PythonText.scalars(hypothesis))
        var hypothesisKeys = (1...Self.order).map { CharacterNGramKey.keys(hypothesisText, order: $0) }
        for k in hypothesisKeys.indices { hypothesisKeys[k].sort() }
        var best = Self.zero
        var bestScore = -1.0
        for reference in references {
            let referenceText = PythonText.removingWhitespace(PythonText.scalars(reference))
            var candidate = Self.zero
            for n in 0..<Self.order {
                var referenceKeys = CharacterNGramKey.keys(referenceText, order: n + 1)
                var keys = hypothesisKeys[n]
                let matches = MultisetOverlap.count(&keys, &referenceKeys)
                candidate.hypothesisCounts[n] = referenceKeys.isEmpty ? 0 : keys.count
                candidate.referenceCounts[n] = referenceKeys.count
                candidate.matchCounts[n] = matches
            }
            if references.count == 1 {
                self = candidate
                return
            }
            let score = CHRFScore(statistics: candidate).score
            if score > bestScore {
                bestScore = score
                best = candidate
            }
        }
        self = best
    }

    /// Element-wise sum: the statistics of two corpora together.
    public static func + (lhs: CHRFStatistics, rhs: CHRFStatistics) -> CHRFStatistics {
        var sum = lhs
        sum += rhs
        return sum
    }

    /// Adds another segment's statistics in place.
    public static func += (lhs: inout CHRFStatistics, rhs: CHRFStatistics) {
        for n in 0..<order {
            lhs.hypothesisCounts[n] += rhs.hypothesisCounts[n]
            lhs.referenceCounts[n] += rhs.referenceCounts[n]
            lhs.matchCounts[n] += rhs.matchCounts[n]
        }
    }

    /// The sum of many segments' statistics (a corpus).
    public static func sum<S: Sequence>(_ segments: S) -> CHRFStatistics
    where S.Element == CHRFStatistics {
        var total = CHRFStatistics.zero
        for segment in segments { total += segment }
        return total
    }

    /// sacreBLEU's flat layout, `[[n_hyp, n_ref, n_match]]` for orders 1…6.
    public var triples: [[Int]] {
        (0..<Self.order).map { [hypothesisCounts[$0], referenceCounts[$0], matchCounts[$0]] }
    }
}

/// Up to six code points (21 bits each) packed into two words, comparable for sorting.
struct CharacterNGramKey: Comparable, Hashable {
    var high: UInt64
    var low: UInt64

    static func < (lhs: CharacterNGramKey, rhs: CharacterNGramKey) -> Bool {
        lhs.high != rhs.high ? lhs.high < rhs.high : lhs.low < rhs.low
    }

    static func keys(_ text: [UInt32], order: Int) -> [CharacterNGramKey] {
        guard text.count >= order else { return [] }
        var keys: [CharacterNGramKey] = []
        keys.reserveCapacity(text.count - order + 1)
        for start in 0...(text.count - order) {
            var high: UInt64 = 0
            var low: UInt64 = 0
            for k in 0..<order {
                let v = UInt64(text[start + k])
                if k < 3 { low = low << 21 | v } else { high = high << 21 | v }
            }
            keys.append(CharacterNGramKey(high: high, low: low))
        }
        return keys
    }
}
