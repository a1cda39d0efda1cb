import Foundation
import Tensors
import TestSupport
import Testing

@testable import Checkpoints

@Suite struct AdapterFolderTests {
    private let parityAdapter = Fixtures.shared("reference/parity/lora_adapter")

    private func parityBaseShapes() throws -> [String: [Int]] {
        try ModelFolder(url: Fixtures.shared("reference/parity/base")).weights().shapes
    }

    @Test func readsThePeftWrittenAdapter() throws {
        let adapter = try AdapterFolder(url: parityAdapter)
        let configuration = adapter.configuration
        #expect(configuration.rank == 4)
        #expect(configuration.alpha == 8)
        #expect(configuration.dropout == 0)
        #expect(configuration.scale == 2)  // alpha / r = 8 / 4
        #expect(configuration.targetModules == .names(["v_proj", "q_proj"]))
        #expect(configuration.baseModelNameOrPath == "base")
        #expect(configuration.taskType == "CAUSAL_LM")
        let weights = try adapter.loadWeights(baseShapes: try parityBaseShapes())
        #expect(
            weights.keys.sorted() == [
                "model.layers.0.self_attn.q_proj.weight", "model.layers.0.self_attn.v_proj.weight",
                "model.layers.1.self_attn.q_proj.weight", "model.layers.1.self_attn.v_proj.weight",
            ])
        let q0 = try #require(weights["model.layers.0.self_attn.q_proj.weight"])
        #expect(q0.a.shape == [4, 64])
        #expect(q0.b.shape == [64, 4])
        #expect(weights["model.layers.1.self_attn.v_proj.weight"]?.baseShape == [32, 64])
        // Read with NumPy from adapter_model.safetensors.
        expectClose(
            Array(q0.a.scalars.prefix(2)), [-0.010070514865219593, -0.05996858328580856], rtol: 0,
            atol: 0)
    }

    @Test func targetMatchingFollowsPeft() throws {
        let names = LoRAAdapterConfiguration(
            rank: 2, alpha: 4, targetModules: .names(["q_proj", "mlp.down_proj"]))
        #expect(names.targets(layer: 3, .q))
        #expect(names.targets(layer: 0, .down))
        #expect(!names.targets(layer: 0, .k))
        let allLinear = LoRAAdapterConfiguration(
            rank: 2, alpha: 4, targetModules: .pattern("all-linear"))
        #expect(CheckpointNaming.Projection.allCases.allSatisfy { allLinear.targets(layer: 1, $0) })
        // A string is a regular expression that must match the whole module path.
        let regex = LoRAAdapterConfiguration(
            rank: 2, alpha: 4, targetModules: .pattern(#"model\.layers\.1\..*(q|v)_proj"#))
        #expect(regex.targets(layer: 1, .v))
        #expect(!regex.targets(layer: 0, .v))
        #expect(!regex.targets(layer: 1, .k))
        let partial = LoRAAdapterConfiguration(rank: 2, alpha: 4, targetModules: .pattern("q_proj"))
        #expect(!partial.targets(layer: 0, .q), "fullmatch, not search")
        let layers = LoRAAdapterConfiguration(
            rank: 2, alpha: 4, targetModules: .names(["v_proj"]), layersToTransform: [1])
        #expect(layers.targets(layer: 1, .v))
        #expect(!layers.targets(layer: 0, .v))
    }

    @Test func writesWhatPeftWrote() throws {
        // Rewriting the peft-written adapter gives the same weights file byte for byte and the
        // same adapter_config.json up to the order of target_modules (peft keeps a set).
        let adapter = try AdapterFolder(url: parityAdapter)
        let weights = try adapter.loadWeights()
        let parent = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        let written = try AdapterFolder.write(
            to: parent.appendingPathComponent("adapter"), configuration: adapter.configuration,
            weights: weights)
        #expect(try Data(contentsOf: written.weightsURL) == Data(contentsOf: adapter.weightsURL))
        let ours = try String(contentsOf: written.configurationURL, encoding: .utf8)
        let peft = try String(contentsOf: adapter.configurationURL, encoding: .utf8)
        #expect(
            ours
                == peft.replacingOccurrences(
                    of: "\"v_proj\",\n    \"q_proj\"", with: "\"q_proj\",\n    \"v_proj\""))
        #expect(try written.loadWeights() == weights)
        #expect(
            written.configuration
                == LoRAAdapterConfiguration(
                    rank: 4, alpha: 8, targetModules: .names(["q_proj", "v_proj"]),
                    baseModelNameOrPath: "base"))
    }

    /// A copy of the parity adapter with `edit` applied to its configuration object.
    private func editedAdapter(_ edit: (inout [String: Any]) -> Void) throws -> URL {
        let folder = try Fixtures.temporaryDirectory().appendingPathComponent("adapter")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: parityAdapter.appendingPathComponent("adapter_model.safetensors"),
            to: folder.appendingPathComponent("adapter_model.safetensors"))
        var object = try #require(
            JSONSerialization.jsonObject(
                with: Data(contentsOf: parityAdapter.appendingPathComponent("adapter_config.json")))
                as? [String: Any])
        edit(&object)
        try JSONSerialization.data(withJSONObject: object).write(
            to: folder.appendingPathComponent("adapter_config.json"))
        return folder
    }

    @Test func wrongRankNamesTheTensor() throws {
        let folder = try editedAdapter { $0["r"] = 8 }
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let error = throwing { try AdapterFolder(url: folder).loadWeights() }
        #expect(
            error
                == .adapterRankMismatch(
                    path: folder.appendingPathComponent("adapter_model.safetensors").path,
                    tensor: "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
                    rank: 8, shape: [4, 64]))
        #expect(error?.description.contains("r = 8") == true)
    }

    @Test func shapeThatDoesNotFitTheBaseWeight() throws {
        let parent = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        // A [4, 32] for q_proj, whose base weight is [64, 64] in the parity model.
        let adapter = try AdapterFolder.write(
            to: parent.appendingPathComponent("a"),
            configuration: LoRAAdapterConfiguration(
                rank: 4, alpha: 8, targetModules: .names(["q_proj"]), layersToTransform: [0]),
            weights: [
                "model.layers.0.self_attn.q_proj.weight": LoRAWeights(
                    a: Tensor(shape: [4, 32]), b: Tensor(shape: [64, 4]))
            ])
        #expect(try adapter.loadWeights().count == 1, "fine without base shapes")
        let error = throwing { try adapter.loadWeights(baseShapes: try parityBaseShapes()) }
        #expect(
            error
                == .adapterShapeMismatch(
                    path: adapter.weightsURL.path,
                    tensor: "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
                    shape: [4, 32], expected: [4, 64],
                    baseWeight: "model.layers.0.self_attn.q_proj.weight"))
        // A base model with fewer layers than the adapter.
        var shapes = try parityBaseShapes()
        shapes["model.layers.0.self_attn.q_proj.weight"] = nil
        guard
            case .unexpectedAdapterTensor = throwing({ try adapter.loadWeights(baseShapes: shapes) }
            )
        else {
            Issue.record("expected unexpectedAdapterTensor")
            return
        }
    }

    @Test func tensorForAModuleTheConfigurationDoesNotTarget() throws {
        let folder = try editedAdapter { $0["target_modules"] = ["q_proj"] }
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let error = throwing { try AdapterFolder(url: folder).loadWeights() }
        guard
            case .adapterTargetNotConfigured(_, let tensor, "model.layers.0.self_attn.v_proj", _) =
                error
        else {
            Issue.record("expected adapterTargetNotConfigured, got \(String(describing: error))")
            return
        }
        #expect(tensor == "base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight")
    }

    @Test func targetThatIsNotALlamaProjection() throws {
        let folder = try editedAdapter { $0["target_modules"] = ["q_proj", "c_attn"] }
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        #expect(
            throws: SafetensorsError.unknownTargetModule(
                path: folder.appendingPathComponent("adapter_config.json").path, module: "c_attn")
        ) {
            try AdapterFolder(url: folder)
        }
    }

    @Test(arguments: [
        ("use_dora", "true"), ("use_rslora", "true"), ("modules_to_save", #"["lm_head"]"#),
        ("bias", #""lora_only""#), ("rank_pattern", #"{"q_proj": 8}"#),
        ("init_lora_weights", #""pissa""#),
        ("peft_type", #""IA3""#), ("fan_in_fan_out", "true"), ("layer_replication", "[[0, 1]]"),
        ("task_type", #""SEQ_CLS""#),
    ])
    func unsupportedFeaturesAreRefused(field: String, json: String) throws {
        let value = try JSONSerialization.jsonObject(
            with: Data(json.utf8), options: .fragmentsAllowed)
        let folder = try editedAdapter { $0[field] = value }
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let error = throwing { try AdapterFolder(url: folder) }
        guard case .unsupportedAdapterFeature(_, let reported, _) = error else {
            Issue.record(
                "expected unsupportedAdapterFeature for \(field), got \(String(describing: error))")
            return
        }
        #expect(reported == field)
    }

    @Test func invalidConfigurationValues() throws {
        for (field, value) in [
            ("r", 0 as Any), ("lora_alpha", "eight" as Any), ("lora_dropout", 1.5 as Any),
        ] {
            let folder = try editedAdapter { $0[field] = value }
            defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
            guard
                case .invalidAdapterConfiguration(_, field, _) = throwing({
                    try AdapterFolder(url: folder)
                })
            else {
                Issue.record("expected invalidAdapterConfiguration for \(field)")
                continue
            }
        }
    }

    @Test func missingFactorAndMissingModule() throws {
        let parent = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        let configuration = LoRAAdapterConfiguration(
            rank: 4, alpha: 8, targetModules: .names(["q_proj", "v_proj"]))
        let source = try AdapterFolder(url: parityAdapter).loadWeights()
        // Only the q_proj pairs: with base shapes, v_proj of layer 0 is missing.
        let qOnly = source.filter { $0.key.contains("q_proj") }
        let adapter = try AdapterFolder.write(
            to: parent.appendingPathComponent("q"), configuration: configuration, weights: qOnly)
        #expect(try adapter.loadWeights().count == 2)
        #expect(
            throwing { try adapter.loadWeights(baseShapes: try parityBaseShapes()) }
                == .missingTensor(
                    path: adapter.weightsURL.path,
                    tensor: "base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight"))
        // A lone lora_A.
        let lone = parent.appendingPathComponent("lone")
        try FileManager.default.createDirectory(at: lone, withIntermediateDirectories: true)
        try Data(configuration.peftJSONText.utf8).write(
            to: lone.appendingPathComponent("adapter_config.json"))
        try SafetensorsWriter.write(
            [
                "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight": Tensor(shape: [
                    4, 64,
                ])
            ],
            to: lone.appendingPathComponent("adapter_model.safetensors"))
        #expect(
            throwing { try AdapterFolder(url: lone).loadWeights() }
                == .missingTensor(
                    path: lone.appendingPathComponent("adapter_model.safetensors").path,
                    tensor: "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight"))
        // A tensor that is not a LoRA factor.
        try SafetensorsWriter.write(
            ["base_model.model.lm_head.weight": Tensor(shape: [4, 64])],
            to: lone.appendingPathComponent("adapter_model.safetensors"))
        guard
            case .unexpectedAdapterTensor(_, "base_model.model.lm_head.weight", _) = throwing({
                try AdapterFolder(url: lone).loadWeights()
            })
        else {
            Issue.record("expected unexpectedAdapterTensor")
            return
        }
    }

    @Test func pickledAdapterIsRefused() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(
            at: parityAdapter.appendingPathComponent("adapter_config.json"),
            to: folder.appendingPathComponent("adapter_config.json"))
        try Data([0x80, 0x02]).write(to: folder.appendingPathComponent("adapter_model.bin"))
        #expect(
            throws: SafetensorsError.pickledCheckpoint(
                path: folder.appendingPathComponent("adapter_model.bin").path)
        ) {
            try AdapterFolder(url: folder)
        }
    }

    @Test func stringTargetsAndLayerLimitsRoundTrip() throws {
        let parent = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        let configuration = LoRAAdapterConfiguration(
            rank: 2, alpha: 16, dropout: 0.05, targetModules: .names(["up_proj", "down_proj"]),
            layersToTransform: [1], initialization: .gaussian)
        let pair = LoRAWeights(
            a: Tensor(shape: [2, 64], repeating: 0.5), b: Tensor(shape: [172, 2], repeating: -1))
        let adapter = try AdapterFolder.write(
            to: parent.appendingPathComponent("a"), configuration: configuration,
            weights: ["model.layers.1.mlp.up_proj.weight": pair])
        #expect(adapter.configuration == configuration)
        let text = try String(contentsOf: adapter.configurationURL, encoding: .utf8)
        #expect(text.contains(#""lora_dropout": 0.05,"#))
        #expect(text.contains("\"target_modules\": [\n    \"down_proj\",\n    \"up_proj\"\n  ],"))
        #expect(text.contains("\"layers_to_transform\": [\n    1\n  ],"))
        // Layer 0 is not transformed: writing a pair for it is refused.
        #expect(throws: SafetensorsError.self) {
            try AdapterFolder.write(
                to: parent.appendingPathComponent("b"), configuration: configuration,
                weights: ["model.layers.0.mlp.up_proj.weight": pair])
        }
        // A string target round-trips as a string.
        let allLinear = LoRAAdapterConfiguration(
            rank: 2, alpha: 16, targetModules: .pattern("all-linear"))
        let second = try AdapterFolder.write(
            to: parent.appendingPathComponent("c"), configuration: allLinear,
            weights: ["model.layers.1.mlp.up_proj.weight": pair])
        #expect(second.configuration == allLinear)
        #expect(
            try String(contentsOf: second.configurationURL, encoding: .utf8).contains(
                #""target_modules": "all-linear","#))
    }

    @Test func layersToTransformNeedsATargetList() throws {
        let folder = try editedAdapter {
            $0["target_modules"] = "all-linear"
            $0["layers_to_transform"] = [0]
        }
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        guard
            case .invalidAdapterConfiguration(_, "layers_to_transform", _) = throwing({
                try AdapterFolder(url: folder)
            })
        else {
            Issue.record(
                "expected invalidAdapterConfiguration for layers_to_transform with a string target")
            return
        }
    }
}
