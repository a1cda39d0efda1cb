import Checkpoints
import Foundation
import Tensors

/// Loading Hugging Face model folders and PEFT adapter folders.
extension DecoderModel {
    /// Loads a Hugging Face model folder: `config.json` and `model.safetensors` (or shards).
    ///
    /// F16 and BF16 weights are widened to float32 by `Checkpoints`.
    /// - Parameter url: the folder.
    /// - Throws: `SafetensorsError` for missing/corrupt/pickled files, `TransformerError` for an
    ///   unsupported configuration or weights that do not fit it; each names the file.
    public static func load(modelFolder url: URL) throws -> DecoderModel {
        let folder = try ModelFolder(url: url)
        let configuration = try TransformerConfiguration.decode(
            try folder.configurationData(), path: folder.configurationURL.path)
        let weights = try folder.loadTensors()
        let source = folder.weightURLs.count == 1 ? folder.weightURLs[0].path : url.path
        return try DecoderModel(configuration: configuration, weights: weights, source: source)
    }

    /// Attaches the PEFT adapter in `url` (`adapter_config.json`, `adapter_model.safetensors`).
    /// - Returns: the adapter's configuration.
    /// - Throws: `SafetensorsError` for a malformed or unsupported adapter (each names the file
    ///   and tensor), `TransformerError.invalidAdapter` when it does not fit this model.
    @discardableResult
    public mutating func loadAdapter(folder url: URL) throws -> LoRAAdapterConfiguration {
        let folder = try AdapterFolder(url: url)
        let shapes = Dictionary(
            uniqueKeysWithValues: namedWeights().map { ($0.name, $0.value.shape) })
        let weights = try folder.loadWeights(baseShapes: shapes)
        try attachAdapters(
            weights, scaling: Float(folder.configuration.scale),
            dropout: Float(folder.configuration.dropout), source: folder.weightsURL.path)
        return folder.configuration
    }
}
