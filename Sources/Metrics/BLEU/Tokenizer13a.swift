/// sacreBLEU 2.6.0's default tokenizer "13a" (mteval-v13a.pl), including the `rstrip()` that
/// `BLEU` applies before it, on code points.
///
/// In order: strip trailing Python whitespace; delete every `<skipped>`; delete every `-\n`
/// (joins hyphenated line breaks); newlines become spaces; if the text holds `&`, replace
/// `&quot;`, then `&amp;`, then `&lt;`, then `&gt;`; pad with a space on each side; put spaces
/// around the ASCII symbols `` !"#$%&()*+/:;<=>?@[\]^_`{|}~ `` (not `'`, `,`, `.`, `-`); split a
/// period or comma from a preceding non-digit and from a following non-digit, and a hyphen from
/// a preceding digit (each a left-to-right scan with non-overlapping matches); finally split on
/// Python whitespace. Case is kept; non-ASCII punctuation stays glued to words.
///
/// Worked example (checked by a test): `tokenize("Hello, world... It's 3.14-ish &amp; COVID-19!")`
/// is `"Hello , world . . . It's 3.14 - ish & COVID-19 !"`.
///
/// ### References
/// `sacrebleu/tokenizers/tokenizer_13a.py` and `tokenizer_re.py` (sacreBLEU 2.6.0); NIST
/// `mteval-v13a.pl`.
public enum Tokenizer13a {
    /// The tokenized text, tokens joined by single spaces (what sacreBLEU hands to its n-gram
    /// counter).
    public static func tokenize(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for (k, token) in tokens(PythonText.scalars(text)).enumerated() {
            if k > 0 { out.append(" ") }
            for v in token { if let s = Unicode.Scalar(v) { out.append(s) } }
        }
        return String(out)
    }

    /// The tokens of a segment, as code-point slices.
    static func tokens(_ text: [UInt32]) -> [ArraySlice<UInt32>] {
        var s = PythonText.rstrip(text)
        s = replacingAll(s, skipped, with: [])
        s = replacingAll(s, hyphenNewline, with: [])
        for k in s.indices where s[k] == newline { s[k] = space }
        if s.contains(ampersand) {
            for (entity, replacement) in entities {
                s = replacingAll(s, entity, with: [replacement])
            }
        }
        // Pad, and isolate the ASCII symbols.
        var padded: [UInt32] = [space]
        padded.reserveCapacity(s.count * 2 + 2)
        for v in s {
            if isIsolatedSymbol(v) {
                padded.append(space)
                padded.append(v)
                padded.append(space)
            } else {
                padded.append(v)
            }
        }
        padded.append(space)
        // ([^0-9])([.,]) → "\1 \2 "
        padded = scanPairs(padded) { a, b in
            !isDigit(a) && isPeriodOrComma(b)
        } rewrite: {
            a, b, out in
            out.append(a); out.append(space); out.append(b); out.append(space)
        }
        // ([.,])([^0-9]) → " \1 \2"
        padded = scanPairs(padded) { a, b in
            isPeriodOrComma(a) && !isDigit(b)
        } rewrite: {
            a, b, out in
            out.append(space); out.append(a); out.append(space); out.append(b)
        }
        // ([0-9])(-) → "\1 \2 "
        padded = scanPairs(padded) { a, b in
            isDigit(a) && b == hyphen
        } rewrite: {
            a, b, out in
            out.append(a); out.append(space); out.append(b); out.append(space)
        }
        return PythonText.split(padded)
    }

    private static let space: UInt32 = 0x20
    private static let newline: UInt32 = 0x0A
    private static let ampersand: UInt32 = 0x26
    private static let hyphen: UInt32 = 0x2D
    private static let skipped: [UInt32] = "<skipped>".unicodeScalars.map(\.value)
    private static let hyphenNewline: [UInt32] = [0x2D, 0x0A]
    private static let entities: [([UInt32], UInt32)] = [
        ("&quot;".unicodeScalars.map(\.value), 0x22),
        ("&amp;".unicodeScalars.map(\.value), 0x26),
        ("&lt;".unicodeScalars.map(\.value), 0x3C),
        ("&gt;".unicodeScalars.map(\.value), 0x3E),
    ]

    @inline(__always)
    private static func isDigit(_ v: UInt32) -> Bool { v >= 0x30 && v <= 0x39 }

    @inline(__always)
    private static func isPeriodOrComma(_ v: UInt32) -> Bool { v == 0x2E || v == 0x2C }

    /// `[\{-\~\[-\` -\&\(-\+\:-\@\/]`
    @inline(__always)
    private static func isIsolatedSymbol(_ v: UInt32) -> Bool {
        switch v {
        case 0x20...0x26, 0x28...0x2B, 0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: return true
        default: return false
        }
    }

    /// Python's `str.replace(pattern, replacement)`: one left-to-right pass, non-overlapping.
    static func replacingAll(_ s: [UInt32], _ pattern: [UInt32], with replacement: [UInt32])
        -> [UInt32]
    {
        guard !pattern.isEmpty, s.count >= pattern.count, s.contains(pattern[0]) else { return s }
        var out: [UInt32] = []
        out.reserveCapacity(s.count)
        var i = 0
        let last = s.count - pattern.count
        while i < s.count {
            if i <= last && s[i] == pattern[0] {
                var matched = true
                for k in 1..<pattern.count where s[i + k] != pattern[k] {
                    matched = false
                    break
                }
                if matched {
                    out.append(contentsOf: replacement)
                    i += pattern.count
                    continue
                }
            }
            out.append(s[i])
            i += 1
        }
        return out
    }

    /// `re.sub` of a two-character pattern: a left-to-right scan where a matched pair is
    /// rewritten and consumed, so matches never overlap.
    private static func scanPairs(
        _ s: [UInt32], matches: (UInt32, UInt32) -> Bool,
        rewrite: (UInt32, UInt32, inout [UInt32]) -> Void
    ) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(s.count + s.count / 2)
        var i = 0
        while i < s.count {
            if i + 1 < s.count && matches(s[i], s[i + 1]) {
                rewrite(s[i], s[i + 1], &out)
                i += 2
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }
}
