/// Forgetting, backward transfer and forward transfer on a ``ScoreMatrix``.
///
/// Notation: `R[i][j]` the score on column `j` after row `i`; `s_j` the column's direction sign
/// (`+1` higher is better, `-1` lower is better); `ℓ_j` = ``ScoreMatrix/firstLearnedRow(column:)``
/// (the first stage that trained on the task, `nil` for tasks never trained). Every formula is
/// applied to `s_j · R`, so **positive forgetting always means the score got worse**, for
/// perplexity as for accuracy, and positive transfer always means it got better.
extension ScoreMatrix {
    /// The rows a task's "best score so far" at row `row` ranges over (Chaudhry et al. 2018):
    /// `ℓ_j … row-1` when the task was learned before `row`, else `0 … row-1`.
    func bestWindow(column: Int, row: Int) -> ClosedRange<Int>? {
        guard row >= 1 else { return nil }
        if let learned = firstLearnedRow(column: column), learned < row {
            return learned...(row - 1)
        }
        return 0...(row - 1)
    }

    /// Forgetting of column `column` at row `row` against `reference`.
    ///
    /// `F = s_j · (R[r][j] − R[row][j])` where `r` is the reference row:
    /// - ``ForgettingReference/baseModel``: `r = 0`;
    /// - ``ForgettingReference/previousCheckpoint``: `r = row − 1` (`nil` at row 0);
    /// - ``ForgettingReference/firstAfterLearning``: `r = ℓ_j` (`nil` when the task was never
    ///   trained or is trained only after `row`);
    /// - ``ForgettingReference/bestEver``: `F = max_{l ∈ W} s_j·R[l][j] − s_j·R[row][j]` with
    ///   `W = ℓ_j … row−1` if `ℓ_j < row`, else `0 … row−1` (`nil` at row 0).
    ///
    /// Positive means worse than the reference, in the metric's units. Example: accuracy
    /// 0.80 → 0.70 gives `0.10`; perplexity 20 → 25 gives `5`.
    /// - Parameters:
    ///   - column: Column index `j`.
    ///   - row: Row index `i`.
    ///   - reference: What to compare with.
    /// - Returns: The forgetting, or `nil` when the reference is undefined at that row.
    /// - Precondition: indices in range.
    /// ### References
    /// A. Chaudhry et al., *Riemannian Walk for Incremental Learning*, ECCV 2018 (best-so-far);
    /// D. Lopez-Paz, M. Ranzato, NeurIPS 2017 (after learning).
    public func forgetting(column: Int, row: Int, reference: ForgettingReference) -> Double? {
        precondition(
            columns.indices.contains(column) && values.indices.contains(row),
            "forgetting: index (\(row), \(column)) outside [\(rowCount)][\(columnCount)]")
        let sign = columns[column].direction.sign
        let now = sign * values[row][column]
        switch reference {
        case .baseModel:
            return sign * values[0][column] - now
        case .previousCheckpoint:
            guard row >= 1 else { return nil }
            return sign * values[row - 1][column] - now
        case .firstAfterLearning:
            guard let learned = firstLearnedRow(column: column), learned <= row else { return nil }
            return sign * values[learned][column] - now
        case .bestEver:
            guard let window = bestWindow(column: column, row: row) else { return nil }
            let best = window.map { sign * values[$0][column] }.max()!
            return best - now
        }
    }

    /// Forgetting of every column at `row` against `reference`; `nil` entries where undefined.
    /// - Returns: `[M]` values in column order.
    public func forgettingRow(_ row: Int, reference: ForgettingReference) -> [Double?] {
        columns.indices.map { forgetting(column: $0, row: row, reference: reference) }
    }

    /// The columns the Chaudhry et al. measures average over at row `k`: those learned before
    /// `k` (`ℓ_j < k`) and those no stage trained on (counted as learned by the base model).
    func forgettingColumns(row k: Int, among selected: [Int]?) -> [Int] {
        (selected ?? Array(columns.indices)).filter { j in
            guard let learned = firstLearnedRow(column: j) else { return true }
            return learned < k
        }
    }

    /// Average forgetting at row `k` (Chaudhry et al. 2018).
    ///
    /// `F_k = 1/|J| · Σ_{j∈J} f_j^k`, `f_j^k = max_{l∈W} s_j·R[l][j] − s_j·R[k][j]` (the
    /// ``ForgettingReference/bestEver`` forgetting), over `J` = the columns learned before `k`
    /// plus the columns no stage trained on. Columns on different scales should not be mixed:
    /// pass `columns` to select comparable ones (e.g. all accuracies).
    /// - Parameters:
    ///   - row: `k ≥ 1`; defaults to the last row.
    ///   - columns: Column indices to consider; `nil` for all.
    /// - Returns: `F_k`, or `nil` when `J` is empty or `k = 0`.
    /// ### References
    /// A. Chaudhry, P. Dokania, T. Ajanthan, P. Torr, *Riemannian Walk for Incremental Learning:
    /// Understanding Forgetting and Intransigence*, ECCV 2018, eq. (8)–(9).
    public func averageForgetting(row: Int? = nil, columns selected: [Int]? = nil) -> Double? {
        let values = forgettingValues(row: row ?? rowCount - 1, columns: selected)
        guard !values.isEmpty else { return nil }
        return values.reduce(0, +) / Double(values.count)
    }

    /// Maximum forgetting at row `k`: `max_{j∈J} f_j^k`, with `J` and `f_j^k` as in
    /// ``averageForgetting(row:columns:)`` (the worst-hit column rather than the mean).
    /// - Returns: the maximum, or `nil` when `J` is empty or `k = 0`.
    /// ### References
    /// A. Chaudhry et al., ECCV 2018 (per-task forgetting `f_j^k`, eq. 8).
    public func maximumForgetting(row: Int? = nil, columns selected: [Int]? = nil) -> Double? {
        forgettingValues(row: row ?? rowCount - 1, columns: selected).max()
    }

    func forgettingValues(row k: Int, columns selected: [Int]?) -> [Double] {
        guard k >= 1 else { return [] }
        return forgettingColumns(row: k, among: selected).compactMap {
            forgetting(column: $0, row: k, reference: .bestEver)
        }
    }

    /// Backward transfer at the last row `k` (Lopez-Paz & Ranzato 2017).
    ///
    /// `BWT = 1/|J| · Σ_{j∈J} s_j·(R[k][j] − R[ℓ_j][j])` over `J` = the columns whose task was
    /// trained at a stage before the last (`ℓ_j < k`). Negative BWT is forgetting of what was
    /// learned. Columns no stage trained on are not part of BWT (as in the paper); use
    /// ``forgetting(column:row:reference:)`` with ``ForgettingReference/baseModel`` for them.
    /// - Parameter columns: Column indices to consider; `nil` for all.
    /// - Returns: BWT, or `nil` when `J` is empty.
    /// ### References
    /// D. Lopez-Paz, M. Ranzato, *Gradient Episodic Memory for Continual Learning*, NeurIPS 2017,
    /// eq. (3): `BWT = 1/(T−1) Σ_{i=1}^{T−1} R_{T,i} − R_{i,i}`.
    public func backwardTransfer(columns selected: [Int]? = nil) -> Double? {
        let k = rowCount - 1
        let terms = (selected ?? Array(columns.indices)).compactMap { j -> Double? in
            guard let learned = firstLearnedRow(column: j), learned < k else { return nil }
            return columns[j].direction.improvement(from: values[learned][j], to: values[k][j])
        }
        guard !terms.isEmpty else { return nil }
        return terms.reduce(0, +) / Double(terms.count)
    }

    /// Forward transfer (Lopez-Paz & Ranzato 2017), with the base model as the reference `b̄`.
    ///
    /// `FWT = 1/|J| · Σ_{j∈J} s_j·(R[ℓ_j − 1][j] − R[0][j])` over `J` = the columns whose task was
    /// first trained at stage `ℓ_j ≥ 2`: how much the stages before a task was trained helped it.
    /// The paper's `b̄` is a randomly initialised model; here it is the base model (row 0).
    /// - Parameter columns: Column indices to consider; `nil` for all.
    /// - Returns: FWT, or `nil` when `J` is empty.
    /// ### References
    /// D. Lopez-Paz, M. Ranzato, NeurIPS 2017, eq. (4):
    /// `FWT = 1/(T−1) Σ_{i=2}^{T} R_{i−1,i} − b̄_i`.
    public func forwardTransfer(columns selected: [Int]? = nil) -> Double? {
        let terms = (selected ?? Array(columns.indices)).compactMap { j -> Double? in
            guard let learned = firstLearnedRow(column: j), learned >= 2 else { return nil }
            return columns[j].direction.improvement(from: values[0][j], to: values[learned - 1][j])
        }
        guard !terms.isEmpty else { return nil }
        return terms.reduce(0, +) / Double(terms.count)
    }
}
