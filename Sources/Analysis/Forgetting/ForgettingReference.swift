/// The score that forgetting is measured against; every report states which one it used.
public enum ForgettingReference: String, Codable, Sendable, CaseIterable {
    /// Row 0, the base model (Luo et al. 2023; TRACE, Wang et al. 2023).
    case baseModel = "base_model"
    /// Row `i - 1`, the checkpoint the stage started from: what a merge gate compares against.
    case previousCheckpoint = "previous_checkpoint"
    /// The row of the first stage that trained on the task (Avalanche; GEM, Lopez-Paz & Ranzato
    /// 2017); undefined for tasks no stage trained on.
    case firstAfterLearning = "first_after_learning"
    /// The best score at any earlier row since the task was learned, or since the base for tasks
    /// no stage trained on (Chaudhry et al. 2018).
    case bestEver = "best_ever"

    /// A short human label for reports ("vs base model").
    public var label: String {
        switch self {
        case .baseModel: "vs base model"
        case .previousCheckpoint: "vs previous checkpoint"
        case .firstAfterLearning: "vs first score after learning"
        case .bestEver: "vs best score so far"
        }
    }
}
