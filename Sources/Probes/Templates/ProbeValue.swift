import Foundation

/// A dynamically typed value with Python's semantics: a field of a data row, a value read from
/// a task file, or the result of a template expression.
///
/// lm-evaluation-harness reads rows into Python objects and renders its templates with Jinja2,
/// so every conversion to text follows Python: `str(1) == "1"`, `str(0.5) == "0.5"`,
/// `str(True) == "True"`, `str(None) == "None"`, and a list renders as its `repr`
/// (`['a', 'b']`). Dictionaries keep their insertion order, as Python's do.
public enum ProbeValue: Sendable, Hashable {
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([ProbeValue])
    /// Key–value pairs in insertion order (Python `dict`).
    case dict([ProbeValueEntry])

    /// Python truthiness: `None`, `False`, `0`, `0.0`, `""`, `[]` and `{}` are false.
    public var isTruthy: Bool {
        switch self {
        case .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.isEmpty
        case .dict(let d): return !d.isEmpty
        }
    }

    /// The value as Jinja2 prints it inside `{{ … }}`: Python's `str()`.
    public var pythonString: String {
        switch self {
        case .string(let s): return s
        default: return pythonRepr
        }
    }

    /// Python's `repr()`: strings quoted as CPython quotes them, lists and dicts recursively.
    public var pythonRepr: String {
        switch self {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .double(let d): return ProbeValue.pythonFloatRepr(d)
        case .string(let s): return ProbeValue.pythonStringRepr(s)
        case .list(let items): return "[" + items.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .dict(let entries):
            return "{"
                + entries.map { ProbeValue.pythonStringRepr($0.key) + ": " + $0.value.pythonRepr }
                .joined(separator: ", ") + "}"
        }
    }

    /// Name of the Python type, for error messages (`str`, `int`, `list`, …).
    public var typeName: String {
        switch self {
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string: return "str"
        case .list: return "list"
        case .dict: return "dict"
        }
    }

    /// The value of `key` when this is a dictionary.
    public subscript(key: String) -> ProbeValue? {
        if case .dict(let entries) = self {
            return entries.first { $0.key == key }?.value
        }
        return nil
    }

    /// Python's `repr(float)`: the shortest round-tripping digits, `.0` on integral values,
    /// `inf`, `nan`, and exponent form (`1e-05`) outside [1e-4, 1e16).
    static func pythonFloatRepr(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        let magnitude = abs(d)
        if magnitude != 0 && (magnitude < 1e-4 || magnitude >= 1e16) {
            // Swift prints "1e-05" as "1e-05"; Python too. Normalise Swift's mantissa form.
            var text = "\(d)"
            if let e = text.firstIndex(of: "e") {
                var mantissa = String(text[..<e])
                var exponent = String(text[text.index(after: e)...])
                if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
                var sign = "+"
                if exponent.hasPrefix("-") {
                    sign = "-"
                    exponent.removeFirst()
                } else if exponent.hasPrefix("+") {
                    exponent.removeFirst()
                }
                if exponent.count < 2 { exponent = "0" + exponent }
                text = mantissa + "e" + sign + exponent
            }
            return text
        }
        let text = "\(d)"
        return text
    }

    /// Python's `repr(str)`: single quotes unless the text holds `'` and no `"`; `\\`, `\n`,
    /// `\r`, `\t` and other control characters escaped.
    static func pythonStringRepr(_ s: String) -> String {
        let quote: Character = (s.contains("'") && !s.contains("\"")) ? "\"" : "'"
        var out = String(quote)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(scalar) == quote {
                    out += "\\" + String(quote)
                } else if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\x%02x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append(quote)
        return out
    }
}

/// One key–value pair of a `ProbeValue.dict`.
public struct ProbeValueEntry: Sendable, Hashable {
    public var key: String
    public var value: ProbeValue

    public init(key: String, value: ProbeValue) {
        self.key = key
        self.value = value
    }
}

extension ProbeValue: Codable {
    /// Decodes JSON as Python's `json` module does: `true`/`false` → bool, integers → int,
    /// other numbers → float, `null` → None, objects keep their key order where the decoder
    /// allows (keys are sorted otherwise; templates never depend on object key order).
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .none
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? container.decode(Int.self) {
            self = .int(i)
        } else if let d = try? container.decode(Double.self) {
            self = .double(d)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let l = try? container.decode([ProbeValue].self) {
            self = .list(l)
        } else {
            let d = try container.decode([String: ProbeValue].self)
            self = .dict(d.keys.sorted().map { ProbeValueEntry(key: $0, value: d[$0]!) })
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .none: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .int(let i): try container.encode(i)
        case .double(let d): try container.encode(d)
        case .string(let s): try container.encode(s)
        case .list(let l): try container.encode(l)
        case .dict(let entries):
            var map: [String: ProbeValue] = [:]
            for entry in entries { map[entry.key] = entry.value }
            try container.encode(map)
        }
    }
}
