import Checkpoints
import Foundation
import Tensors
import Transformer

/// A resumable training state on disk, written by `--save-every` and read by `--resume`.
///
/// Layout of a `checkpoint-<step>/` folder:
/// - LoRA: `adapter_config.json` + `adapter_model.safetensors` (a loadable PEFT adapter);
///   full fine-tune: `model.safetensors` (every weight, Hugging Face names);
/// - `optimizer.safetensors`: AdamW's moments as `<name>.exp_avg` and `<name>.exp_avg_sq`;
/// - `trainer_state.json`: step, data position (micro-batches consumed), the optimizer's step
///   count, the dropout generator's four state words (hex), the run's settings and the data
///   file's example count;
/// - `training_log.jsonl`: the steps logged so far.
///
/// Every folder is written under a temporary name and renamed when complete, so a killed run
/// leaves either a whole checkpoint or none.
public enum TrainingCheckpoint {
    /// `trainer_state.json`.
    public static let stateFileName = "trainer_state.json"
    /// `optimizer.safetensors`.
    public static let optimizerFileName = "optimizer.safetensors"
    /// `training_log.jsonl`.
    public static let logFileName = "training_log.jsonl"

    /// The scalar part of a saved state.
    public struct State: Codable, Sendable, Equatable {
        public var step: Int
        public var dataPosition: Int
        public var optimizerStep: Int
        /// The dropout generator's state words, as 16-digit hex strings.
        public var generatorState: [String]
        public var configuration: TrainingConfiguration
        public var exampleCount: Int

        enum CodingKeys: String, CodingKey {
            case step, configuration
            case dataPosition = "data_position"
            case optimizerStep = "optimizer_step"
            case generatorState = "generator_state"
            case exampleCount = "examples"
        }
    }

    /// Writes `state` to `folder` (which must not exist yet) atomically.
    /// - Parameters:
    ///   - adapterConfiguration: the adapter's configuration (LoRA only).
    ///   - log: the step records so far.
    /// - Throws: `TrainingError.writeFailed`, or a `Checkpoints` write error.
    public static func save(
        _ state: TrainingState, configuration: TrainingConfiguration, exampleCount: Int,
        adapterConfiguration: LoRAAdapterConfiguration?, log: [TrainingStepRecord], to folder: URL
    ) throws {
        let manager = FileManager.default
        let temporary = folder.deletingLastPathComponent()
            .appendingPathComponent(".\(folder.lastPathComponent).tmp-\(UUID().uuidString)")
        do {
            try manager.createDirectory(
                at: folder.deletingLastPathComponent(), withIntermediateDirectories: true)
            if state.trainable == .adapters, let adapterConfiguration {
                try AdapterFolder.write(
                    to: temporary, configuration: adapterConfiguration,
                    weights: state.model.adapterWeights())
            } else {
                try manager.createDirectory(at: temporary, withIntermediateDirectories: true)
                try SafetensorsWriter.write(
                    Dictionary(
                        uniqueKeysWithValues: state.model.namedWeights().map { ($0.name, $0.value) }
                    ),
                    to: temporary.appendingPathComponent(ModelFolder.weightsFileName))
            }
            var moments: [String: Tensor] = [:]
            for (name, m) in state.optimizer.moments {
                moments[name + ".exp_avg"] = m.first
                moments[name + ".exp_avg_sq"] = m.second
            }
            try SafetensorsWriter.write(
                moments, to: temporary.appendingPathComponent(optimizerFileName),
                metadata: ["format": "pt"])
            let scalar = State(
                step: state.step, dataPosition: state.dataPosition,
                optimizerStep: state.optimizer.stepCount,
                generatorState: state.generator.stateWords.map { String($0, radix: 16) },
                configuration: configuration, exampleCount: exampleCount)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(scalar).write(to: temporary.appendingPathComponent(stateFileName))
            try TrainingLog.encode(log).write(to: temporary.appendingPathComponent(logFileName))
            try manager.moveItem(at: temporary, to: folder)
        } catch let error as TrainingError {
            try? manager.removeItem(at: temporary)
            throw error
        } catch {
            try? manager.removeItem(at: temporary)
            throw TrainingError.writeFailed(path: folder.path, reason: "\(error)")
        }
    }

    /// Reads `trainer_state.json` of a checkpoint folder.
    /// - Throws: `TrainingError.invalidResumeState`.
    public static func readState(_ folder: URL) throws -> State {
        let url = folder.appendingPathComponent(stateFileName)
        guard let data = try? Data(contentsOf: url) else {
            throw TrainingError.invalidResumeState(path: folder.path, reason: "no \(stateFileName)")
        }
        do {
            return try JSONDecoder().decode(State.self, from: data)
        } catch {
            throw TrainingError.invalidResumeState(
                path: url.path, reason: "\(stateFileName) does not decode: \(error)")
        }
    }

    /// Restores the trainable tensors, optimizer, counters and generator of `folder` into
    /// `state` (whose model is the freshly loaded base model, with adapters attached for LoRA).
    /// - Returns: the step records logged before the save.
    /// - Throws: `TrainingError.invalidResumeState` for a missing file or a mismatch.
    public static func restore(
        _ state: inout TrainingState, from folder: URL, saved: State
    ) throws -> [TrainingStepRecord] {
        func fail(_ reason: String) -> TrainingError {
            TrainingError.invalidResumeState(path: folder.path, reason: reason)
        }
        do {
            if state.trainable == .baseWeights {
                let weights = try SafetensorsFile(
                    contentsOf: folder.appendingPathComponent(ModelFolder.weightsFileName)
                ).tensors()
                state.model = try DecoderModel(
                    configuration: state.model.configuration, weights: weights,
                    source: folder.appendingPathComponent(ModelFolder.weightsFileName).path)
            } else {
                try state.model.loadAdapter(folder: folder)
            }
            let file = try SafetensorsFile(
                contentsOf: folder.appendingPathComponent(optimizerFileName))
            let tensors = try file.tensors()
            var moments: [String: AdamW.Moments] = [:]
            for (name, value) in state.model.trainableTensors(state.trainable) {
                guard let m = tensors[name + ".exp_avg"], let v = tensors[name + ".exp_avg_sq"]
                else {
                    if saved.optimizerStep == 0 { continue }
                    throw fail("\(optimizerFileName) has no moments for \(name)")
                }
                guard m.shape == value.shape, v.shape == value.shape else {
                    throw fail(
                        "the moments of \(name) have shape \(m.shape), the tensor \(value.shape)")
                }
                moments[name] = AdamW.Moments(first: m, second: v)
            }
            state.optimizer = AdamW(
                configuration: state.optimizer.configuration, stepCount: saved.optimizerStep,
                moments: moments)
        } catch let error as TrainingError {
            throw error
        } catch {
            throw fail("\(error)")
        }
        let words = saved.generatorState.compactMap { UInt64($0, radix: 16) }
        guard words.count == 4, words.contains(where: { $0 != 0 }) else {
            throw fail("generator_state must hold four hex words")
        }
        state.generator = SeededGenerator(stateWords: words)
        state.step = saved.step
        state.dataPosition = saved.dataPosition
        let logURL = folder.appendingPathComponent(logFileName)
        guard let logData = try? Data(contentsOf: logURL) else { return [] }
        return try TrainingLog.decode(logData, path: logURL.path)
    }
}
