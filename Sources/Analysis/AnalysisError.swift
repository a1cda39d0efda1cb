/// Why an analysis could not be computed from the values it was given.
///
/// Analysis reads no files, so each case names the task, metric or item that was wrong and says
/// what the caller (the CLI or the pipeline) must fix in the store or the policy file.
public enum AnalysisError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The two sides of a paired comparison do not hold the same items.
    case unpairedItems(task: String, onlyInBaseline: [String], onlyInCandidate: [String])
    /// An item id occurs twice in one side of a comparison.
    case duplicateItem(task: String, id: String)
    /// A comparison has no items at all.
    case noItems(task: String, metric: String)
    /// The same task and metric were given twice to one gate evaluation.
    case duplicateComparison(task: String, metric: String)
    /// The policy lists a task as must-not-regress but the comparison has no scores for it.
    case missingMustNotRegressTask(task: String, available: [String])
    /// A policy value is outside its allowed range.
    case invalidPolicy(field: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .unpairedItems(let task, let onlyBaseline, let onlyCandidate):
            let first = (onlyBaseline.prefix(3) + onlyCandidate.prefix(3)).joined(separator: ", ")
            return "task '\(task)': baseline and candidate were scored on different items "
                + "(\(onlyBaseline.count) only in the baseline, \(onlyCandidate.count) only in the "
                + "candidate, e.g. \(first)); compare probe runs of the same suite hash"
        case .duplicateItem(let task, let id):
            return "task '\(task)': item '\(id)' occurs twice in one probe run; "
                + "item ids must be unique within a task"
        case .noItems(let task, let metric):
            return "task '\(task)' metric '\(metric)': no per-item scores to compare; "
                + "re-run the probe suite so that per-item results are stored"
        case .duplicateComparison(let task, let metric):
            return "task '\(task)' metric '\(metric)' was given twice to the gate; "
                + "pass each task and metric once"
        case .missingMustNotRegressTask(let task, let available):
            return "the gate policy says task '\(task)' must not regress, but neither run has "
                + "scores for it (tasks present: \(available.joined(separator: ", "))); "
                + "add it to the probe suite or remove it from must_not_regress"
        case .invalidPolicy(let field, let value, let expected):
            return "gate policy field '\(field)' is \(value); expected \(expected)"
        }
    }
}
