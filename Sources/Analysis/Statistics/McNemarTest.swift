import Foundation

/// The exact McNemar test for paired binary item scores.
///
/// Of `n = b + c` discordant items (`b` right→wrong, `c` wrong→right), under H0 (no change) each
/// is equally likely to go either way, so `min(b, c) ~ Binomial(n, ½)`. The two-sided p-value is
/// `p = min(1, 2 · Σ_{k=0}^{min(b,c)} C(n, k) / 2ⁿ)`, and `p = 1` when `n = 0`. Concordant items
/// carry no information and are ignored.
///
/// Example: `b = 8, c = 2` gives `p = 2 · (1 + 10 + 45) / 1024 = 0.109375`.
///
/// ### References
/// Q. McNemar, Psychometrika 1947; matches `statsmodels.stats.contingency_tables.mcnemar(table,
/// exact=True).pvalue`.
public struct McNemarTest: Codable, Sendable, Equatable {
    /// Items right in the baseline and wrong in the candidate.
    public var rightToWrong: Int
    /// Items wrong in the baseline and right in the candidate.
    public var wrongToRight: Int

    /// Creates the test from the two discordant counts.
    /// - Precondition: both counts `≥ 0`.
    public init(rightToWrong: Int, wrongToRight: Int) {
        precondition(rightToWrong >= 0 && wrongToRight >= 0, "McNemarTest: negative count")
        self.rightToWrong = rightToWrong
        self.wrongToRight = wrongToRight
    }

    /// Counts the discordant pairs of aligned binary scores (a score `≥ 0.5` is "right").
    /// - Precondition: equal lengths.
    public init(baseline: [Double], candidate: [Double]) {
        precondition(
            baseline.count == candidate.count,
            "McNemarTest: baseline has \(baseline.count) items, candidate \(candidate.count)")
        var b = 0
        var c = 0
        for (x, y) in zip(baseline, candidate) {
            let before = x >= 0.5
            let after = y >= 0.5
            if before && !after { b += 1 } else if !before && after { c += 1 }
        }
        self.init(rightToWrong: b, wrongToRight: c)
    }

    /// The number of discordant items `n = b + c`.
    public var discordant: Int { rightToWrong + wrongToRight }

    /// The exact two-sided p-value, in `[0, 1]`.
    public var pValue: Double {
        let n = discordant
        guard n > 0 else { return 1 }
        let m = min(rightToWrong, wrongToRight)
        // log C(n, k) − n·ln 2, summed with log-sum-exp for large n.
        let nn = Double(n)
        let logWhole = lgamma(nn + 1) - nn * log(2.0)
        var logTerms: [Double] = []
        for k in 0...m {
            let kk = Double(k)
            logTerms.append(logWhole - lgamma(kk + 1) - lgamma(nn - kk + 1))
        }
        let top = logTerms.max()!
        let tail = exp(top) * logTerms.reduce(0) { $0 + exp($1 - top) }
        return min(1, 2 * tail)
    }
}
