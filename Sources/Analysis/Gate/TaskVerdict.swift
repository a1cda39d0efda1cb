/// The gate's verdict on one task and metric, with the numbers it rests on.
public struct TaskVerdict: Codable, Sendable, Equatable {
    /// Why the verdict is what it is.
    public enum Reason: String, Codable, Sendable {
        /// Pass: the `1 − α` upper confidence bound of the drop is at most `δ`.
        case withinTolerance = "within_tolerance"
        /// Fail: the drop exceeds `δ`, Holm-adjusted p-value below `α`.
        case beyondTolerance = "beyond_tolerance"
        /// Inconclusive: fewer items than the policy's `min_items`.
        case tooFewItems = "too_few_items"
        /// Inconclusive: the interval straddles `δ`; more items are needed to tell.
        case notSignificant = "not_significant"
    }

    /// Scores, difference, interval and tests.
    public var comparison: PairedComparison
    /// The settings that applied.
    public var threshold: GateThreshold
    /// `δ` in the metric's units.
    public var toleratedDrop: Double
    /// One-sided `1 − α` upper confidence bound of the drop (bootstrap percentile).
    public var dropUpperBound: Double
    /// Raw p-value of H0 "drop ≤ δ" against "drop > δ".
    public var pValue: Double
    /// Holm-adjusted p-value across the comparison's tasks; `nil` when too few items.
    public var adjustedPValue: Double?
    /// Smallest drop this probe would detect with power 0.8 at level α:
    /// `(z_{1−α} + z_{0.8}) · SE`.
    public var minimalDetectableDrop: Double
    /// `true` when the policy's must_not_regress list leaves this task out: reported, but not
    /// part of the overall verdict.
    public var advisory: Bool
    /// The verdict.
    public var verdict: GateVerdict
    /// Why.
    public var reason: Reason

    /// Creates a verdict (the gate builds these; tests and stores may too).
    public init(
        comparison: PairedComparison, threshold: GateThreshold, toleratedDrop: Double,
        dropUpperBound: Double, pValue: Double, adjustedPValue: Double?,
        minimalDetectableDrop: Double, advisory: Bool, verdict: GateVerdict, reason: Reason
    ) {
        self.comparison = comparison
        self.threshold = threshold
        self.toleratedDrop = toleratedDrop
        self.dropUpperBound = dropUpperBound
        self.pValue = pValue
        self.adjustedPValue = adjustedPValue
        self.minimalDetectableDrop = minimalDetectableDrop
        self.advisory = advisory
        self.verdict = verdict
        self.reason = reason
    }
}
