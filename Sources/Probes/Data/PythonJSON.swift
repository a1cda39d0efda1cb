import Foundation

/// A JSON parser that gives the values Python's `json.loads` gives: a number with a fraction or
/// exponent is a `float` (`1.0`, `1e2`), otherwise an `int`; objects keep their key order
/// (Python dicts do); `true`/`false`/`null` are `True`/`False`/`None`. Foundation's decoders
/// turn `1.0` into an integer, which would print as `1` instead of Python's `1.0`.
struct PythonJSON {
    private let bytes: [UInt8]
    private var i = 0

    /// Parses one JSON value filling the whole input (surrounding whitespace allowed).
    /// - Returns: nil when the text is not valid JSON.
    static func parse<C: Collection>(_ data: C) -> ProbeValue? where C.Element == UInt8 {
        var parser = PythonJSON(bytes: Array(data))
        guard let value = parser.value() else { return nil }
        parser.skipSpace()
        return parser.i == parser.bytes.count ? value : nil
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func skipSpace() {
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
    }

    private mutating func literal(_ word: String, _ value: ProbeValue) -> ProbeValue? {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else { return nil }
        i += w.count
        return value
    }

    private mutating func value() -> ProbeValue? {
        skipSpace()
        guard i < bytes.count else { return nil }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var entries: [ProbeValueEntry] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
                i += 1
                return .dict(entries)
            }
            while true {
                skipSpace()
                guard let key = string() else { return nil }
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
                i += 1
                guard let v = value() else { return nil }
                if let existing = entries.firstIndex(where: { $0.key == key }) {
                    entries[existing].value = v  // Python keeps the last duplicate
                } else {
                    entries.append(ProbeValueEntry(key: key, value: v))
                }
                skipSpace()
                guard i < bytes.count else { return nil }
                if bytes[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                guard bytes[i] == UInt8(ascii: "}") else { return nil }
                i += 1
                return .dict(entries)
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [ProbeValue] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
                i += 1
                return .list(items)
            }
            while true {
                guard let v = value() else { return nil }
                items.append(v)
                skipSpace()
                guard i < bytes.count else { return nil }
                if bytes[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                guard bytes[i] == UInt8(ascii: "]") else { return nil }
                i += 1
                return .list(items)
            }
        case UInt8(ascii: "\""):
            return string().map { .string($0) }
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "n"): return literal("null", .none)
        case UInt8(ascii: "N"): return literal("NaN", .double(.nan))
        case UInt8(ascii: "I"): return literal("Infinity", .double(.infinity))
        default:
            return number()
        }
    }

    private mutating func number() -> ProbeValue? {
        let start = i
        var isFloat = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") {
            i += 1
            if literal("Infinity", .none) != nil { return .double(-.infinity) }
        }
        while i < bytes.count {
            let c = bytes[i]
            if c >= 0x30 && c <= 0x39 {
                i += 1
            } else if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
                || ((c == UInt8(ascii: "+") || c == UInt8(ascii: "-")) && isFloat)
            {
                isFloat = true
                i += 1
            } else {
                break
            }
        }
        guard i > start, let text = String(bytes: bytes[start..<i], encoding: .ascii) else {
            return nil
        }
        if !isFloat, let n = Int(text) { return .int(n) }
        return Double(text).map { .double($0) }
    }

    private mutating func string() -> String? {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
        i += 1
        var out: [UInt8] = []
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if c == UInt8(ascii: "\\") {
                guard i + 1 < bytes.count else { return nil }
                let e = bytes[i + 1]
                i += 2
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "\""): out.append(e)
                case UInt8(ascii: "u"):
                    guard var code = hex4() else { return nil }
                    if (0xD800..<0xDC00).contains(code), i + 1 < bytes.count,
                        bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u")
                    {
                        let save = i
                        i += 2
                        if let low = hex4(), (0xDC00..<0xE000).contains(low) {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            i = save
                        }
                    }
                    // Lone surrogates cannot be Swift strings; U+FFFD stands in for them.
                    let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: return nil
                }
                continue
            }
            out.append(c)
            i += 1
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard i + 4 <= bytes.count,
            let text = String(bytes: bytes[i..<(i + 4)], encoding: .ascii),
            let v = UInt32(text, radix: 16)
        else { return nil }
        i += 4
        return v
    }
}
