import Testing

@testable import Training

@Suite struct BatchScheduleTests {
    @Test func withoutShufflingBatchesFollowFileOrder() {
        let schedule = BatchSchedule(
            lengths: [5, 3, 9, 2, 7], batchSize: 2, shuffle: false, seed: 0)
        #expect(schedule.batchesPerEpoch == 3)
        #expect(schedule.batches(epoch: 0) == [[0, 1], [2, 3], [4]])
        #expect(schedule.batches(epoch: 3) == [[0, 1], [2, 3], [4]])
        #expect(schedule.batch(at: 4) == [2, 3])
    }

    @Test func shufflingIsSeededPerEpochAndCoversEveryExample() {
        let lengths = (0..<40).map { ($0 * 7) % 13 + 1 }
        let a = BatchSchedule(lengths: lengths, batchSize: 4, shuffle: true, seed: 42)
        let b = BatchSchedule(lengths: lengths, batchSize: 4, shuffle: true, seed: 42)
        let c = BatchSchedule(lengths: lengths, batchSize: 4, shuffle: true, seed: 43)
        #expect(a.batches(epoch: 0) == b.batches(epoch: 0))
        #expect(a.batches(epoch: 0) != a.batches(epoch: 1))
        #expect(a.batches(epoch: 0) != c.batches(epoch: 0))
        #expect(a.batches(epoch: 1).flatMap { $0 }.sorted() == Array(0..<40))
    }

    @Test func lengthGroupingSortsEachMegaBatchLongestFirst() {
        // 40 examples < one mega-batch (50·4): the whole epoch is sorted by length, so every
        // batch holds lengths no longer than the previous batch's shortest.
        let lengths = (0..<40).map { ($0 * 7) % 13 + 1 }
        let batches = BatchSchedule(lengths: lengths, batchSize: 4, shuffle: true, seed: 1)
            .batches(epoch: 0)
        let flat = batches.flatMap { $0 }.map { lengths[$0] }
        #expect(flat == flat.sorted(by: >))
    }
}
