import Foundation

/// A Jinja2 template of the subset lm-eval task files use, parsed once and rendered per row.
///
/// Supported: `{{ expression }}`, `{% if %}`/`{% elif %}`/`{% else %}`/`{% endif %}`,
/// `{% for x in xs %}`…`{% endfor %}` (with `loop.index`, `loop.first`, …), `{% set %}`,
/// comments and the `-` whitespace controls. Expressions: fields, dotted and indexed access
/// (`choices.text`, `choices[0]`, `text[-1]`, slices), list and dict literals, `+`
/// (numbers, string and list concatenation), `~` (concatenation as strings), arithmetic,
/// comparisons, `in`, `and`/`or`/`not`, inline `a if c else b`, `is defined` and the other
/// common tests, the filters listed on `JinjaFunctions`, and the common Python `str`, `list` and
/// `dict` methods (`strip()`, `split()`, `index()`, …).
///
/// Rendering follows lm-eval's environment: `StrictUndefined` (a missing field is an error,
/// `JinjaError.undefined`), `keep_trailing_newline`, values printed with Python's `str()`.
///
/// ### References
/// Jinja2 template designer documentation; lm-eval `lm_eval/utils.py` `apply_template`.
public struct JinjaTemplate: Sendable {
    /// The template text as written in the task file.
    public let source: String
    nonisolated(unsafe) let nodes: [JinjaNode]

    /// Parses `source`.
    /// - Throws: `JinjaError.syntax` describing the first unsupported or malformed construct.
    init(parsing source: String) throws(JinjaError) {
        self.source = source
        self.nodes = try JinjaParser.parseTemplate(source)
    }

    /// The single expression when the whole template is exactly one `{{ … }}` (used to keep a
    /// list value as a list rather than printing and re-parsing it).
    var singleExpression: JinjaExpression? {
        if nodes.count == 1, case .output(let e) = nodes[0] { return e }
        return nil
    }

    /// Renders the template with `variables` (a row's fields).
    func render(_ variables: [String: ProbeValue]) throws(JinjaError) -> String {
        var evaluator = JinjaEvaluator(variables: variables)
        var out = ""
        try evaluator.render(nodes, into: &out)
        return out
    }

    /// Evaluates the template to a value: the expression's value when the template is a single
    /// `{{ … }}`, otherwise the rendered text.
    func evaluate(_ variables: [String: ProbeValue]) throws(JinjaError) -> ProbeValue {
        if let e = singleExpression {
            return try JinjaEvaluator(variables: variables).evaluate(e)
        }
        return .string(try render(variables))
    }

    /// Python's `ast.literal_eval` on a rendered string: literals only (strings, numbers,
    /// `True`/`False`/`None`, lists, tuples, dicts).
    static func literalEval(_ text: String) throws(JinjaError) -> ProbeValue {
        let tokens = try JinjaLexer.tokens(PythonStrings.strip(text))
        let expression = try JinjaParser.parseExpression(tokens)
        guard isLiteral(expression) else { throw .syntax("not a Python literal: \(text)") }
        return try JinjaEvaluator(variables: [:]).evaluate(expression)
    }

    private static func isLiteral(_ e: JinjaExpression) -> Bool {
        switch e {
        case .literal: return true
        case .list(let items): return items.allSatisfy(isLiteral)
        case .dict(let pairs): return pairs.allSatisfy { isLiteral($0.0) && isLiteral($0.1) }
        case .unary("-", let inner):
            if case .literal = inner { return true }
            return false
        default: return false
        }
    }
}
