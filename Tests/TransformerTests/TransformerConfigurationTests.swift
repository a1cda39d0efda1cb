import Foundation
import TestSupport
import Testing
import Transformer

@Suite struct TransformerConfigurationTests {
    func decode(_ json: String) throws -> TransformerConfiguration {
        try TransformerConfiguration.decode(Data(json.utf8), path: "/models/x/config.json")
    }

    let core = """
        "vocab_size": 512, "hidden_size": 64, "intermediate_size": 172, "num_hidden_layers": 5,
        "num_attention_heads": 8, "rms_norm_eps": 1e-05
        """

    @Test func decodesTransformersV5Form() throws {
        let cfg = try TransformerConfiguration.load(from: Fixtures.shared("reference/parity/base"))
        #expect(cfg.architecture == .llama)
        #expect(cfg.ropeTheta == 10000)
        #expect(cfg.headDim == 16 && cfg.kvHeads == 2 && cfg.groupSize == 2)
        #expect(cfg.dtype == "float32" && !cfg.tieWordEmbeddings && !cfg.qkvBias)
        #expect(cfg.eosTokenIds == [2] && cfg.bosTokenId == 1)
    }

    @Test func decodesTransformersV4FormWithImpliedHeadDim() throws {
        let cfg = try decode(
            """
            {"architectures": ["LlamaForCausalLM"], \(core), "num_key_value_heads": 4,
             "rope_theta": 500000.0, "torch_dtype": "bfloat16", "tie_word_embeddings": true,
             "eos_token_id": [2, 7]}
            """)
        #expect(cfg.ropeTheta == 500000 && cfg.dtype == "bfloat16")
        #expect(cfg.headDim == 8 && cfg.kvHeads == 4 && cfg.tieWordEmbeddings)
        #expect(cfg.eosTokenIds == [2, 7])
        // No num_key_value_heads: one kv head per query head.
        let mha = try decode(#"{"architectures": ["MistralForCausalLM"], \#(core)}"#)
        #expect(mha.kvHeads == 8 && mha.architecture == .mistral && mha.ropeTheta == 10000)
    }

    @Test func qwen2HasQKVBiasesAndLlamaAttentionBiasCoversO() throws {
        let qwen = try decode(#"{"architectures": ["Qwen2ForCausalLM"], \#(core)}"#)
        #expect(qwen.qkvBias && !qwen.outputBias)
        let llama = try decode(
            #"{"architectures": ["LlamaForCausalLM"], \#(core), "attention_bias": true}"#)
        #expect(llama.qkvBias && llama.outputBias)
    }

    @Test func unknownArchitectureIsAClearError() throws {
        do {
            _ = try decode(#"{"architectures": ["GPT2LMHeadModel"], \#(core)}"#)
            Issue.record("expected an error")
        } catch let error as TransformerError {
            #expect(
                error
                    == .unsupportedArchitecture(
                        path: "/models/x/config.json", architectures: ["GPT2LMHeadModel"]))
            #expect(error.description.contains("architectures"))
            #expect(error.description.contains("/models/x/config.json"))
            #expect(error.description.contains("LlamaForCausalLM"))
        }
    }

    @Test func refusesWhatIsNotImplemented() throws {
        #expect(throws: TransformerError.self) {
            _ = try decode(
                """
                {"architectures": ["LlamaForCausalLM"], \(core),
                 "rope_scaling": {"rope_type": "llama3", "factor": 8.0}}
                """)
        }
        #expect(throws: TransformerError.self) {
            _ = try decode(
                #"{"architectures": ["LlamaForCausalLM"], \#(core), "hidden_act": "gelu"}"#)
        }
        #expect(throws: TransformerError.self) {
            _ = try decode(
                #"{"architectures": ["LlamaForCausalLM"], \#(core), "num_key_value_heads": 3}"#)
        }
        do {
            _ = try decode(#"{"architectures": ["LlamaForCausalLM"], "vocab_size": 5}"#)
            Issue.record("expected an error")
        } catch let error as TransformerError {
            #expect(error.description.contains("hidden_size"))
        }
    }

    @Test func modelLoadingNamesTheMissingTensor() throws {
        let cfg = try TransformerConfiguration.load(from: Fixtures.shared("reference/parity/base"))
        #expect(
            throws: TransformerError.missingTensor(name: "model.embed_tokens.weight", source: "w")
        ) {
            _ = try DecoderModel(configuration: cfg, weights: [:], source: "w")
        }
    }
}

@Suite struct ModelFolderLoadingTests {
    @Test func unknownArchitectureInAModelFolderNamesTheFile() throws {
        let folder = try Fixtures.temporaryDirectory()
        let source = Fixtures.shared("reference/parity/base")
        try FileManager.default.copyItem(
            at: source.appendingPathComponent("model.safetensors"),
            to: folder.appendingPathComponent("model.safetensors"))
        let config = try String(
            contentsOf: source.appendingPathComponent("config.json"), encoding: .utf8)
        try config.replacingOccurrences(of: "LlamaForCausalLM", with: "GPTNeoXForCausalLM")
            .write(
                to: folder.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        do {
            _ = try DecoderModel.load(modelFolder: folder)
            Issue.record("expected an error")
        } catch let error as TransformerError {
            #expect(error.description.contains(folder.appendingPathComponent("config.json").path))
            #expect(error.description.contains("GPTNeoXForCausalLM"))
        }
    }
}
