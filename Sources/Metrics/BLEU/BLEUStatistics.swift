/// The sufficient statistics of BLEU for one segment (or, summed, for a corpus): hypothesis and
/// reference lengths and the clipped n-gram matches and totals for n = 1…4, as sacreBLEU 2.6.0
/// collects them with the 13a tokenizer.
///
/// Corpus BLEU is a function of the *sum* of the segments' statistics, so a resampled corpus
/// (bootstrap) is scored by summing the chosen segments' statistics with `+` and calling
/// ``BLEUScore/init(statistics:effectiveOrder:)`` with `effectiveOrder: false`.
///
/// Worked example (checked by a test): hypothesis "the cat sat on the mat", reference "the cat
/// sat on a mat": `hypothesisLength` 6, `referenceLength` 6, `matches` [5, 3, 2, 1],
/// `totals` [6, 5, 4, 3].
///
/// ### References
/// `sacrebleu/metrics/bleu.py` (`_extract_reference_info`, `_compute_segment_statistics`).
public struct BLEUStatistics: Sendable, Hashable, Codable {
    /// Number of hypothesis tokens (sacreBLEU's `sys_len`).
    public var hypothesisLength: Int
    /// Length of the reference closest in length to the hypothesis, the shorter one on ties
    /// (sacreBLEU's `ref_len`).
    public var referenceLength: Int
    /// Clipped n-gram matches for n = 1…4 (sacreBLEU's `counts`): Σ min(hypothesis count,
    /// maximum count over the references).
    public var matches: [Int]
    /// Hypothesis n-grams for n = 1…4 (sacreBLEU's `totals`).
    public var totals: [Int]

    /// Statistics from their parts.
    /// - Precondition: `matches` and `totals` have 4 elements each.
    public init(hypothesisLength: Int, referenceLength: Int, matches: [Int], totals: [Int]) {
        precondition(
            matches.count == 4 && totals.count == 4,
            "BLEUStatistics: matches \(matches.count) and totals \(totals.count) must be 4")
        self.hypothesisLength = hypothesisLength
        self.referenceLength = referenceLength
        self.matches = matches
        self.totals = totals
    }

    /// All zeros: the identity of `+`.
    public static let zero = BLEUStatistics(
        hypothesisLength: 0, referenceLength: 0, matches: [0, 0, 0, 0], totals: [0, 0, 0, 0])

    /// The statistics of one segment against its references.
    /// - Parameters:
    ///   - hypothesis: The system output, untokenized.
    ///   - references: The segment's references, untokenized (one or more; an empty string is
    ///     a valid reference of length 0).
    /// - Precondition: `references` is not empty.
    public init(hypothesis: String, references: [String]) {
        precondition(!references.isEmpty, "BLEUStatistics: no reference given")
        var vocabulary: [TokenKey: Int32] = [:]
        func ids(_ text: String) -> [Int32] {
            Tokenizer13a.tokens(PythonText.scalars(text)).map { token in
                let key = TokenKey(token)
                if let id = vocabulary[key] { return id }
                let id = Int32(vocabulary.count)
                vocabulary[key] = id
                return id
            }
        }
        let hypothesisIDs = ids(hypothesis)
        let referenceIDs = references.map(ids)
        let hypothesisLength = hypothesisIDs.count

        var closestDifference = -1
        var closestLength = -1
        for reference in referenceIDs {
            let difference = abs(hypothesisLength - reference.count)
            if closestDifference == -1 || difference < closestDifference {
                closestDifference = difference
                closestLength = reference.count
            } else if difference == closestDifference && reference.count < closestLength {
                closestLength = reference.count
            }
        }

        var matches = [0, 0, 0, 0]
        var totals = [0, 0, 0, 0]
        for order in 1...4 {
            var hypothesisKeys = NGramKey.keys(hypothesisIDs, order: order)
            totals[order - 1] = hypothesisKeys.count
            if hypothesisKeys.isEmpty { continue }
            if referenceIDs.count == 1 {
                var referenceKeys = NGramKey.keys(referenceIDs[0], order: order)
                matches[order - 1] = MultisetOverlap.count(&hypothesisKeys, &referenceKeys)
            } else {
                var maximum: [NGramKey: Int] = [:]
                for reference in referenceIDs {
                    var counts: [NGramKey: Int] = [:]
                    for key in NGramKey.keys(reference, order: order) {
                        counts[key, default: 0] += 1
                    }
                    for (key, count) in counts where count > maximum[key, default: 0] {
                        maximum[key] = count
                    }
                }
                var counts: [NGramKey: Int] = [:]
                for key in hypothesisKeys { counts[key, default: 0] += 1 }
                var correct = 0
                for (key, count) in counts { correct += min(count, maximum[key, default: 0]) }
                matches[order - 1] = correct
            }
        }
        self.init(
            hypothesisLength: hypothesisLength, referenceLength: closestLength, matches: matches,
            totals: totals)
    }

    /// Element-wise sum: the statistics of the two corpora together.
    public static func + (lhs: BLEUStatistics, rhs: BLEUStatistics) -> BLEUStatistics {
        BLEUStatistics(
            hypothesisLength: lhs.hypothesisLength + rhs.hypothesisLength,
            referenceLength: lhs.referenceLength + rhs.referenceLength,
            matches: (0..<4).map { lhs.matches[$0] + rhs.matches[$0] },
            totals: (0..<4).map { lhs.totals[$0] + rhs.totals[$0] })
    }

    /// Adds another segment's statistics in place.
    public static func += (lhs: inout BLEUStatistics, rhs: BLEUStatistics) {
        lhs.hypothesisLength += rhs.hypothesisLength
        lhs.referenceLength += rhs.referenceLength
        for k in 0..<4 {
            lhs.matches[k] += rhs.matches[k]
            lhs.totals[k] += rhs.totals[k]
        }
    }

    /// The sum of many segments' statistics (a corpus).
    public static func sum<S: Sequence>(_ segments: S) -> BLEUStatistics
    where S.Element == BLEUStatistics {
        var total = BLEUStatistics.zero
        for segment in segments { total += segment }
        return total
    }
}
