/// ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum exactly as Google's rouge-score 0.1.2
/// (`RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer:).score(target,
/// prediction)`).
///
/// All values lie in [0, 1]; higher is better. Tokens come from ``ROUGETokenizer``.
/// - ROUGE-N (N = 1, 2): overlap = Σ over reference n-grams of min(reference count, prediction
///   count); precision = overlap / max(prediction n-grams, 1), recall = overlap /
///   max(reference n-grams, 1). So an identical one-word text has ROUGE-2 = 0.
/// - ROUGE-L: LCS length of the whole token sequences over the prediction's and the
///   reference's length; 0 when either side has no tokens.
/// - ROUGE-Lsum: both raw texts are split into lines on U+000A only (empty lines dropped),
///   each reference line is matched against every prediction line with the union of LCS
///   indices (back-tracking steps up on ties, as rouge-score does), and the hits are clipped
///   by the token counts of the whole texts. Without newlines it equals ROUGE-L; put one
///   sentence per line to get the summary-level score of ROUGE-1.5.5.
/// - Several references: for each type separately the reference with the highest F-measure
///   wins (the first one on ties), as `RougeScorer.score_multi`.
///
/// Worked example (checked by a test): prediction "the cat sat", reference "the cat sat on the
/// mat": ROUGE-1 P 3/3 = 1, R 3/6 = 0.5, F 0.6666666666666666; ROUGE-2 P 2/2, R 2/5,
/// F 0.5714285714285715; ROUGE-L (LCS 3) equals ROUGE-1 here.
///
/// ### References
/// C.-Y. Lin, "ROUGE: A Package for Automatic Evaluation of Summaries", 2004;
/// `rouge_score/rouge_scorer.py` in google-research/rouge 0.1.2.
public struct ROUGEScorer: Sendable {
    /// The tokenizer (and so the stemming choice) of this scorer.
    public var tokenizer: ROUGETokenizer

    /// Creates a scorer.
    /// - Parameter useStemmer: rouge-score's `use_stemmer`: Porter-stem tokens longer than three
    ///   characters (NLTK_EXTENSIONS mode).
    public init(useStemmer: Bool) {
        self.tokenizer = ROUGETokenizer(useStemmer: useStemmer)
    }

    /// Scores a prediction against one reference (rouge-score's `score(target, prediction)`:
    /// mind the order when comparing with Python code).
    /// - Returns: The four ROUGE types.
    public func score(prediction: String, reference: String) -> ROUGEScores {
        score(prediction: prediction, references: [reference])
    }

    /// Scores a prediction against several references, keeping per type the reference with the
    /// best F-measure (the first on ties).
    /// - Precondition: `references` is not empty.
    public func score(prediction: String, references: [String]) -> ROUGEScores {
        precondition(!references.isEmpty, "ROUGEScorer.score: no reference given")
        var vocabulary = Vocabulary()
        let predictionLines = lines(of: prediction, into: &vocabulary)
        var best: ROUGEScores?
        for reference in references {
            let referenceLines = lines(of: reference, into: &vocabulary)
            let scores = Self.score(
                predictionLines: predictionLines, referenceLines: referenceLines,
                vocabularySize: vocabulary.count)
            if var current = best {
                if scores.rouge1.fmeasure > current.rouge1.fmeasure {
                    current.rouge1 = scores.rouge1
                }
                if scores.rouge2.fmeasure > current.rouge2.fmeasure {
                    current.rouge2 = scores.rouge2
                }
                if scores.rougeL.fmeasure > current.rougeL.fmeasure {
                    current.rougeL = scores.rougeL
                }
                if scores.rougeLsum.fmeasure > current.rougeLsum.fmeasure {
                    current.rougeLsum = scores.rougeLsum
                }
                best = current
            } else {
                best = scores
            }
        }
        return best ?? .zero
    }

    // MARK: - Tokens as integer ids

    /// Token ids shared by a prediction and its references. Tokens of at most 12 characters
    /// (each in [a-z0-9], so 6 bits) are keyed by one packed integer; longer ones by their code
    /// points.
    struct Vocabulary {
        private var shortIDs: [UInt64: Int32] = [:]
        private var longIDs: [[UInt32]: Int32] = [:]
        private(set) var count = 0

        mutating func id(_ token: [UInt32]) -> Int32 {
            if token.count <= 10 {
                var key: UInt64 = 0
                for c in token {
                    // 0-9 → 1…10, a-z → 11…36; 0 never occurs, so lengths stay distinct.
                    key = key << 6 | UInt64(c <= 0x39 ? c - 0x2F : c - 0x56)
                }
                if let id = shortIDs[key] { return id }
                let id = Int32(count)
                shortIDs[key] = id
                count += 1
                return id
            }
            if let id = longIDs[token] { return id }
            let id = Int32(count)
            longIDs[token] = id
            count += 1
            return id
        }
    }

    /// The token ids of each non-empty line of `text` (lines split on U+000A only). Their
    /// concatenation is the token sequence of the whole text.
    func lines(of text: String, into vocabulary: inout Vocabulary) -> [[Int32]] {
        var text = text
        return text.withUTF8 { bytes in
            var result: [[Int32]] = []
            var start = 0
            while start <= bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != 0x0A { end += 1 }
                if end > start {
                    var ids: [Int32] = []
                    tokenizer.forEachToken(inUTF8: bytes[start..<end]) {
                        ids.append(vocabulary.id($0))
                    }
                    result.append(ids)
                }
                start = end + 1
            }
            return result
        }
    }

    static func score(
        predictionLines: [[Int32]], referenceLines: [[Int32]], vocabularySize: Int
    ) -> ROUGEScores {
        let prediction = Array(predictionLines.joined())
        let reference = Array(referenceLines.joined())
        return ROUGEScores(
            rouge1: ngramScore(
                prediction: prediction, reference: reference, order: 1,
                vocabularySize: vocabularySize),
            rouge2: ngramScore(
                prediction: prediction, reference: reference, order: 2,
                vocabularySize: vocabularySize),
            rougeL: lcsScore(prediction: prediction, reference: reference),
            rougeLsum: summaryLCSScore(
                predictionLines: predictionLines, referenceLines: referenceLines,
                vocabularySize: vocabularySize))
    }

    // MARK: - ROUGE-N

    static func ngramScore(
        prediction: [Int32], reference: [Int32], order: Int, vocabularySize: Int
    ) -> ROUGEScore {
        var predictionKeys = ngramKeys(prediction, order: order, base: vocabularySize)
        var referenceKeys = ngramKeys(reference, order: order, base: vocabularySize)
        let overlap = MultisetOverlap.count(&predictionKeys, &referenceKeys)
        let precision = Double(overlap) / Double(max(predictionKeys.count, 1))
        let recall = Double(overlap) / Double(max(referenceKeys.count, 1))
        return ROUGEScore(precision: precision, recall: recall)
    }

    private static func ngramKeys(_ tokens: [Int32], order: Int, base: Int) -> [Int] {
        guard tokens.count >= order else { return [] }
        var keys: [Int] = []
        keys.reserveCapacity(tokens.count - order + 1)
        for start in 0...(tokens.count - order) {
            var key = 0
            for offset in 0..<order { key = key &* base &+ Int(tokens[start + offset]) }
            keys.append(key)
        }
        return keys
    }

    // MARK: - ROUGE-L

    static func lcsScore(prediction: [Int32], reference: [Int32]) -> ROUGEScore {
        if prediction.isEmpty || reference.isEmpty { return .zero }
        let length = lcsLength(reference, prediction)
        return ROUGEScore(
            precision: Double(length) / Double(prediction.count),
            recall: Double(length) / Double(reference.count))
    }

    /// Length of a longest common subsequence, with two DP rows.
    static func lcsLength(_ a: [Int32], _ b: [Int32]) -> Int {
        var previous = [Int32](repeating: 0, count: b.count + 1)
        var current = previous
        for i in 0..<a.count {
            let x = a[i]
            for j in 0..<b.count {
                if x == b[j] {
                    current[j + 1] = previous[j] + 1
                } else {
                    current[j + 1] = max(current[j], previous[j + 1])
                }
            }
            swap(&previous, &current)
        }
        return Int(previous[b.count])
    }

    // MARK: - ROUGE-Lsum

    static func summaryLCSScore(
        predictionLines: [[Int32]], referenceLines: [[Int32]], vocabularySize: Int
    ) -> ROUGEScore {
        if predictionLines.isEmpty || referenceLines.isEmpty { return .zero }
        var predictionCounts = [Int](repeating: 0, count: vocabularySize)
        var referenceCounts = [Int](repeating: 0, count: vocabularySize)
        var n = 0
        var m = 0
        for line in predictionLines {
            n += line.count
            for token in line { predictionCounts[Int(token)] += 1 }
        }
        for line in referenceLines {
            m += line.count
            for token in line { referenceCounts[Int(token)] += 1 }
        }
        if n == 0 || m == 0 { return .zero }
        var hits = 0
        var inUnion: [Bool] = []
        for reference in referenceLines {
            inUnion = [Bool](repeating: false, count: reference.count)
            for candidate in predictionLines {
                markLCSIndices(reference, candidate, into: &inUnion)
            }
            for index in reference.indices where inUnion[index] {
                let token = Int(reference[index])
                if predictionCounts[token] > 0 && referenceCounts[token] > 0 {
                    hits += 1
                    predictionCounts[token] -= 1
                    referenceCounts[token] -= 1
                }
            }
        }
        return ROUGEScore(
            precision: Double(hits) / Double(n), recall: Double(hits) / Double(m))
    }

    /// Marks the reference indices of the LCS that rouge-score's back-tracking finds: from the
    /// bottom-right, diagonal on equal tokens, left only when the left cell is strictly
    /// greater, otherwise (ties included) up.
    static func markLCSIndices(_ reference: [Int32], _ candidate: [Int32], into marks: inout [Bool])
    {
        let rows = reference.count
        let columns = candidate.count
        if rows == 0 || columns == 0 { return }
        let width = columns + 1
        var table = [Int32](repeating: 0, count: (rows + 1) * width)
        for i in 1...rows {
            let x = reference[i - 1]
            for j in 1...columns {
                if x == candidate[j - 1] {
                    table[i * width + j] = table[(i - 1) * width + j - 1] + 1
                } else {
                    table[i * width + j] = max(table[(i - 1) * width + j], table[i * width + j - 1])
                }
            }
        }
        var i = rows
        var j = columns
        while i > 0 && j > 0 {
            if reference[i - 1] == candidate[j - 1] {
                marks[i - 1] = true
                i -= 1
                j -= 1
            } else if table[i * width + j - 1] > table[(i - 1) * width + j] {
                j -= 1
            } else {
                i -= 1
            }
        }
    }
}
