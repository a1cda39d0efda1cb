import Tensors

/// The order in which examples are visited, epoch by epoch, grouped into micro-batches.
///
/// - **Shuffling** (`shuffle == true`): each epoch draws its own permutation with a
///   Fisher–Yates shuffle from a ``SeededGenerator`` seeded by `(seed, epoch)`, so an epoch's
///   order depends on nothing else and a resumed run visits the same batches.
/// - **Length grouping** (with shuffling), Hugging Face's `group_by_length` idea: the permuted
///   examples are cut into mega-batches of `50·B`, each mega-batch is sorted by length (longest
///   first, ties in permutation order) and cut into micro-batches of `B`. Sequences of similar
///   length share a batch, so right padding wastes little, while the mega-batches keep the
///   order random. Sequences are never packed together: each one is its own row, as in TRL
///   without `packing`, so attention never crosses examples.
/// - **No shuffling**: file order, consecutive examples per batch, no grouping (what parity
///   checks need).
///
/// The last micro-batch of an epoch may hold fewer than `B` examples.
///
/// ### References
/// transformers `LengthGroupedSampler` (`get_length_grouped_indices`, mega-batch factor 50).
public struct BatchSchedule: Sendable, Equatable {
    /// Sequence length of each example, by example index.
    public let lengths: [Int]
    /// Examples per micro-batch, `B`.
    public let batchSize: Int
    /// Whether epochs are shuffled (and length-grouped).
    public let shuffle: Bool
    /// The seed of every epoch's permutation.
    public let seed: UInt64

    /// Mega-batch size as a multiple of `B` (transformers' default).
    public static let megaBatchFactor = 50

    /// - Precondition: at least one example, `batchSize > 0`.
    public init(lengths: [Int], batchSize: Int, shuffle: Bool, seed: UInt64) {
        precondition(
            !lengths.isEmpty && batchSize > 0,
            "BatchSchedule: needs examples (\(lengths.count)) and batchSize > 0 (\(batchSize))")
        self.lengths = lengths
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.seed = seed
    }

    /// Micro-batches per epoch, `ceil(N / B)`.
    public var batchesPerEpoch: Int { (lengths.count + batchSize - 1) / batchSize }

    /// The micro-batches of one epoch, each a list of example indices.
    public func batches(epoch: Int) -> [[Int]] {
        let n = lengths.count
        guard shuffle else {
            return stride(from: 0, to: n, by: batchSize).map { Array($0..<min(n, $0 + batchSize)) }
        }
        var order = Array(0..<n)
        var generator = SeededGenerator(
            seed: seed ^ (0x9E37_79B9_7F4A_7C15 &* UInt64(epoch + 1)))
        for i in stride(from: n - 1, to: 0, by: -1) {
            let j = Int(generator.next() % UInt64(i + 1))
            order.swapAt(i, j)
        }
        var result: [[Int]] = []
        let mega = Self.megaBatchFactor * batchSize
        for start in stride(from: 0, to: n, by: mega) {
            let group = order[start..<min(n, start + mega)].enumerated().sorted {
                lengths[$0.element] != lengths[$1.element]
                    ? lengths[$0.element] > lengths[$1.element] : $0.offset < $1.offset
            }.map(\.element)
            for s in stride(from: 0, to: group.count, by: batchSize) {
                result.append(Array(group[s..<min(group.count, s + batchSize)]))
            }
        }
        return result
    }

    /// The micro-batch at a global position of the stream of epochs (position `j` is batch
    /// `j mod batchesPerEpoch` of epoch `j / batchesPerEpoch`).
    public func batch(at position: Int) -> [Int] {
        batches(epoch: position / batchesPerEpoch)[position % batchesPerEpoch]
    }
}
