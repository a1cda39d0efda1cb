/// Precision, recall and F-measure of one ROUGE type for one prediction, as rouge-score's `Score`.
///
/// Each value lies in [0, 1]; higher is better. The F-measure is the harmonic mean
/// `((2 * precision) * recall) / (precision + recall)`, and 0 when both are 0.
///
/// Worked example (checked by a test): prediction "the cat sat", reference "the cat sat on the
/// mat", ROUGE-1: 3 matching unigrams, precision 3/3 = 1, recall 3/6 = 0.5,
/// F = (2 · 1 · 0.5) / 1.5 = 0.6666666666666666.
public struct ROUGEScore: Sendable, Hashable, Codable {
    /// Matches over the prediction's count (n-grams, or tokens for ROUGE-L/Lsum), in [0, 1].
    public var precision: Double
    /// Matches over the reference's count, in [0, 1].
    public var recall: Double
    /// Harmonic mean of precision and recall, in [0, 1].
    public var fmeasure: Double

    /// A score from its three parts, as given.
    public init(precision: Double, recall: Double, fmeasure: Double) {
        self.precision = precision
        self.recall = recall
        self.fmeasure = fmeasure
    }

    /// A score from precision and recall, with rouge-score's F-measure and its operation order.
    public init(precision: Double, recall: Double) {
        self.precision = precision
        self.recall = recall
        let sum = precision + recall
        self.fmeasure = sum > 0 ? (2 * precision * recall) / sum : 0
    }

    /// The all-zero score rouge-score returns when a side has no tokens.
    public static let zero = ROUGEScore(precision: 0, recall: 0, fmeasure: 0)
}
