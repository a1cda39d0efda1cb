/// Errors of experiment files and experiment runs; each names the file and says how to fix it.
public enum PipelineError: Error, CustomStringConvertible, Equatable {
    /// The file could not be read.
    case unreadableFile(path: String, reason: String)
    /// The file is not valid YAML.
    case invalidYAML(path: String, reason: String)
    /// A field of an experiment file is missing, unknown or wrong.
    case invalidExperiment(path: String, field: String, reason: String)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            "cannot read \(path): \(reason)"
        case .invalidYAML(let path, let reason):
            "\(path) is not valid YAML: \(reason)"
        case .invalidExperiment(let path, let field, let reason):
            "\(path): field \(field): \(reason)"
        }
    }
}
