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
        var best = Self.zero
        var bestScore = -1.0
        var scratch: [CharacterNGramKey] = []
        for reference in references {
            let referenceText = PythonText.removingWhitespace(PythonText.scalars(reference))
            let candidate = Self.counting(hypothesisText, referenceText, scratch: &scratch)
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

    /// Counts n-grams of orders 1…6 of both texts with one sort: every suffix of either text is
    /// keyed by its first six code points, so the n-grams equal to one another are adjacent in
    /// the sorted order for every n at once.
    static func counting(
        _ hypothesis: [UInt32], _ reference: [UInt32], scratch keys: inout [CharacterNGramKey]
    ) -> CHRFStatistics {
        keys.removeAll(keepingCapacity: true)
        CharacterNGramKey.appendSuffixKeys(of: hypothesis, isReference: false, to: &keys)
        CharacterNGramKey.appendSuffixKeys(of: reference, isReference: true, to: &keys)
        keys.sort()
        var statistics = Self.zero
        for n in 1...order {
            let referenceCount = max(0, reference.count - n + 1)
            statistics.referenceCounts[n - 1] = referenceCount
            statistics.hypothesisCounts[n - 1] =
                referenceCount == 0 ? 0 : max(0, hypothesis.count - n + 1)
            if referenceCount == 0 || hypothesis.count < n { continue }
            var matches = 0
            var i = 0
            while i < keys.count {
                let prefix = keys[i].prefix(n)
                var inHypothesis = 0
                var inReference = 0
                var j = i
                while j < keys.count && keys[j].prefix(n) == prefix {
                    if keys[j].isReference { inReference += 1 } else { inHypothesis += 1 }
                    j += 1
                }
                // Suffixes shorter than n carry the padding 0 inside their n-prefix.
                if keys[i].hasCodePoint(at: n - 1) { matches += min(inHypothesis, inReference) }
                i = j
            }
            statistics.matchCounts[n - 1] = matches
        }
        return statistics
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
