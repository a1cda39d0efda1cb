/// One candidate's learning against its forgetting: a point of the Biderman et al. (2024) plot.
///
/// `targetGain = 1/|T| Σ_{j∈T} s_j·(R[i][j] − R[r][j])` over the columns `T` of the tasks stage
/// `i` trained on; `otherChange = 1/|O| Σ_{j∈O} s_j·(R[i][j] − R[r][j])` over all other columns
/// `O`. `r` is row 0 (``ForgettingReference/baseModel``) or `i − 1`
/// (``ForgettingReference/previousCheckpoint``). Both are direction-aware: positive is better,
/// so forgetting shows as a negative `otherChange`.
///
/// ### References
/// D. Biderman et al., *LoRA Learns Less and Forgets Less*, TMLR 2024 (target-domain performance
/// against the mean of source-domain evaluations).
public struct LearningForgettingPoint: Codable, Sendable, Equatable {
    /// The candidate's row in the matrix.
    public var row: Int
    /// The candidate's stage name (`ScoreMatrix.stages[row]`).
    public var stage: String
    /// Mean signed gain on the stage's target columns; `nil` when the stage has no target column.
    public var targetGain: Double?
    /// Mean signed change on every other column; `nil` when there is none.
    public var otherChange: Double?

    /// Creates a point.
    public init(row: Int, stage: String, targetGain: Double?, otherChange: Double?) {
        self.row = row
        self.stage = stage
        self.targetGain = targetGain
        self.otherChange = otherChange
    }
}

extension ScoreMatrix {
    /// The learning-vs-forgetting point of every stage (rows `1…S`).
    ///
    /// - Parameters:
    ///   - reference: ``ForgettingReference/baseModel`` (default) or
    ///     ``ForgettingReference/previousCheckpoint``; the other references fall back to the base.
    ///   - columns: Column indices to average over (select comparable scales, e.g. accuracies);
    ///     `nil` for all.
    /// - Returns: `S` points, in row order.
    public func learningVersusForgetting(
        reference: ForgettingReference = .baseModel, columns selected: [Int]? = nil
    ) -> [LearningForgettingPoint] {
        let chosen = selected ?? Array(columns.indices)
        return (1..<max(rowCount, 1)).map { i in
            let r = reference == .previousCheckpoint ? i - 1 : 0
            var target: [Double] = []
            var other: [Double] = []
            for j in chosen {
                let change = columns[j].direction.improvement(from: values[r][j], to: values[i][j])
                if isTarget(row: i, column: j) {
                    target.append(change)
                } else {
                    other.append(change)
                }
            }
            func mean(_ xs: [Double]) -> Double? {
                xs.isEmpty ? nil : xs.reduce(0, +) / Double(xs.count)
            }
            return LearningForgettingPoint(
                row: i, stage: stages[i], targetGain: mean(target), otherChange: mean(other))
        }
    }
}
