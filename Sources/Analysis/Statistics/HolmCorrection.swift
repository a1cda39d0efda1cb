/// Holm's step-down correction of p-values for multiple comparisons.
///
/// Sort the `m` p-values ascending, `p_(1) ≤ … ≤ p_(m)`; the adjusted value of the `k`-th is
/// `max_{i ≤ k} min(1, (m − i + 1)·p_(i))`. Rejecting where the adjusted value is `< α` controls
/// the family-wise error rate at `α`. Ties keep their input order.
///
/// Example: `[0.01, 0.04, 0.03]` → `[0.03, 0.06, 0.06]`.
///
/// ### References
/// S. Holm, *A Simple Sequentially Rejective Multiple Test Procedure*, Scand. J. Statist. 1979;
/// matches `statsmodels.stats.multitest.multipletests(p, method="holm")[1]`.
public enum HolmCorrection {
    /// The Holm-adjusted p-values, in the input order.
    /// - Parameter pValues: `m` raw p-values in `[0, 1]`.
    /// - Returns: `m` adjusted p-values.
    public static func adjust(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        let order = pValues.indices.sorted { (pValues[$0], $0) < (pValues[$1], $1) }
        var adjusted = Array(repeating: 0.0, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * pValues[index]))
            adjusted[index] = running
        }
        return adjusted
    }
}
