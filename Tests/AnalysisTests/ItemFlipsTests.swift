import Analysis
import TestSupport
import Testing

@Suite struct ItemFlipsTests {
    @Test func classifiesEveryPairedItem() throws {
        let items = try PairedItems(
            task: "sst2",
            baseline: [("q3", 1.0), ("q1", 1.0), ("q2", 0.0), ("q4", 0.0), ("q5", 1.0)],
            candidate: [("q1", 0.0), ("q2", 1.0), ("q3", 1.0), ("q4", 0.0), ("q5", 0.0)])
        #expect(items.ids == ["q1", "q2", "q3", "q4", "q5"])
        let flips = ItemFlips(task: "sst2", items: items)
        #expect(flips.rightToWrong == ["q1", "q5"])
        #expect(flips.wrongToRight == ["q2"])
        #expect(flips.stayedRight == 1 && flips.stayedWrong == 1)
        // b = 2, c = 1: p = min(1, 2·(1 + 3)/8) = 1.
        #expect(flips.mcNemar.pValue == 1)
    }

    @Test func unpairedOrDuplicateItemsThrow() {
        #expect(
            throws: AnalysisError.unpairedItems(
                task: "t", onlyInBaseline: ["b"], onlyInCandidate: ["c"])
        ) {
            try PairedItems(
                task: "t", baseline: [("a", 1.0), ("b", 1.0)], candidate: [("a", 1.0), ("c", 0.0)])
        }
        #expect(throws: AnalysisError.duplicateItem(task: "t", id: "a")) {
            try PairedItems(task: "t", baseline: [("a", 1.0), ("a", 0.0)], candidate: [("a", 1.0)])
        }
    }

    @Test func itemsForgottenAtEveryLaterStage() {
        let lineage: [[String: Double]] = [
            ["x": 1, "y": 1, "z": 1, "w": 0],  // base
            ["x": 0, "y": 1, "z": 0, "w": 1],
            ["x": 0, "y": 0, "z": 1, "w": 0],
        ]
        // x: right, then wrong, wrong → forgotten for good. y: still right at row 1. z: back at
        // row 2. w: wrong at the base.
        #expect(ItemFlips.forgottenAtEveryLaterStage(lineage: lineage) == ["x"])
        // From row 1: y and w are right there; y is wrong at row 2, w too.
        #expect(ItemFlips.forgottenAtEveryLaterStage(lineage: lineage, from: 1) == ["w", "y"])
        #expect(ItemFlips.forgottenAtEveryLaterStage(lineage: lineage, from: 2).isEmpty)
    }

    @Test func largestDropsComeFirstWithTiesById() throws {
        let items = try PairedItems(
            task: "dialogsum",
            baseline: [("d1", 0.5), ("d2", 0.375), ("d3", 1.0), ("d4", 0.25), ("d0", 0.75)],
            candidate: [("d1", 0.25), ("d2", 0.5), ("d3", 0.75), ("d4", 0.125), ("d0", 0.5)])
        let drops = ItemDrop.largest(in: items, limit: 3)
        // Drops (exact in binary): d0 0.25, d1 0.25, d3 0.25, d4 0.125; d2 improved. Ties by id.
        #expect(drops.map(\.id) == ["d0", "d1", "d3"])
        expectClose(drops.map(\.drop), [0.25, 0.25, 0.25])
        // Lower-is-better: only d2 rose, so only d2 "dropped".
        #expect(ItemDrop.largest(in: items, direction: .lowerIsBetter).map(\.id) == ["d2"])
    }
}
