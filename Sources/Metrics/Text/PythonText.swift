/// Python `str` behaviour that the reference packages rely on, reproduced on Unicode scalars.
///
/// rouge-score and sacreBLEU work on Python strings: sequences of code points compared code point
/// by code point. Swift's `String` and `Character` compare by canonical equivalence and count
/// grapheme clusters, so every metric in this module works on `unicodeScalars` instead.
enum PythonText {
    /// Whether a code point is whitespace for Python's `str.split()` and `str.rstrip()`.
    ///
    /// The 29 code points U+0009–U+000D, U+001C–U+0020, U+0085, U+00A0, U+1680, U+2000–U+200A,
    /// U+2028, U+2029, U+202F, U+205F and U+3000. Unlike Swift's `Character.isWhitespace` it
    /// includes U+001C–U+001F; unlike `CharacterSet.whitespacesAndNewlines` it excludes U+200B.
    @inline(__always)
    static func isWhitespace(_ value: UInt32) -> Bool {
        if value <= 0x20 { return value >= 0x1C || (value >= 0x09 && value <= 0x0D) }
        if value < 0x85 { return false }
        switch value {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// The code points of a string, in order (a Python `str`).
    @inline(__always)
    static func scalars(_ text: String) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars { out.append(scalar.value) }
        return out
    }

    /// Python's `s.split()` with no argument: pieces between runs of whitespace, no empty pieces.
    static func split(_ text: [UInt32]) -> [ArraySlice<UInt32>] {
        var pieces: [ArraySlice<UInt32>] = []
        var start = -1
        for index in text.indices {
            if isWhitespace(text[index]) {
                if start >= 0 {
                    pieces.append(text[start..<index])
                    start = -1
                }
            } else if start < 0 {
                start = index
            }
        }
        if start >= 0 { pieces.append(text[start..<text.count]) }
        return pieces
    }

    /// Python's `"".join(s.split())`: the string with every whitespace code point deleted.
    static func removingWhitespace(_ text: [UInt32]) -> [UInt32] {
        text.filter { !isWhitespace($0) }
    }

    /// Python's `s.rstrip()` with no argument: trailing whitespace removed.
    static func rstrip(_ text: [UInt32]) -> [UInt32] {
        var end = text.count
        while end > 0 && isWhitespace(text[end - 1]) { end -= 1 }
        return Array(text[0..<end])
    }
}
