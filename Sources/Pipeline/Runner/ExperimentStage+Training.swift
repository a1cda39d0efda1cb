import Foundation
import Training

extension ExperimentStage {
    /// The `fmn train` settings of this stage: its `hyperparameters` and `lora` settings on top
    /// of `TrainingConfiguration`'s defaults, seeded with the experiment's seed.
    /// - Throws: `PipelineError.invalidExperiment` naming the hyper-parameter that does not parse.
    func trainingConfiguration(seed: UInt64, path: String) throws -> TrainingConfiguration {
        var configuration = TrainingConfiguration(method: method == .lora ? .lora : .full)
        configuration.seed = seed
        if let lora {
            configuration.loraRank = lora.rank
            configuration.loraAlpha = lora.alpha
            configuration.loraDropout = lora.dropout
            configuration.targetModules = lora.targetModules
        }
        func fail(_ key: String, _ expected: String) -> PipelineError {
            .invalidExperiment(
                path: path, field: "stage \(name): hyperparameters.\(key)",
                reason: "\"\(hyperparameters[key] ?? "")\" is not \(expected)")
        }
        for (key, text) in hyperparameters {
            switch key {
            case "learning-rate":
                guard let value = Double(text) else { throw fail(key, "a number") }
                configuration.learningRate = value
            case "weight-decay":
                guard let value = Double(text) else { throw fail(key, "a number") }
                configuration.weightDecay = value
            case "batch-size":
                guard let value = Int(text) else { throw fail(key, "an integer") }
                configuration.batchSize = value
            case "grad-accum":
                guard let value = Int(text) else { throw fail(key, "an integer") }
                configuration.gradientAccumulationSteps = value
            case "max-steps":
                guard let value = Int(text) else { throw fail(key, "an integer") }
                configuration.maxSteps = value
            case "epochs":
                guard let value = Double(text) else { throw fail(key, "a number") }
                configuration.epochs = value
            case "warmup-steps":
                guard let value = Int(text) else { throw fail(key, "an integer") }
                configuration.warmupSteps = value
            case "schedule":
                guard let value = LearningRateSchedule.Kind(rawValue: text) else {
                    throw fail(key, "constant, linear or cosine")
                }
                configuration.schedule = value
            case "max-grad-norm":
                guard let value = Double(text) else { throw fail(key, "a number") }
                configuration.maxGradNorm = value
            case "max-seq-len":
                guard let value = Int(text) else { throw fail(key, "an integer") }
                configuration.maxSequenceLength = value
            case "no-shuffle":
                guard let value = Bool(text) else { throw fail(key, "true or false") }
                configuration.shuffle = !value
            case "save-every":
                guard let value = Int(text) else { throw fail(key, "an integer") }
                configuration.saveEvery = value
            default:
                throw fail(key, "a known option")
            }
        }
        do {
            try configuration.validate()
        } catch {
            throw PipelineError.invalidExperiment(
                path: path, field: "stage \(name): hyperparameters", reason: "\(error)")
        }
        return configuration
    }
}
