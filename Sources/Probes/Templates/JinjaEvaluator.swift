import Foundation

/// Evaluates parsed templates against a row, with Python value semantics and Jinja2's
/// `StrictUndefined` (any use of a missing name or attribute is an error, except the
/// `defined`/`undefined` tests and the `default` filter).
struct JinjaEvaluator {
    var scopes: [[String: ProbeValue]]

    init(variables: [String: ProbeValue]) { scopes = [variables] }

    func lookup(_ name: String) throws(JinjaError) -> ProbeValue {
        for scope in scopes.reversed() {
            if let v = scope[name] { return v }
        }
        throw .undefined(name)
    }

    mutating func render(_ nodes: [JinjaNode], into out: inout String) throws(JinjaError) {
        for node in nodes {
            switch node {
            case .text(let t):
                out += t
            case .output(let e):
                out += try evaluate(e).pythonString
            case .ifBlock(let branches, let otherwise):
                var taken = false
                for (condition, body) in branches where try evaluate(condition).isTruthy {
                    try render(body, into: &out)
                    taken = true
                    break
                }
                if !taken { try render(otherwise, into: &out) }
            case .forBlock(let variables, let iterable, let body, let otherwise):
                let items = try iterate(try evaluate(iterable))
                if items.isEmpty {
                    try render(otherwise, into: &out)
                    continue
                }
                for (index, item) in items.enumerated() {
                    var scope: [String: ProbeValue] = [:]
                    if variables.count == 1 {
                        scope[variables[0]] = item
                    } else {
                        guard case .list(let parts) = item, parts.count == variables.count else {
                            throw .type(
                                "cannot unpack \(item.typeName) into \(variables.count) names")
                        }
                        for (v, p) in zip(variables, parts) { scope[v] = p }
                    }
                    scope["loop"] = .dict([
                        ProbeValueEntry(key: "index", value: .int(index + 1)),
                        ProbeValueEntry(key: "index0", value: .int(index)),
                        ProbeValueEntry(key: "first", value: .bool(index == 0)),
                        ProbeValueEntry(key: "last", value: .bool(index == items.count - 1)),
                        ProbeValueEntry(key: "length", value: .int(items.count)),
                        ProbeValueEntry(key: "revindex", value: .int(items.count - index)),
                        ProbeValueEntry(key: "revindex0", value: .int(items.count - index - 1)),
                    ])
                    scopes.append(scope)
                    defer { scopes.removeLast() }
                    try render(body, into: &out)
                }
            case .set(let name, let e):
                let value = try evaluate(e)
                scopes[scopes.count - 1][name] = value
            }
        }
    }

    func iterate(_ value: ProbeValue) throws(JinjaError) -> [ProbeValue] {
        switch value {
        case .list(let l): return l
        case .string(let s): return s.unicodeScalars.map { .string(String($0)) }
        case .dict(let d): return d.map { .string($0.key) }
        default: throw .type("'\(value.typeName)' object is not iterable")
        }
    }

    func evaluate(_ expression: JinjaExpression) throws(JinjaError) -> ProbeValue {
        switch expression {
        case .literal(let v): return v
        case .keyword(_, let e): return try evaluate(e)
        case .name(let n): return try lookup(n)
        case .list(let items):
            var values: [ProbeValue] = []
            for item in items { values.append(try evaluate(item)) }
            return .list(values)
        case .dict(let pairs):
            var entries: [ProbeValueEntry] = []
            for (k, v) in pairs {
                entries.append(
                    ProbeValueEntry(key: try evaluate(k).pythonString, value: try evaluate(v)))
            }
            return .dict(entries)
        case .subscriptOf(let base, let index):
            return try Self.subscriptValue(
                try evaluate(base), try evaluate(index), expression: base)
        case .slice(let base, let start, let stop, let step):
            let value = try evaluate(base)
            let startValue = try start.map { e throws(JinjaError) in try evaluate(e) }
            let stopValue = try stop.map { e throws(JinjaError) in try evaluate(e) }
            let stepValue = try step.map { e throws(JinjaError) in try evaluate(e) }
            return try Self.sliceValue(value, startValue, stopValue, stepValue)
        case .methodCall(.name("range"), "__call__", let args):
            // Jinja2's global range(stop) / range(start, stop[, step]).
            var bounds: [Int] = []
            for a in args {
                guard case .int(let i) = try evaluate(a) else {
                    throw .type("range expects integers")
                }
                bounds.append(i)
            }
            guard (1...3).contains(bounds.count) else {
                throw .type("range expects 1 to 3 arguments, got \(bounds.count)")
            }
            let start = bounds.count == 1 ? 0 : bounds[0]
            let stop = bounds.count == 1 ? bounds[0] : bounds[1]
            let step = bounds.count == 3 ? bounds[2] : 1
            guard step != 0 else { throw .type("range step must not be zero") }
            guard (stop - start) / step <= 100_000 else { throw .type("range is too long") }
            return .list(stride(from: start, to: stop, by: step).map { .int($0) })
        case .methodCall(let base, let name, let args):
            let receiver = try evaluate(base)
            var values: [ProbeValue] = []
            for a in args { values.append(try evaluate(a)) }
            return try JinjaFunctions.callMethod(receiver, name, values)
        case .filter(let base, let name, let args):
            var values: [ProbeValue] = []
            for a in args { values.append(try evaluate(a)) }
            if name == "map" {
                // map(attribute='x') takes a field of each item; map('filter') applies a filter.
                let items = try iterate(try evaluate(base))
                if case .keyword("attribute", _)? = args.first, let key = values.first {
                    var out: [ProbeValue] = []
                    for item in items {
                        out.append(try Self.subscriptValue(item, key, expression: base))
                    }
                    return .list(out)
                }
                guard let filterName = values.first else {
                    throw .type("map needs a filter or attribute=")
                }
                var out: [ProbeValue] = []
                for item in items {
                    out.append(
                        try JinjaFunctions.applyFilter(
                            filterName.pythonString, item, Array(values.dropFirst())))
                }
                return .list(out)
            }
            if name == "default" || name == "d" {
                do {
                    let v = try evaluate(base)
                    if values.count > 1, values[1].isTruthy, !v.isTruthy { return values[0] }
                    return v
                } catch .undefined {
                    return values.first ?? .string("")
                }
            }
            return try JinjaFunctions.applyFilter(
                name, try evaluate(base), Self.positional(name, args, values))
        case .test(let base, let name, let negated):
            let result: Bool
            switch name {
            case "defined", "undefined":
                var defined = true
                do { _ = try evaluate(base) } catch .undefined { defined = false }
                result = name == "defined" ? defined : !defined
            default:
                result = try JinjaFunctions.applyTest(name, try evaluate(base))
            }
            return .bool(negated ? !result : result)
        case .unary(let op, let operand):
            let v = try evaluate(operand)
            switch op {
            case "not": return .bool(!v.isTruthy)
            case "-":
                switch v {
                case .int(let i): return .int(-i)
                case .double(let d): return .double(-d)
                case .bool(let b): return .int(b ? -1 : 0)
                default: throw .type("bad operand type for unary -: '\(v.typeName)'")
                }
            default: return v
            }
        case .binary(let op, let l, let r):
            if op == "and" {
                let left = try evaluate(l)
                return left.isTruthy ? try evaluate(r) : left
            }
            if op == "or" {
                let left = try evaluate(l)
                return left.isTruthy ? left : try evaluate(r)
            }
            return try JinjaFunctions.binary(op, try evaluate(l), try evaluate(r))
        case .conditional(let value, let condition, let otherwise):
            if try evaluate(condition).isTruthy { return try evaluate(value) }
            // Without an else, Jinja2 gives an undefined value that prints as "".
            guard let otherwise else { return .string("") }
            return try evaluate(otherwise)
        }
    }

    /// The parameter names, in order, of the filters that take keyword arguments (Jinja2's
    /// signatures); other filters take their arguments as written.
    static let filterParameters: [String: [String]] = [
        "sort": ["reverse", "case_sensitive", "attribute"],
        "unique": ["case_sensitive", "attribute"],
        "min": ["case_sensitive", "attribute"],
        "max": ["case_sensitive", "attribute"],
    ]

    /// A filter's arguments by position: positional ones first, then each keyword argument in
    /// the slot its name has in `filterParameters` (missing slots are `.none`).
    /// - Throws: `JinjaError.type` for a keyword the filter does not take.
    static func positional(_ name: String, _ args: [JinjaExpression], _ values: [ProbeValue])
        throws(JinjaError) -> [ProbeValue]
    {
        guard let parameters = filterParameters[name] else { return values }
        var slots: [ProbeValue?] = []
        for (arg, value) in zip(args, values) {
            if case .keyword(let keyword, _) = arg {
                guard let slot = parameters.firstIndex(of: keyword) else {
                    throw .type("\(name) takes no argument '\(keyword)'")
                }
                while slots.count <= slot { slots.append(nil) }
                slots[slot] = value
            } else {
                slots.append(value)
            }
        }
        return slots.map { $0 ?? .none }
    }

    /// Jinja's `a.b` / `a[b]`: dict key, list or string index (negative counts from the end).
    static func subscriptValue(
        _ value: ProbeValue, _ index: ProbeValue, expression: JinjaExpression
    )
        throws(JinjaError) -> ProbeValue
    {
        switch (value, index) {
        case (.dict, .string(let key)):
            if let v = value[key] { return v }
            throw .undefined(describe(expression) + "." + key)
        case (.list(let items), .int(let i)):
            let j = i < 0 ? items.count + i : i
            guard j >= 0 && j < items.count else {
                throw .type("list index \(i) out of range (length \(items.count))")
            }
            return items[j]
        case (.string(let s), .int(let i)):
            let scalars = Array(s.unicodeScalars)
            let j = i < 0 ? scalars.count + i : i
            guard j >= 0 && j < scalars.count else {
                throw .type("string index \(i) out of range (length \(scalars.count))")
            }
            return .string(String(scalars[j]))
        case (_, .string(let key)):
            throw .undefined(describe(expression) + "." + key)
        default:
            throw .type("'\(value.typeName)' object cannot be indexed by \(index.typeName)")
        }
    }

    static func describe(_ expression: JinjaExpression) -> String {
        switch expression {
        case .name(let n): return n
        case .subscriptOf(let base, .literal(.string(let k))): return describe(base) + "." + k
        case .subscriptOf(let base, .literal(let v)): return describe(base) + "[\(v.pythonRepr)]"
        default: return "value"
        }
    }

    /// Python slicing of lists and strings (by code point).
    static func sliceValue(
        _ value: ProbeValue, _ start: ProbeValue?, _ stop: ProbeValue?, _ step: ProbeValue?
    ) throws(JinjaError) -> ProbeValue {
        func int(_ v: ProbeValue?) throws(JinjaError) -> Int? {
            switch v {
            case nil, .some(.none): return nil
            case .some(.int(let i)): return i
            default: throw .type("slice indices must be integers")
            }
        }
        let stepValue = try int(step) ?? 1
        guard stepValue != 0 else { throw .type("slice step cannot be zero") }
        func indices(_ count: Int) throws(JinjaError) -> [Int] {
            func clamp(_ v: Int?, _ defaultValue: Int, _ low: Int, _ high: Int) -> Int {
                guard var x = v else { return defaultValue }
                if x < 0 { x += count }
                return min(max(x, low), high)
            }
            var out: [Int] = []
            if stepValue > 0 {
                let a = clamp(try int(start), 0, 0, count)
                let b = clamp(try int(stop), count, 0, count)
                var i = a
                while i < b {
                    out.append(i)
                    i += stepValue
                }
            } else {
                let a = clamp(try int(start), count - 1, -1, count - 1)
                let b = clamp(try int(stop), -1, -1, count - 1)
                var i = a
                while i > b {
                    out.append(i)
                    i += stepValue
                }
            }
            return out
        }
        switch value {
        case .list(let items):
            return .list(try indices(items.count).map { items[$0] })
        case .string(let s):
            let scalars = Array(s.unicodeScalars)
            return .string(
                String(String.UnicodeScalarView(try indices(scalars.count).map { scalars[$0] })))
        default:
            throw .type("'\(value.typeName)' object is not subscriptable")
        }
    }
}
