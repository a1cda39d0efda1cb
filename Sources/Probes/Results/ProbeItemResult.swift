import Foundation

/// The result of one probe item: the numbers behind its score, so that a later run can be
/// compared item by item (flipped examples) and checked against lm-eval's samples.
///
/// Fields that do not apply to the task's output type are nil and left out of the JSON.
/// JSON keys are the property names (camelCase).
public struct ProbeItemResult: Codable, Sendable, Hashable {
    /// lm-eval's `doc_id`: position of the row in the evaluated split.
    public var itemId: Int
    /// 1-based line of the row in its data file.
    public var line: Int

    /// Multiple choice and `loglikelihood`: Σ log p per choice (nats), in choice order.
    public var choiceLogLikelihoods: [Double]?
    /// Multiple choice and `loglikelihood`: whether each choice was the greedy continuation.
    public var choiceIsGreedy: [Bool]?
    /// Multiple choice: the gold choice indices.
    public var gold: [Int]?
    /// Multiple choice: argmax of the log-likelihoods (first on ties).
    public var predictedChoice: Int?
    /// Multiple choice: argmax of log-likelihood / choice length in code points.
    public var predictedChoiceNormalized: Int?

    /// Generation: the generated text, cut at the first stop sequence.
    public var prediction: String?
    /// Generation: the reference texts the metrics compare against.
    public var references: [String]?
    /// Generation: the number of tokens generated (the stop token included when it was one).
    public var generatedTokenCount: Int?

    /// Rolling: the document's log-likelihood, summed over its windows (nats).
    public var logLikelihood: Double?
    /// Rolling: lm-eval's word count, `len(re.split(r"\s+", text))`.
    public var wordCount: Int?
    /// Rolling: UTF-8 byte count.
    public var byteCount: Int?
    /// Rolling: token count, BOS included; also the number of scored tokens.
    public var tokenCount: Int?
    /// Rolling: the number of windows the text needed.
    public var windowCount: Int?

    /// Tokens dropped from the left of the context because it did not fit the window
    /// (0 when nothing was cut). See `ProbeRunner` for the rule.
    public var truncatedTokens: Int
    /// The item's score per metric (`acc`, `acc_norm`, `exact_match`, `rouge1`, …). Rolling
    /// tasks score documents jointly, so their items have none.
    public var scores: [String: Double]

    public init(itemId: Int, line: Int) {
        self.itemId = itemId
        self.line = line
        self.truncatedTokens = 0
        self.scores = [:]
    }
}
