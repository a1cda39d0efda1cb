import Foundation

/// A failure while parsing or rendering a template. `undefined` is Jinja2's `StrictUndefined`:
/// a name or attribute that does not exist, which lm-eval turns into an exception.
enum JinjaError: Error, Equatable {
    case syntax(String)
    case undefined(String)
    case type(String)
}

/// One token of a Jinja expression (inside `{{ … }}` or `{% … %}`).
enum JinjaToken: Equatable {
    case name(String)
    case string(String)
    case int(Int)
    case double(Double)
    case op(String)
    case end
}

/// One piece of template source: literal text, an output `{{ … }}` or a statement `{% … %}`.
enum JinjaChunk: Equatable {
    case text(String)
    case output([JinjaToken])
    case statement([JinjaToken])
}

/// Splits template source into chunks and tokenizes the expressions, following Jinja2's
/// default delimiters and whitespace control (`{{-`, `-}}`, `{%-`, `-%}`); `trim_blocks` and
/// `lstrip_blocks` off and `keep_trailing_newline` on, as lm-eval configures its environment.
enum JinjaLexer {
    static func chunks(_ source: String) throws(JinjaError) -> [JinjaChunk] {
        let s = Array(source.unicodeScalars)
        var result: [JinjaChunk] = []
        var text = String.UnicodeScalarView()
        var i = 0
        var stripNextLeading = false

        func flushText(stripTrailing: Bool) {
            var t = String(text)
            text = String.UnicodeScalarView()
            if stripNextLeading {
                t = String(t.unicodeScalars.drop(while: { isJinjaSpace($0) }))
                stripNextLeading = false
            }
            if stripTrailing {
                var scalars = Array(t.unicodeScalars)
                while let last = scalars.last, isJinjaSpace(last) { scalars.removeLast() }
                t = String(String.UnicodeScalarView(scalars))
            }
            if !t.isEmpty { result.append(.text(t)) }
        }

        while i < s.count {
            if s[i] == "{", i + 1 < s.count, s[i + 1] == "{" || s[i + 1] == "%" || s[i + 1] == "#" {
                let kind = s[i + 1]
                let close: Unicode.Scalar = kind == "{" ? "}" : (kind == "%" ? "%" : "#")
                var j = i + 2
                let stripBefore = j < s.count && s[j] == "-"
                if stripBefore || (j < s.count && s[j] == "+") { j += 1 }
                flushText(stripTrailing: stripBefore)
                // Find the closing delimiter, skipping string literals.
                var k = j
                var quote: Unicode.Scalar? = nil
                var found = -1
                while k < s.count {
                    let c = s[k]
                    if let q = quote {
                        if c == "\\" {
                            k += 2
                            continue
                        }
                        if c == q { quote = nil }
                    } else if kind != "#" && (c == "'" || c == "\"") {
                        quote = c
                    } else if c == close, k + 1 < s.count, s[k + 1] == "}" {
                        found = k
                        break
                    }
                    k += 1
                }
                guard found >= 0 else {
                    throw .syntax("unclosed '{\(Character(kind))'")
                }
                var innerEnd = found
                var stripAfter = false
                if innerEnd > j, s[innerEnd - 1] == "-" {
                    stripAfter = true
                    innerEnd -= 1
                } else if innerEnd > j, s[innerEnd - 1] == "+" {
                    innerEnd -= 1
                }
                let inner = String(String.UnicodeScalarView(s[j..<innerEnd]))
                switch kind {
                case "{": result.append(.output(try tokens(inner)))
                case "%": result.append(.statement(try tokens(inner)))
                default: break  // comment
                }
                stripNextLeading = stripAfter
                i = found + 2
                continue
            }
            text.append(s[i])
            i += 1
        }
        flushText(stripTrailing: false)
        return result
    }

    /// Whitespace as Jinja's `-` control strips it (Python `str.isspace`).
    static func isJinjaSpace(_ c: Unicode.Scalar) -> Bool { PythonStrings.isSpace(c) }

    /// Tokenizes one expression. Strings take Python's escapes (`\n`, `\t`, `\xNN`, `\uNNNN`, …).
    static func tokens(_ source: String) throws(JinjaError) -> [JinjaToken] {
        let s = Array(source.unicodeScalars)
        var out: [JinjaToken] = []
        var i = 0
        let twoCharOps: Set<String> = ["==", "!=", "<=", ">=", "//", "**"]
        while i < s.count {
            let c = s[i]
            if PythonStrings.isSpace(c) {
                i += 1
                continue
            }
            if c == "_" || c.properties.isAlphabetic {
                var j = i
                while j < s.count,
                    s[j] == "_" || s[j].properties.isAlphabetic
                        || ("0"..."9").contains(s[j])
                {
                    j += 1
                }
                out.append(.name(String(String.UnicodeScalarView(s[i..<j]))))
                i = j
                continue
            }
            if ("0"..."9").contains(c) {
                var j = i
                var isFloat = false
                while j < s.count, ("0"..."9").contains(s[j]) || s[j] == "_" { j += 1 }
                if j + 1 < s.count, s[j] == ".", ("0"..."9").contains(s[j + 1]) {
                    isFloat = true
                    j += 1
                    while j < s.count, ("0"..."9").contains(s[j]) { j += 1 }
                }
                if j < s.count, s[j] == "e" || s[j] == "E" {
                    var k = j + 1
                    if k < s.count, s[k] == "+" || s[k] == "-" { k += 1 }
                    if k < s.count, ("0"..."9").contains(s[k]) {
                        isFloat = true
                        j = k
                        while j < s.count, ("0"..."9").contains(s[j]) { j += 1 }
                    }
                }
                let text = String(String.UnicodeScalarView(s[i..<j])).replacingOccurrences(
                    of: "_", with: "")
                if isFloat {
                    guard let d = Double(text) else { throw .syntax("bad number \(text)") }
                    out.append(.double(d))
                } else {
                    guard let n = Int(text) else { throw .syntax("bad number \(text)") }
                    out.append(.int(n))
                }
                i = j
                continue
            }
            if c == "'" || c == "\"" {
                var j = i + 1
                var value = String.UnicodeScalarView()
                var closed = false
                while j < s.count {
                    let d = s[j]
                    if d == c {
                        closed = true
                        break
                    }
                    if d == "\\", j + 1 < s.count {
                        let e = s[j + 1]
                        j += 2
                        switch e {
                        case "n": value.append("\n")
                        case "t": value.append("\t")
                        case "r": value.append("\r")
                        case "0": value.append("\0")
                        case "a": value.append("\u{07}")
                        case "b": value.append("\u{08}")
                        case "f": value.append("\u{0C}")
                        case "v": value.append("\u{0B}")
                        case "\\", "'", "\"": value.append(e)
                        case "\n": break
                        case "x", "u", "U":
                            let width = e == "x" ? 2 : (e == "u" ? 4 : 8)
                            guard j + width <= s.count,
                                let code = UInt32(
                                    String(String.UnicodeScalarView(s[j..<(j + width)])),
                                    radix: 16),
                                let scalar = Unicode.Scalar(code)
                            else { throw .syntax("bad \\\(e) escape in a string literal") }
                            value.append(scalar)
                            j += width
                        default:
                            value.append("\\")
                            value.append(e)
                        }
                        continue
                    }
                    value.append(d)
                    j += 1
                }
                guard closed else { throw .syntax("unterminated string literal") }
                out.append(.string(String(value)))
                i = j + 1
                continue
            }
            if i + 1 < s.count {
                let pair = String(String.UnicodeScalarView([c, s[i + 1]]))
                if twoCharOps.contains(pair) {
                    out.append(.op(pair))
                    i += 2
                    continue
                }
            }
            if "()[]{}.,:|~+-*/%<>=!".unicodeScalars.contains(c) {
                out.append(.op(String(Character(c))))
                i += 1
                continue
            }
            throw .syntax("unexpected character '\(Character(c))'")
        }
        out.append(.end)
        return out
    }
}
