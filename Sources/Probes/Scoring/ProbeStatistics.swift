import Foundation

/// lm-eval's aggregations and standard errors.
///
/// ### References
/// lm-eval `lm_eval/api/metrics.py`: `mean`, `mean_stderr` (`sample_stddev(arr) / sqrt(len)`,
/// `sample_stddev` with n − 1), `weighted_perplexity`, `bits_per_byte`, `perplexity`; the
/// evaluator reports a stderr only when a task has more than one item.
enum ProbeStatistics {
    static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }

    /// Sample standard deviation (n − 1) over √n; nil for fewer than two values.
    static func meanStandardError(_ values: [Double]) -> Double? {
        guard values.count > 1 else { return nil }
        let mu = mean(values)
        let variance = values.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / Double(values.count - 1)
        return variance.squareRoot() / Double(values.count).squareRoot()
    }

    /// `exp(−Σ loglik / Σ weight)`: word or byte perplexity pooled over documents.
    static func weightedPerplexity(logLikelihoods: [Double], weights: [Int]) -> Double {
        exp(-logLikelihoods.reduce(0, +) / Double(weights.reduce(0, +)))
    }

    /// `−Σ loglik / Σ bytes / ln 2`.
    static func bitsPerByte(logLikelihoods: [Double], bytes: [Int]) -> Double {
        -logLikelihoods.reduce(0, +) / Double(bytes.reduce(0, +)) / log(2.0)
    }

    /// numpy's `argmax`: the first index of the largest value (NaN wins, as in numpy).
    static func argmax(_ values: [Double]) -> Int {
        var best = 0
        for i in values.indices.dropFirst() {
            if values[best].isNaN { return best }
            if values[i].isNaN || values[i] > values[best] { best = i }
        }
        return best
    }
}
