/// The GPT-2 pre-tokenizer split, written by hand over UTF-8 bytes.
///
/// It finds exactly the matches of
/// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
/// as Oniguruma does (leftmost match, first alternative that matches), with the classes of
/// `ScalarClass`:
/// - the contractions are case-sensitive and use the ASCII `'` only;
/// - the optional prefix is U+0020 only;
/// - `\s+(?!\S)` takes a whitespace run minus its last scalar when a non-space follows, and the
///   whole run at the end of the text; a single whitespace scalar before a non-space is `\s+`.
///
/// Every byte of the input belongs to exactly one piece, so the pieces concatenate back to it.
///
/// ### References
/// `tokenizers/src/pre_tokenizers/byte_level.rs` (the regex), and
/// `../shared/reference/tokenizers/README.md`, traps 2 and 3.
enum GPT2Splitter {
    /// Decodes the scalar starting at `i` of valid UTF-8; returns its value and byte length.
    @inline(__always)
    static func decode(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int) {
        let b0 = UInt32(b[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F), 2) }
        if b0 < 0xF0 {
            return ((b0 & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F), 3)
        }
        return (
            (b0 & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6
                | UInt32(b[i + 3] & 0x3F), 4
        )
    }

    /// Classes of the ASCII range, so the common case needs no property lookup.
    static let asciiTable: [ScalarClass] = (0..<128).map { ScalarClass.compute(UInt32($0)) }

    @inline(__always)
    static func classAt(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (ScalarClass, Int) {
        let b0 = b[i]
        if b0 < 0x80 { return (asciiTable[Int(b0)], 1) }
        let (value, length) = decode(b, i)
        return (ScalarClass.of(value), length)
    }

    /// The end of the run of scalars of class `cls` that starts at `i`.
    @inline(__always)
    static func runEnd(_ b: UnsafeBufferPointer<UInt8>, from i: Int, _ cls: ScalarClass) -> Int {
        var j = i
        while j < b.count {
            let (c, length) = classAt(b, j)
            if c != cls { break }
            j += length
        }
        return j
    }

    /// Calls `body(start, end)` for every piece of `bytes` (valid UTF-8), in order.
    static func split(_ b: UnsafeBufferPointer<UInt8>, _ body: (Int, Int) -> Void) {
        let n = b.count
        var i = 0
        while i < n {
            let byte = b[i]
            if byte == UInt8(ascii: "'"), i + 1 < n {
                let c1 = b[i + 1]
                switch c1 {
                case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d"):
                    body(i, i + 2)
                    i += 2
                    continue
                case UInt8(ascii: "r"), UInt8(ascii: "v"):
                    if i + 2 < n, b[i + 2] == UInt8(ascii: "e") {
                        body(i, i + 3)
                        i += 3
                        continue
                    }
                case UInt8(ascii: "l"):
                    if i + 2 < n, b[i + 2] == UInt8(ascii: "l") {
                        body(i, i + 3)
                        i += 3
                        continue
                    }
                default:
                    break
                }
            }
            if byte == 0x20, i + 1 < n {
                let (next, _) = classAt(b, i + 1)
                if next != .whitespace {
                    let end = runEnd(b, from: i + 1, next)
                    body(i, end)
                    i = end
                    continue
                }
            }
            let (cls, length) = classAt(b, i)
            if cls != .whitespace {
                let end = runEnd(b, from: i + length, cls)
                body(i, end)
                i = end
                continue
            }
            // Whitespace run: `\s+(?!\S)` backs off one scalar when a non-space follows.
            var j = i + length
            var lastStart = i
            while j < n {
                let (c, l) = classAt(b, j)
                if c != .whitespace { break }
                lastStart = j
                j += l
            }
            if j < n, lastStart > i {
                body(i, lastStart)
                i = lastStart
            } else {
                body(i, j)
                i = j
            }
        }
    }
}
