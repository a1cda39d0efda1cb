/// A tokenized training example: ids and Hugging Face labels of one sequence.
///
/// `labels[t]` is `inputIds[t]` where position `t` is scored and `-100` where it is not; the
/// model shifts them (position `t` predicts `labels[t + 1]`), as `LlamaForCausalLM` does.
public struct EncodedExample: Sendable, Equatable {
    /// Token ids, length `T`.
    public var inputIds: [Int]
    /// Labels, length `T`, `-100` on unscored positions.
    public var labels: [Int]
    /// The 1-based line of the data file it came from.
    public var line: Int
    /// Whether it was cut to the maximum sequence length.
    public var wasTruncated: Bool

    /// - Precondition: `inputIds.count == labels.count`.
    public init(inputIds: [Int], labels: [Int], line: Int = 0, wasTruncated: Bool = false) {
        precondition(
            inputIds.count == labels.count,
            "EncodedExample: \(inputIds.count) ids but \(labels.count) labels")
        self.inputIds = inputIds
        self.labels = labels
        self.line = line
        self.wasTruncated = wasTruncated
    }

    /// Sequence length `T`.
    public var count: Int { inputIds.count }

    /// Number of scored next-token targets: positions `t ≥ 1` whose label is not -100.
    public var scoredTokenCount: Int {
        labels.dropFirst().filter { $0 != ExampleEncoding.ignoreIndex }.count
    }
}
