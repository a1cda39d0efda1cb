import Foundation
import TestSupport
import Testing

@testable import Tokenizers

/// The GPT-2 regex classes against what the Rust library's Oniguruma gives for every scalar.
///
/// `Fixtures/Tokenizers/gpt2-regex-classes.txt` was made by
/// `Benchmarks/tokenizers/make_regex_classes.py` with tokenizers 0.23.3: each scalar `c` is
/// classed by how ByteLevel splits `"a" c "a"` (letter), `"1" c "1"` (number) and `"!" c "!"`
/// (other); the rest is whitespace. The file lists runs as `start_hex class`.
@Suite struct ScalarClassTests {
    static func runs() throws -> [(start: UInt32, cls: UInt8)] {
        let text = try String(
            contentsOf: Fixtures.url("Tokenizers/gpt2-regex-classes.txt"), encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 2, let start = UInt32(parts[0], radix: 16),
                let cls = UInt8(parts[1])
            else { return nil }
            return (start, cls)
        }
    }

    @Test func everyScalarHasTheRustLibrarysClass() throws {
        let runs = try Self.runs()
        #expect(runs.count > 1000)
        var mismatches: [String] = []
        for (index, run) in runs.enumerated() {
            let end = index + 1 < runs.count ? runs[index + 1].start : 0x110000
            for value in run.start..<end where !(0xD800...0xDFFF).contains(value) {
                let ours = ScalarClass.of(value).rawValue
                if ours != run.cls {
                    mismatches.append(
                        "U+\(String(value, radix: 16, uppercase: true)): ours \(ours), Rust \(run.cls)"
                    )
                }
            }
        }
        #expect(
            mismatches.isEmpty, "\(mismatches.count) scalars differ, e.g. \(mismatches.prefix(10))")
    }

    @Test func unicode17LettersAreNotLettersYet() {
        // U+1E5D0 (Ol Onal letter, Unicode 16.0) is a letter; U+10940 (Sidetic, Unicode 17.0)
        // is a letter to Swift 6.3's tables but unassigned to the Rust library's.
        #expect(ScalarClass.of(0x1E5D0) == .letter)
        #expect(ScalarClass.of(0x10940) == .other)
        #expect(ScalarClass.of(0x3000) == .whitespace)
        #expect(ScalarClass.of(0x200B) == .other)
        #expect(ScalarClass.of(0x1C) == .other)
    }
}
