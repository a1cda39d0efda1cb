import Foundation

/// The filters, tests, Python methods and operators of the supported Jinja subset.
///
/// Filters (Jinja2 built-ins, same semantics): `trim`, `lower`, `upper`, `capitalize`,
/// `title`, `replace(old, new[, count])`, `join([sep])`, `first`, `last`, `length`/`count`,
/// `int([default])`, `float([default])`, `string`, `list`, `reverse`,
/// `sort(reverse=false, case_sensitive=false, attribute=none)`,
/// `unique(case_sensitive=false, attribute=none)`, `sum`, `min`/`max(case_sensitive=false,
/// attribute=none)` (strings compared case-folded unless `case_sensitive`, as Jinja2),
/// `abs`, `round([precision])`, `wordcount`, `default(value[, boolean])`,
/// `map(attribute=name)` / `map(filter)`, and
/// lm-eval's own `regex_replace(pattern, replacement[, count])`.
/// Methods: `str.strip/lstrip/rstrip/lower/upper/capitalize/title/split/replace/startswith/
/// endswith/join/count/find/index/isdigit`, `list.index/count`, `dict.get/keys/values/items`.
enum JinjaFunctions {
    static let filterNames: [String] = [
        "trim", "lower", "upper", "capitalize", "title", "replace", "join", "first", "last",
        "length", "count", "int", "float", "string", "list", "reverse", "sort", "unique", "sum",
        "min", "max", "abs", "round", "wordcount", "default", "d", "regex_replace", "map",
    ]

    static func string(_ v: ProbeValue, _ what: String) throws(JinjaError) -> String {
        guard case .string(let s) = v else {
            throw .type("\(what) expects a string, got \(v.typeName)")
        }
        return s
    }

    static func sequence(_ v: ProbeValue, _ what: String) throws(JinjaError) -> [ProbeValue] {
        switch v {
        case .list(let l): return l
        case .string(let s): return s.unicodeScalars.map { .string(String($0)) }
        case .dict(let d): return d.map { .string($0.key) }
        default: throw .type("\(what) expects a sequence, got \(v.typeName)")
        }
    }

    static func number(_ v: ProbeValue) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    /// Applies filter `name` to `value` with its positional arguments `args` (keyword
    /// arguments already put in their positions by `arguments(_:_:)`).
    static func applyFilter(_ name: String, _ value: ProbeValue, _ args: [ProbeValue])
        throws(JinjaError) -> ProbeValue
    {
        switch name {
        case "trim":
            let chars = try args.first.map { v throws(JinjaError) in try string(v, "trim") }
            return .string(PythonStrings.strip(value.pythonString, chars))
        case "lower": return .string(value.pythonString.lowercased())
        case "upper": return .string(value.pythonString.uppercased())
        case "capitalize": return .string(capitalize(value.pythonString))
        case "title": return .string(jinjaTitle(value.pythonString))
        case "replace":
            guard args.count >= 2 else { throw .type("replace needs two arguments") }
            var count = -1
            if args.count > 2, case .int(let c) = args[2] { count = c }
            return .string(
                PythonStrings.replace(
                    value.pythonString, args[0].pythonString, args[1].pythonString, count: count))
        case "join":
            let sep = args.first?.pythonString ?? ""
            return .string(try sequence(value, "join").map(\.pythonString).joined(separator: sep))
        case "first":
            return try sequence(value, "first").first ?? .none
        case "last":
            return try sequence(value, "last").last ?? .none
        case "length", "count":
            return .int(try sequence(value, name).count)
        case "int":
            let fallback = args.first ?? .int(0)
            switch value {
            case .int: return value
            case .bool(let b): return .int(b ? 1 : 0)
            case .double(let d): return d.isFinite ? .int(Int(d.rounded(.towardZero))) : fallback
            case .string(let s):
                let t = PythonStrings.strip(s)
                if let i = Int(t) { return .int(i) }
                if let d = Double(t), d.isFinite { return .int(Int(d.rounded(.towardZero))) }
                return fallback
            default: return fallback
            }
        case "float":
            let fallback = args.first ?? .double(0)
            if let d = number(value) { return .double(d) }
            if case .string(let s) = value, let d = Double(PythonStrings.strip(s)) {
                return .double(d)
            }
            return fallback
        case "string": return .string(value.pythonString)
        case "list": return .list(try sequence(value, "list"))
        case "reverse":
            if case .string(let s) = value {
                return .string(String(s.unicodeScalars.reversed().map(Character.init)))
            }
            return .list(try sequence(value, "reverse").reversed())
        case "sort":
            // Jinja2: sort(reverse=False, case_sensitive=False, attribute=None), stable.
            let reverse = args.first?.isTruthy ?? false
            let keys = try sortKeys(value, "sort", args.dropFirst())
            var failure: JinjaError?
            let order = keys.indices.sorted { i, j in
                do throws(JinjaError) {
                    let (a, b) = reverse ? (keys[j].key, keys[i].key) : (keys[i].key, keys[j].key)
                    if try lessThan(a, b) { return true }
                    if try lessThan(b, a) { return false }
                } catch {
                    failure = failure ?? error
                }
                return i < j
            }
            if let failure { throw failure }
            return .list(order.map { keys[$0].item })
        case "unique":
            // Jinja2: unique(case_sensitive=False, attribute=None), first occurrences in order.
            var seen: [ProbeValue] = []
            var out: [ProbeValue] = []
            for (key, item) in try sortKeys(value, "unique", args[...]) where !seen.contains(key) {
                seen.append(key)
                out.append(item)
            }
            return .list(out)
        case "sum":
            var total: ProbeValue = .int(0)
            for v in try sequence(value, "sum") { total = try binary("+", total, v) }
            return total
        case "min", "max":
            // Jinja2: min/max(case_sensitive=False, attribute=None); the first of equal extremes,
            // as Python's min and max.
            let keys = try sortKeys(value, name, args[...])
            guard var best = keys.first else { return .none }
            for candidate in keys.dropFirst() {
                let better =
                    name == "min"
                    ? try lessThan(candidate.key, best.key) : try lessThan(best.key, candidate.key)
                if better { best = candidate }
            }
            return best.item
        case "abs":
            switch value {
            case .int(let i): return .int(abs(i))
            case .double(let d): return .double(abs(d))
            default: throw .type("abs expects a number, got \(value.typeName)")
            }
        case "round":
            // Jinja2: round(precision=0, method='common'); 'common' is Python's round (halves to
            // even, on the exact binary value), 'ceil' and 'floor' scale by 10^precision.
            guard let d = number(value) else { throw .type("round expects a number") }
            var precision = 0
            if case .int(let p) = args.first { precision = p }
            let method = args.count > 1 ? args[1].pythonString : "common"
            let scale = pow(10.0, Double(precision))
            switch method {
            case "common":
                if case .int = value { return value }
                if precision == 0 { return .double(d.rounded(.toNearestOrEven)) }
                // printf rounds the exact binary value to nearest, ties to even, as CPython.
                return .double(Double(String(format: "%.*f", max(0, precision), d)) ?? d)
            case "ceil": return .double((d * scale).rounded(.up) / scale)
            case "floor": return .double((d * scale).rounded(.down) / scale)
            default:
                throw .type("round: method must be 'common', 'ceil' or 'floor', got '\(method)'")
            }
        case "wordcount":
            return .int(PythonStrings.splitOnWhitespace(value.pythonString).count)
        case "regex_replace":
            guard args.count >= 2 else {
                throw .type("regex_replace needs a pattern and a replacement")
            }
            // Python's named groups (?P<n>…) are ICU's (?<n>…); its \1, \g<1> and \g<n>
            // back-references are $1 and ${n}.
            let pattern = args[0].pythonString.replacingOccurrences(of: "(?P<", with: "(?<")
            var replacement = args[1].pythonString
            for (name, index) in captureGroupNumbers(pattern) {
                replacement = replacement.replacingOccurrences(
                    of: "\\g<\(name)>", with: "\\\(index)")
            }
            replacement = replacement.replacingOccurrences(
                of: #"\\g<(\d+)>"#, with: "\\$$1", options: .regularExpression)
            replacement = replacement.replacingOccurrences(
                of: #"\\(\d)"#, with: "\\$$1", options: .regularExpression)
            guard let regex = try? NSRegularExpression(pattern: pattern) else {
                throw .type(
                    "regex_replace: invalid pattern \(ProbeValue.pythonStringRepr(pattern))")
            }
            let text = value.pythonString
            var count = 0
            if args.count > 2, case .int(let c) = args[2] { count = c }
            if count <= 0 {
                return .string(
                    regex.stringByReplacingMatches(
                        in: text, range: NSRange(text.startIndex..., in: text),
                        withTemplate: replacement))
            }
            // re.sub(count=n): the first n matches of the original text, left to right.
            let matches = regex.matches(in: text, range: NSRange(text.startIndex..., in: text))
            let result = NSMutableString(string: text)
            for match in matches.prefix(count).reversed() {
                let piece = regex.replacementString(
                    for: match, in: text, offset: 0, template: replacement)
                result.replaceCharacters(in: match.range, with: piece)
            }
            return .string(result as String)
        default:
            throw .syntax(
                "unknown filter '\(name)' (supported: \(filterNames.joined(separator: ", ")))")
        }
    }

    static func applyTest(_ name: String, _ value: ProbeValue) throws(JinjaError) -> Bool {
        switch name {
        case "none": return value == .none
        case "string": if case .string = value { return true } else { return false }
        case "number":
            switch value {
            case .int, .double: return true
            default: return false
            }
        case "integer": if case .int = value { return true } else { return false }
        case "float": if case .double = value { return true } else { return false }
        case "boolean": if case .bool = value { return true } else { return false }
        case "sequence", "iterable":
            switch value {
            case .list, .string, .dict: return true
            default: return false
            }
        case "mapping": if case .dict = value { return true } else { return false }
        case "true": return value == .bool(true)
        case "false": return value == .bool(false)
        case "even", "odd":
            guard case .int(let i) = value else { throw .type("\(name) expects an integer") }
            return (i % 2 == 0) == (name == "even")
        default: throw .syntax("unknown test '\(name)'")
        }
    }

    static func capitalize(_ s: String) -> String {
        guard let first = s.first else { return s }
        return String(first).uppercased() + s.dropFirst().lowercased()
    }

    /// Jinja2's `title` filter: each run of characters between `-`, whitespace, `(`, `{`, `[`
    /// and `<` gets its first character upper-cased and the rest lower-cased (unlike Python's
    /// `str.title`, an apostrophe does not start a word).
    static func jinjaTitle(_ s: String) -> String {
        func isBoundary(_ c: Character) -> Bool {
            c == "-" || c == "(" || c == "{" || c == "[" || c == "<"
                || c.unicodeScalars.allSatisfy(PythonStrings.isSpace)
        }
        var out = ""
        var atStart = true
        for c in s {
            if isBoundary(c) {
                out.append(c)
                atStart = true
            } else {
                out += atStart ? c.uppercased() : c.lowercased()
                atStart = false
            }
        }
        return out
    }

    /// The number of each named group `(?<name>…)` of a regular expression, counting capturing
    /// groups by their opening parenthesis (escaped parentheses, non-capturing groups and
    /// look-arounds excluded; parentheses in character classes are not told apart).
    static func captureGroupNumbers(_ pattern: String) -> [(String, Int)] {
        let scalars = Array(pattern.unicodeScalars)
        var numbers: [(String, Int)] = []
        var count = 0
        var i = 0
        while i < scalars.count {
            if scalars[i] == "\\" {
                i += 2
                continue
            }
            if scalars[i] == "(" {
                let next = i + 1 < scalars.count ? scalars[i + 1] : " "
                if next != "?" {
                    count += 1
                } else if i + 3 < scalars.count, scalars[i + 2] == "<",
                    scalars[i + 3] != "=", scalars[i + 3] != "!"
                {
                    count += 1
                    var name = ""
                    var j = i + 3
                    while j < scalars.count, scalars[j] != ">" {
                        name.unicodeScalars.append(scalars[j])
                        j += 1
                    }
                    numbers.append((name, count))
                }
            }
            i += 1
        }
        return numbers
    }

    /// Python's `str.title`.
    static func title(_ s: String) -> String {
        var out = ""
        var previousIsLetter = false
        for c in s {
            out += previousIsLetter ? c.lowercased() : c.uppercased()
            previousIsLetter = c.isLetter
        }
        return out
    }

    static func callMethod(_ receiver: ProbeValue, _ name: String, _ args: [ProbeValue])
        throws(JinjaError) -> ProbeValue
    {
        switch receiver {
        case .string(let s):
            func stringArg(_ i: Int) throws(JinjaError) -> String? {
                guard i < args.count else { return nil }
                if args[i] == .none { return nil }
                return try string(args[i], "str.\(name)")
            }
            switch name {
            case "strip": return .string(PythonStrings.strip(s, try stringArg(0)))
            case "lstrip": return .string(PythonStrings.strip(s, try stringArg(0), trailing: false))
            case "rstrip": return .string(PythonStrings.strip(s, try stringArg(0), leading: false))
            case "lower": return .string(s.lowercased())
            case "upper": return .string(s.uppercased())
            case "capitalize": return .string(capitalize(s))
            case "title": return .string(title(s))
            case "isdigit":
                return .bool(
                    !s.isEmpty
                        && s.unicodeScalars.allSatisfy {
                            $0.properties.numericType == .decimal
                                || $0.properties.numericType == .digit
                        })
            case "split":
                var maxSplit = -1
                if args.count > 1, case .int(let m) = args[1] { maxSplit = m }
                if let sep = try stringArg(0) {
                    guard !sep.isEmpty else { throw .type("empty separator") }
                    return .list(
                        PythonStrings.split(s, separator: sep, maxSplit: maxSplit).map {
                            .string($0)
                        })
                }
                return .list(
                    PythonStrings.splitOnWhitespace(s, maxSplit: maxSplit).map { .string($0) })
            case "replace":
                guard args.count >= 2 else { throw .type("str.replace needs two arguments") }
                var count = -1
                if args.count > 2, case .int(let c) = args[2] { count = c }
                return .string(
                    PythonStrings.replace(
                        s, try string(args[0], "str.replace"), try string(args[1], "str.replace"),
                        count: count))
            case "startswith", "endswith":
                guard let arg = try stringArg(0) else {
                    throw .type("str.\(name) needs an argument")
                }
                let a = Array(s.unicodeScalars)
                let b = Array(arg.unicodeScalars)
                guard b.count <= a.count else { return .bool(false) }
                return .bool(
                    name == "startswith"
                        ? Array(a.prefix(b.count)) == b : Array(a.suffix(b.count)) == b)
            case "join":
                guard let items = args.first else { throw .type("str.join needs an argument") }
                var parts: [String] = []
                for item in try sequence(items, "str.join") {
                    parts.append(try string(item, "str.join"))
                }
                return .string(parts.joined(separator: s))
            case "count":
                guard let sub = try stringArg(0), !sub.isEmpty else {
                    throw .type("str.count needs a substring")
                }
                return .int(PythonStrings.split(s, separator: sub).count - 1)
            case "find", "index":
                guard let sub = try stringArg(0) else {
                    throw .type("str.\(name) needs a substring")
                }
                let first = PythonStrings.split(s, separator: sub, maxSplit: 1)
                if first.count == 2 { return .int(first[0].unicodeScalars.count) }
                if name == "find" { return .int(-1) }
                throw .type("substring not found")
            default: break
            }
        case .list(let items):
            switch name {
            case "index":
                guard let target = args.first else { throw .type("list.index needs an argument") }
                guard let i = items.firstIndex(where: { equals($0, target) }) else {
                    throw .type("\(target.pythonRepr) is not in list")
                }
                return .int(i)
            case "count":
                guard let target = args.first else { throw .type("list.count needs an argument") }
                return .int(items.filter { equals($0, target) }.count)
            default: break
            }
        case .dict(let entries):
            switch name {
            case "get":
                guard let key = args.first else { throw .type("dict.get needs a key") }
                return receiver[key.pythonString] ?? (args.count > 1 ? args[1] : .none)
            case "keys": return .list(entries.map { .string($0.key) })
            case "values": return .list(entries.map(\.value))
            case "items": return .list(entries.map { .list([.string($0.key), $0.value]) })
            default: break
            }
        default: break
        }
        throw .type("'\(receiver.typeName)' object has no supported method '\(name)'")
    }

    /// Python `==`: numbers compare by value across int, float and bool.
    static func equals(_ a: ProbeValue, _ b: ProbeValue) -> Bool {
        if let x = number(a), let y = number(b) { return x == y }
        switch (a, b) {
        case (.list(let l), .list(let r)):
            return l.count == r.count && zip(l, r).allSatisfy { equals($0, $1) }
        case (.string(let l), .string(let r)):
            return Array(l.unicodeScalars) == Array(r.unicodeScalars)
        default:
            return a == b
        }
    }

    /// Each item of `value` with the key Jinja2's `sort`, `unique`, `min` and `max` compare:
    /// the item (or its `attribute`), lowercased when it is a string and `case_sensitive` (the
    /// first of `options`, then `attribute`) is false, Jinja2's default.
    static func sortKeys(_ value: ProbeValue, _ what: String, _ options: ArraySlice<ProbeValue>)
        throws(JinjaError) -> [(key: ProbeValue, item: ProbeValue)]
    {
        let caseSensitive = options.first?.isTruthy ?? false
        let attribute = options.dropFirst().first
        var keys: [(key: ProbeValue, item: ProbeValue)] = []
        for item in try sequence(value, what) {
            var key = item
            if let attribute, attribute != .none {
                guard case .dict(let fields) = item,
                    let field = fields.first(where: { $0.key == attribute.pythonString })?.value
                else {
                    throw .type("\(what): an item has no attribute '\(attribute.pythonString)'")
                }
                key = field
            }
            if !caseSensitive, case .string(let text) = key { key = .string(text.lowercased()) }
            keys.append((key, item))
        }
        return keys
    }

    static func lessThan(_ a: ProbeValue, _ b: ProbeValue) throws(JinjaError) -> Bool {
        if let x = number(a), let y = number(b) { return x < y }
        switch (a, b) {
        case (.string(let l), .string(let r)):
            return Array(l.unicodeScalars).lexicographicallyPrecedes(Array(r.unicodeScalars)) {
                $0.value < $1.value
            }
        case (.list(let l), .list(let r)):
            for (x, y) in zip(l, r) where !equals(x, y) { return try lessThan(x, y) }
            return l.count < r.count
        default:
            throw .type("'<' not supported between '\(a.typeName)' and '\(b.typeName)'")
        }
    }

    static func binary(_ op: String, _ l: ProbeValue, _ r: ProbeValue) throws(JinjaError)
        -> ProbeValue
    {
        switch op {
        case "==": return .bool(equals(l, r))
        case "!=": return .bool(!equals(l, r))
        case "<": return .bool(try lessThan(l, r))
        case ">": return .bool(try lessThan(r, l))
        case "<=": return .bool(try !lessThan(r, l))
        case ">=": return .bool(try !lessThan(l, r))
        case "in", "not in":
            let found: Bool
            switch r {
            case .string(let s):
                let needle = try string(l, "'in <string>'")
                found =
                    needle.isEmpty
                    || PythonStrings.split(s, separator: needle, maxSplit: 1).count == 2
            case .list(let items): found = items.contains { equals($0, l) }
            case .dict: found = r[l.pythonString] != nil
            default: throw .type("argument of type '\(r.typeName)' is not iterable")
            }
            return .bool(op == "in" ? found : !found)
        case "~": return .string(l.pythonString + r.pythonString)
        default: break
        }
        // Arithmetic.
        switch (op, l, r) {
        case ("+", .string(let a), .string(let b)): return .string(a + b)
        case ("+", .list(let a), .list(let b)): return .list(a + b)
        case ("*", .string(let a), .int(let n)), ("*", .int(let n), .string(let a)):
            return .string(String(repeating: a, count: max(n, 0)))
        case ("*", .list(let a), .int(let n)):
            return .list(Array([[ProbeValue]](repeating: a, count: max(n, 0)).joined()))
        default: break
        }
        func isInt(_ v: ProbeValue) -> Int? {
            switch v {
            case .int(let i): return i
            case .bool(let b): return b ? 1 : 0
            default: return nil
            }
        }
        if let a = isInt(l), let b = isInt(r) {
            switch op {
            case "+": return .int(a + b)
            case "-": return .int(a - b)
            case "*": return .int(a * b)
            case "/":
                guard b != 0 else { throw .type("division by zero") }
                return .double(Double(a) / Double(b))
            case "//":
                guard b != 0 else { throw .type("integer division by zero") }
                return .int(Int((Double(a) / Double(b)).rounded(.down)))
            case "%":
                guard b != 0 else { throw .type("modulo by zero") }
                let m = a % b
                return .int(m != 0 && (m < 0) != (b < 0) ? m + b : m)
            case "**":
                return b >= 0
                    ? .int(Int(pow(Double(a), Double(b)))) : .double(pow(Double(a), Double(b)))
            default: break
            }
        }
        if let a = number(l), let b = number(r) {
            switch op {
            case "+": return .double(a + b)
            case "-": return .double(a - b)
            case "*": return .double(a * b)
            case "/":
                guard b != 0 else { throw .type("division by zero") }
                return .double(a / b)
            case "//": return .double((a / b).rounded(.down))
            case "%": return .double(a - b * (a / b).rounded(.down))
            case "**": return .double(pow(a, b))
            default: break
            }
        }
        throw .type("unsupported operand types for \(op): '\(l.typeName)' and '\(r.typeName)'")
    }
}
