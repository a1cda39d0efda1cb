import Foundation

/// An expression of the supported Jinja subset.
indirect enum JinjaExpression: Equatable {
    case literal(ProbeValue)
    case name(String)
    case list([JinjaExpression])
    case dict([(JinjaExpression, JinjaExpression)])
    /// `a.b`, `a["b"]`, `a[0]`: Jinja's getattr/getitem on dicts, lists and strings.
    case subscriptOf(JinjaExpression, JinjaExpression)
    /// `a[start:stop:step]` (Python slicing).
    case slice(JinjaExpression, JinjaExpression?, JinjaExpression?, JinjaExpression?)
    /// `a.method(args)`: the Python `str`, `list` and `dict` methods templates commonly call.
    case methodCall(JinjaExpression, String, [JinjaExpression])
    /// `a | name(args)`.
    case filter(JinjaExpression, String, [JinjaExpression])
    /// `a is [not] name`.
    case test(JinjaExpression, String, negated: Bool)
    case unary(String, JinjaExpression)
    case binary(String, JinjaExpression, JinjaExpression)
    /// `name=value` inside a call's arguments.
    case keyword(String, JinjaExpression)
    /// `a if condition else b`.
    case conditional(JinjaExpression, JinjaExpression, JinjaExpression?)

    static func == (lhs: JinjaExpression, rhs: JinjaExpression) -> Bool {
        String(describing: lhs) == String(describing: rhs)
    }
}

/// A node of a parsed template body.
indirect enum JinjaNode {
    case text(String)
    case output(JinjaExpression)
    case ifBlock([(JinjaExpression, [JinjaNode])], otherwise: [JinjaNode])
    case forBlock(
        variables: [String], iterable: JinjaExpression, body: [JinjaNode],
        otherwise: [JinjaNode])
    case set(String, JinjaExpression)
}

/// Recursive-descent parser with Jinja2's operator precedence (loosest first): conditional
/// `if`/`else`, `or`, `and`, `not`, comparisons (`==`, `!=`, `<`, `>`, `<=`, `>=`, `in`,
/// `not in`), `~`, `+`/`-`, `*`/`/`/`//`/`%`, `**`, unary `-`/`+`, then postfix `.x`, `[i]`,
/// `(…)`, `|filter` and `is test`.
struct JinjaParser {
    private var tokens: [JinjaToken]
    private var position = 0

    init(tokens: [JinjaToken]) { self.tokens = tokens }

    /// Parses a whole template body.
    static func parseTemplate(_ source: String) throws(JinjaError) -> [JinjaNode] {
        let chunks = try JinjaLexer.chunks(source)
        var index = 0
        let (nodes, terminator) = try parseBody(chunks, &index, until: [])
        if let terminator { throw .syntax("unexpected {% \(terminator) %}") }
        return nodes
    }

    /// Parses one expression (the whole token list must be consumed).
    static func parseExpression(_ tokens: [JinjaToken]) throws(JinjaError) -> JinjaExpression {
        var parser = JinjaParser(tokens: tokens)
        let expression = try parser.expression()
        guard parser.peek == .end else { throw .syntax("unexpected \(parser.peekText)") }
        return expression
    }

    private static func parseBody(
        _ chunks: [JinjaChunk], _ index: inout Int, until terminators: Set<String>
    ) throws(JinjaError) -> ([JinjaNode], String?) {
        var nodes: [JinjaNode] = []
        while index < chunks.count {
            let chunk = chunks[index]
            index += 1
            switch chunk {
            case .text(let t):
                nodes.append(.text(t))
            case .output(let tokens):
                nodes.append(.output(try parseExpression(tokens)))
            case .statement(let tokens):
                guard case .name(let keyword) = tokens.first else {
                    throw .syntax("empty statement")
                }
                if terminators.contains(keyword) {
                    index -= 1
                    return (nodes, keyword)
                }
                var parser = JinjaParser(tokens: tokens)
                parser.position = 1
                switch keyword {
                case "if":
                    var branches: [(JinjaExpression, [JinjaNode])] = []
                    var condition = try parser.expression()
                    try parser.expectEnd()
                    var otherwise: [JinjaNode] = []
                    while true {
                        let (body, term) = try parseBody(
                            chunks, &index, until: ["elif", "else", "endif"])
                        branches.append((condition, body))
                        guard let term, case .statement(let t) = chunks[index] else {
                            throw .syntax("missing {% endif %}")
                        }
                        index += 1
                        if term == "elif" {
                            var p = JinjaParser(tokens: t)
                            p.position = 1
                            condition = try p.expression()
                            try p.expectEnd()
                            continue
                        }
                        if term == "else" {
                            let (elseBody, endTerm) = try parseBody(
                                chunks, &index, until: ["endif"])
                            guard endTerm == "endif" else { throw .syntax("missing {% endif %}") }
                            index += 1
                            otherwise = elseBody
                        }
                        break
                    }
                    nodes.append(.ifBlock(branches, otherwise: otherwise))
                case "for":
                    var variables: [String] = []
                    repeat {
                        guard case .name(let v) = parser.peek else {
                            throw .syntax("expected a loop variable")
                        }
                        variables.append(v)
                        parser.position += 1
                    } while parser.accept(.op(","))
                    guard parser.accept(.name("in")) else { throw .syntax("expected 'in'") }
                    let iterable = try parser.conditionalFree()
                    try parser.expectEnd()
                    let (body, term) = try parseBody(chunks, &index, until: ["else", "endfor"])
                    guard let term else { throw .syntax("missing {% endfor %}") }
                    index += 1
                    var otherwise: [JinjaNode] = []
                    if term == "else" {
                        let (elseBody, endTerm) = try parseBody(chunks, &index, until: ["endfor"])
                        guard endTerm == "endfor" else { throw .syntax("missing {% endfor %}") }
                        index += 1
                        otherwise = elseBody
                    }
                    nodes.append(
                        .forBlock(
                            variables: variables, iterable: iterable, body: body,
                            otherwise: otherwise))
                case "set":
                    guard case .name(let v) = parser.peek else {
                        throw .syntax("expected a name after 'set'")
                    }
                    parser.position += 1
                    guard parser.accept(.op("=")) else { throw .syntax("expected '='") }
                    let value = try parser.expression()
                    try parser.expectEnd()
                    nodes.append(.set(v, value))
                default:
                    throw .syntax("unsupported statement {% \(keyword) %}")
                }
            }
        }
        return (nodes, nil)
    }

    // MARK: - Expressions

    fileprivate var peek: JinjaToken { tokens[position] }
    fileprivate var peekText: String {
        switch peek {
        case .name(let n): return "'\(n)'"
        case .op(let o): return "'\(o)'"
        case .string(let s): return ProbeValue.pythonStringRepr(s)
        case .int(let i): return "\(i)"
        case .double(let d): return "\(d)"
        case .end: return "end of expression"
        }
    }

    private mutating func accept(_ token: JinjaToken) -> Bool {
        if peek == token {
            position += 1
            return true
        }
        return false
    }

    private mutating func expect(_ token: JinjaToken) throws(JinjaError) {
        guard accept(token) else { throw .syntax("expected \(token), found \(peekText)") }
    }

    private mutating func expectEnd() throws(JinjaError) {
        guard peek == .end else { throw .syntax("unexpected \(peekText)") }
    }

    mutating func expression() throws(JinjaError) -> JinjaExpression {
        let value = try orExpression()
        if accept(.name("if")) {
            let condition = try orExpression()
            var otherwise: JinjaExpression? = nil
            if accept(.name("else")) { otherwise = try expression() }
            return .conditional(value, condition, otherwise)
        }
        return value
    }

    /// An expression without a trailing `if` (the iterable of a `for`).
    mutating func conditionalFree() throws(JinjaError) -> JinjaExpression { try orExpression() }

    private mutating func orExpression() throws(JinjaError) -> JinjaExpression {
        var left = try andExpression()
        while accept(.name("or")) { left = .binary("or", left, try andExpression()) }
        return left
    }

    private mutating func andExpression() throws(JinjaError) -> JinjaExpression {
        var left = try notExpression()
        while accept(.name("and")) { left = .binary("and", left, try notExpression()) }
        return left
    }

    private mutating func notExpression() throws(JinjaError) -> JinjaExpression {
        if accept(.name("not")) { return .unary("not", try notExpression()) }
        return try comparison()
    }

    private mutating func comparison() throws(JinjaError) -> JinjaExpression {
        var left = try concatenation()
        while true {
            if case .op(let o) = peek, ["==", "!=", "<", ">", "<=", ">="].contains(o) {
                position += 1
                left = .binary(o, left, try concatenation())
            } else if accept(.name("in")) {
                left = .binary("in", left, try concatenation())
            } else if peek == .name("not"), tokens[position + 1] == .name("in") {
                position += 2
                left = .binary("not in", left, try concatenation())
            } else {
                return left
            }
        }
    }

    private mutating func concatenation() throws(JinjaError) -> JinjaExpression {
        var left = try additive()
        while accept(.op("~")) { left = .binary("~", left, try additive()) }
        return left
    }

    private mutating func additive() throws(JinjaError) -> JinjaExpression {
        var left = try multiplicative()
        while case .op(let o) = peek, o == "+" || o == "-" {
            position += 1
            left = .binary(o, left, try multiplicative())
        }
        return left
    }

    private mutating func multiplicative() throws(JinjaError) -> JinjaExpression {
        var left = try power()
        while case .op(let o) = peek, ["*", "/", "//", "%"].contains(o) {
            position += 1
            left = .binary(o, left, try power())
        }
        return left
    }

    private mutating func power() throws(JinjaError) -> JinjaExpression {
        let left = try unaryExpression()
        if accept(.op("**")) { return .binary("**", left, try unaryExpression()) }
        return left
    }

    /// Jinja2's `parse_unary`: the operand of `-`/`+` takes attributes and subscripts but no
    /// filters; filters then apply to the signed value (`-3|abs` is 3).
    private mutating func unaryExpression(filters: Bool = true) throws(JinjaError)
        -> JinjaExpression
    {
        for sign in ["-", "+"] where accept(.op(sign)) {
            let signed = JinjaExpression.unary(sign, try unaryExpression(filters: false))
            return filters ? try postfix(signed) : signed
        }
        return try postfix(try primary(), filters: filters)
    }

    private mutating func primary() throws(JinjaError) -> JinjaExpression {
        let token = peek
        position += 1
        switch token {
        case .string(var s):
            // Adjacent string literals concatenate, as in Python.
            while case .string(let more) = peek {
                s += more
                position += 1
            }
            return .literal(.string(s))
        case .int(let i): return .literal(.int(i))
        case .double(let d): return .literal(.double(d))
        case .name(let n):
            switch n {
            case "true", "True": return .literal(.bool(true))
            case "false", "False": return .literal(.bool(false))
            case "none", "None": return .literal(.none)
            case "range" where peek == .op("("):
                // The one global function templates use: range(…).
                position += 1
                return .methodCall(.name("range"), "__call__", try arguments())
            default: return .name(n)
            }
        case .op("("):
            let inner = try expression()
            if accept(.op(",")) {
                var items = [inner]
                while peek != .op(")") {
                    items.append(try expression())
                    if !accept(.op(",")) { break }
                }
                try expect(.op(")"))
                return .list(items)  // tuples behave as lists here
            }
            try expect(.op(")"))
            return inner
        case .op("["):
            var items: [JinjaExpression] = []
            while peek != .op("]") {
                items.append(try expression())
                if !accept(.op(",")) { break }
            }
            try expect(.op("]"))
            return .list(items)
        case .op("{"):
            var pairs: [(JinjaExpression, JinjaExpression)] = []
            while peek != .op("}") {
                let key = try expression()
                try expect(.op(":"))
                pairs.append((key, try expression()))
                if !accept(.op(",")) { break }
            }
            try expect(.op("}"))
            return .dict(pairs)
        default:
            position -= 1
            throw .syntax("unexpected \(peekText)")
        }
    }

    private mutating func postfix(_ base: JinjaExpression, filters: Bool = true)
        throws(JinjaError) -> JinjaExpression
    {
        var value = base
        while true {
            if accept(.op(".")) {
                switch peek {
                case .name(let attribute):
                    position += 1
                    if accept(.op("(")) {
                        value = .methodCall(value, attribute, try arguments())
                    } else {
                        value = .subscriptOf(value, .literal(.string(attribute)))
                    }
                case .int(let i):
                    position += 1
                    value = .subscriptOf(value, .literal(.int(i)))
                default:
                    throw .syntax("expected an attribute name after '.'")
                }
            } else if accept(.op("[")) {
                var parts: [JinjaExpression?] = [nil]
                var isSlice = false
                while peek != .op("]") {
                    if accept(.op(":")) {
                        isSlice = true
                        parts.append(nil)
                        continue
                    }
                    parts[parts.count - 1] = try expression()
                }
                try expect(.op("]"))
                if isSlice {
                    guard parts.count <= 3 else { throw .syntax("bad slice") }
                    value = .slice(
                        value, parts[0], parts.count > 1 ? parts[1] : nil,
                        parts.count > 2 ? parts[2] : nil)
                } else {
                    guard let index = parts[0] else { throw .syntax("empty subscript") }
                    value = .subscriptOf(value, index)
                }
            } else if filters, accept(.op("|")) {
                guard case .name(let name) = peek else { throw .syntax("expected a filter name") }
                position += 1
                var args: [JinjaExpression] = []
                if accept(.op("(")) { args = try arguments() }
                value = .filter(value, name, args)
            } else if peek == .name("is") {
                position += 1
                let negated = accept(.name("not"))
                guard case .name(let name) = peek else { throw .syntax("expected a test name") }
                position += 1
                value = .test(value, name, negated: negated)
            } else {
                return value
            }
        }
    }

    /// Arguments after an opening `(`, up to and including `)`. Keyword arguments
    /// (`name=value`) are passed in the order written; only `map(attribute=…)` reads the name.
    private mutating func arguments() throws(JinjaError) -> [JinjaExpression] {
        var args: [JinjaExpression] = []
        while peek != .op(")") {
            if case .name(let keyword) = peek, tokens[position + 1] == .op("=") {
                position += 2
                args.append(.keyword(keyword, try expression()))
            } else {
                args.append(try expression())
            }
            if !accept(.op(",")) { break }
        }
        try expect(.op(")"))
        return args
    }
}
