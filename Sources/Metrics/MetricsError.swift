/// What can go wrong reading prediction/reference files for scoring. Every case names the file
/// (and the 1-based line where there is one), and its `description` says how to fix it.
public enum MetricsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be read at all.
    case unreadableFile(path: String, reason: String)
    /// A line is not valid UTF-8.
    case invalidUTF8(path: String, line: Int)
    /// A JSON Lines line is not a JSON object.
    case invalidJSON(path: String, line: Int, reason: String)
    /// A JSON Lines object lacks a field or has it with the wrong type.
    case invalidField(path: String, line: Int, field: String, reason: String)
    /// The predictions file and a references file have different numbers of lines.
    case lineCountMismatch(
        predictionsPath: String, predictions: Int, referencesPath: String, references: Int)
    /// The input holds no pair at all.
    case noPairs(path: String)

    /// What happened, where (file and line), and how to fix it.
    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "\(path): cannot read the file (\(reason)); check the path and permissions"
        case .invalidUTF8(let path, let line):
            return "\(path):\(line): the line is not valid UTF-8; re-encode the file as UTF-8"
        case .invalidJSON(let path, let line, let reason):
            return "\(path):\(line): invalid JSON (\(reason)); each line must be one JSON object "
                + "such as {\"prediction\": \"…\", \"reference\": \"…\"}"
        case .invalidField(let path, let line, let field, let reason):
            return "\(path):\(line): field \"\(field)\" \(reason); each line needs a string "
                + "\"prediction\" and either a string \"reference\" or a non-empty array of "
                + "strings \"references\""
        case .lineCountMismatch(
            let predictionsPath, let predictions, let referencesPath,
            let references):
            let line = min(predictions, references) + 1
            let shorter = predictions < references ? predictionsPath : referencesPath
            return "\(shorter):\(line): line missing: \(predictionsPath) has \(predictions) "
                + "lines but \(referencesPath) has \(references); give one reference per "
                + "prediction, line by line"
        case .noPairs(let path):
            return "\(path): no prediction/reference pairs found; the file is empty"
        }
    }
}
