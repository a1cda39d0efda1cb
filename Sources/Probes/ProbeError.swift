import Foundation

/// Everything that can go wrong reading a probe suite, its task files and data, or running it.
///
/// Every case names the file (and the line or key where there is one) and its `description`
/// says how to fix it. Task-file and data errors are all raised while loading, before any model
/// work starts.
public enum ProbeError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A file could not be read.
    case unreadableFile(path: String, reason: String)
    /// The YAML text does not parse.
    case invalidYAML(path: String, reason: String)
    /// A key this implementation does not know (lm-eval keys that need Python included).
    case unknownKey(path: String, key: String, line: Int?, allowed: [String])
    /// A Python hook (`!function module.fn`) where only data and templates are allowed.
    case pythonHook(path: String, key: String, line: Int?)
    /// A required key is missing.
    case missingKey(path: String, key: String)
    /// A key has a value of the wrong kind or out of range.
    case invalidValue(path: String, key: String, reason: String)
    /// `output_type` is not one of the four supported kinds.
    case unknownOutputType(path: String, value: String)
    /// `metric_list` names a metric that does not exist or does not fit the output type.
    case unknownMetric(path: String, metric: String, outputType: String, supported: [String])
    /// A Jinja template does not parse, or uses a construct outside the supported subset.
    case invalidTemplate(path: String, key: String, template: String, reason: String)
    /// A data file named by `data_files` does not exist.
    case missingDataFile(path: String, dataFile: String)
    /// A data row is malformed (bad JSON, wrong number of CSV fields).
    case malformedRow(path: String, line: Int, reason: String)
    /// A template uses a field the row does not have (Jinja's StrictUndefined).
    case missingField(path: String, line: Int, field: String, key: String)
    /// A template failed on a row for another reason (wrong type, bad index, …).
    case templateFailed(path: String, line: Int, key: String, reason: String)
    /// `doc_to_choice` produced no choices for a row.
    case emptyChoices(path: String, line: Int, task: String)
    /// The gold label is not a valid index into the choices (or not one of them).
    case goldOutOfRange(path: String, line: Int, task: String, gold: String, choiceCount: Int)
    /// The split the task evaluates is not among `data_files`.
    case missingSplit(path: String, split: String, available: [String])
    /// The evaluation split's data files hold no rows.
    case emptySplit(path: String, split: String, dataFiles: [String])
    /// `--tasks` names a task the suite does not have.
    case unknownTask(name: String, suite: String, available: [String])
    /// A request cannot be scored at all (its continuation alone is longer than the window).
    case requestTooLong(task: String, itemId: Int, tokens: Int, maxLength: Int)
    /// The model side failed (forward pass, tokenizer).
    case modelFailure(reason: String)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "\(path): cannot read the file (\(reason)). Check the path and permissions."
        case .invalidYAML(let path, let reason):
            return "\(path): not valid YAML (\(reason)). Fix the syntax at the position shown."
        case .unknownKey(let path, let key, let line, let allowed):
            return "\(path)\(line.map { ":\($0)" } ?? ""): unknown key '\(key)'. Supported keys: "
                + allowed.joined(separator: ", ")
                + ". ForgetMeNot reads this subset of lm-eval's task schema (docs/probes.md);"
                + " remove the key or express it with the supported ones."
        case .pythonHook(let path, let key, let line):
            return "\(path)\(line.map { ":\($0)" } ?? ""): '\(key)' uses a Python hook (!function);"
                + " ForgetMeNot runs no Python. Put the strings in the data file or use a Jinja"
                + " template instead."
        case .missingKey(let path, let key):
            return "\(path): required key '\(key)' is missing. Add it to the task file."
        case .invalidValue(let path, let key, let reason):
            return "\(path): invalid value for '\(key)': \(reason)."
        case .unknownOutputType(let path, let value):
            return "\(path): unknown output_type '\(value)'. Use one of multiple_choice,"
                + " generate_until, loglikelihood_rolling, loglikelihood."
        case .unknownMetric(let path, let metric, let outputType, let supported):
            return "\(path): metric '\(metric)' is not available for output_type \(outputType)."
                + " Supported: " + supported.joined(separator: ", ") + "."
        case .invalidTemplate(let path, let key, let template, let reason):
            return "\(path): the template in '\(key)' (\(ProbeValue.pythonStringRepr(template)))"
                + " cannot be used: \(reason)."
        case .missingDataFile(let path, let dataFile):
            return "\(path): data file \(dataFile) does not exist. Paths in"
                + " dataset_kwargs.data_files are relative to the task file."
        case .malformedRow(let path, let line, let reason):
            return "\(path):\(line): malformed row: \(reason). Fix or remove this line."
        case .missingField(let path, let line, let field, let key):
            return "\(path):\(line): the row has no field '\(field)', which \(key) uses."
                + " Add the field to every row or change the template."
        case .templateFailed(let path, let line, let key, let reason):
            return "\(path):\(line): \(key) failed on this row: \(reason)."
        case .emptyChoices(let path, let line, let task):
            return "\(path):\(line): task \(task): doc_to_choice gave no choices for this row."
                + " Every multiple-choice row needs at least one choice."
        case .goldOutOfRange(let path, let line, let task, let gold, let choiceCount):
            return "\(path):\(line): task \(task): gold label \(gold) is not a valid choice"
                + " (the row has \(choiceCount) choices, indices 0..<\(choiceCount))."
                + " Fix the label or doc_to_target."
        case .missingSplit(let path, let split, let available):
            return "\(path): split '\(split)' is not in dataset_kwargs.data_files (have: "
                + available.joined(separator: ", ") + ")."
        case .emptySplit(let path, let split, let dataFiles):
            return "\(path): split '\(split)' has no rows (data files: "
                + dataFiles.joined(separator: ", ") + "). Add rows or point data_files at"
                + " the right file."
        case .unknownTask(let name, let suite, let available):
            return "\(suite): no task named '\(name)'. Tasks in this suite: "
                + available.joined(separator: ", ") + "."
        case .requestTooLong(let task, let itemId, let tokens, let maxLength):
            return "task \(task), item \(itemId): the continuation alone is \(tokens) tokens,"
                + " longer than the model's window of \(maxLength); it cannot be scored."
                + " Shorten the choices or use a model with a longer context."
        case .modelFailure(let reason):
            return "model failure: \(reason)"
        }
    }
}
