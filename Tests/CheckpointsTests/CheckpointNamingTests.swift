import Checkpoints
import Foundation
import TestSupport
import Testing

@Suite struct CheckpointNamingTests {
    @Test func namesMatchTheParityModelExactly() throws {
        let file = try SafetensorsFile(
            contentsOf: Fixtures.shared("reference/parity/base/model.safetensors"))
        #expect(
            CheckpointNaming.modelTensorNames(layers: 2, tiedEmbeddings: false) == file.tensorNames)
    }

    @Test func namesMatchTheTiedStoriesModel() throws {
        let file = try SafetensorsFile(
            contentsOf: Fixtures.url("Models/stories260K-hf/model.safetensors"))
        #expect(
            CheckpointNaming.modelTensorNames(layers: 5, tiedEmbeddings: true) == file.tensorNames)
    }

    @Test func qwen2BiasNames() {
        let names = CheckpointNaming.modelTensorNames(
            layers: 1, tiedEmbeddings: true, attentionBias: true)
        #expect(names.contains("model.layers.0.self_attn.q_proj.bias"))
        #expect(names.contains("model.layers.0.self_attn.v_proj.bias"))
        #expect(!names.contains("model.layers.0.self_attn.o_proj.bias"))
        #expect(names.count == 2 + 2 + 7 + 3)
    }

    @Test func projectionNames() {
        #expect(
            CheckpointNaming.projectionWeight(layer: 3, .gate)
                == "model.layers.3.mlp.gate_proj.weight")
        #expect(
            CheckpointNaming.projectionWeight(layer: 0, .o)
                == "model.layers.0.self_attn.o_proj.weight")
        #expect(
            CheckpointNaming.parseProjectionWeight("model.layers.12.mlp.down_proj.weight")! == (
                12, .down
            ))
        #expect(CheckpointNaming.parseProjectionWeight("model.layers.1.mlp.q_proj.weight") == nil)
        #expect(
            CheckpointNaming.parseProjectionWeight("model.layers.01.self_attn.q_proj.weight") == nil
        )
        #expect(
            CheckpointNaming.parseProjectionWeight("model.layers.1.self_attn.q_proj.bias") == nil)
        #expect(CheckpointNaming.parseProjectionWeight("lm_head.weight") == nil)
    }

    @Test func peftKeysBothWays() throws {
        let key = "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"
        #expect(CheckpointNaming.loraKey(layer: 0, .q, .a) == key)
        let parsed = try #require(CheckpointNaming.loraKey(parsing: key))
        #expect(parsed == CheckpointNaming.LoRAKey(layer: 0, projection: .q, factor: .a))
        #expect(parsed.baseWeight == "model.layers.0.self_attn.q_proj.weight")
        // peft's in-memory form carries the adapter name.
        #expect(
            CheckpointNaming.loraKey(
                parsing: "base_model.model.model.layers.7.mlp.up_proj.lora_B.default.weight")
                == CheckpointNaming.LoRAKey(layer: 7, projection: .up, factor: .b))
        #expect(CheckpointNaming.loraKey(parsing: "base_model.model.lm_head.lora_A.weight") == nil)
        #expect(
            CheckpointNaming.loraKey(
                parsing: "base_model.model.model.embed_tokens.lora_embedding_A") == nil)
        #expect(
            CheckpointNaming.loraKey(parsing: "model.layers.0.self_attn.q_proj.lora_A.weight")
                == nil)
    }

    @Test func everyParityAdapterKeyParses() throws {
        let file = try SafetensorsFile(
            contentsOf: Fixtures.shared("reference/parity/lora_adapter/adapter_model.safetensors"))
        for name in file.tensorNames {
            let key = try #require(CheckpointNaming.loraKey(parsing: name), "\(name)")
            #expect(CheckpointNaming.loraKey(layer: key.layer, key.projection, key.factor) == name)
        }
    }
}
