import Testing

@testable import Probes

@Suite struct JinjaTemplateTests {
    static let row: [String: ProbeValue] = [
        "question": .string("  Why is the sky blue? "),
        "choices": .dict([
            ProbeValueEntry(key: "text", value: .list([.string("Rayleigh"), .string("Mie")])),
            ProbeValueEntry(key: "label", value: .list([.string("A"), .string("B")])),
        ]),
        "answerKey": .string("B"),
        "label": .int(1),
        "flag": .string("true"),
        "choice1": .string("The toilet filled."),
        "choice2": .string("Water flowed."),
        "n": .double(0.5),
    ]

    /// (template, expected rendering) — each worked out by hand from Jinja2's rules.
    static let cases: [(String, String)] = [
        ("Question: {{question}}\nAnswer:", "Question:   Why is the sky blue? \nAnswer:"),
        ("{{question.strip()}}", "Why is the sky blue?"),
        ("{{question | trim | lower}}", "why is the sky blue?"),
        ("{{ choices.text[0] }}/{{ choices['label'][-1] }}", "Rayleigh/B"),
        ("{{choices.label.index(answerKey)}}", "1"),
        ("{{[choice1, choice2]}}", "['The toilet filled.', 'Water flowed.']"),
        ("{{ choice1[0].lower() + choice1[1:] }}", "the toilet filled."),
        ("{{ label ~ ':' ~ n }}", "1:0.5"),
        ("{{ choices.text | join(', ') }}", "Rayleigh, Mie"),
        (
            "{{ choices.text | first }}{{ choices.text | last }}{{ choices.text | length }}",
            "RayleighMie2"
        ),
        ("{{ 'x' | upper }}{{ '3' | int + 1 }}{{ 7 | string }}", "X47"),
        ("{{ question | replace('sky', 'sea') | trim }}", "Why is the sea blue?"),
        ("{% if flag == 'true' %}yes{% else %}no{% endif %}", "yes"),
        ("{{ 'yes' if label == 1 else 'no' }}", "yes"),
        (
            "{% for c in choices.text %}{{ loop.index }}. {{ c }}\n{% endfor %}",
            "1. Rayleigh\n2. Mie\n"
        ),
        ("a  {{- ' b ' -}}  c", "a b c"),
        ("{# comment #}{{ label is defined }}{{ missing is defined }}", "TrueFalse"),
        ("{{ 'a\\tb' }}", "a\tb"),
        ("{{ none }}{{ true }}{{ [1, 'x', None] }}", "NoneTrue[1, 'x', None]"),
        ("{{ \"it's\" }}{{ [\"it's\"] }}", "it's[\"it's\"]"),
    ]

    /// (template, expected rendering) — each rendered by Jinja2 3.1 itself: `sort`, `unique`,
    /// `min` and `max` ignore case unless `case_sensitive=true`, `sort` is stable and takes
    /// `reverse`, and `min`/`max` return the first of equal extremes.
    static let caseFoldingCases: [(String, String)] = [
        (#"{{ ["b","B","a","A","b"] | unique | list }}"#, "['b', 'a']"),
        (
            #"{{ ["b","B","a","A","b"] | unique(case_sensitive=true) | list }}"#,
            "['b', 'B', 'a', 'A']"
        ),
        (#"{{ ["hello","I want to play","no"] | sort | first }}"#, "hello"),
        (
            #"{{ ["hello","I want to play","no"] | sort(case_sensitive=true) | first }}"#,
            "I want to play"
        ),
        (#"{{ ["b","A","a","B"] | sort | join(",") }}"#, "A,a,b,B"),
        (#"{{ ["b","A","a","B"] | sort(true) | join(",") }}"#, "b,B,A,a"),
        (#"{{ ["b","A","a","B"] | sort(reverse=true) | join(",") }}"#, "b,B,A,a"),
        (#"{{ ["hello","I want to play","no"] | min }}"#, "hello"),
        (#"{{ ["hello","I want to play","no"] | max }}"#, "no"),
        (#"{{ ["a","A"] | max }}{{ ["A","a"] | min }}"#, "aA"),
        (#"{{ [3, 1, 2] | sort | join(",") }}{{ [3, 1, 2] | max }}"#, "1,2,33"),
    ]

    /// (template, expected rendering) — each rendered by lm-eval 0.4.13's `apply_template`
    /// (Jinja2 with lm-eval's `regex_replace`): inline if without else, `round` (halves to
    /// even; `ceil`/`floor`), `range`, `loop.revindex`, Jinja2's `title`, `regex_replace` with a
    /// count and `\g<…>` references, and unary minus binding before a filter.
    static let lmEvalCases: [(String, String)] = [
        (#"{% for x in [1,2,3] %}{{x}}{{ "," if not loop.last }}{% endfor %}"#, #"1,2,3"#),
        (
            #"{{ 2.5|round }}|{{ 3|round }}|{{ 3.25|round(1) }}|{{ 2.1|round(0, "ceil") }}|{{ 2.9|round(0, "floor") }}|{{ 2.675|round(2) }}|{{ -2.5|round }}"#,
            #"2.0|3|3.2|3.0|2.0|2.67|-2.0"#
        ),
        (
            #"{% for x in range(3) %}{{x}}{{loop.revindex}}{{loop.revindex0}}{% endfor %}|{{ range(1,7,2)|list }}|{{ range(4)|list }}"#,
            #"032121210|[1, 3, 5]|[0, 1, 2, 3]"#
        ),
        (
            #"{{ "it's a dog-eat (dog) [x] <y> O'neil hello_world foo.bar"|title }}"#,
            #"It's A Dog-Eat (Dog) [X] <Y> O'neil Hello_world Foo.bar"#
        ),
        (
            #"{{ "Hello, there, you"|regex_replace("(\\w+)", "[\\1]", 2) }}"#,
            #"[Hello], [there], you"#
        ),
        (#"{{ "ab cd"|regex_replace("(\\w)(\\w)", "\\g<2>\\g<1>") }}"#, #"ba dc"#),
        (#"{{ "ab cd"|regex_replace("(?P<x>\\w)(?P<y>\\w)", "\\g<y>\\g<x>") }}"#, #"ba dc"#),
        (#"{{ -3|abs }}"#, #"3"#),
    ]

    @Test(arguments: lmEvalCases)
    func rendersLikeLmEvalsApplyTemplate(template: String, expected: String) throws {
        #expect(try JinjaTemplate(parsing: template).render(Self.row) == expected)
    }

    @Test(arguments: caseFoldingCases)
    func sortUniqueMinMaxFoldCaseLikeJinja2(template: String, expected: String) throws {
        #expect(try JinjaTemplate(parsing: template).render(Self.row) == expected)
    }

    @Test(arguments: cases)
    func rendersLikeJinja2(template: String, expected: String) throws {
        let t = try JinjaTemplate(parsing: template)
        #expect(try t.render(Self.row) == expected)
    }

    @Test func missingFieldIsUndefined() throws {
        let t = try JinjaTemplate(parsing: "Review: {{sentence}}")
        #expect(throws: JinjaError.undefined("sentence")) { try t.render(Self.row) }
        let dotted = try JinjaTemplate(parsing: "{{choices.stem}}")
        #expect(throws: JinjaError.undefined("choices.stem")) { try dotted.render(Self.row) }
    }

    @Test func syntaxErrorsAreReported() {
        #expect(throws: JinjaError.self) { try JinjaTemplate(parsing: "{{ a + }}") }
        #expect(throws: JinjaError.self) { try JinjaTemplate(parsing: "{% if a %}x") }
        #expect(throws: JinjaError.self) {
            try JinjaTemplate(parsing: "{{ a | nosuchfilter }}").render(["a": .int(1)])
        }
    }

    @Test func literalEvalParsesPythonReprs() throws {
        #expect(
            try JinjaTemplate.literalEval("['a', \"b\\n\", 3, -2, 1.5, True, None]")
                == .list([
                    .string("a"), .string("b\n"), .int(3), .int(-2), .double(1.5), .bool(true),
                    .none,
                ]))
        #expect(throws: JinjaError.self) { try JinjaTemplate.literalEval("[a]") }
    }

    @Test func pythonReprMatchesCPython() {
        #expect(
            ProbeValue.list([.string("it's"), .string("a\"b'c"), .double(1e-05), .double(2.0)])
                .pythonRepr
                == "[\"it's\", 'a\"b\\'c', 1e-05, 2.0]")
    }

    @Test func pythonRandomMatchesCPython() {
        // Python: r = random.Random(1234); [r.getrandbits(32) for _ in range(3)]
        //         random.Random(1234).sample(range(100), 5); random.Random(42).sample(range(10), 3)
        var r = PythonRandom(seed: 1234)
        #expect([r.nextUInt32(), r.nextUInt32(), r.nextUInt32()] == Self.cpythonBits)
        var s = PythonRandom(seed: 1234)
        #expect(s.sample(count: 100, k: 5) == Self.cpythonSample100)
        var t = PythonRandom(seed: 42)
        #expect(t.sample(count: 10, k: 3) == Self.cpythonSample10)
    }
    static let cpythonBits: [UInt32] = [4_150_886_329, 3_342_196_574, 1_892_932_127]
    static let cpythonSample100: [Int] = [99, 56, 14, 0, 11]
    static let cpythonSample10: [Int] = [1, 0, 4]
}

@Suite struct PythonJSONTests {
    @Test func numbersAndKeyOrderFollowPythonJson() {
        // json.loads('{"b": 1.0, "a": [1, 1e2, -0.5, true, null], "s": "\\u00e9\\ud83d\\ude00\\n"}')
        let value = PythonJSON.parse(
            Array(#"{"b": 1.0, "a": [1, 1e2, -0.5, true, null], "s": "\u00e9\ud83d\ude00\n"}"#.utf8)
        )
        #expect(
            value
                == .dict([
                    ProbeValueEntry(key: "b", value: .double(1)),
                    ProbeValueEntry(
                        key: "a",
                        value: .list([.int(1), .double(100), .double(-0.5), .bool(true), .none])),
                    ProbeValueEntry(key: "s", value: .string("é😀\n")),
                ]))
        // str(1.0) == "1.0", str(100.0) == "100.0" in Python.
        #expect(value?["b"]?.pythonString == "1.0")
        #expect(
            value.map { $0.pythonRepr }
                == "{'b': 1.0, 'a': [1, 100.0, -0.5, True, None], 's': 'é😀\\n'}")
        #expect(PythonJSON.parse(Array("{\"a\": }".utf8)) == nil)
        #expect(PythonJSON.parse(Array("[1] x".utf8)) == nil)
    }
}
