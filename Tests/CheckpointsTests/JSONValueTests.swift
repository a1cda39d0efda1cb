import Testing

@testable import Checkpoints

@Suite struct JSONValueTests {
    @Test func prettyTextMatchesPythonJSONDumps() {
        // Expected: json.dumps(value, indent=2, sort_keys=True) with Python 3.11.
        let value = JSONValue.object([
            (
                "d",
                .array([
                    .int(1), .double(0.05), .double(1e-05), .null, .bool(true),
                    .object([("x", .int(2))]),
                ])
            ),
            ("c", .string("mod\u{e8}le/\u{1D535}\n\"q\"")),
            ("b", .array([])),
            ("a", .object([])),
        ])
        let expected = """
            {
              "a": {},
              "b": [],
              "c": "mod\\u00e8le/\\ud835\\udd35\\n\\"q\\"",
              "d": [
                1,
                0.05,
                1e-05,
                null,
                true,
                {
                  "x": 2
                }
              ]
            }
            """
        #expect(value.prettyText == expected)
    }

    @Test func compactTextKeepsOrderAndUTF8() {
        // serde_json::to_string: no spaces, insertion order, non-ASCII as UTF-8.
        let value = JSONValue.object([
            ("z", .string("é\u{01}")), ("a", .array([.int(0), .int(8)])),
        ])
        #expect(value.compactText == "{\"z\":\"é\\u0001\",\"a\":[0,8]}")
    }

    @Test func doublesPrintLikePythonRepr() {
        // repr() in Python: [0.1, 1e+16, 123456789012.0, 2.5e-07, 1e+22]
        let values: [Double] = [0.1, 1e16, 123_456_789_012.0, 2.5e-7, 1e22]
        #expect(
            values.map { JSONValue.double($0).compactText } == [
                "0.1", "1e+16", "123456789012.0", "2.5e-07", "1e+22",
            ])
    }
}
