/// The split of Llama-3's and Qwen2's `Split` pre-tokenizer, written by hand over UTF-8 bytes.
///
/// It finds exactly the matches of
/// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
/// (Llama 3; Qwen2 has `\p{N}` for `\p{N}{1,3}`) as Oniguruma does: leftmost match, first
/// alternative that matches, with the classes of `ScalarClass`:
/// - contractions ignore case (`'S`, `'LL`; `ſ` U+017F folds to `s`), ASCII `'` only;
/// - one scalar that is not CR, LF, a letter or a number may lead a run of letters
///   (`" hello"`, `"(hello"`, `"\thello"`);
/// - numbers come in runs of at most `maxDigits`;
/// - a punctuation run (after an optional U+0020) takes the CR/LF run that follows it;
/// - a whitespace run that contains CR or LF ends right after its last CR or LF.
///
/// ### References
/// Meta Llama 3 `tokenizer.json` and Qwen2 `tokenizer.json` (`pre_tokenizer.pretokenizers[0]`).
struct Llama3Splitter: Sendable {
    /// The longest run of numbers one piece may hold (3 for Llama 3, 1 for Qwen2).
    var maxDigits: Int

    /// Llama 3's pattern.
    static let llama3Pattern =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    /// Qwen2's pattern.
    static let qwen2Pattern =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    @inline(__always)
    static func isCRLF(_ value: UInt32) -> Bool { value == 0x0A || value == 0x0D }

    /// The length of a case-insensitive contraction starting at `i` (an ASCII `'`), or 0.
    static func contractionLength(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        guard i + 1 < b.count else { return 0 }
        let (v1, l1) = GPT2Splitter.decode(b, i + 1)
        func lower(_ v: UInt32) -> UInt32 {
            if v == 0x17F { return UInt32(UInt8(ascii: "s")) }  // ſ folds to s
            if v >= 0x41 && v <= 0x5A { return v + 0x20 }
            return v
        }
        let c1 = lower(v1)
        switch c1 {
        case UInt32(UInt8(ascii: "s")), UInt32(UInt8(ascii: "t")), UInt32(UInt8(ascii: "m")),
            UInt32(UInt8(ascii: "d")):
            return 1 + l1
        case UInt32(UInt8(ascii: "r")), UInt32(UInt8(ascii: "v")), UInt32(UInt8(ascii: "l")):
            let j = i + 1 + l1
            guard j < b.count else { return 0 }
            let (v2, l2) = GPT2Splitter.decode(b, j)
            let c2 = lower(v2)
            let wanted =
                c1 == UInt32(UInt8(ascii: "l"))
                ? UInt32(UInt8(ascii: "l")) : UInt32(UInt8(ascii: "e"))
            return c2 == wanted ? 1 + l1 + l2 : 0
        default:
            return 0
        }
    }

    /// Calls `body(start, end)` for every piece of `bytes` (valid UTF-8), in order.
    func split(_ b: UnsafeBufferPointer<UInt8>, _ body: (Int, Int) -> Void) {
        let n = b.count
        var i = 0
        while i < n {
            if b[i] == UInt8(ascii: "'") {
                let length = Self.contractionLength(b, i)
                if length > 0 {
                    body(i, i + length)
                    i += length
                    continue
                }
            }
            let (value, length) = GPT2Splitter.decode(b, i)
            let cls = ScalarClass.of(value)
            // [^\r\n\p{L}\p{N}]?\p{L}+
            if cls == .letter {
                let end = GPT2Splitter.runEnd(b, from: i + length, .letter)
                body(i, end)
                i = end
                continue
            }
            if cls != .number && !Self.isCRLF(value) && i + length < n {
                let (next, _) = GPT2Splitter.classAt(b, i + length)
                if next == .letter {
                    let end = GPT2Splitter.runEnd(b, from: i + length, .letter)
                    body(i, end)
                    i = end
                    continue
                }
            }
            // \p{N}{1,maxDigits}
            if cls == .number {
                var end = i + length
                var count = 1
                while count < maxDigits, end < n {
                    let (c, l) = GPT2Splitter.classAt(b, end)
                    if c != .number { break }
                    end += l
                    count += 1
                }
                body(i, end)
                i = end
                continue
            }
            //  ?[^\s\p{L}\p{N}]+[\r\n]*
            var otherStart = -1
            if cls == .other {
                otherStart = i
            } else if value == 0x20, i + 1 < n, GPT2Splitter.classAt(b, i + 1).0 == .other {
                otherStart = i + 1
            }
            if otherStart >= 0 {
                var end = GPT2Splitter.runEnd(b, from: otherStart, .other)
                while end < n, b[end] == 0x0A || b[end] == 0x0D { end += 1 }
                body(i, end)
                i = end
                continue
            }
            // Whitespace: \s*[\r\n]+ | \s+(?!\S) | \s+
            var j = i
            var lastStart = i
            var afterLastCRLF = -1
            while j < n {
                let (v, l) = GPT2Splitter.decode(b, j)
                if ScalarClass.of(v) != .whitespace { break }
                if Self.isCRLF(v) { afterLastCRLF = j + l }
                lastStart = j
                j += l
            }
            if afterLastCRLF > 0 {
                body(i, afterLastCRLF)
                i = afterLastCRLF
            } else if j < n, lastStart > i {
                body(i, lastStart)
                i = lastStart
            } else {
                body(i, j)
                i = j
            }
        }
    }
}
