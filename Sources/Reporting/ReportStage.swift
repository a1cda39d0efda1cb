/// One row of the lineage: a checkpoint and how it was made.
public struct ReportStage: Codable, Sendable, Equatable {
    /// The stage's (or base model's) name; equals the matrix row label.
    public var name: String
    /// How it was made: `base`, `full`, `lora`, ….
    public var method: String
    /// The parent stage's name (`nil` for the base).
    public var parent: String?
    /// The checkpoint's commit id (shortened in reports), if versioned.
    public var checkpoint: String?

    /// Creates a stage description.
    public init(name: String, method: String, parent: String? = nil, checkpoint: String? = nil) {
        self.name = name
        self.method = method
        self.parent = parent
        self.checkpoint = checkpoint
    }
}
