import Checkpoints
import Foundation
import Tensors
import TestSupport
import Testing

/// Writes the folders that `scripts/check_checkpoints_interop.py` hands to safetensors,
/// transformers and peft, and reads back the adapters peft wrote for it.
///
/// Without `FMN_CHECKPOINTS_INTEROP_DIR` everything goes to a temporary folder and is only read
/// back here; with it, into `$FMN_CHECKPOINTS_INTEROP_DIR/swift/`, and adapters found in
/// `$FMN_CHECKPOINTS_INTEROP_DIR/peft/<name>/` are read (with the parity base's shapes) and
/// rewritten to `swift/roundtrip-<name>/`.
@Suite struct InteropExportTests {
    @Test func writeFoldersForThePythonCheck() throws {
        let environment = ProcessInfo.processInfo.environment["FMN_CHECKPOINTS_INTEROP_DIR"]
        let root = try environment.map { URL(fileURLWithPath: $0) } ?? Fixtures.temporaryDirectory()
        defer { if environment == nil { try? FileManager.default.removeItem(at: root) } }
        let out = root.appendingPathComponent("swift")

        let stories = try ModelFolder(url: Fixtures.url("Models/stories260K-hf"))
        let tensors = try stories.loadTensors()
        let configuration = try stories.configurationData()
        let generation = try Data(contentsOf: stories.generationConfigurationURL!)
        for (name, dtype, shard) in [
            ("stories-f32", SafetensorsDType.f32, nil as Int?), ("stories-bf16", .bf16, nil),
            ("stories-f16", .f16, nil), ("stories-sharded", .f32, 300_000),
        ] {
            let folder = try ModelFolder.write(
                to: out.appendingPathComponent(name), configuration: configuration,
                tensors: tensors, dtype: dtype,
                generationConfiguration: generation, tokenizerSource: stories,
                maximumShardByteCount: shard)
            #expect(try folder.weights().tensorNames == tensors.keys.sorted())
        }

        let parityAdapter = try AdapterFolder(url: Fixtures.shared("reference/parity/lora_adapter"))
        try AdapterFolder.write(
            to: out.appendingPathComponent("parity-adapter"),
            configuration: parityAdapter.configuration,
            weights: try parityAdapter.loadWeights())

        // A new adapter on every projection of layer 1 of the parity base, with values from a
        // fixed formula (no RNG), so Python can recompute them.
        let baseShapes = try ModelFolder(url: Fixtures.shared("reference/parity/base")).weights()
            .shapes
        let rank = 2
        var weights: [String: LoRAWeights] = [:]
        for projection in CheckpointNaming.Projection.allCases {
            let name = CheckpointNaming.projectionWeight(layer: 1, projection)
            let (outFeatures, inFeatures) = (baseShapes[name]![0], baseShapes[name]![1])
            weights[name] = LoRAWeights(
                a: Tensor(
                    shape: [rank, inFeatures],
                    scalars: (0..<(rank * inFeatures)).map { Float($0 % 7) * 0.01 - 0.03 }),
                b: Tensor(
                    shape: [outFeatures, rank],
                    scalars: (0..<(outFeatures * rank)).map { Float($0 % 5) * 0.02 - 0.04 }))
        }
        let allLinear = LoRAAdapterConfiguration(
            rank: rank, alpha: 16, dropout: 0.05,
            targetModules: .names(CheckpointNaming.Projection.allCases.map(\.rawValue)),
            layersToTransform: [1],
            baseModelNameOrPath: "base")
        let written = try AdapterFolder.write(
            to: out.appendingPathComponent("adapter-layer1-all-projections"),
            configuration: allLinear, weights: weights)
        #expect(try written.loadWeights(baseShapes: baseShapes) == weights)

        let peftFolder = root.appendingPathComponent("peft")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: peftFolder.path)) ?? []
        for name in names.sorted() {
            let adapter = try AdapterFolder(url: peftFolder.appendingPathComponent(name))
            let loaded = try adapter.loadWeights(baseShapes: baseShapes)
            #expect(!loaded.isEmpty)
            try AdapterFolder.write(
                to: out.appendingPathComponent("roundtrip-\(name)"),
                configuration: adapter.configuration, weights: loaded)
        }
    }
}
