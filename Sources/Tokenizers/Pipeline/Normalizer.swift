/// The `normalizer` of a `tokenizer.json`, applied to each text segment between added tokens.
///
/// Supported: `Prepend` (only on non-empty text, as `NormalizedString::prepend`), `Replace`
/// with a literal `String` pattern (all non-overlapping occurrences, left to right), and
/// `Sequence` of those. Anything else is refused at load time.
indirect enum Normalizer: Sendable {
    case prepend([UInt8])
    case replace(pattern: [UInt8], content: [UInt8])
    case sequence([Normalizer])

    /// Applies the normalizer to UTF-8 text.
    func apply(_ text: [UInt8]) -> [UInt8] {
        switch self {
        case .prepend(let prefix):
            return text.isEmpty ? text : prefix + text
        case .replace(let pattern, let content):
            return Self.replaceAll(text, pattern, content)
        case .sequence(let steps):
            var out = text
            for step in steps { out = step.apply(out) }
            return out
        }
    }

    /// Replaces every non-overlapping occurrence of `pattern` (non-empty), left to right.
    static func replaceAll(_ text: [UInt8], _ pattern: [UInt8], _ content: [UInt8]) -> [UInt8] {
        guard let first = pattern.first, text.count >= pattern.count else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.count + text.count / 4)
        var i = 0
        let n = text.count
        let m = pattern.count
        while i < n {
            if text[i] == first, i + m <= n {
                var matched = true
                var k = 1
                while k < m {
                    if text[i + k] != pattern[k] {
                        matched = false
                        break
                    }
                    k += 1
                }
                if matched {
                    out.append(contentsOf: content)
                    i += m
                    continue
                }
            }
            out.append(text[i])
            i += 1
        }
        return out
    }

    /// Reads a `normalizer` object.
    static func parse(_ json: JSONValue, path: String) throws(TokenizerError) -> Normalizer {
        let type = json["type"]?.string ?? "(no type)"
        switch type {
        case "Prepend":
            guard let prefix = json["prepend"]?.bytes else {
                throw .malformed(path: path, reason: "normalizer Prepend has no \"prepend\"")
            }
            return .prepend(prefix)
        case "Replace":
            let (pattern, content) = try parseReplace(json, component: "normalizer", path: path)
            return .replace(pattern: pattern, content: content)
        case "Sequence":
            guard let items = json["normalizers"]?.array else {
                throw .malformed(path: path, reason: "normalizer Sequence has no \"normalizers\"")
            }
            var steps: [Normalizer] = []
            for item in items { steps.append(try parse(item, path: path)) }
            return .sequence(steps)
        default:
            throw .unsupported(
                path: path, component: "normalizer \(type)",
                detail: "only Prepend, Replace (string pattern) and Sequence are implemented")
        }
    }

    /// Reads the `pattern`/`content` of a `Replace` normalizer or decoder.
    static func parseReplace(_ json: JSONValue, component: String, path: String)
        throws(TokenizerError) -> ([UInt8], [UInt8])
    {
        guard let patternObject = json["pattern"], let content = json["content"]?.bytes else {
            throw .malformed(path: path, reason: "\(component) Replace needs pattern and content")
        }
        if let pattern = patternObject["String"]?.bytes, !pattern.isEmpty {
            return (pattern, content)
        }
        if patternObject["Regex"] != nil {
            throw .unsupported(
                path: path, component: "\(component) Replace with a Regex pattern",
                detail: "only literal String patterns are implemented")
        }
        throw .malformed(path: path, reason: "\(component) Replace has an empty or unknown pattern")
    }
}
