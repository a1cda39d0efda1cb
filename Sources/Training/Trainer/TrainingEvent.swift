import Foundation

/// What a ``Trainer`` reports while it runs; the CLI renders these (progress bar, plain lines
/// or JSON), the library never prints.
public enum TrainingEvent: Sendable {
    /// Data read and model ready; nothing trained yet.
    case prepared(TrainingPlan)
    /// One optimizer step finished.
    case step(TrainingStepRecord)
    /// Resumable state written after `step`.
    case saved(step: Int, folder: URL)
    /// The result is in place.
    case finished(TrainingSummary)
}
