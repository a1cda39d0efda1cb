import Foundation

/// Every data and environment error of the `Training` module: data files, model and adapter
/// folders given to a run, numerical blow-ups and saved training state.
///
/// Each case names the file (and line, where there is one) or the step, and `description` says
/// what happened and how to fix it.
public enum TrainingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The data file could not be read.
    case unreadableData(path: String, reason: String)
    /// A line of a JSONL data file is not valid UTF-8.
    case invalidUTF8(path: String, line: Int)
    /// A line of a JSONL data file is not a JSON object.
    case invalidJSON(path: String, line: Int, reason: String)
    /// A line has none of the accepted field sets, or a field of the wrong type.
    case invalidExample(path: String, line: Int, reason: String)
    /// The data file holds no example.
    case emptyData(path: String)
    /// A token id of a pre-tokenized line lies outside the model's vocabulary.
    case tokenOutOfRange(path: String, line: Int, token: Int, vocabularySize: Int)
    /// A text example needs a tokenizer and the model folder has none.
    case missingTokenizer(path: String)
    /// The loss or a gradient became NaN or infinite.
    case nonFiniteLoss(step: Int, loss: Float)
    /// A gradient became NaN or infinite.
    case nonFiniteGradient(step: Int, tensor: String)
    /// The resume folder is missing a file or holds state that does not fit this run.
    case invalidResumeState(path: String, reason: String)
    /// The output folder exists already.
    case outputExists(path: String)
    /// Writing the output or a saved state failed.
    case writeFailed(path: String, reason: String)
    /// The run's settings do not fit the model or the data.
    case invalidSettings(reason: String)

    public var description: String {
        switch self {
        case .unreadableData(let path, let reason):
            return
                "\(path): cannot read the data file (\(reason)); check the path passed to --data."
        case .invalidUTF8(let path, let line):
            return "\(path):\(line): the line is not valid UTF-8; re-encode the file as UTF-8."
        case .invalidJSON(let path, let line, let reason):
            return "\(path):\(line): not a JSON object (\(reason)); each line must be one JSON "
                + "object such as {\"prompt\": \"...\", \"completion\": \"...\"}."
        case .invalidExample(let path, let line, let reason):
            return "\(path):\(line): \(reason); each line needs {\"prompt\", \"completion\"} "
                + "strings, a {\"text\"} string, or pre-tokenized {\"input_ids\", \"labels\"}."
        case .emptyData(let path):
            return "\(path): the data file holds no example; add JSONL lines."
        case .tokenOutOfRange(let path, let line, let token, let vocabularySize):
            return "\(path):\(line): token id \(token) is outside the model's vocabulary "
                + "(0..<\(vocabularySize)); the file was tokenized for another model."
        case .missingTokenizer(let path):
            return "\(path): no tokenizer.json in the model folder, but the data holds text; add "
                + "the model's tokenizer.json or pass pre-tokenized {\"input_ids\", \"labels\"} lines."
        case .nonFiniteLoss(let step, let loss):
            return "step \(step): the loss is \(loss); training stopped. Lower --learning-rate, "
                + "set --max-grad-norm, or check the data."
        case .nonFiniteGradient(let step, let tensor):
            return "step \(step): the gradient of \(tensor) is not finite; training stopped. Lower "
                + "--learning-rate or set --max-grad-norm."
        case .invalidResumeState(let path, let reason):
            return "\(path): cannot resume from this folder (\(reason)); pass a folder written by "
                + "--save-every for the same model, data and settings."
        case .outputExists(let path):
            return "\(path): the output folder exists already; choose another --out or remove it."
        case .writeFailed(let path, let reason):
            return "\(path): writing failed (\(reason)); nothing was left half-written."
        case .invalidSettings(let reason):
            return "invalid training settings: \(reason)"
        }
    }
}
