import Foundation

/// Python `str` behaviour the probes depend on: which characters are whitespace, `strip`,
/// `split`, and the word count lm-eval uses for word perplexity.
enum PythonStrings {
    /// Python's `str.isspace()` for one code point (what `\s` matches in a `str` regex):
    /// U+0009–U+000D, U+001C–U+001F, space, U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028,
    /// U+2029, U+202F, U+205F, U+3000.
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029,
            0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// `str.strip(chars)`: removes leading and trailing whitespace, or the given characters.
    static func strip(
        _ s: String, _ chars: String? = nil, leading: Bool = true,
        trailing: Bool = true
    ) -> String {
        let set = chars.map { Set($0.unicodeScalars) }
        let drop: (Unicode.Scalar) -> Bool = { c in set.map { $0.contains(c) } ?? isSpace(c) }
        var scalars = Array(s.unicodeScalars)[...]
        if leading { while let f = scalars.first, drop(f) { scalars.removeFirst() } }
        if trailing { while let l = scalars.last, drop(l) { scalars.removeLast() } }
        return String(String.UnicodeScalarView(scalars))
    }

    /// `str.split()` with no separator: runs of whitespace separate, empty pieces dropped.
    static func splitOnWhitespace(_ s: String, maxSplit: Int = -1) -> [String] {
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        var inWord = false
        var scalars = Array(s.unicodeScalars)[...]
        while let c = scalars.first {
            if isSpace(c) {
                if inWord {
                    parts.append(String(current))
                    current = String.UnicodeScalarView()
                    inWord = false
                    if maxSplit >= 0 && parts.count == maxSplit {
                        while let f = scalars.first, isSpace(f) { scalars.removeFirst() }
                        if !scalars.isEmpty {
                            parts.append(String(String.UnicodeScalarView(scalars)))
                        }
                        return parts
                    }
                }
            } else {
                current.append(c)
                inWord = true
            }
            scalars.removeFirst()
        }
        if inWord { parts.append(String(current)) }
        return parts
    }

    /// `str.split(sep)` with an explicit, non-empty separator (code-point exact).
    static func split(_ s: String, separator: String, maxSplit: Int = -1) -> [String] {
        let text = Array(s.unicodeScalars)
        let sep = Array(separator.unicodeScalars)
        var parts: [String] = []
        var start = 0
        var i = 0
        while i + sep.count <= text.count {
            if maxSplit >= 0 && parts.count == maxSplit { break }
            if Array(text[i..<(i + sep.count)]) == sep {
                parts.append(String(String.UnicodeScalarView(text[start..<i])))
                i += sep.count
                start = i
            } else {
                i += 1
            }
        }
        parts.append(String(String.UnicodeScalarView(text[start...])))
        return parts
    }

    /// `str.replace(old, new, count)`, code-point exact (Swift's own `replacingOccurrences`
    /// compares by canonical equivalence, which Python does not).
    static func replace(_ s: String, _ old: String, _ new: String, count: Int = -1) -> String {
        if old.isEmpty {
            var out = String.UnicodeScalarView()
            var n = 0
            for c in s.unicodeScalars {
                if count < 0 || n < count {
                    out.append(contentsOf: new.unicodeScalars)
                    n += 1
                }
                out.append(c)
            }
            if count < 0 || n < count { out.append(contentsOf: new.unicodeScalars) }
            return String(out)
        }
        let parts = split(s, separator: old, maxSplit: count)
        return parts.joined(separator: new)
    }

    /// lm-eval's word count: `len(re.split(r"\s+", text))`, i.e. the number of maximal
    /// whitespace runs plus one (leading or trailing whitespace adds an empty "word").
    static func wordCount(_ s: String) -> Int {
        var runs = 0
        var inRun = false
        for c in s.unicodeScalars {
            if isSpace(c) {
                if !inRun { runs += 1 }
                inRun = true
            } else {
                inRun = false
            }
        }
        return runs + 1
    }
}
