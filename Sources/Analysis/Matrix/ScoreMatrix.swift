/// The score matrix R of a lineage: `R[i][j]` is the score on column `j` after stage `i`.
///
/// Row 0 is the base model; row `i ≥ 1` is the checkpoint that stage `i` produced from row
/// `i - 1` (a lineage is a chain: a branch of an experiment's tree from the base to one leaf).
/// Columns are (task, metric) pairs, each with its ``MetricDirection``. ``targetTasks`` records
/// which tasks each stage was fine-tuned on; the forgetting measures of Lopez-Paz & Ranzato (2017)
/// and Chaudhry et al. (2018) need to know when a task was learned (see
/// ``firstLearnedRow(column:)``).
///
/// Shapes: `values` and `standardErrors` are `[S + 1][M]` for `S` stages and `M` columns.
///
/// ### References
/// - D. Lopez-Paz, M. Ranzato, *Gradient Episodic Memory for Continual Learning*, NeurIPS 2017
///   (the matrix R, BWT, FWT).
public struct ScoreMatrix: Codable, Sendable, Equatable {
    /// Row labels: `stages[0]` names the base model, `stages[i]` the checkpoint of stage `i`.
    public var stages: [String]
    /// The columns, in display order.
    public var columns: [ScoreColumn]
    /// Scores, shape `[stages.count][columns.count]`, in the metric's own units.
    public var values: [[Double]]
    /// Standard errors of `values` (same shape), when the probe runs reported them.
    public var standardErrors: [[Double]]?
    /// Per row, the tasks that stage was fine-tuned on (`targetTasks[0]` is empty: the base).
    public var targetTasks: [[String]]

    /// Creates a matrix.
    ///
    /// - Parameters:
    ///   - stages: Row labels, base first; `S + 1` entries.
    ///   - columns: `M` columns.
    ///   - values: Scores, shape `[S + 1][M]`, finite.
    ///   - standardErrors: Optional standard errors, shape `[S + 1][M]`.
    ///   - targetTasks: Tasks each row's stage trained on, `S + 1` entries; defaults to none.
    /// - Precondition: shapes agree, at least one row, every value finite.
    public init(
        stages: [String], columns: [ScoreColumn], values: [[Double]],
        standardErrors: [[Double]]? = nil, targetTasks: [[String]]? = nil
    ) {
        precondition(!stages.isEmpty, "ScoreMatrix: needs at least the base row")
        precondition(
            values.count == stages.count && values.allSatisfy { $0.count == columns.count },
            "ScoreMatrix: values must be [\(stages.count)][\(columns.count)], got "
                + "[\(values.count)][\(values.first?.count ?? 0)]")
        precondition(
            values.allSatisfy { $0.allSatisfy(\.isFinite) }, "ScoreMatrix: values must be finite")
        if let standardErrors {
            precondition(
                standardErrors.count == stages.count
                    && standardErrors.allSatisfy { $0.count == columns.count },
                "ScoreMatrix: standardErrors must be [\(stages.count)][\(columns.count)]")
        }
        let targets = targetTasks ?? Array(repeating: [], count: stages.count)
        precondition(
            targets.count == stages.count,
            "ScoreMatrix: targetTasks has \(targets.count) rows, expected \(stages.count)")
        self.stages = stages
        self.columns = columns
        self.values = values
        self.standardErrors = standardErrors
        self.targetTasks = targets
    }

    /// Number of rows (`S + 1`: the base and each stage).
    public var rowCount: Int { stages.count }
    /// Number of columns `M`.
    public var columnCount: Int { columns.count }

    /// `R[row][column]`.
    public subscript(row: Int, column: Int) -> Double { values[row][column] }

    /// The index of the column for `task` and `metric`, if present.
    public func columnIndex(task: String, metric: String) -> Int? {
        columns.firstIndex { $0.task == task && $0.metric == metric }
    }

    /// The first row `i ≥ 1` whose stage trained on the column's task, or `nil` when no stage in
    /// this lineage trained on it (the task was only ever "learned" by the base model).
    public func firstLearnedRow(column: Int) -> Int? {
        let task = columns[column].task
        return (1..<rowCount).first { targetTasks[$0].contains(task) }
    }

    /// Whether row `row`'s stage trained on column `column`'s task.
    public func isTarget(row: Int, column: Int) -> Bool {
        targetTasks[row].contains(columns[column].task)
    }
}
