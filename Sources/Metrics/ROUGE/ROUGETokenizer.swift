/// rouge-score 0.1.2's default tokenizer: Python `lower()`, every run of code points outside
/// ASCII `[a-z0-9]` becomes a separator, optional Porter stemming of tokens longer than three
/// characters.
///
/// Consequences worth knowing: identical non-Latin texts (CJK, Cyrillic, accented words) give no
/// tokens or broken ones, so they score 0; NFC "café" gives `caf` while NFD "café" gives `cafe`;
/// "#Person1#" gives `person1`; "don't" gives `don`, `t`. The only non-ASCII code points whose
/// lower case survives are U+0130 (→ `i`, then a separator for its U+0307) and U+212A KELVIN
/// SIGN (→ `k`).
///
/// Worked example (checked by a test): `tokenize("The İstanbul cafés were 1990s-era!")` is
/// `["the", "i", "stanbul", "caf", "s", "were", "1990s", "era"]`; with the stemmer it is
/// `["the", "i", "stanbul", "caf", "s", "were", "1990", "era"]` ("were" has 4 letters and stems
/// to itself).
///
/// ### References
/// `rouge_score/tokenize.py` in google-research/rouge 0.1.2.
public struct ROUGETokenizer: Sendable {
    /// Whether tokens longer than three characters are replaced by their ``PorterStemmer`` stem.
    public var useStemmer: Bool

    /// Creates the tokenizer.
    /// - Parameter useStemmer: rouge-score's `use_stemmer`.
    public init(useStemmer: Bool) {
        self.useStemmer = useStemmer
    }

    /// The tokens of a text, as rouge-score produces them.
    /// - Parameter text: Any text; newlines are ordinary separators here.
    /// - Returns: Lower-case ASCII tokens, each matching `^[a-z0-9]+$`.
    public func tokenize(_ text: String) -> [String] {
        var tokens: [String] = []
        forEachToken(in: text) { token in
            tokens.append(
                String(decoding: token.map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self))
        }
        return tokens
    }

    /// Calls `body` with each token (lower-case ASCII code points) of `text`, in order.
    func forEachToken(in text: String, _ body: (inout [UInt32]) -> Void) {
        var text = text
        text.withUTF8 { forEachToken(inUTF8: $0[...], body) }
    }

    /// Calls `body` with each token of UTF-8 bytes, in order.
    ///
    /// Works on bytes: ASCII letters and digits form tokens (letters lower-cased); every other
    /// byte is a separator, except the encodings of U+0130 (C4 B0 → "i", then a separator) and
    /// U+212A (E2 84 AA → "k"), the only non-ASCII code points whose Python lower case is ASCII
    /// alphanumeric. Valid UTF-8 is assumed (Swift strings are).
    func forEachToken(
        inUTF8 bytes: Slice<UnsafeBufferPointer<UInt8>>, _ body: (inout [UInt32]) -> Void
    ) {
        var token: [UInt32] = []
        token.reserveCapacity(32)
        let stemmer = PorterStemmer()
        func finish() {
            guard !token.isEmpty else { return }
            if useStemmer && token.count > 3 { stemmer.stem(&token) }
            if !token.isEmpty { body(&token) }
            token.removeAll(keepingCapacity: true)
        }
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            let b = bytes[i]
            switch b {
            case 0x61...0x7A, 0x30...0x39:
                token.append(UInt32(b))
            case 0x41...0x5A:
                token.append(UInt32(b) + 0x20)
            case 0xC4 where i + 1 < end && bytes[i + 1] == 0xB0:  // İ → "i" + U+0307
                token.append(0x69)
                finish()
                i += 1
            case 0xE2 where i + 2 < end && bytes[i + 1] == 0x84 && bytes[i + 2] == 0xAA:  // K
                token.append(0x6B)
                i += 2
            default:
                finish()
            }
            i += 1
        }
        finish()
    }
}
