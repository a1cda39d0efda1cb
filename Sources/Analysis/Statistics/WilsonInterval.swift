/// The Wilson score interval for a binomial proportion.
///
/// With `p̂ = x/n` and `z = Φ⁻¹(1 − α/2)`:
/// `centre = (p̂ + z²/2n) / (1 + z²/n)`,
/// `half = z/(1 + z²/n) · √(p̂(1−p̂)/n + z²/4n²)`, interval `centre ± half`.
/// Unlike the Wald interval it never has zero width at `p̂ = 0` or `1`: `x = 0, n = 10, α = 0.05`
/// gives `[0, 0.2775328]`.
///
/// ### References
/// E. B. Wilson, JASA 1927; matches `statsmodels.stats.proportion.proportion_confint(x, n,
/// alpha, method="wilson")`.
public struct WilsonInterval: Codable, Sendable, Equatable {
    /// Lower bound, in `[0, 1]`.
    public var lower: Double
    /// Upper bound, in `[0, 1]`.
    public var upper: Double

    /// The interval for `successes` out of `trials` at confidence `1 − alpha`.
    /// - Precondition: `0 ≤ successes ≤ trials`, `trials > 0`, `0 < alpha < 1`.
    public init(successes: Int, trials: Int, alpha: Double = 0.05) {
        precondition(
            trials > 0 && successes >= 0 && successes <= trials,
            "WilsonInterval: need 0 <= successes (\(successes)) <= trials (\(trials)), trials > 0")
        precondition(
            alpha > 0 && alpha < 1, "WilsonInterval: alpha must be in (0, 1), got \(alpha)")
        let n = Double(trials)
        let p = Double(successes) / n
        let z = NormalDistribution.quantile(1 - alpha / 2)
        let z2 = z * z
        let denominator = 1 + z2 / n
        let centre = (p + z2 / (2 * n)) / denominator
        let half = z / denominator * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        lower = max(0, centre - half)
        upper = min(1, centre + half)
    }
}
