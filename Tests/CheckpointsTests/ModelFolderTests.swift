import Checkpoints
import Foundation
import Tensors
import TestSupport
import Testing

@Suite struct ModelFolderTests {
    private let stories = Fixtures.url("Models/stories260K-hf")

    @Test func locatesTheFilesOfTheStoriesFolder() throws {
        let folder = try ModelFolder(url: stories)
        #expect(folder.configurationURL.lastPathComponent == "config.json")
        #expect(folder.weightURLs.map(\.lastPathComponent) == ["model.safetensors"])
        #expect(folder.indexURL == nil)
        #expect(folder.tokenizerURL?.lastPathComponent == "tokenizer.json")
        #expect(folder.tokenizerConfigurationURL?.lastPathComponent == "tokenizer_config.json")
        #expect(folder.sentencePieceModelURL?.lastPathComponent == "tokenizer.model")
        #expect(folder.specialTokensMapURL == nil)
        #expect(folder.generationConfigurationURL?.lastPathComponent == "generation_config.json")
        let configuration = try folder.configurationObject()
        #expect(configuration["architectures"] as? [String] == ["LlamaForCausalLM"])
        #expect(configuration["num_hidden_layers"] as? Int == 5)
        #expect(try folder.configurationData().count == 552)
    }

    @Test func loadsEveryTensorOfTheStoriesModel() throws {
        let tensors = try ModelFolder(url: stories).loadTensors()
        #expect(tensors.count == 47)
        #expect(tensors["model.layers.4.mlp.gate_proj.weight"]?.shape == [172, 64])
        #expect(tensors["model.layers.0.self_attn.k_proj.weight"]?.shape == [32, 64])
    }

    @Test func readsTheParityBaseFolder() throws {
        let weights = try ModelFolder(url: Fixtures.shared("reference/parity/base")).weights()
        #expect(weights.tensorNames.count == 21)
        #expect(weights.shapes["lm_head.weight"] == [256, 64])
        #expect(throws: SafetensorsError.self) {
            try weights.tensor(named: "model.layers.2.mlp.up_proj.weight")
        }
    }

    @Test func readsTheTiedParityFolder() throws {
        let folder = try ModelFolder(url: Fixtures.shared("reference/parity/tied"))
        let weights = try folder.weights()
        #expect(
            weights.tensorNames
                == CheckpointNaming.modelTensorNames(layers: 2, tiedEmbeddings: true))
        #expect(try folder.configurationObject()["tie_word_embeddings"] as? Bool == true)
    }

    @Test func writeRoundTripCopiesConfigurationAndTokenizer() throws {
        let source = try ModelFolder(url: stories)
        let tensors = try source.loadTensors()
        let parent = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        let destination = parent.appendingPathComponent("copy")
        let written = try ModelFolder.write(
            to: destination, configuration: try source.configurationData(), tensors: tensors,
            generationConfiguration: try Data(contentsOf: source.generationConfigurationURL!),
            tokenizerSource: source)
        #expect(try written.loadTensors() == tensors)
        for name in [
            "config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
            "tokenizer.model",
        ] {
            #expect(
                try Data(contentsOf: destination.appendingPathComponent(name))
                    == Data(contentsOf: stories.appendingPathComponent(name)), "\(name)")
        }
        // The weights are byte-identical to the original safetensors file as well.
        #expect(
            try Data(contentsOf: destination.appendingPathComponent("model.safetensors"))
                == Data(contentsOf: stories.appendingPathComponent("model.safetensors")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["copy"])
    }

    @Test func shardedWriteAndRead() throws {
        let tensors = try ModelFolder(url: stories).loadTensors()
        let parent = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        let destination = parent.appendingPathComponent("sharded")
        // 1,040,128 data bytes in shards of at most 300,000 → 4 shards.
        let folder = try ModelFolder.write(
            to: destination, configuration: Data(#"{"model_type": "llama"}"#.utf8),
            tensors: tensors,
            maximumShardByteCount: 300_000)
        #expect(folder.indexURL != nil)
        #expect(
            folder.weightURLs.map(\.lastPathComponent)
                == (1...4).map { "model-0000\($0)-of-00004.safetensors" })
        #expect(try folder.loadTensors() == tensors)
        let index =
            try JSONSerialization.jsonObject(with: Data(contentsOf: folder.indexURL!))
            as? [String: Any]
        #expect((index?["metadata"] as? [String: Any])?["total_size"] as? Int == 1_040_128)
        #expect((index?["weight_map"] as? [String: String])?.count == 47)
        for url in folder.weightURLs {
            #expect(
                try SafetensorsFile(contentsOf: url).infos.values.reduce(0) { $0 + $1.byteCount }
                    <= 300_000)
        }
    }

    /// A folder with `config.json` and the given extra files.
    private func makeFolder(_ files: [String: Data]) throws -> URL {
        let folder = try Fixtures.temporaryDirectory()
        try Data("{}".utf8).write(to: folder.appendingPathComponent("config.json"))
        for (name, data) in files { try data.write(to: folder.appendingPathComponent(name)) }
        return folder
    }

    @Test func pickledWeightsAreRefused() throws {
        let folder = try makeFolder([
            "pytorch_model.bin": Data([0x80, 0x02, 0x7D, 0x71, 0x00, 0x2E])
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            _ = try ModelFolder(url: folder)
            Issue.record("a pickled folder was accepted")
        } catch let error as SafetensorsError {
            #expect(
                error
                    == .pickledCheckpoint(
                        path: folder.appendingPathComponent("pytorch_model.bin").path))
            #expect(error.description.contains("safe_serialization=True"))
        }
    }

    @Test func missingConfigurationOrWeights() throws {
        let empty = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(
            throws: SafetensorsError.missingFile(
                path: empty.path, expected: "model.safetensors or model.safetensors.index.json")
        ) {
            try ModelFolder(url: empty)
        }
        try FileManager.default.copyItem(
            at: stories.appendingPathComponent("model.safetensors"),
            to: empty.appendingPathComponent("model.safetensors"))
        #expect(throws: SafetensorsError.missingFile(path: empty.path, expected: "config.json")) {
            try ModelFolder(url: empty)
        }
    }

    @Test func indexThatDisagreesWithItsShardsIsRefused() throws {
        let shard = try SafetensorsWriter.encode([
            "a": Tensor(shape: [1], scalars: [1]), "b": Tensor(shape: [1], scalars: [2]),
        ])
        func index(_ map: String) -> Data {
            Data(#"{"metadata": {"total_size": 8}, "weight_map": \#(map)}"#.utf8)
        }

        let missingShard = try makeFolder([
            "model.safetensors.index.json": index(#"{"a": "model-00001-of-00002.safetensors"}"#)
        ])
        defer { try? FileManager.default.removeItem(at: missingShard) }
        guard case .missingFile = try #require(throwing { try ModelFolder(url: missingShard) })
        else {
            Issue.record("expected missingFile")
            return
        }

        let unlisted = try makeFolder([
            "model.safetensors.index.json": index(#"{"a": "s.safetensors"}"#),
            "s.safetensors": shard,
        ])
        defer { try? FileManager.default.removeItem(at: unlisted) }
        guard
            case .malformedIndex(_, let reason) = try #require(
                throwing { try ModelFolder(url: unlisted).weights() })
        else {
            Issue.record("expected malformedIndex")
            return
        }
        #expect(reason.contains("'b'"))

        let listedButAbsent = try makeFolder([
            "model.safetensors.index.json": index(
                #"{"a": "s.safetensors", "b": "s.safetensors", "c": "s.safetensors"}"#),
            "s.safetensors": shard,
        ])
        defer { try? FileManager.default.removeItem(at: listedButAbsent) }
        guard
            case .malformedIndex(_, let absentReason) = try #require(
                throwing { try ModelFolder(url: listedButAbsent).weights() })
        else {
            Issue.record("expected malformedIndex")
            return
        }
        #expect(absentReason.contains("'c'"))

        let traversal = try makeFolder([
            "model.safetensors.index.json": index(#"{"a": "../../etc/passwd"}"#)
        ])
        defer { try? FileManager.default.removeItem(at: traversal) }
        guard case .malformedIndex = try #require(throwing { try ModelFolder(url: traversal) })
        else {
            Issue.record("expected malformedIndex for a path outside the folder")
            return
        }
    }

    @Test func failedWriteLeavesTheExistingFolderIntact() throws {
        let parent = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        let destination = parent.appendingPathComponent("m")
        let first = ["w": Tensor(shape: [2], scalars: [1, 2])]
        try ModelFolder.write(to: destination, configuration: Data("{}".utf8), tensors: first)
        #expect(throws: SafetensorsError.self) {
            try ModelFolder.write(
                to: destination, configuration: Data("not json".utf8), tensors: [:])
        }
        #expect(throws: SafetensorsError.self) {
            try ModelFolder.write(
                to: destination, configuration: Data("{}".utf8),
                tensors: ["": Tensor(shape: [1], scalars: [0])])
        }
        #expect(try ModelFolder(url: destination).loadTensors() == first)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["m"])
        // A successful write replaces it.
        let second = ["v": Tensor(shape: [1], scalars: [3])]
        try ModelFolder.write(to: destination, configuration: Data("{}".utf8), tensors: second)
        #expect(try ModelFolder(url: destination).loadTensors() == second)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["m"])
    }
}

/// The `SafetensorsError` that `body` throws, or `nil` if it returns.
func throwing<T>(_ body: () throws -> T) -> SafetensorsError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error as? SafetensorsError
    }
}
