import Foundation
import Tensors

/// A PEFT LoRA adapter folder: `adapter_config.json` plus `adapter_model.safetensors`, read as
/// peft writes them and written so that peft's `PeftModel.from_pretrained` loads them.
///
/// Weights are keyed by the base weight they adapt (`model.layers.0.self_attn.q_proj.weight`);
/// in the file they are `base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight` `[R, in]`
/// and `...lora_B.weight` `[out, R]` (see ``CheckpointNaming``). A pickled `adapter_model.bin` is
/// refused, never unpickled.
///
/// Checks made by ``loadWeights(baseShapes:)``: every tensor is a LoRA factor of a Llama
/// projection; its module is targeted by the configuration (`target_modules`,
/// `layers_to_transform`); both factors are present; each is a matrix whose rank dimension is `r`;
/// and, given the base model's shapes, each pair fits its base weight `[out, in]` and every
/// targeted base projection has a pair.
///
/// ### References
/// peft `PeftModel.save_pretrained` / `from_pretrained`, `get_peft_model_state_dict`.
public struct AdapterFolder: Sendable {
    /// `adapter_config.json`.
    public static let configurationFileName = "adapter_config.json"
    /// `adapter_model.safetensors`.
    public static let weightsFileName = "adapter_model.safetensors"

    /// The folder.
    public let url: URL
    /// The decoded, checked configuration.
    public let configuration: LoRAAdapterConfiguration
    /// `adapter_config.json`.
    public var configurationURL: URL { url.appendingPathComponent(Self.configurationFileName) }
    /// `adapter_model.safetensors`.
    public var weightsURL: URL { url.appendingPathComponent(Self.weightsFileName) }

    /// Reads the configuration of the adapter folder at `url` and checks the weights file exists.
    /// - Throws: `SafetensorsError.missingFile`, `.pickledCheckpoint` (only `adapter_model.bin`),
    ///   or any configuration error of ``LoRAAdapterConfiguration/init(contentsOf:)``.
    public init(url: URL) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw SafetensorsError.missingFile(path: url.path, expected: "an adapter folder")
        }
        let configurationURL = url.appendingPathComponent(Self.configurationFileName)
        guard manager.fileExists(atPath: configurationURL.path) else {
            throw SafetensorsError.missingFile(path: url.path, expected: Self.configurationFileName)
        }
        if !manager.fileExists(atPath: url.appendingPathComponent(Self.weightsFileName).path) {
            let pickled = url.appendingPathComponent("adapter_model.bin")
            if manager.fileExists(atPath: pickled.path) {
                throw SafetensorsError.pickledCheckpoint(path: pickled.path)
            }
            throw SafetensorsError.missingFile(path: url.path, expected: Self.weightsFileName)
        }
        self.url = url
        self.configuration = try LoRAAdapterConfiguration(contentsOf: configurationURL)
    }

    /// Reads and checks the LoRA factors.
    /// - Parameter baseShapes: the base model's weight shapes by name (e.g.
    ///   ``ModelWeights/shapes``); when given, each pair must fit its base weight and every
    ///   targeted projection of the base model must have a pair.
    /// - Returns: factors by base weight name, e.g. `model.layers.0.self_attn.q_proj.weight`.
    /// - Throws: any `SafetensorsFile` error, `.unexpectedAdapterTensor`,
    ///   `.adapterTargetNotConfigured`, `.adapterRankMismatch`, `.adapterShapeMismatch`,
    ///   `.missingTensor`.
    public func loadWeights(baseShapes: [String: [Int]]? = nil) throws -> [String: LoRAWeights] {
        let file = try SafetensorsFile(contentsOf: weightsURL)
        let path = weightsURL.path
        let rank = configuration.rank
        var factors: [String: (a: Tensor?, b: Tensor?)] = [:]
        var keys: [String: CheckpointNaming.LoRAKey] = [:]
        for name in file.tensorNames {
            guard let key = CheckpointNaming.loraKey(parsing: name) else {
                throw SafetensorsError.unexpectedAdapterTensor(
                    path: path, tensor: name,
                    reason: "not a lora_A/lora_B weight of a Llama projection (embedding adapters, "
                        + "biases and modules_to_save are not supported)")
            }
            guard configuration.targets(layer: key.layer, key.projection) else {
                throw SafetensorsError.adapterTargetNotConfigured(
                    path: path, tensor: name, module: key.modulePath,
                    targets: configuration.targetDescription
                        + (configuration.layersToTransform.map { ", layers_to_transform \($0)" }
                            ?? ""))
            }
            let shape = try file.info(named: name).shape
            let rankAxis = key.factor == .a ? 0 : 1
            guard shape.count == 2, shape[rankAxis] == rank else {
                throw SafetensorsError.adapterRankMismatch(
                    path: path, tensor: name, rank: rank, shape: shape)
            }
            if let baseShapes {
                guard let base = baseShapes[key.baseWeight] else {
                    throw SafetensorsError.unexpectedAdapterTensor(
                        path: path, tensor: name,
                        reason: "the base model has no weight '\(key.baseWeight)'")
                }
                let expected = key.factor == .a ? [rank, base.last ?? 0] : [base.first ?? 0, rank]
                guard base.count == 2, shape == expected else {
                    throw SafetensorsError.adapterShapeMismatch(
                        path: path, tensor: name, shape: shape, expected: expected,
                        baseWeight: key.baseWeight)
                }
            }
            let tensor = try file.tensor(named: name)
            keys[key.baseWeight] = key
            if key.factor == .a {
                factors[key.baseWeight, default: (nil, nil)].a = tensor
            } else {
                factors[key.baseWeight, default: (nil, nil)].b = tensor
            }
        }
        var result: [String: LoRAWeights] = [:]
        for (baseWeight, pair) in factors {
            let key = keys[baseWeight]!
            guard let a = pair.a else {
                throw SafetensorsError.missingTensor(
                    path: path,
                    tensor: CheckpointNaming.loraKey(layer: key.layer, key.projection, .a))
            }
            guard let b = pair.b else {
                throw SafetensorsError.missingTensor(
                    path: path,
                    tensor: CheckpointNaming.loraKey(layer: key.layer, key.projection, .b))
            }
            result[baseWeight] = LoRAWeights(a: a, b: b)
        }
        if let baseShapes {
            for name in baseShapes.keys.sorted() {
                guard let (layer, projection) = CheckpointNaming.parseProjectionWeight(name),
                    configuration.targets(layer: layer, projection), result[name] == nil
                else { continue }
                throw SafetensorsError.missingTensor(
                    path: path, tensor: CheckpointNaming.loraKey(layer: layer, projection, .a))
            }
        }
        return result
    }

    /// Writes an adapter folder atomically (temporary sibling folder, then rename): the
    /// configuration as peft 0.21.2 writes it (``LoRAAdapterConfiguration/peftJSONText``) and the
    /// factors under peft's saved names, as F32 with `{"format": "pt"}` metadata.
    /// - Parameters:
    ///   - url: destination folder (replaced if it exists).
    ///   - configuration: the adapter's configuration.
    ///   - weights: factors by base weight name (`model.layers.{i}.{block}.{proj}.weight`).
    /// - Returns: the written folder, opened.
    /// - Throws: `SafetensorsError.unexpectedAdapterTensor` (a key that is not a projection
    ///   weight), `.adapterTargetNotConfigured`, `.adapterRankMismatch`, `.writeFailed`.
    @discardableResult
    public static func write(
        to url: URL, configuration: LoRAAdapterConfiguration, weights: [String: LoRAWeights]
    ) throws -> AdapterFolder {
        let weightsPath = url.appendingPathComponent(weightsFileName).path
        var tensors: [String: Tensor] = [:]
        for (baseWeight, pair) in weights {
            guard let (layer, projection) = CheckpointNaming.parseProjectionWeight(baseWeight)
            else {
                throw SafetensorsError.unexpectedAdapterTensor(
                    path: weightsPath, tensor: baseWeight,
                    reason: "not a Llama projection weight name")
            }
            let keyA = CheckpointNaming.loraKey(layer: layer, projection, .a)
            guard configuration.targets(layer: layer, projection) else {
                throw SafetensorsError.adapterTargetNotConfigured(
                    path: weightsPath, tensor: keyA,
                    module: CheckpointNaming.modulePath(layer: layer, projection),
                    targets: configuration.targetDescription)
            }
            guard pair.rank == configuration.rank else {
                throw SafetensorsError.adapterRankMismatch(
                    path: weightsPath, tensor: keyA, rank: configuration.rank, shape: pair.a.shape)
            }
            tensors[keyA] = pair.a
            tensors[CheckpointNaming.loraKey(layer: layer, projection, .b)] = pair.b
        }
        try AtomicWrite.folder(at: url) { folder in
            do {
                try Data(configuration.peftJSONText.utf8).write(
                    to: folder.appendingPathComponent(configurationFileName))
            } catch {
                throw SafetensorsError.writeFailed(
                    path: url.appendingPathComponent(configurationFileName).path,
                    reason: error.localizedDescription)
            }
            try SafetensorsWriter.write(tensors, to: folder.appendingPathComponent(weightsFileName))
        }
        return try AdapterFolder(url: url)
    }
}
