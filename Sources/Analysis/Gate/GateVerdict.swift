/// A gate's verdict on one task and metric, or on the whole comparison.
///
/// Exit codes of `fmn gate` (see ``exitCode(inconclusiveAs:)``): `0` pass, `1` fail, `2` error
/// (bad input, missing or incomparable runs: ``errorExitCode``), `3` inconclusive.
public enum GateVerdict: String, Codable, Sendable, CaseIterable {
    /// The drop is below the tolerance with confidence `1 − α`.
    case pass
    /// The drop exceeds the tolerance, significant after Holm correction.
    case fail
    /// Too few items, or neither of the above.
    case inconclusive

    /// The exit code for bad input, missing or incomparable runs: the gate fails closed.
    public static let errorExitCode: Int32 = 2

    /// The process exit code: `0` pass, `1` fail, `3` inconclusive, unless `inconclusiveAs`
    /// maps inconclusive to pass (`0`) or fail (`1`), as `--inconclusive pass|fail` does.
    public func exitCode(inconclusiveAs mapping: GateVerdict = .inconclusive) -> Int32 {
        switch self {
        case .pass: 0
        case .fail: 1
        case .inconclusive: mapping == .inconclusive ? 3 : mapping.exitCode()
        }
    }
}
