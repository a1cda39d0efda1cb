import Foundation
import TestSupport
import Testing

/// Compares rendered text with `Fixtures/Reporting/<name>`; with `FMN_UPDATE_GOLDENS=1` it
/// rewrites the golden file instead (then review the diff and the rendering by eye).
func expectMatchesGolden(
    _ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let url = Fixtures.url("Reporting/\(name)")
    if ProcessInfo.processInfo.environment["FMN_UPDATE_GOLDENS"] == "1" {
        try Data(actual.utf8).write(to: url, options: .atomic)
        return
    }
    let expected = try Fixtures.text(url)
    if actual == expected { return }
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let line = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
    let got = line < a.count ? String(a[line]) : "<end>"
    let want = line < e.count ? String(e[line]) : "<end>"
    Issue.record(
        Comment(
            rawValue:
                "\(name) differs from the golden file at line \(line + 1):\n  got:      \(got)\n"
                + "  expected: \(want)\n(set FMN_UPDATE_GOLDENS=1 to rewrite, then review)"),
        sourceLocation: sourceLocation)
}
