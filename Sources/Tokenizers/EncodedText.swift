/// Token ids with their token strings, from `Tokenizer.encodeWithPieces`.
public struct EncodedText: Sendable, Equatable {
    /// Token ids.
    public var ids: [Int]
    /// The token string of each id (`"Ġworld"`, `"▁Hello"`, `"<0x0A>"`, `"<s>"`).
    public var tokens: [String]

    /// Pairs ids with their token strings (same length).
    public init(ids: [Int], tokens: [String]) {
        self.ids = ids
        self.tokens = tokens
    }
}
