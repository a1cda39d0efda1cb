/// The resampled differences `candidate − baseline` of one paired bootstrap, sorted ascending.
///
/// Quantiles use linear interpolation between order statistics (NumPy's default, "type 7"):
/// `h = (B − 1)·q`, `x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])`.
public struct BootstrapDistribution: Sendable, Equatable {
    /// The task score of the baseline on all items.
    public var baselineScore: Double
    /// The task score of the candidate on all items.
    public var candidateScore: Double
    /// The `B` resampled differences, ascending.
    public var sortedDeltas: [Double]

    /// Creates a distribution from full-sample scores and sorted resampled differences.
    public init(baselineScore: Double, candidateScore: Double, sortedDeltas: [Double]) {
        precondition(!sortedDeltas.isEmpty, "BootstrapDistribution: no resamples")
        self.baselineScore = baselineScore
        self.candidateScore = candidateScore
        self.sortedDeltas = sortedDeltas
    }

    /// `candidateScore − baselineScore` on all items (the point estimate).
    public var estimate: Double { candidateScore - baselineScore }

    /// The `q`-quantile of the resampled differences.
    /// - Precondition: `0 ≤ q ≤ 1`.
    public func quantile(_ q: Double) -> Double {
        precondition(q >= 0 && q <= 1, "BootstrapDistribution.quantile: q must be in [0, 1]")
        let h = Double(sortedDeltas.count - 1) * q
        let low = Int(h.rounded(.down))
        let high = min(low + 1, sortedDeltas.count - 1)
        return sortedDeltas[low] + (h - Double(low)) * (sortedDeltas[high] - sortedDeltas[low])
    }

    /// The two-sided percentile interval at confidence `1 − alpha`: quantiles `α/2` and `1 − α/2`.
    public func interval(alpha: Double) -> (lower: Double, upper: Double) {
        (quantile(alpha / 2), quantile(1 - alpha / 2))
    }

    /// The standard deviation of the resampled differences (the bootstrap standard error).
    public var standardError: Double {
        let b = Double(sortedDeltas.count)
        let mean = sortedDeltas.reduce(0, +) / b
        let squares = sortedDeltas.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return sortedDeltas.count > 1 ? (squares / (b - 1)).squareRoot() : 0
    }

    /// The fraction `(1 + #{d ≤ x}) / (B + 1)`, a bootstrap p-value for "the difference is
    /// greater than `x`" that is never exactly 0.
    public func tailFraction(atMost x: Double) -> Double {
        var low = 0
        var high = sortedDeltas.count
        while low < high {
            let mid = (low + high) / 2
            if sortedDeltas[mid] <= x { low = mid + 1 } else { high = mid }
        }
        return Double(1 + low) / Double(sortedDeltas.count + 1)
    }

    /// The fraction `(1 + #{d ≥ x}) / (B + 1)`: a bootstrap p-value for "the difference is less
    /// than `x`".
    public func tailFraction(atLeast x: Double) -> Double {
        var low = 0
        var high = sortedDeltas.count
        while low < high {
            let mid = (low + high) / 2
            if sortedDeltas[mid] < x { low = mid + 1 } else { high = mid }
        }
        return Double(1 + sortedDeltas.count - low) / Double(sortedDeltas.count + 1)
    }
}
