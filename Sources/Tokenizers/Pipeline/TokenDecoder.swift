/// The `decoder` of a `tokenizer.json`: turns token strings back into text.
///
/// Each step maps a list of token strings (kept as UTF-8 bytes) to a new list, as
/// `Decoder::decode_chain` does; the final list is joined with no separator.
/// - `ByteLevel`: each token's characters back to bytes (a token with a character outside the
///   table keeps its own UTF-8), all tokens joined, invalid UTF-8 replaced by U+FFFD per maximal
///   invalid subsequence (Rust `String::from_utf8_lossy`); one token results.
/// - `Replace` (literal pattern), `Fuse` (join into one token), `Strip` (up to `start`/`stop`
///   copies of `content` off each token's ends).
/// - `ByteFallback`: each run of consecutive `<0xHH>` tokens becomes its text when the bytes
///   are valid UTF-8, else one U+FFFD **per token of the run**.
/// - `Metaspace`: the replacement becomes a space, except in the first token, where it is
///   dropped (unless `prepend_scheme` is `never`).
///
/// ### References
/// `tokenizers/src/decoders/*.rs`; `../shared/reference/tokenizers/README.md`, traps 5, 12–14.
indirect enum TokenDecoder: Sendable {
    case byteLevel
    case replace(pattern: [UInt8], content: [UInt8])
    case byteFallback
    case fuse
    case strip(content: Unicode.Scalar, start: Int, stop: Int)
    case metaspace(replacement: [UInt8], dropsFirst: Bool)
    case sequence([TokenDecoder])

    static let replacementCharacter: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// Applies this step to `tokens`.
    func decodeChain(_ tokens: [[UInt8]]) -> [[UInt8]] {
        switch self {
        case .byteLevel:
            var bytes: [UInt8] = []
            for token in tokens {
                let text = String(decoding: token, as: UTF8.self)
                var mapped: [UInt8] = []
                mapped.reserveCapacity(token.count)
                var ok = true
                for scalar in text.unicodeScalars {
                    guard let b = ByteLevelTable.byteOfCharacter[scalar.value] else {
                        ok = false
                        break
                    }
                    mapped.append(b)
                }
                bytes.append(contentsOf: ok ? mapped : token)
            }
            return [Array(String(decoding: bytes, as: UTF8.self).utf8)]
        case .replace(let pattern, let content):
            return tokens.map { Normalizer.replaceAll($0, pattern, content) }
        case .fuse:
            return [tokens.flatMap { $0 }]
        case .strip(let content, let start, let stop):
            return tokens.map { token in
                let scalars = Array(String(decoding: token, as: UTF8.self).unicodeScalars)
                var startCut = 0
                while startCut < min(start, scalars.count), scalars[startCut] == content {
                    startCut += 1
                }
                var stopCut = scalars.count
                var removed = 0
                while removed < stop, stopCut > startCut, scalars[stopCut - 1] == content {
                    stopCut -= 1
                    removed += 1
                }
                var out = String.UnicodeScalarView()
                out.append(contentsOf: scalars[startCut..<stopCut])
                return Array(String(out).utf8)
            }
        case .byteFallback:
            var out: [[UInt8]] = []
            var run: [UInt8] = []
            func flush() {
                guard !run.isEmpty else { return }
                if let text = String(validating: run, as: UTF8.self) {
                    out.append(Array(text.utf8))
                } else {
                    for _ in run { out.append(Self.replacementCharacter) }
                }
                run.removeAll()
            }
            for token in tokens {
                if let byte = Self.bytePiece(token) {
                    run.append(byte)
                } else {
                    flush()
                    out.append(token)
                }
            }
            flush()
            return out
        case .metaspace(let replacement, let dropsFirst):
            return tokens.enumerated().map { index, token in
                Normalizer.replaceAll(token, replacement, index == 0 && dropsFirst ? [] : [0x20])
            }
        case .sequence(let steps):
            var current = tokens
            for step in steps { current = step.decodeChain(current) }
            return current
        }
    }

    /// The byte of a `<0xHH>` piece (hex digits in either case), else `nil`.
    static func bytePiece(_ token: [UInt8]) -> UInt8? {
        guard token.count == 6, token[0] == UInt8(ascii: "<"), token[1] == UInt8(ascii: "0"),
            token[2] == UInt8(ascii: "x"), token[5] == UInt8(ascii: ">")
        else { return nil }
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        guard let high = hex(token[3]), let low = hex(token[4]) else { return nil }
        return high << 4 | low
    }

    /// Reads a `decoder` object.
    static func parse(_ json: JSONValue, path: String) throws(TokenizerError) -> TokenDecoder {
        let type = json["type"]?.string ?? "(no type)"
        switch type {
        case "ByteLevel":
            return .byteLevel
        case "Replace":
            let (pattern, content) = try Normalizer.parseReplace(
                json, component: "decoder", path: path)
            return .replace(pattern: pattern, content: content)
        case "ByteFallback":
            return .byteFallback
        case "Fuse":
            return .fuse
        case "Strip":
            guard let content = json["content"]?.string?.unicodeScalars,
                content.count == 1, let scalar = content.first,
                let start = json["start"]?.int, let stop = json["stop"]?.int
            else {
                throw .malformed(path: path, reason: "decoder Strip needs content, start and stop")
            }
            return .strip(content: scalar, start: start, stop: stop)
        case "Metaspace":
            let replacement = json["replacement"]?.bytes ?? Array("\u{2581}".utf8)
            let dropsFirst: Bool
            switch json["prepend_scheme"]?.string {
            case "never": dropsFirst = false
            case nil: dropsFirst = json["add_prefix_space"]?.bool ?? true
            default: dropsFirst = true
            }
            return .metaspace(replacement: replacement, dropsFirst: dropsFirst)
        case "Sequence":
            guard let items = json["decoders"]?.array else {
                throw .malformed(path: path, reason: "decoder Sequence has no decoders")
            }
            var steps: [TokenDecoder] = []
            for item in items { steps.append(try parse(item, path: path)) }
            return .sequence(steps)
        default:
            throw .unsupported(
                path: path, component: "decoder \(type)",
                detail: "only ByteLevel, Replace, ByteFallback, Fuse, Strip, Metaspace and "
                    + "Sequence are implemented")
        }
    }
}
