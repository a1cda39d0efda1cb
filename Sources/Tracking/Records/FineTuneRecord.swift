/// The start of a fine-tune (`ExperimentStore.beginFineTune`): a `fineTune` row in `running`.
public struct FineTuneRecord: Codable, Equatable, Sendable {
    /// Commit id of the checkpoint being fine-tuned; it must already be recorded.
    public var parentCommitId: String
    /// `"full"` or `"lora"` (or another method name).
    public var method: String
    /// The training configuration (hyperparameters, data files), stored as JSON text.
    public var configuration: JSONValue
    /// The `fmn` version running it.
    public var toolVersion: String

    public init(
        parentCommitId: String, method: String, configuration: JSONValue, toolVersion: String
    ) {
        self.parentCommitId = parentCommitId
        self.method = method
        self.configuration = configuration
        self.toolVersion = toolVersion
    }
}
