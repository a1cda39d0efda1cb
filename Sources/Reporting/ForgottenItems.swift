/// The items of one task that a lineage forgot for good: right at the base model and wrong at
/// every later checkpoint (``Analysis/ItemFlips/forgottenAtEveryLaterStage(lineage:from:)``).
public struct ForgottenItems: Codable, Sendable, Equatable {
    /// The probe task.
    public var task: String
    /// Ids of the items forgotten at every later stage, ascending.
    public var itemIds: [String]
    /// How many items were right at the base model (the denominator).
    public var rightAtBase: Int

    /// Creates a record.
    public init(task: String, itemIds: [String], rightAtBase: Int) {
        self.task = task
        self.itemIds = itemIds
        self.rightAtBase = rightAtBase
    }
}
