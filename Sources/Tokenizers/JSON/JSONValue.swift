/// A parsed JSON value whose strings stay as exact UTF-8 bytes.
///
/// `tokenizer.json` vocabularies must be read without Unicode normalization: Swift's `String`
/// equality (and so `[String: Int]` and `JSONDecoder` keys) treats canonically equivalent
/// strings as equal, which would merge distinct vocabulary pieces such as U+00C5 and U+212B.
/// This parser keeps every string as its UTF-8 bytes and every object as its ordered key/value
/// pairs, so nothing is merged, reordered or normalized.
package indirect enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string([UInt8])
    case array([JSONValue])
    case object([(key: [UInt8], value: JSONValue)])

    /// The value of `key` in an object (the first one when a key repeats), else `nil`.
    package subscript(key: String) -> JSONValue? {
        guard case .object(let pairs) = self else { return nil }
        let wanted = Array(key.utf8)
        for pair in pairs where pair.key == wanted { return pair.value }
        return nil
    }

    /// Whether the value is JSON `null`.
    package var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The string's UTF-8 bytes, when the value is a string.
    package var bytes: [UInt8]? {
        if case .string(let b) = self { return b }
        return nil
    }

    /// The string decoded as Swift `String` (for names and flags, never vocabulary lookups).
    package var string: String? {
        if case .string(let b) = self { return String(decoding: b, as: UTF8.self) }
        return nil
    }

    /// The number as an exact integer, when it is one.
    package var int: Int? {
        if case .number(let d) = self, d == d.rounded(), abs(d) < 9.0e15 { return Int(d) }
        return nil
    }

    /// The Boolean, when the value is one.
    package var bool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The elements, when the value is an array.
    package var array: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The ordered pairs, when the value is an object.
    package var pairs: [(key: [UInt8], value: JSONValue)]? {
        if case .object(let p) = self { return p }
        return nil
    }

    /// Parses one JSON document.
    ///
    /// - Parameter data: the document's bytes (UTF-8).
    /// - Returns: the value.
    /// - Throws: `JSONParseError` with the byte offset of the first problem.
    package static func parse(_ data: [UInt8]) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(data)
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.position != data.count { throw parser.error("trailing characters") }
        return value
    }
}

/// Why a JSON document could not be parsed, with the byte offset.
package struct JSONParseError: Error, Sendable, CustomStringConvertible {
    package var offset: Int
    package var reason: String
    package var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

/// A recursive-descent parser over bytes (RFC 8259).
private struct JSONParser {
    let data: [UInt8]
    var position = 0

    init(_ data: [UInt8]) { self.data = data }

    func error(_ reason: String) -> JSONParseError {
        JSONParseError(offset: position, reason: reason)
    }

    mutating func skipWhitespace() {
        while position < data.count {
            switch data[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int = 0) throws(JSONParseError) -> JSONValue {
        if depth > 512 { throw error("nesting deeper than 512") }
        skipWhitespace()
        guard position < data.count else { throw error("unexpected end of input") }
        switch data[position] {
        case UInt8(ascii: "{"):
            position += 1
            var pairs: [(key: [UInt8], value: JSONValue)] = []
            skipWhitespace()
            if position < data.count, data[position] == UInt8(ascii: "}") {
                position += 1
                return .object(pairs)
            }
            while true {
                skipWhitespace()
                guard position < data.count, data[position] == UInt8(ascii: "\"") else {
                    throw error("expected a string key")
                }
                let key = try parseString()
                skipWhitespace()
                guard position < data.count, data[position] == UInt8(ascii: ":") else {
                    throw error("expected ':'")
                }
                position += 1
                let value = try parseValue(depth: depth + 1)
                pairs.append((key, value))
                skipWhitespace()
                guard position < data.count else { throw error("unterminated object") }
                if data[position] == UInt8(ascii: ",") {
                    position += 1
                } else if data[position] == UInt8(ascii: "}") {
                    position += 1
                    return .object(pairs)
                } else {
                    throw error("expected ',' or '}'")
                }
            }
        case UInt8(ascii: "["):
            position += 1
            var items: [JSONValue] = []
            skipWhitespace()
            if position < data.count, data[position] == UInt8(ascii: "]") {
                position += 1
                return .array(items)
            }
            while true {
                items.append(try parseValue(depth: depth + 1))
                skipWhitespace()
                guard position < data.count else { throw error("unterminated array") }
                if data[position] == UInt8(ascii: ",") {
                    position += 1
                } else if data[position] == UInt8(ascii: "]") {
                    position += 1
                    return .array(items)
                } else {
                    throw error("expected ',' or ']'")
                }
            }
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        default:
            return .number(try parseNumber())
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard position + count <= data.count else { throw error("unexpected end of input") }
        let bytes = literal.utf8Start
        for i in 0..<count where data[position + i] != bytes[i] {
            throw error("invalid literal")
        }
        position += count
    }

    mutating func parseNumber() throws(JSONParseError) -> Double {
        let start = position
        numberScan: while position < data.count {
            switch data[position] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"),
                UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                position += 1
            default:
                break numberScan
            }
        }
        guard position > start,
            let value = Double(String(decoding: data[start..<position], as: UTF8.self))
        else {
            position = start
            throw error("invalid value")
        }
        return value
    }

    mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard position + 4 <= data.count else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = data[position]
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw error("invalid \\u escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    /// Parses a string starting at its opening quote; returns its UTF-8 bytes.
    mutating func parseString() throws(JSONParseError) -> [UInt8] {
        position += 1  // opening quote
        var out: [UInt8] = []
        // Fast path: copy runs without escapes.
        while true {
            var end = position
            while end < data.count, data[end] != UInt8(ascii: "\""), data[end] != UInt8(ascii: "\\")
            {
                end += 1
            }
            out.append(contentsOf: data[position..<end])
            position = end
            guard position < data.count else { throw error("unterminated string") }
            if data[position] == UInt8(ascii: "\"") {
                position += 1
                return out
            }
            // Escape.
            position += 1
            guard position < data.count else { throw error("unterminated escape") }
            let c = data[position]
            position += 1
            switch c {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var code = try parseHex4()
                if code >= 0xD800, code < 0xDC00, position + 6 <= data.count,
                    data[position] == UInt8(ascii: "\\"), data[position + 1] == UInt8(ascii: "u")
                {
                    let save = position
                    position += 2
                    let low = try parseHex4()
                    if low >= 0xDC00, low < 0xE000 {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        position = save
                    }
                }
                // A lone surrogate cannot be UTF-8; use U+FFFD as serde_json's lossy mode would.
                let scalar = Unicode.Scalar(code) ?? Unicode.Scalar(0xFFFD)!
                out.append(contentsOf: UTF8.encode(scalar)!)
            default:
                throw error("invalid escape")
            }
        }
    }
}
