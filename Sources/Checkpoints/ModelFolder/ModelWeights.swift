import Foundation
import Tensors

/// The validated weights of a model folder: one `model.safetensors`, or the shards named by
/// `model.safetensors.index.json`, presented as one name → tensor collection.
///
/// Every file is memory-mapped and its header validated when this is made; tensors are decoded
/// only on request. For a sharded checkpoint the index must agree with the shards exactly: every
/// `weight_map` entry is in the shard it names, every tensor of a shard is in `weight_map`, and
/// no tensor is stored twice.
public struct ModelWeights: Sendable {
    /// The files, in the order they were opened (shards sorted by name).
    public let files: [SafetensorsFile]
    private let fileForTensor: [String: Int]

    /// Wraps already-opened files.
    /// - Throws: `SafetensorsError.duplicateTensor` when two files hold the same name.
    public init(files: [SafetensorsFile]) throws {
        var map: [String: Int] = [:]
        for (index, file) in files.enumerated() {
            for name in file.tensorNames {
                if let other = map[name] {
                    throw SafetensorsError.duplicateTensor(
                        path: file.url.path, tensor: name, otherPath: files[other].url.path)
                }
                map[name] = index
            }
        }
        self.files = files
        self.fileForTensor = map
    }

    /// All tensor names, sorted.
    public var tensorNames: [String] { fileForTensor.keys.sorted() }

    /// Whether a tensor of this name exists.
    public func contains(_ name: String) -> Bool { fileForTensor[name] != nil }

    /// The file holding `name`.
    /// - Throws: `SafetensorsError.missingTensor` naming the folder (or single file).
    public func file(holding name: String) throws -> SafetensorsFile {
        guard let index = fileForTensor[name] else {
            let location =
                files.count == 1
                ? files[0].url.path
                : files.first?.url.deletingLastPathComponent().path ?? "<no files>"
            throw SafetensorsError.missingTensor(path: location, tensor: name)
        }
        return files[index]
    }

    /// The header entry of one tensor (dtype, shape, offsets).
    /// - Throws: `SafetensorsError.missingTensor`.
    public func info(named name: String) throws -> SafetensorsTensorInfo {
        try file(holding: name).info(named: name)
    }

    /// One tensor decoded to `Float` (see ``SafetensorsFile/tensor(named:)``).
    /// - Throws: `SafetensorsError.missingTensor` or `.unsupportedDType`.
    public func tensor(named name: String) throws -> Tensor {
        try file(holding: name).tensor(named: name)
    }

    /// Every tensor's shape, without decoding any data (e.g. to validate an adapter).
    public var shapes: [String: [Int]] {
        var result: [String: [Int]] = [:]
        for file in files {
            for (name, info) in file.infos { result[name] = info.shape }
        }
        return result
    }

    /// Every tensor decoded to `Float`.
    /// - Throws: as ``tensor(named:)``.
    public func tensors() throws -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for file in files {
            for name in file.tensorNames { result[name] = try file.tensor(named: name) }
        }
        return result
    }
}
