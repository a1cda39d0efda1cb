import Testing

@testable import Training

@Suite struct TrainingBatchTests {
    @Test func padsOnTheRightWithIgnoredLabels() {
        let batch = TrainingBatch([
            EncodedExample(inputIds: [1, 5, 6], labels: [-100, 5, 6]),
            EncodedExample(inputIds: [1, 7], labels: [1, 7]),
        ])
        #expect(batch.tokens == [[1, 5, 6], [1, 7, 0]])
        #expect(batch.labels == [[-100, 5, 6], [1, 7, -100]])
        // scored targets: positions ≥ 1 not -100 → 2 + 1
        #expect(batch.scoredTokenCount == 3)
        #expect(batch.tokenCount == 5)
        #expect(batch.paddedTokenCount == 6)
    }
}
