import Analysis
import TestSupport
import Testing

/// The worked 3×3 example used throughout: base, stage 1 trains task A, stage 2 trains task B;
/// task C is never trained. All three columns are accuracies (higher is better).
///
///            A     B     C
///   base   0.50  0.40  0.60
///   s1(A)  0.80  0.45  0.55
///   s2(B)  0.70  0.90  0.58
let workedMatrix = ScoreMatrix(
    stages: ["base", "s1", "s2"],
    columns: [
        ScoreColumn(task: "A", metric: "acc"), ScoreColumn(task: "B", metric: "acc"),
        ScoreColumn(task: "C", metric: "acc"),
    ],
    values: [[0.50, 0.40, 0.60], [0.80, 0.45, 0.55], [0.70, 0.90, 0.58]],
    targetTasks: [[], ["A"], ["B"]])

@Suite struct ScoreMatrixTests {
    @Test func firstLearnedRowFollowsTargets() {
        #expect(workedMatrix.firstLearnedRow(column: 0) == 1)
        #expect(workedMatrix.firstLearnedRow(column: 1) == 2)
        #expect(workedMatrix.firstLearnedRow(column: 2) == nil)
    }

    @Test func forgettingAgainstEachReferenceAtLastRow() throws {
        let m = workedMatrix
        // vs base, F = R[0][j] − R[2][j]: A 0.50−0.70 = −0.20, B 0.40−0.90 = −0.50, C 0.60−0.58 = 0.02
        expectClose(m.forgettingRow(2, reference: .baseModel).map { $0! }, [-0.20, -0.50, 0.02])
        // vs previous, F = R[1][j] − R[2][j]: A 0.10, B −0.45, C −0.03
        expectClose(
            m.forgettingRow(2, reference: .previousCheckpoint).map { $0! }, [0.10, -0.45, -0.03])
        // vs first after learning: A learned at row 1 → 0.80−0.70 = 0.10; B learned at row 2 →
        // 0.90−0.90 = 0; C never learned → nil.
        let first = m.forgettingRow(2, reference: .firstAfterLearning)
        expectClose(try #require(first[0]), 0.10)
        expectClose(try #require(first[1]), 0.0)
        #expect(first[2] == nil)
        // vs best so far: A over rows 1…1 → 0.80−0.70 = 0.10; B (learned at 2, not before) over
        // rows 0…1 → max(0.40, 0.45) − 0.90 = −0.45; C over rows 0…1 → max(0.60, 0.55) − 0.58 = 0.02
        expectClose(m.forgettingRow(2, reference: .bestEver).map { $0! }, [0.10, -0.45, 0.02])
    }

    @Test func undefinedReferencesAtTheBaseRow() {
        #expect(workedMatrix.forgetting(column: 0, row: 0, reference: .previousCheckpoint) == nil)
        #expect(workedMatrix.forgetting(column: 0, row: 0, reference: .bestEver) == nil)
        #expect(workedMatrix.forgetting(column: 0, row: 0, reference: .firstAfterLearning) == nil)
        // Row 1: task B is learned only at row 2, so "after learning" is not defined yet.
        #expect(workedMatrix.forgetting(column: 1, row: 1, reference: .firstAfterLearning) == nil)
    }

    @Test func backwardAndForwardTransfer() throws {
        // BWT over tasks learned before the last row (only A, ℓ=1): R[2][A] − R[1][A]
        // = 0.70 − 0.80 = −0.10.
        expectClose(try #require(workedMatrix.backwardTransfer()), -0.10)
        // FWT over tasks first trained at ℓ ≥ 2 (only B, ℓ=2): R[1][B] − R[0][B] = 0.45 − 0.40 = 0.05.
        expectClose(try #require(workedMatrix.forwardTransfer()), 0.05)
    }

    @Test func averageAndMaximumForgetting() throws {
        // At k = 2, J = {A (ℓ=1 < 2), C (never trained)}; B is learned at k itself.
        // f_A = 0.80 − 0.70 = 0.10, f_C = max(0.60, 0.55) − 0.58 = 0.02.
        // Average (0.10 + 0.02) / 2 = 0.06; maximum 0.10.
        expectClose(try #require(workedMatrix.averageForgetting()), 0.06)
        expectClose(try #require(workedMatrix.maximumForgetting()), 0.10)
        // At k = 1, J = {C}: A is learned at k itself and B only later (Chaudhry et al. count only
        // tasks learned before k); f_C = 0.60 − 0.55 = 0.05, so average and maximum are 0.05.
        expectClose(try #require(workedMatrix.averageForgetting(row: 1)), 0.05)
        expectClose(try #require(workedMatrix.maximumForgetting(row: 1)), 0.05)
        // Restricting to column C only: 0.02.
        expectClose(try #require(workedMatrix.averageForgetting(columns: [2])), 0.02)
    }

    @Test func perplexityForgettingIsDirectionAware() throws {
        // Perplexity rises 20 → 22 → 25: the model got worse, so forgetting is positive.
        let m = ScoreMatrix(
            stages: ["base", "s1", "s2"],
            columns: [
                ScoreColumn(task: "wiki", metric: "word_perplexity", direction: .lowerIsBetter)
            ],
            values: [[20], [22], [25]], targetTasks: [[], ["other"], ["other"]])
        // vs base: −(20 − 25) = 5; vs previous: −(22 − 25) = 3; best so far: min(20, 22) = 20 → 5.
        expectClose(try #require(m.forgetting(column: 0, row: 2, reference: .baseModel)), 5.0)
        expectClose(
            try #require(m.forgetting(column: 0, row: 2, reference: .previousCheckpoint)), 3.0)
        expectClose(try #require(m.forgetting(column: 0, row: 2, reference: .bestEver)), 5.0)
        expectClose(try #require(m.maximumForgetting()), 5.0)
    }

    @Test func learningVersusForgettingPerStage() throws {
        let points = workedMatrix.learningVersusForgetting()
        #expect(points.map(\.stage) == ["s1", "s2"])
        // s1 vs base: target A +0.30; others B +0.05, C −0.05 → mean 0.
        expectClose(try #require(points[0].targetGain), 0.30)
        expectClose(try #require(points[0].otherChange), 0.0, atol: 1e-12)
        // s2 vs base: target B +0.50; others A +0.20, C −0.02 → mean 0.09.
        expectClose(try #require(points[1].targetGain), 0.50)
        expectClose(try #require(points[1].otherChange), 0.09)
        // s2 vs previous: target B +0.45; others A −0.10, C +0.03 → mean −0.035.
        let previous = workedMatrix.learningVersusForgetting(reference: .previousCheckpoint)
        expectClose(try #require(previous[1].otherChange), -0.035)
    }
}
