import Foundation
import Tensors

extension ModelFolder {
    /// Writes a complete model folder atomically: everything goes into a hidden temporary
    /// sibling folder, which is renamed to `url` only once all files are written (an existing
    /// folder at `url` is replaced only then).
    ///
    /// Files written: `config.json` (the given bytes, unchanged); `model.safetensors`, or
    /// `model-0000k-of-0000n.safetensors` shards plus `model.safetensors.index.json` when
    /// `maximumShardByteCount` is set and exceeded (transformers' names and index form:
    /// `{"metadata": {"total_size": bytes}, "weight_map": {...}}`, sorted, 2-space indent);
    /// `generation_config.json` when given; and the tokenizer files found in `tokenizerSource`
    /// (`tokenizer.json`, `tokenizer_config.json`, `special_tokens_map.json`, `tokenizer.model`),
    /// copied byte for byte.
    /// - Parameters:
    ///   - url: destination folder.
    ///   - configuration: the bytes of `config.json`; must be a JSON object.
    ///   - tensors: weights by Hugging Face name (see ``CheckpointNaming``).
    ///   - dtype: storage type, `.f32` (default), `.bf16` or `.f16`.
    ///   - generationConfiguration: bytes of `generation_config.json`, if any.
    ///   - tokenizerSource: a folder whose tokenizer files are copied, if any.
    ///   - maximumShardByteCount: split the weights into shards of at most this many data bytes
    ///     (a single tensor larger than this gets a shard of its own); `nil` writes one file.
    /// - Returns: the written folder, opened.
    /// - Throws: `SafetensorsError.malformedJSON` (configuration), `.writeFailed`,
    ///   `.invalidTensorName`, or an error reading the tokenizer files.
    @discardableResult
    public static func write(
        to url: URL, configuration: Data, tensors: [String: Tensor], dtype: SafetensorsDType = .f32,
        generationConfiguration: Data? = nil, tokenizerSource: ModelFolder? = nil,
        maximumShardByteCount: Int? = nil
    ) throws -> ModelFolder {
        _ = try parseJSONObject(
            configuration, path: url.appendingPathComponent(configurationFileName).path)
        if let generationConfiguration {
            _ = try parseJSONObject(
                generationConfiguration,
                path: url.appendingPathComponent(generationConfigurationFileName).path)
        }
        try AtomicWrite.folder(at: url) { folder in
            try write(configuration, to: folder.appendingPathComponent(configurationFileName))
            if let generationConfiguration {
                try write(
                    generationConfiguration,
                    to: folder.appendingPathComponent(generationConfigurationFileName))
            }
            try writeWeights(
                tensors, into: folder, dtype: dtype, maximumShardByteCount: maximumShardByteCount)
            if let tokenizerSource {
                for name in tokenizerFileNames {
                    let source = tokenizerSource.url.appendingPathComponent(name)
                    guard FileManager.default.fileExists(atPath: source.path) else { continue }
                    do {
                        try FileManager.default.copyItem(
                            at: source, to: folder.appendingPathComponent(name))
                    } catch {
                        throw SafetensorsError.writeFailed(
                            path: url.appendingPathComponent(name).path,
                            reason: "copying \(source.path): \(error.localizedDescription)")
                    }
                }
            }
        }
        return try ModelFolder(url: url)
    }

    private static func write(_ data: Data, to url: URL) throws {
        do {
            try data.write(to: url)
        } catch {
            throw SafetensorsError.writeFailed(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Writes `model.safetensors`, or shards and their index, into `folder`.
    private static func writeWeights(
        _ tensors: [String: Tensor], into folder: URL, dtype: SafetensorsDType,
        maximumShardByteCount: Int?
    ) throws {
        let elementBytes = dtype.bitSize / 8
        let names = tensors.keys.sorted()
        var shards: [[String]] = [[]]
        var shardBytes = 0
        for name in names {
            let bytes = tensors[name]!.count * elementBytes
            if let limit = maximumShardByteCount, !shards[shards.count - 1].isEmpty,
                shardBytes + bytes > limit
            {
                shards.append([])
                shardBytes = 0
            }
            shards[shards.count - 1].append(name)
            shardBytes += bytes
        }
        guard shards.count > 1 else {
            try SafetensorsWriter.write(
                tensors, to: folder.appendingPathComponent(weightsFileName), dtype: dtype)
            return
        }
        var weightMap: [(String, JSONValue)] = []
        for (index, shard) in shards.enumerated() {
            let fileName = String(format: "model-%05d-of-%05d.safetensors", index + 1, shards.count)
            var subset: [String: Tensor] = [:]
            for name in shard {
                subset[name] = tensors[name]!
                weightMap.append((name, .string(fileName)))
            }
            try SafetensorsWriter.write(
                subset, to: folder.appendingPathComponent(fileName), dtype: dtype)
        }
        let totalBytes = names.reduce(0) { $0 + tensors[$1]!.count * elementBytes }
        let index = JSONValue.object([
            ("metadata", .object([("total_size", .int(totalBytes))])),
            ("weight_map", .object(weightMap)),
        ])
        try write(
            Data((index.prettyText + "\n").utf8), to: folder.appendingPathComponent(indexFileName))
    }
}
