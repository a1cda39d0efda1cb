import Checkpoints
import Foundation
import Tensors
import Tokenizers
import Transformer

/// Fine-tunes a Hugging Face model folder on a JSONL data file, full or LoRA, and writes the
/// result: a PEFT adapter folder (LoRA) or a Hugging Face model folder with `config.json`,
/// tokenizer files and `model.safetensors` (full), each with `training_log.jsonl` and
/// `training_args.json`.
///
/// The run: read the model (and `tokenizer.json` when present) → read and tokenize the data
/// (``TrainingDataset``, ``ExampleEncoding``) → attach adapters (new, `initAdapter`, or the
/// resumed ones) → for each optimizer step, `K = gradientAccumulationSteps` micro-batches from
/// the ``BatchSchedule`` stream and one ``TrainingState`` step with the
/// ``LearningRateSchedule``'s rate → every `saveEvery` steps a ``TrainingCheckpoint`` in
/// `<out>-checkpoints/checkpoint-<step>/` → the result, written to a hidden temporary sibling
/// of `<out>` and renamed into place only when complete.
///
/// Randomness comes from `seed` only: new LoRA factors (`SeededGenerator(seed)`), epoch
/// permutations (``BatchSchedule``) and LoRA dropout (`SeededGenerator(seed + 1)`). A run
/// resumed from a checkpoint restores the generator, the optimizer and the data position and
/// so reaches the same weights as an uninterrupted run.
///
/// Progress is reported through `run(onEvent:)`; nothing is printed.
public struct Trainer: Sendable {
    /// The base model folder (`config.json`, `model.safetensors`, optionally `tokenizer.json`).
    public var modelFolder: URL
    /// The JSONL data file.
    public var dataFile: URL
    /// Where the result goes; must not exist.
    public var outputFolder: URL
    /// The run's settings.
    public var configuration: TrainingConfiguration
    /// A PEFT adapter folder LoRA training starts from instead of a fresh adapter (its rank,
    /// alpha, dropout and targets replace the configuration's).
    public var initialAdapter: URL?
    /// A checkpoint folder (`checkpoint-<step>`) to continue from.
    public var resumeFolder: URL?

    public init(
        modelFolder: URL, dataFile: URL, outputFolder: URL, configuration: TrainingConfiguration,
        initialAdapter: URL? = nil, resumeFolder: URL? = nil
    ) {
        self.modelFolder = modelFolder
        self.dataFile = dataFile
        self.outputFolder = outputFolder
        self.configuration = configuration
        self.initialAdapter = initialAdapter
        self.resumeFolder = resumeFolder
    }

    /// Where `--save-every` states go: `<out>-checkpoints/`.
    public var checkpointsFolder: URL {
        outputFolder.deletingLastPathComponent()
            .appendingPathComponent(outputFolder.lastPathComponent + "-checkpoints")
    }

    /// Runs the fine-tune to the end.
    /// - Parameter onEvent: called on the calling thread for each ``TrainingEvent``.
    /// - Returns: the summary also sent as `.finished`.
    /// - Throws: `TrainingError` (data, settings, NaN/Inf, resume state, output), or the
    ///   `Checkpoints`/`Transformer`/`Tokenizers` error naming the file that could not be read.
    @discardableResult
    public func run(onEvent: (TrainingEvent) -> Void = { _ in }) throws -> TrainingSummary {
        let config = configuration
        try config.validate()
        let manager = FileManager.default
        if manager.fileExists(atPath: outputFolder.path) {
            throw TrainingError.outputExists(path: outputFolder.path)
        }
        var model = try DecoderModel.load(modelFolder: modelFolder)
        let modelConfiguration = model.configuration
        let tokenizerURL = modelFolder.appendingPathComponent("tokenizer.json")
        let tokenizer =
            manager.fileExists(atPath: tokenizerURL.path)
            ? try Tokenizer(contentsOf: modelFolder) : nil
        let maxLength = config.maxSequenceLength ?? modelConfiguration.maxPositionEmbeddings
        if maxLength > modelConfiguration.maxPositionEmbeddings {
            throw TrainingError.invalidSettings(
                reason: "max sequence length \(maxLength) exceeds the model's "
                    + "max_position_embeddings \(modelConfiguration.maxPositionEmbeddings)")
        }
        let dataset = try TrainingDataset(
            contentsOf: dataFile,
            encoding: ExampleEncoding(tokenizer: tokenizer, maxSequenceLength: maxLength),
            vocabularySize: modelConfiguration.vocabSize)

        // Adapters and the state.
        let saved = try resumeFolder.map { try TrainingCheckpoint.readState($0) }
        if let saved { try check(saved, against: config, exampleCount: dataset.examples.count) }
        var adapterConfiguration: LoRAAdapterConfiguration?
        if config.method == .lora {
            if let resumeFolder {
                adapterConfiguration = try model.loadAdapter(folder: resumeFolder)
            } else if let initialAdapter {
                adapterConfiguration = try model.loadAdapter(folder: initialAdapter)
            } else {
                let lora = try newAdapterConfiguration()
                var generator = SeededGenerator(seed: config.seed)
                model.attachNewAdapters(lora, using: &generator)
                adapterConfiguration = lora
            }
            adapterConfiguration!.baseModelNameOrPath = modelFolder.path
            adapterConfiguration!.inferenceMode = true
        }
        let trainable: TrainableParameters = config.method == .lora ? .adapters : .baseWeights
        var state = TrainingState(
            model: model, trainable: trainable, optimizer: AdamW(configuration: config.adamW),
            generator: SeededGenerator(seed: config.seed &+ 1))
        var log: [TrainingStepRecord] = []
        if let saved, let resumeFolder {
            log = try TrainingCheckpoint.restore(&state, from: resumeFolder, saved: saved)
        }

        // The plan.
        let batches = BatchSchedule(
            lengths: dataset.examples.map(\.count), batchSize: config.batchSize,
            shuffle: config.shuffle, seed: config.seed)
        let totalSteps = Self.totalSteps(config, batchesPerEpoch: batches.batchesPerEpoch)
        let schedule = LearningRateSchedule(
            kind: config.schedule, peakLearningRate: config.learningRate,
            warmupSteps: config.warmupSteps, totalSteps: totalSteps)
        let trainableCount = state.model.trainableTensors(trainable).reduce(0) {
            $0 + $1.value.count
        }
        onEvent(
            .prepared(
                TrainingPlan(
                    exampleCount: dataset.examples.count, truncatedCount: dataset.truncatedCount,
                    tokenCount: dataset.tokenCount, scoredTokenCount: dataset.scoredTokenCount,
                    totalSteps: totalSteps, batchesPerEpoch: batches.batchesPerEpoch,
                    trainableParameterCount: trainableCount, startStep: state.step,
                    maxSequenceLength: maxLength)))

        // The loop.
        let clock = ContinuousClock()
        let start = clock.now
        var cachedEpoch = -1
        var epochBatches: [[Int]] = []
        var firstLoss: Double?
        var lastLoss: Double?
        var tokensDone = 0
        while state.step < totalSteps {
            var micro: [TrainingBatch] = []
            for k in 0..<config.gradientAccumulationSteps {
                let position = state.dataPosition + k
                let epoch = position / batches.batchesPerEpoch
                if epoch != cachedEpoch {
                    epochBatches = batches.batches(epoch: epoch)
                    cachedEpoch = epoch
                }
                let indices = epochBatches[position % batches.batchesPerEpoch]
                micro.append(TrainingBatch(indices.map { dataset.examples[$0] }))
            }
            let stepStart = clock.now
            let learningRate = schedule.learningRate(atStep: state.step + 1)
            let outcome = try state.step(
                microBatches: micro, learningRate: learningRate, maxGradNorm: config.maxGradNorm,
                decayPolicy: config.weightDecayPolicy)
            let seconds = Self.seconds(clock.now - stepStart)
            tokensDone += outcome.tokens
            firstLoss = firstLoss ?? outcome.loss
            lastLoss = outcome.loss
            let record = TrainingStepRecord(
                step: state.step, loss: outcome.loss, learningRate: learningRate,
                gradNorm: outcome.gradNorm,
                tokensPerSecond: seconds > 0 ? Double(outcome.tokens) / seconds : 0,
                epoch: Double(state.dataPosition) / Double(batches.batchesPerEpoch),
                scoredTokens: outcome.scoredTokens,
                elapsedSeconds: Self.seconds(clock.now - start))
            log.append(record)
            onEvent(.step(record))
            if let every = config.saveEvery, state.step % every == 0, state.step < totalSteps {
                let folder = checkpointsFolder.appendingPathComponent("checkpoint-\(state.step)")
                if manager.fileExists(atPath: folder.path) { try? manager.removeItem(at: folder) }
                try TrainingCheckpoint.save(
                    state, configuration: config, exampleCount: dataset.examples.count,
                    adapterConfiguration: adapterConfiguration, log: log, to: folder)
                onEvent(.saved(step: state.step, folder: folder))
            }
        }
        let elapsed = Self.seconds(clock.now - start)

        try writeOutput(state: state, adapterConfiguration: adapterConfiguration, log: log)
        let summary = TrainingSummary(
            output: outputFolder.path, method: config.method, steps: state.step,
            firstLoss: firstLoss, finalLoss: lastLoss, truncatedCount: dataset.truncatedCount,
            elapsedSeconds: elapsed, tokensPerSecond: elapsed > 0 ? Double(tokensDone) / elapsed : 0
        )
        onEvent(.finished(summary))
        return summary
    }

    /// Optimizer steps of a run: `maxSteps`, else `ceil(epochs · batchesPerEpoch / K)`.
    public static func totalSteps(_ config: TrainingConfiguration, batchesPerEpoch: Int) -> Int {
        if let maxSteps = config.maxSteps { return maxSteps }
        let microBatches = (config.epochs * Double(batchesPerEpoch)).rounded(.up)
        return max(1, Int((microBatches / Double(config.gradientAccumulationSteps)).rounded(.up)))
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }

    /// The adapter configuration of a fresh LoRA run.
    func newAdapterConfiguration() throws -> LoRAAdapterConfiguration {
        for name in configuration.targetModules
        where CheckpointNaming.Projection(rawValue: name) == nil {
            throw TrainingError.invalidSettings(
                reason: "unknown target module '\(name)'; use names among "
                    + CheckpointNaming.Projection.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return LoRAAdapterConfiguration(
            rank: configuration.loraRank, alpha: configuration.loraAlpha,
            dropout: configuration.loraDropout, targetModules: .names(configuration.targetModules),
            baseModelNameOrPath: modelFolder.path)
    }

    /// Refuses to resume under settings that would change the result.
    func check(
        _ saved: TrainingCheckpoint.State, against config: TrainingConfiguration, exampleCount: Int
    ) throws {
        var expected = saved.configuration
        var current = config
        // Saving more or less often does not change the weights.
        expected.saveEvery = nil
        current.saveEvery = nil
        guard expected == current else {
            throw TrainingError.invalidResumeState(
                path: resumeFolder?.path ?? "",
                reason: "the settings differ from the saved run's; pass the same flags as the run "
                    + "that wrote it")
        }
        guard saved.exampleCount == exampleCount else {
            throw TrainingError.invalidResumeState(
                path: resumeFolder?.path ?? "",
                reason: "the saved run had \(saved.exampleCount) examples, the data file has "
                    + "\(exampleCount)")
        }
    }

    /// Writes the result into a temporary sibling and renames it to `outputFolder`.
    func writeOutput(
        state: TrainingState, adapterConfiguration: LoRAAdapterConfiguration?,
        log: [TrainingStepRecord]
    ) throws {
        let manager = FileManager.default
        let parent = outputFolder.deletingLastPathComponent()
        let temporary = parent.appendingPathComponent(
            ".\(outputFolder.lastPathComponent).incomplete-\(UUID().uuidString)")
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
            if let adapterConfiguration {
                try AdapterFolder.write(
                    to: temporary, configuration: adapterConfiguration,
                    weights: state.model.adapterWeights())
            } else {
                let source = try ModelFolder(url: modelFolder)
                let generation = try source.generationConfigurationURL.map {
                    try Data(contentsOf: $0)
                }
                try ModelFolder.write(
                    to: temporary, configuration: try source.configurationData(),
                    tensors: Dictionary(
                        uniqueKeysWithValues: state.model.namedWeights().map { ($0.name, $0.value) }
                    ),
                    generationConfiguration: generation, tokenizerSource: source)
            }
            try TrainingLog.encode(log).write(
                to: temporary.appendingPathComponent(TrainingCheckpoint.logFileName))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(configuration).write(
                to: temporary.appendingPathComponent("training_args.json"))
            if manager.fileExists(atPath: outputFolder.path) {
                throw TrainingError.outputExists(path: outputFolder.path)
            }
            try manager.moveItem(at: temporary, to: outputFolder)
        } catch let error as TrainingError {
            try? manager.removeItem(at: temporary)
            throw error
        } catch {
            try? manager.removeItem(at: temporary)
            throw TrainingError.writeFailed(path: outputFolder.path, reason: "\(error)")
        }
    }
}
