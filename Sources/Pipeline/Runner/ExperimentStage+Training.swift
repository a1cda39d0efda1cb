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
            func number() throws -> Double {
                guard let value = Double(text) else { throw fail(key, "a number") }
                return value
            }
            func integer() throws -> Int {
                guard let value = Int(text) else { throw fail(key, "an integer") }
                return value
            }
            switch key {
            case "learning-rate": configuration.learningRate = try number()
            case "weight-decay": configuration.weightDecay = try number()
            case "batch-size": configuration.batchSize = try integer()
            case "grad-accum": configuration.gradientAccumulationSteps = try integer()
            case "max-steps": configuration.maxSteps = try integer()
            case "epochs": configuration.epochs = try number()
            case "warmup-steps": configuration.warmupSteps = try integer()
            case "max-grad-norm": configuration.maxGradNorm = try number()
            case "max-seq-len": configuration.maxSequenceLength = try integer()
            case "save-every": configuration.saveEvery = try integer()
            case "schedule":
                guard let value = LearningRateSchedule.Kind(rawValue: text) else {
                    throw fail(key, "constant, linear or cosine")
                }
                configuration.schedule = value
            case "no-shuffle":
                guard let value = Bool(text) else { throw fail(key, "true or false") }
                configuration.shuffle = !value
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
