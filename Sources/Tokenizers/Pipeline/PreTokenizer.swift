/// The `pre_tokenizer` of a `tokenizer.json`: splits a normalized segment into the words the
/// model encodes one by one.
///
/// Supported:
/// - `ByteLevel` (`add_prefix_space`, `use_regex` with GPT-2's regex, see `GPT2Splitter`); the
///   words then hold raw bytes that the model reads as byte-level characters.
/// - `Metaspace` (`replacement`, `prepend_scheme` always/first/never or the older
///   `add_prefix_space`, `split`): spaces become the replacement; `first` prepends it only to
///   the segment at offset 0 of the input, and only when it does not already start with it.
/// - `Digits` (`individual_digits`), `Split` with the exact regex of GPT-2, Llama 3 or Qwen2
///   and `Isolated` behaviour (hand-written scanners, `GPT2Splitter` and `Llama3Splitter`),
///   and `Sequence` of those.
///
/// ### References
/// `tokenizers/src/pre_tokenizers/{byte_level,metaspace,digits,sequence}.rs`.
indirect enum PreTokenizer: Sendable {
    case byteLevel(addPrefixSpace: Bool, useRegex: Bool)
    case metaspace(replacement: [UInt8], prependScheme: PrependScheme, split: Bool)
    case digits(individual: Bool)
    case gpt2Split
    case llama3Split(maxDigits: Int)
    case sequence([PreTokenizer])

    /// Where Metaspace puts its replacement character in front of a segment.
    enum PrependScheme: Sendable {
        case always, first, never
    }

    /// The regex of GPT-2's ByteLevel pre-tokenizer, as written in `tokenizer.json` files.
    static let gpt2Pattern =
        #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#

    /// Whether the words it produces are raw bytes for byte-level characters.
    var isByteLevel: Bool {
        switch self {
        case .byteLevel: return true
        case .sequence(let steps): return steps.contains { $0.isByteLevel }
        default: return false
        }
    }

    /// Calls `body` with every word of `text`, in order.
    ///
    /// - Parameters:
    ///   - text: one normalized segment (UTF-8).
    ///   - atInputStart: whether the segment begins at offset 0 of the original input.
    ///   - body: receives each word's bytes and whether the word begins at offset 0.
    func forEachWord(
        _ text: [UInt8], atInputStart: Bool,
        _ body: (UnsafeBufferPointer<UInt8>, Bool) -> Void
    ) {
        switch self {
        case .byteLevel(let addPrefixSpace, let useRegex):
            var bytes = text
            if addPrefixSpace, let first = bytes.first, first != 0x20 { bytes.insert(0x20, at: 0) }
            bytes.withUnsafeBufferPointer { buffer in
                if useRegex {
                    GPT2Splitter.split(buffer) { start, end in
                        body(
                            UnsafeBufferPointer(rebasing: buffer[start..<end]),
                            atInputStart && start == 0)
                    }
                } else {
                    body(buffer, atInputStart)
                }
            }
        case .gpt2Split:
            text.withUnsafeBufferPointer { buffer in
                GPT2Splitter.split(buffer) { start, end in
                    body(
                        UnsafeBufferPointer(rebasing: buffer[start..<end]),
                        atInputStart && start == 0)
                }
            }
        case .llama3Split(let maxDigits):
            text.withUnsafeBufferPointer { buffer in
                Llama3Splitter(maxDigits: maxDigits).split(buffer) { start, end in
                    body(
                        UnsafeBufferPointer(rebasing: buffer[start..<end]),
                        atInputStart && start == 0)
                }
            }
        case .metaspace(let replacement, let scheme, let split):
            var bytes = Normalizer.replaceAll(text, [0x20], replacement)
            let startsWithReplacement = bytes.starts(with: replacement)
            if !bytes.isEmpty && !startsWithReplacement {
                switch scheme {
                case .always: bytes = replacement + bytes
                case .first where atInputStart: bytes = replacement + bytes
                default: break
                }
            }
            bytes.withUnsafeBufferPointer { buffer in
                guard split else {
                    body(buffer, atInputStart)
                    return
                }
                // MergedWithNext: every replacement character starts a new word.
                var start = 0
                var i = 0
                let m = replacement.count
                while i + m <= buffer.count {
                    if i > start, buffer[i] == replacement[0],
                        replacement.indices.allSatisfy({ buffer[i + $0] == replacement[$0] })
                    {
                        body(
                            UnsafeBufferPointer(rebasing: buffer[start..<i]),
                            atInputStart && start == 0)
                        start = i
                        i += m
                        continue
                    }
                    i += 1
                }
                if start < buffer.count {
                    body(
                        UnsafeBufferPointer(rebasing: buffer[start...]), atInputStart && start == 0)
                }
            }
        case .digits(let individual):
            text.withUnsafeBufferPointer { buffer in
                var start = 0
                var i = 0
                var inDigits = false
                while i < buffer.count {
                    let (value, length) = GPT2Splitter.decode(buffer, i)
                    let isDigit = ScalarClass.of(value) == .number
                    if isDigit && individual {
                        if i > start {
                            body(
                                UnsafeBufferPointer(rebasing: buffer[start..<i]),
                                atInputStart && start == 0)
                        }
                        body(
                            UnsafeBufferPointer(rebasing: buffer[i..<(i + length)]),
                            atInputStart && i == 0)
                        start = i + length
                    } else if i > start && isDigit != inDigits {
                        body(
                            UnsafeBufferPointer(rebasing: buffer[start..<i]),
                            atInputStart && start == 0)
                        start = i
                    }
                    inDigits = isDigit
                    i += length
                }
                if start < buffer.count {
                    body(
                        UnsafeBufferPointer(rebasing: buffer[start...]), atInputStart && start == 0)
                }
            }
        case .sequence(let steps):
            Self.run(steps[...], text, atInputStart, body)
        }
    }

    private static func run(
        _ steps: ArraySlice<PreTokenizer>, _ text: [UInt8], _ atStart: Bool,
        _ body: (UnsafeBufferPointer<UInt8>, Bool) -> Void
    ) {
        guard let first = steps.first else {
            text.withUnsafeBufferPointer { body($0, atStart) }
            return
        }
        let rest = steps.dropFirst()
        if rest.isEmpty {
            first.forEachWord(text, atInputStart: atStart, body)
            return
        }
        var words: [([UInt8], Bool)] = []
        first.forEachWord(text, atInputStart: atStart) { words.append((Array($0), $1)) }
        for (word, wordAtStart) in words { run(rest, word, wordAtStart, body) }
    }

    /// Reads a `pre_tokenizer` object.
    static func parse(_ json: JSONValue, path: String) throws(TokenizerError) -> PreTokenizer {
        let type = json["type"]?.string ?? "(no type)"
        switch type {
        case "ByteLevel":
            return .byteLevel(
                addPrefixSpace: json["add_prefix_space"]?.bool ?? true,
                useRegex: json["use_regex"]?.bool ?? true)
        case "Metaspace":
            let replacement = json["replacement"]?.bytes ?? Array("\u{2581}".utf8)
            guard String(decoding: replacement, as: UTF8.self).unicodeScalars.count == 1 else {
                throw .malformed(path: path, reason: "Metaspace replacement must be one character")
            }
            let scheme: PrependScheme
            switch json["prepend_scheme"]?.string {
            case "always": scheme = .always
            case "first": scheme = .first
            case "never": scheme = .never
            case nil: scheme = (json["add_prefix_space"]?.bool ?? true) ? .always : .never
            case let other?:
                throw .unsupported(
                    path: path, component: "Metaspace prepend_scheme \(other)",
                    detail: "expected always, first or never")
            }
            return .metaspace(
                replacement: replacement, prependScheme: scheme,
                split: json["split"]?.bool ?? true)
        case "Digits":
            return .digits(individual: json["individual_digits"]?.bool ?? false)
        case "Split":
            let pattern = json["pattern"]?["Regex"]?.string ?? json["pattern"]?["String"]?.string
            let behavior = json["behavior"]?.string ?? ""
            let invert = json["invert"]?.bool ?? false
            if behavior == "Isolated", !invert {
                switch pattern {
                case gpt2Pattern: return .gpt2Split
                case Llama3Splitter.llama3Pattern: return .llama3Split(maxDigits: 3)
                case Llama3Splitter.qwen2Pattern: return .llama3Split(maxDigits: 1)
                default: break
                }
            }
            throw .unsupported(
                path: path, component: "pre-tokenizer Split",
                detail: "only the GPT-2, Llama 3 and Qwen2 regexes with behavior Isolated are "
                    + "implemented, not "
                    + "\(pattern ?? "(no pattern)") with \(behavior)")
        case "Sequence":
            guard let items = json["pretokenizers"]?.array else {
                throw .malformed(path: path, reason: "pre-tokenizer Sequence has no pretokenizers")
            }
            var steps: [PreTokenizer] = []
            for item in items { steps.append(try parse(item, path: path)) }
            if steps.isEmpty {
                throw .unsupported(
                    path: path, component: "empty pre-tokenizer Sequence",
                    detail: "a Sequence needs at least one step")
            }
            return .sequence(steps)
        default:
            throw .unsupported(
                path: path, component: "pre-tokenizer \(type)",
                detail: "only ByteLevel, Metaspace, Digits, Split (GPT-2 regex) and Sequence "
                    + "are implemented")
        }
    }
}
