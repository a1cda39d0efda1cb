/// Errors of experiment files and experiment runs; each names the file and says how to fix it.
public enum PipelineError: Error, CustomStringConvertible, Equatable {
    /// The file could not be read.
    case unreadableFile(path: String, reason: String)
    /// The file is not valid YAML.
    case invalidYAML(path: String, reason: String)
    /// A field of an experiment file is missing, unknown or wrong.
    case invalidExperiment(path: String, field: String, reason: String)
    /// The experiment was started before in this store and `--resume` was not given.
    case alreadyStarted(path: String, reason: String)
    /// A stored checkpoint cannot be loaded as a model.
    case unusableCheckpoint(commitId: String, reason: String)
    /// Two probe runs cannot be compared (different suites, missing items).
    case incomparableRuns(reason: String)
    /// A stage failed; the store and repository are left as they were before it.
    case stageFailed(stage: String, cause: String)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            "cannot read \(path): \(reason)"
        case .invalidYAML(let path, let reason):
            "\(path) is not valid YAML: \(reason)"
        case .invalidExperiment(let path, let field, let reason):
            "\(path): field \(field): \(reason)"
        case .alreadyStarted(let path, let reason):
            "\(path): \(reason)"
        case .unusableCheckpoint(let commitId, let reason):
            "checkpoint \(commitId.prefix(12)) cannot be loaded: \(reason)"
        case .incomparableRuns(let reason):
            "the probe runs cannot be compared: \(reason)"
        case .stageFailed(let stage, let cause):
            "stage \(stage) failed: \(cause). Nothing of it was recorded; fix the cause and run"
                + " again with --resume to continue from the finished stages"
        }
    }
}
