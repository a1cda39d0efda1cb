import Analysis

/// The gate's verdicts as plain lines for a terminal or a CI log (`fmn gate --format text`):
/// one summary line, then one line per task and metric. Deterministic; no escaping beyond
/// folding line breaks, since nothing is interpreted as markup.
///
/// ```
/// gate: FAIL (1 of 2 checks fail); candidate dialogsum-full vs baseline samsum-lora
///   fail          sst2/acc     0.805 -> 0.645  delta -0.160 [-0.225, -0.095]  tolerated 0.020  p(Holm) 0.004
///   inconclusive  copa/acc     0.530 -> 0.530  delta 0.000 [-0.050, +0.040]  too few items (100 < 150); detectable drop 0.058
/// ```
public struct GateTextReport: Sendable {
    /// The gate's result.
    public var gate: GateReport
    /// The baseline's name.
    public var baselineName: String
    /// The candidate's name.
    public var candidateName: String
    /// What an inconclusive overall verdict exits with (`--inconclusive pass|fail`); the last
    /// line states the resulting exit code.
    public var inconclusiveAs: GateVerdict

    /// Creates a renderer.
    public init(
        gate: GateReport, baselineName: String, candidateName: String,
        inconclusiveAs: GateVerdict = .inconclusive
    ) {
        self.gate = gate
        self.baselineName = baselineName
        self.candidateName = candidateName
        self.inconclusiveAs = inconclusiveAs
    }

    private static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }

    /// The lines, each ending in a newline.
    public func render() -> String {
        let deciding = gate.verdicts.filter { !$0.advisory }
        let failed = deciding.filter { $0.verdict == .fail }.count
        let unsure = deciding.filter { $0.verdict == .inconclusive }.count
        var out = "gate: \(gate.overall.rawValue.uppercased())"
        switch gate.overall {
        case .pass: out += " (all \(deciding.count) checks pass)"
        case .fail: out += " (\(failed) of \(deciding.count) checks fail)"
        case .inconclusive: out += " (\(unsure) of \(deciding.count) checks inconclusive)"
        }
        out +=
            "; candidate \(Self.oneLine(candidateName)) vs baseline \(Self.oneLine(baselineName))\n"
        let labels = gate.verdicts.map {
            Self.oneLine("\($0.comparison.task)/\($0.comparison.metric)")
        }
        let width = labels.map(\.count).max() ?? 0
        for (v, label) in zip(gate.verdicts, labels) {
            let c = v.comparison
            let scale = c.baselineScore
            var line = "  " + v.verdict.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)
            line += " " + label.padding(toLength: width, withPad: " ", startingAt: 0)
            line +=
                "  " + NumberFormatting.score(c.baselineScore) + " -> "
                + NumberFormatting.score(c.candidateScore, scale: scale)
            line += "  delta " + ReportSummary.deltaText(c)
            switch v.reason {
            case .tooFewItems:
                line +=
                    "  too few items (\(c.itemCount) < \(v.threshold.minItems)); detectable drop "
                    + NumberFormatting.score(v.minimalDetectableDrop, scale: scale)
            case .notSignificant:
                line +=
                    "  tolerated " + NumberFormatting.score(v.toleratedDrop, scale: scale)
                    + "  p(Holm) " + (v.adjustedPValue.map(NumberFormatting.pValue) ?? "-")
                    + "; detectable drop "
                    + NumberFormatting.score(v.minimalDetectableDrop, scale: scale)
            case .withinTolerance, .beyondTolerance:
                line +=
                    "  tolerated " + NumberFormatting.score(v.toleratedDrop, scale: scale)
                    + "  p(Holm) " + (v.adjustedPValue.map(NumberFormatting.pValue) ?? "-")
            }
            if v.advisory { line += "  (advisory)" }
            out += line + "\n"
        }
        out += "exit code \(gate.exitCode(inconclusiveAs: inconclusiveAs))\n"
        return out
    }
}
