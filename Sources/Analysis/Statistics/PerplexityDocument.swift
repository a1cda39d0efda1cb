import Foundation

/// One document of a perplexity task: its summed log-likelihood and its lengths.
///
/// Corpus perplexity is not the mean of per-document perplexities: it is recomputed from sums,
/// as lm-evaluation-harness does, so resampling documents means resampling these sums.
public struct PerplexityDocument: Codable, Sendable, Equatable {
    /// Summed log-likelihood of the document's tokens, in nats (`≤ 0`).
    public var logLikelihood: Double
    /// Number of scored tokens.
    public var tokenCount: Int
    /// Number of words (whitespace-separated, lm-eval's `word_perplexity` denominator).
    public var wordCount: Int
    /// Number of UTF-8 bytes (the `bits_per_byte` denominator).
    public var byteCount: Int

    /// Creates a document record.
    public init(logLikelihood: Double, tokenCount: Int, wordCount: Int, byteCount: Int) {
        self.logLikelihood = logLikelihood
        self.tokenCount = tokenCount
        self.wordCount = wordCount
        self.byteCount = byteCount
    }
}

/// Which corpus-level perplexity figure a perplexity task reports. All are lower-is-better.
///
/// With `L = Σ logLikelihood` (nats) over the documents:
/// - ``tokenPerplexity``: `exp(−L / Σ tokenCount)`;
/// - ``wordPerplexity``: `exp(−L / Σ wordCount)` (lm-eval `word_perplexity`);
/// - ``bytePerplexity``: `exp(−L / Σ byteCount)` (lm-eval `byte_perplexity`);
/// - ``bitsPerByte``: `−L / (Σ byteCount · ln 2)` (lm-eval `bits_per_byte`).
public enum PerplexityUnit: String, Codable, Sendable, CaseIterable {
    case tokenPerplexity = "token_perplexity"
    case wordPerplexity = "word_perplexity"
    case bytePerplexity = "byte_perplexity"
    case bitsPerByte = "bits_per_byte"

    /// The per-document denominator of this unit.
    func denominator(_ document: PerplexityDocument) -> Double {
        switch self {
        case .tokenPerplexity: Double(document.tokenCount)
        case .wordPerplexity: Double(document.wordCount)
        case .bytePerplexity, .bitsPerByte: Double(document.byteCount)
        }
    }

    /// The corpus figure from a summed log-likelihood (nats) and summed denominator.
    public func score(logLikelihood: Double, denominator: Double) -> Double {
        switch self {
        case .tokenPerplexity, .wordPerplexity, .bytePerplexity:
            exp(-logLikelihood / denominator)
        case .bitsPerByte:
            -logLikelihood / (denominator * log(2.0))
        }
    }

    /// The corpus figure of a set of documents.
    public func score(_ documents: [PerplexityDocument]) -> Double {
        score(
            logLikelihood: documents.reduce(0) { $0 + $1.logLikelihood },
            denominator: documents.reduce(0) { $0 + denominator($1) })
    }
}
