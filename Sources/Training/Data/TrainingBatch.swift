/// One micro-batch ready for the model: `B` sequences right-padded to one length `T`.
public struct TrainingBatch: Sendable, Equatable {
    /// `[B][T]` token ids; padding positions hold ``padTokenId``.
    public var tokens: [[Int]]
    /// `[B][T]` labels; padding and unscored positions hold -100.
    public var labels: [[Int]]
    /// Scored next-token targets in the batch (the loss's denominator).
    public var scoredTokenCount: Int
    /// Real (non-padding) tokens in the batch.
    public var tokenCount: Int

    /// The id written into padding positions (never scored; right padding cannot influence
    /// earlier positions under the causal mask).
    public static let padTokenId = 0

    /// Pads `examples` on the right to the longest of them.
    /// - Precondition: at least one example.
    public init(_ examples: [EncodedExample]) {
        precondition(!examples.isEmpty, "TrainingBatch: no example")
        let length = examples.map(\.count).max()!
        tokens = examples.map {
            $0.inputIds + Array(repeating: Self.padTokenId, count: length - $0.count)
        }
        labels = examples.map {
            $0.labels + Array(repeating: ExampleEncoding.ignoreIndex, count: length - $0.count)
        }
        scoredTokenCount = examples.reduce(0) { $0 + $1.scoredTokenCount }
        tokenCount = examples.reduce(0) { $0 + $1.count }
    }

    /// `B · T`, padding included.
    public var paddedTokenCount: Int { tokens.count * (tokens.first?.count ?? 0) }
}
