import Foundation

/// Everything that can go wrong when loading a model or adapter into the Transformer module, or
/// when running it on given data: each case names the file or tensor and says how to fix it.
public enum TransformerError: Error, CustomStringConvertible, Sendable, Equatable {
    /// `config.json` could not be read or decoded.
    case unreadableConfiguration(path: String, reason: String)
    /// `architectures` names no supported decoder.
    case unsupportedArchitecture(path: String, architectures: [String])
    /// A configuration value is outside what this implementation supports.
    case unsupportedSetting(path: String, key: String, value: String, reason: String)
    /// A weight the configuration requires is not in the checkpoint.
    case missingTensor(name: String, source: String)
    /// A weight has another shape than the configuration implies.
    case shapeMismatch(name: String, expected: [Int], actual: [Int], source: String)
    /// The checkpoint holds a tensor the model does not use.
    case unexpectedTensor(name: String, source: String)
    /// The adapter does not fit the model (rank, target module, layer).
    case invalidAdapter(source: String, reason: String)
    /// A token id is outside `0..<vocabSize`.
    case tokenOutOfRange(token: Int, vocabSize: Int)
    /// A sequence is longer than the model's position table allows.
    case sequenceTooLong(length: Int, maximum: Int)

    public var description: String {
        switch self {
        case .unreadableConfiguration(let path, let reason):
            return "\(path): cannot read the model configuration: \(reason). "
                + "Expected a Hugging Face config.json (transformers v4 or v5)."
        case .unsupportedArchitecture(let path, let architectures):
            return "\(path): architectures \(architectures) is not supported; "
                + "supported: \(TransformerConfiguration.Architecture.allCases.map(\.rawValue)). "
                + "Convert the model to a Llama-family checkpoint or pick another model."
        case .unsupportedSetting(let path, let key, let value, let reason):
            return "\(path): \(key) = \(value) is not supported: \(reason)."
        case .missingTensor(let name, let source):
            return "\(source): tensor '\(name)' is missing; the configuration requires it. "
                + "Check that the weights belong to this config.json."
        case .shapeMismatch(let name, let expected, let actual, let source):
            return "\(source): tensor '\(name)' has shape \(actual), but the configuration "
                + "implies \(expected). Check that the weights belong to this config.json."
        case .unexpectedTensor(let name, let source):
            return "\(source): tensor '\(name)' is not a parameter of this model; "
                + "the checkpoint and config.json disagree."
        case .invalidAdapter(let source, let reason):
            return "\(source): the adapter does not fit the model: \(reason)."
        case .tokenOutOfRange(let token, let vocabSize):
            return "token id \(token) is outside the vocabulary 0..<\(vocabSize); "
                + "the data was tokenized for another model."
        case .sequenceTooLong(let length, let maximum):
            return "sequence of \(length) tokens exceeds max_position_embeddings \(maximum); "
                + "shorten it (--max-seq-len)."
        }
    }
}
