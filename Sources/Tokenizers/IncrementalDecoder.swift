/// Turns generated ids into text one id at a time, for streaming output.
///
/// Decoding ids one by one does not give the text of the whole list (Llama's `Strip` removes
/// the leading space of every single-token decode, and a character split over byte pieces
/// decodes to U+FFFD piece by piece). This decoder therefore decodes the whole list so far
/// and returns only what is new; while the text ends in U+FFFD (a character whose bytes have
/// not all arrived) it returns nothing and waits. The concatenation of everything `append`
/// returned, plus `flush()`, equals `tokenizer.decode(ids, skipSpecialTokens:)`.
///
/// Cost: one full decode per id (fine for generation lengths of a few thousand tokens).
///
/// ```swift
/// var stream = IncrementalDecoder(tokenizer: tokenizer)
/// for id in generatedIds { print(stream.append(id), terminator: "") }
/// print(stream.flush())
/// ```
public struct IncrementalDecoder: Sendable {
    /// The tokenizer whose `decode` defines the text.
    public let tokenizer: Tokenizer
    /// Whether special tokens are dropped, as in `Tokenizer.decode`.
    public let skipSpecialTokens: Bool
    /// Every id appended so far.
    public private(set) var ids: [Int] = []
    /// The scalars already returned.
    private var emittedScalars = 0

    /// A decoder with no ids yet.
    ///
    /// - Parameters:
    ///   - tokenizer: the tokenizer whose `decode` defines the text.
    ///   - skipSpecialTokens: as in `Tokenizer.decode`.
    public init(tokenizer: Tokenizer, skipSpecialTokens: Bool = true) {
        self.tokenizer = tokenizer
        self.skipSpecialTokens = skipSpecialTokens
    }

    /// Adds one id and returns the text that became final (possibly empty).
    public mutating func append(_ id: Int) -> String {
        ids.append(id)
        let text = tokenizer.decode(ids, skipSpecialTokens: skipSpecialTokens)
        if text.unicodeScalars.last == "\u{FFFD}" { return "" }
        return take(text)
    }

    /// Returns whatever has not been returned yet, U+FFFD included.
    public mutating func flush() -> String {
        take(tokenizer.decode(ids, skipSpecialTokens: skipSpecialTokens))
    }

    private mutating func take(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > emittedScalars else { return "" }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars.dropFirst(emittedScalars))
        emittedScalars = scalars.count
        return String(out)
    }
}
