import Foundation
import Tensors

/// A Hugging Face model folder as `save_pretrained` writes it: where each file is, raw access to
/// `config.json`, and the weights.
///
/// Recognised files: `config.json` (required); the weights, either `model.safetensors` or the
/// shards listed in `model.safetensors.index.json` (`{"metadata": {"total_size": N},
/// "weight_map": {tensor: shard file}}`); tokenizer files `tokenizer.json`,
/// `tokenizer_config.json`, `special_tokens_map.json`, `tokenizer.model`; and
/// `generation_config.json`. When a folder has only pickled PyTorch weights
/// (`pytorch_model.bin`, `*.bin`, `*.pt`, `*.pth`) they are refused, never unpickled.
///
/// Decoding `config.json` into a model configuration is the `Transformer` module's job; this type
/// hands out its bytes (``configurationData()``) or its JSON object (``configurationObject()``).
///
/// ### References
/// transformers `PreTrainedModel.save_pretrained` / `from_pretrained` (file names, shard index,
/// `safe_serialization`).
public struct ModelFolder: Sendable {
    /// `config.json`.
    public static let configurationFileName = "config.json"
    /// `model.safetensors`, the unsharded weights.
    public static let weightsFileName = "model.safetensors"
    /// `model.safetensors.index.json`, the shard index.
    public static let indexFileName = "model.safetensors.index.json"
    /// `generation_config.json`.
    public static let generationConfigurationFileName = "generation_config.json"
    /// The tokenizer files a folder may hold, copied along when a folder is written.
    public static let tokenizerFileNames = [
        "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "tokenizer.model",
    ]

    /// The folder.
    public let url: URL
    /// `config.json`.
    public let configurationURL: URL
    /// The weight files: `[model.safetensors]`, or the distinct shards of the index, sorted.
    public let weightURLs: [URL]
    /// `model.safetensors.index.json` when the checkpoint is sharded.
    public let indexURL: URL?
    /// `tokenizer.json`, when present.
    public let tokenizerURL: URL?
    /// `tokenizer_config.json`, when present.
    public let tokenizerConfigurationURL: URL?
    /// `special_tokens_map.json`, when present.
    public let specialTokensMapURL: URL?
    /// `tokenizer.model` (SentencePiece), when present.
    public let sentencePieceModelURL: URL?
    /// `generation_config.json`, when present.
    public let generationConfigurationURL: URL?
    /// For a sharded checkpoint, tensor name → shard file name, as the index says; empty otherwise.
    public let weightMap: [String: String]

    /// Locates the files of the folder at `url` (reads only the shard index, if any).
    /// - Throws: `SafetensorsError.missingFile` (no folder, no `config.json`, no weights, a shard
    ///   named by the index is absent), `.pickledCheckpoint` (only `.bin`/`.pt` weights), or
    ///   `.malformedIndex`.
    public init(url: URL) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw SafetensorsError.missingFile(path: url.path, expected: "a model folder")
        }
        func existing(_ name: String) -> URL? {
            let file = url.appendingPathComponent(name)
            return manager.fileExists(atPath: file.path) ? file : nil
        }
        self.url = url
        tokenizerURL = existing("tokenizer.json")
        tokenizerConfigurationURL = existing("tokenizer_config.json")
        specialTokensMapURL = existing("special_tokens_map.json")
        sentencePieceModelURL = existing("tokenizer.model")
        generationConfigurationURL = existing(Self.generationConfigurationFileName)

        if let single = existing(Self.weightsFileName) {
            weightURLs = [single]
            indexURL = nil
            weightMap = [:]
        } else if let index = existing(Self.indexFileName) {
            let map = try Self.readWeightMap(index)
            let shards = Set(map.values).sorted()
            for shard in shards where existing(shard) == nil {
                throw SafetensorsError.missingFile(
                    path: url.appendingPathComponent(shard).path,
                    expected: "shard \(shard) named by \(Self.indexFileName)")
            }
            weightURLs = shards.map { url.appendingPathComponent($0) }
            indexURL = index
            weightMap = map
        } else {
            if let pickled = Self.pickledWeights(in: url) {
                throw SafetensorsError.pickledCheckpoint(path: pickled.path)
            }
            throw SafetensorsError.missingFile(
                path: url.path, expected: "\(Self.weightsFileName) or \(Self.indexFileName)")
        }
        guard let configuration = existing(Self.configurationFileName) else {
            throw SafetensorsError.missingFile(path: url.path, expected: Self.configurationFileName)
        }
        configurationURL = configuration
    }

    /// The first pickled weight file of a folder, if any (by name: `.bin`, `.pt`, `.pth`,
    /// `.ckpt`, and `pytorch_model.bin.index.json`).
    static func pickledWeights(in folder: URL) -> URL? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let pickled = names.sorted().first { name in
            name == "pytorch_model.bin.index.json"
                || SafetensorsFile.pickleExtensions.contains(
                    (name as NSString).pathExtension.lowercased())
        }
        return pickled.map { folder.appendingPathComponent($0) }
    }

    /// Reads and checks `weight_map` of a shard index: an object of tensor → plain file name.
    static func readWeightMap(_ index: URL) throws -> [String: String] {
        let object = try readJSONObject(index)
        guard let map = object["weight_map"] as? [String: Any] else {
            throw SafetensorsError.malformedIndex(
                path: index.path, reason: "\"weight_map\" is missing or not an object")
        }
        var result: [String: String] = [:]
        for (tensor, value) in map {
            guard let file = value as? String, !file.isEmpty, !file.contains("/"), file != "..",
                file != "."
            else {
                throw SafetensorsError.malformedIndex(
                    path: index.path,
                    reason: "tensor '\(tensor)' maps to \(value), not a file name in the folder")
            }
            guard
                !SafetensorsFile.pickleExtensions.contains(
                    (file as NSString).pathExtension.lowercased())
            else {
                throw SafetensorsError.pickledCheckpoint(
                    path: index.deletingLastPathComponent().appendingPathComponent(file).path)
            }
            result[tensor] = file
        }
        return result
    }

    /// Parses a JSON file whose top level must be an object.
    /// - Throws: `SafetensorsError.unreadableFile` or `.malformedJSON`.
    static func readJSONObject(_ url: URL) throws -> [String: Any] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SafetensorsError.unreadableFile(
                path: url.path, reason: error.localizedDescription)
        }
        return try parseJSONObject(data, path: url.path)
    }

    /// Parses bytes whose JSON top level must be an object.
    static func parseJSONObject(_ data: Data, path: String) throws -> [String: Any] {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw SafetensorsError.malformedJSON(path: path, reason: error.localizedDescription)
        }
        guard let dictionary = object as? [String: Any] else {
            throw SafetensorsError.malformedJSON(
                path: path, reason: "the top level is not an object")
        }
        return dictionary
    }

    /// The bytes of `config.json`, for `JSONDecoder` (e.g. `TransformerConfiguration`).
    /// - Throws: `SafetensorsError.unreadableFile`.
    public func configurationData() throws -> Data {
        do {
            return try Data(contentsOf: configurationURL)
        } catch {
            throw SafetensorsError.unreadableFile(
                path: configurationURL.path, reason: error.localizedDescription)
        }
    }

    /// `config.json` as a JSON object (`JSONSerialization` types).
    /// - Throws: `SafetensorsError.unreadableFile` or `.malformedJSON`.
    public func configurationObject() throws -> [String: Any] {
        try Self.readJSONObject(configurationURL)
    }

    /// Opens and validates every weight file; for a sharded checkpoint also checks that the
    /// index and the shards agree.
    /// - Throws: any `SafetensorsFile` error, `.duplicateTensor`, or `.malformedIndex` when a
    ///   tensor is in a shard the index does not name for it, or named but absent.
    public func weights() throws -> ModelWeights {
        let files = try weightURLs.map { try SafetensorsFile(contentsOf: $0) }
        let weights = try ModelWeights(files: files)
        if let indexURL {
            for file in files {
                for name in file.tensorNames where weightMap[name] != file.url.lastPathComponent {
                    let listed = weightMap[name].map { "lists it in \($0)" } ?? "does not list it"
                    throw SafetensorsError.malformedIndex(
                        path: indexURL.path,
                        reason:
                            "tensor '\(name)' is stored in \(file.url.lastPathComponent) but the index \(listed)"
                    )
                }
            }
            for (name, shard) in weightMap.sorted(by: { $0.key < $1.key })
            where !weights.contains(name) {
                throw SafetensorsError.malformedIndex(
                    path: indexURL.path,
                    reason: "tensor '\(name)' is listed in \(shard) but not stored there")
            }
        }
        return weights
    }

    /// Every weight decoded to `Float`, by Hugging Face name.
    /// - Throws: as ``weights()`` and ``ModelWeights/tensors()``.
    public func loadTensors() throws -> [String: Tensor] {
        try weights().tensors()
    }
}
