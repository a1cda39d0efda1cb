/// Finds added tokens in text before the model runs, as `tokenizers`' `AddedVocabulary`.
///
/// Matching is leftmost-longest and non-overlapping (Aho-Corasick `LeftmostLongest`). A
/// `single_word` match is discarded unless it is bounded by non-word characters (`\w`: Unicode
/// Alphabetic, marks, decimal digits, connector punctuation, join controls) or the text ends;
/// `lstrip`/`rstrip` widen the match over the whitespace (`\s`) before/after it. Tokens with
/// `normalized: false` are matched on the raw input, the others on each normalized segment
/// (their patterns normalized with the same normalizer).
///
/// ### References
/// `tokenizers/src/tokenizer/added_vocabulary.rs` (`find_matches`, `extract_and_normalize`).
struct AddedVocabulary: Sendable {
    /// One piece of a split: an added token's id with the text it covers (whitespace taken by
    /// `lstrip`/`rstrip` included), or a range of plain text.
    enum Segment {
        case token(Int32, Range<Int>)
        case text(Range<Int>)
    }

    struct Pattern: Sendable {
        var bytes: [UInt8]
        var token: AddedToken
    }

    /// Patterns by first byte, longest first.
    private var byFirstByte: [[Pattern]]
    let isEmpty: Bool

    init(_ patterns: [Pattern]) {
        var table = [[Pattern]](repeating: [], count: 256)
        for pattern in patterns where !pattern.bytes.isEmpty {
            table[Int(pattern.bytes[0])].append(pattern)
        }
        for i in 0..<256 { table[i].sort { $0.bytes.count > $1.bytes.count } }
        byFirstByte = table
        isEmpty = patterns.allSatisfy { $0.bytes.isEmpty }
    }

    /// The longest pattern matching at `i`, if any.
    @inline(__always)
    private func match(_ text: UnsafeBufferPointer<UInt8>, at i: Int) -> Pattern? {
        let candidates = byFirstByte[Int(text[i])]
        if candidates.isEmpty { return nil }
        for pattern in candidates where i + pattern.bytes.count <= text.count {
            var equal = true
            for k in 1..<pattern.bytes.count where text[i + k] != pattern.bytes[k] {
                equal = false
                break
            }
            if equal { return pattern }
        }
        return nil
    }

    /// Splits `text` into added tokens and the plain text between them (empty ranges omitted;
    /// an empty text gives one empty range).
    func split(_ text: [UInt8]) -> [Segment] {
        if text.isEmpty { return [.text(0..<0)] }
        if isEmpty { return [.text(0..<text.count)] }
        return text.withUnsafeBufferPointer { buffer in
            var segments: [Segment] = []
            var startOffset = 0
            var i = 0
            while i < buffer.count {
                guard let pattern = match(buffer, at: i) else {
                    i += 1
                    continue
                }
                var start = i
                var stop = i + pattern.bytes.count
                i = stop
                let token = pattern.token
                if token.singleWord {
                    let startSpace = start == 0 || !Self.endsWithWord(buffer, before: start)
                    let stopSpace = stop == buffer.count || !Self.startsWithWord(buffer, at: stop)
                    if !startSpace || !stopSpace { continue }
                }
                if token.lstrip {
                    start = max(Self.whitespaceRunStart(buffer, before: start), startOffset)
                }
                if token.rstrip {
                    // The search itself resumes at the match's end, as Aho-Corasick's does.
                    stop = Self.whitespaceRunEnd(buffer, from: stop)
                }
                if startOffset < start { segments.append(.text(startOffset..<start)) }
                segments.append(.token(token.id, start..<stop))
                startOffset = stop
            }
            if startOffset != buffer.count { segments.append(.text(startOffset..<buffer.count)) }
            return segments
        }
    }

    // MARK: - Character classes of Rust's `regex` crate (`\w`, `\s`)

    static func isWord(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        if properties.isAlphabetic || properties.isJoinControl { return true }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber,
            .connectorPunctuation:
            return true
        default:
            return false
        }
    }

    /// The scalar that ends just before byte offset `end` of valid UTF-8.
    static func scalar(_ b: UnsafeBufferPointer<UInt8>, endingAt end: Int) -> (Unicode.Scalar, Int)
    {
        var start = end - 1
        while start > 0, b[start] & 0xC0 == 0x80 { start -= 1 }
        let (value, _) = GPT2Splitter.decode(b, start)
        return (Unicode.Scalar(value) ?? "\u{FFFD}", start)
    }

    static func endsWithWord(_ b: UnsafeBufferPointer<UInt8>, before end: Int) -> Bool {
        guard end > 0 else { return false }
        return isWord(scalar(b, endingAt: end).0)
    }

    static func startsWithWord(_ b: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        guard start < b.count else { return false }
        let (value, _) = GPT2Splitter.decode(b, start)
        return isWord(Unicode.Scalar(value) ?? "\u{FFFD}")
    }

    static func whitespaceRunStart(_ b: UnsafeBufferPointer<UInt8>, before end: Int) -> Int {
        var position = end
        while position > 0 {
            let (scalar, start) = scalar(b, endingAt: position)
            if !scalar.properties.isWhitespace { break }
            position = start
        }
        return position
    }

    static func whitespaceRunEnd(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var position = start
        while position < b.count {
            let (value, length) = GPT2Splitter.decode(b, position)
            guard let scalar = Unicode.Scalar(value), scalar.properties.isWhitespace else { break }
            position += length
        }
        return position
    }
}
