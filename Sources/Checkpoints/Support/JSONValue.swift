import Foundation

/// A JSON value with a deterministic text form, for the files this module writes (safetensors
/// headers, `adapter_config.json`, `model.safetensors.index.json`).
///
/// `compactText` matches `serde_json::to_string` (no spaces, insertion order): the safetensors
/// Rust library's header form. `prettyText` matches Python's
/// `json.dumps(value, indent=2, sort_keys=True)` (ASCII-only, `", "`-free item separators of
/// `indent` mode): the form peft and transformers write.
indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    /// Members in insertion order (sorted on output only by `prettyText`).
    case object([(String, JSONValue)])

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// Converts what `JSONSerialization` returns (booleans told apart from numbers by
    /// `objCType`); object members are sorted by key. `nil` for anything that is not JSON.
    init?(foundationObject value: Any) {
        switch value {
        case is NSNull: self = .null
        case let string as String: self = .string(string)
        case let number as NSNumber:
            let kind = String(cString: number.objCType)
            if kind == "c" {
                self = .bool(number.boolValue)
            } else if kind == "d" || kind == "f" {
                self = .double(number.doubleValue)
            } else if let int = value as? Int {
                self = .int(int)
            } else {
                self = .double(number.doubleValue)
            }
        case let array as [Any]:
            var items: [JSONValue] = []
            for item in array {
                guard let converted = JSONValue(foundationObject: item) else { return nil }
                items.append(converted)
            }
            self = .array(items)
        case let object as [String: Any]:
            var members: [(String, JSONValue)] = []
            for key in object.keys.sorted() {
                guard let converted = JSONValue(foundationObject: object[key]!) else { return nil }
                members.append((key, converted))
            }
            self = .object(members)
        default: return nil
        }
    }

    /// The compact form, e.g. `{"a":[1,2],"b":"x"}`; non-ASCII characters kept as UTF-8.
    var compactText: String {
        var out = ""
        writeCompact(into: &out)
        return out
    }

    /// Python's `json.dumps(self, indent=2, sort_keys=True)`, followed by no newline.
    var prettyText: String {
        var out = ""
        writePretty(into: &out, level: 0)
        return out
    }

    private func writeCompact(into out: inout String) {
        switch self {
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.writeCompact(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += "," }
                out += JSONValue.quoted(key, asciiOnly: false) + ":"
                value.writeCompact(into: &out)
            }
            out += "}"
        default:
            out += scalarText(asciiOnly: false)
        }
    }

    private func writePretty(into out: inout String, level: Int) {
        let indent = String(repeating: " ", count: 2 * (level + 1))
        let closing = String(repeating: " ", count: 2 * level)
        switch self {
        case .array(let items):
            if items.isEmpty {
                out += "[]"
                return
            }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += indent
                item.writePretty(into: &out, level: level + 1)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += closing + "]"
        case .object(let members):
            if members.isEmpty {
                out += "{}"
                return
            }
            out += "{\n"
            let sorted = members.sorted { $0.0 < $1.0 }
            for (i, (key, value)) in sorted.enumerated() {
                out += indent + JSONValue.quoted(key, asciiOnly: true) + ": "
                value.writePretty(into: &out, level: level + 1)
                out += i + 1 < sorted.count ? ",\n" : "\n"
            }
            out += closing + "}"
        default:
            out += scalarText(asciiOnly: true)
        }
    }

    private func scalarText(asciiOnly: Bool) -> String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .double(let value):
            // Python's repr: shortest round-trip digits, always with a '.' or an exponent.
            if value.isNaN { return "NaN" }
            if value.isInfinite { return value > 0 ? "Infinity" : "-Infinity" }
            return "\(value)"
        case .string(let value): return JSONValue.quoted(value, asciiOnly: asciiOnly)
        default: return ""
        }
    }

    /// A JSON string literal; with `asciiOnly`, non-ASCII as `\uXXXX` (UTF-16), as Python does.
    static func quoted(_ string: String, asciiOnly: Bool) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || (asciiOnly && scalar.value > 0x7E) {
                    for unit in String(scalar).utf16 {
                        let hex = String(unit, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
