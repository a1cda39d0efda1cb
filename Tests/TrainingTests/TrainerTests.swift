import Checkpoints
import Foundation
import Tensors
import TestSupport
import Testing
import Transformer

@testable import Training

@Suite struct TrainerTests {
    static let parity = Fixtures.shared("reference/parity")
    static let stories = Fixtures.url("Models/stories260K-hf")

    /// The parity fixture's settings: lr 1e-3 constant, no warm-up, wd 0.01, no clipping,
    /// batch 2, no shuffling, 3 steps.
    static func parityConfiguration(_ method: TrainingConfiguration.Method) -> TrainingConfiguration
    {
        var c = TrainingConfiguration(method: method)
        c.learningRate = 1e-3
        c.weightDecay = 0.01
        c.weightDecayPolicy = .all
        c.schedule = .constant
        c.maxGradNorm = nil
        c.batchSize = 2
        c.shuffle = false
        c.maxSteps = 3
        return c
    }

    /// The first `count` DialogSum training pairs in a temporary JSONL file.
    static func dialogSumFile(_ count: Int, in folder: URL) throws -> URL {
        let lines = try String(
            contentsOf: Fixtures.url("Training/dialogsum-train.jsonl"), encoding: .utf8
        )
        .split(separator: "\n").prefix(count)
        let url = folder.appendingPathComponent("data.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func adapterTensors(_ folder: URL) throws -> [String: Tensor] {
        try SafetensorsFile(contentsOf: folder.appendingPathComponent("adapter_model.safetensors"))
            .tensors()
    }

    @Test func loraFromInitialAdapterReproducesPeftAfterThreeSteps() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("adapter")
        var events: [TrainingEvent] = []
        let summary = try Trainer(
            modelFolder: Self.parity.appendingPathComponent("base"),
            dataFile: Self.parity.appendingPathComponent("batch.jsonl"), outputFolder: out,
            configuration: Self.parityConfiguration(.lora),
            initialAdapter: Self.parity.appendingPathComponent("lora_adapter")
        ).run { events.append($0) }
        #expect(summary.steps == 3)
        let expected = try SafetensorsFile(
            contentsOf: Self.parity.appendingPathComponent("lora_adamw_step3.safetensors")
        ).tensors()
        let got = try Self.adapterTensors(out)
        #expect(Set(got.keys) == Set(expected.keys))
        for (name, want) in expected {
            expectClose(
                try #require(got[name]).scalars, want.scalars, rtol: 0, atol: 1e-5, "\(name)")
        }
        // The adapter loads back through Checkpoints with the initial adapter's settings.
        let adapter = try AdapterFolder(url: out)
        #expect(adapter.configuration.rank == 4)
        #expect(adapter.configuration.alpha == 8)
        // training_log.jsonl: one record per step with the fixture's losses.
        let log = try TrainingLog.decode(
            Data(contentsOf: out.appendingPathComponent("training_log.jsonl")), path: "log")
        #expect(log.map(\.step) == [1, 2, 3])
        expectClose(log.map(\.loss), [6.250042, 6.236666, 6.223225], rtol: 0, atol: 1e-5)
        #expect(
            log.allSatisfy { $0.learningRate == 1e-3 && $0.gradNorm > 0 && $0.tokensPerSecond > 0 })
        #expect(events.count == 5)  // prepared, 3 steps, finished
    }

    @Test func fullFineTuneWritesALoadableModelFolder() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("model")
        var config = TrainingConfiguration(method: .full)
        config.maxSteps = 2
        config.batchSize = 2
        config.maxSequenceLength = 24
        config.learningRate = 1e-3
        try Trainer(
            modelFolder: Self.stories, dataFile: try Self.dialogSumFile(4, in: folder),
            outputFolder: out, configuration: config
        ).run()
        for file in [
            "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
            "training_log.jsonl", "training_args.json",
        ] {
            #expect(
                FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path),
                "\(file)")
        }
        let trained = try DecoderModel.load(modelFolder: out)
        let base = try DecoderModel.load(modelFolder: Self.stories)
        #expect(trained.embedding.table != base.embedding.table)
        #expect(trained.lmHead == nil)  // tied embeddings stay tied
        // Nothing temporary is left beside the output.
        let siblings = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(siblings.sorted() == ["data.jsonl", "model"])
    }

    @Test func lossFallsOnAMemorizableBatch() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        var config = TrainingConfiguration(method: .lora)
        config.maxSteps = 8
        config.batchSize = 2
        config.maxSequenceLength = 20
        config.learningRate = 2e-2
        config.schedule = .constant
        config.targetModules = ["q_proj", "k_proj", "v_proj", "o_proj"]
        let summary = try Trainer(
            modelFolder: Self.stories, dataFile: try Self.dialogSumFile(2, in: folder),
            outputFolder: folder.appendingPathComponent("adapter"), configuration: config
        ).run()
        let first = try #require(summary.firstLoss)
        let last = try #require(summary.finalLoss)
        #expect(last < first - 0.5, "loss \(first) → \(last)")
    }

    @Test func resumedRunReachesTheUninterruptedAdapter() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try Self.dialogSumFile(5, in: folder)
        var config = TrainingConfiguration(method: .lora)
        config.maxSteps = 4
        config.batchSize = 1
        config.gradientAccumulationSteps = 2
        config.maxSequenceLength = 20
        config.learningRate = 5e-3
        config.warmupSteps = 1
        config.schedule = .cosine
        config.loraDropout = 0.1
        config.seed = 7
        // Uninterrupted.
        let straight = folder.appendingPathComponent("straight")
        try Trainer(
            modelFolder: Self.stories, dataFile: data, outputFolder: straight,
            configuration: config
        ).run()
        // A run that saves every 2 steps; its checkpoint-2 is what a run killed after its
        // first save leaves behind.
        var saving = config
        saving.saveEvery = 2
        let interrupted = folder.appendingPathComponent("interrupted")
        var saves: [Int] = []
        try Trainer(
            modelFolder: Self.stories, dataFile: data, outputFolder: interrupted,
            configuration: saving
        ).run {
            if case .saved(let step, _) = $0 { saves.append(step) }
        }
        #expect(saves == [2])
        let checkpoint = folder.appendingPathComponent("interrupted-checkpoints/checkpoint-2")
        let resumed = folder.appendingPathComponent("resumed")
        var plannedStart = -1
        try Trainer(
            modelFolder: Self.stories, dataFile: data, outputFolder: resumed,
            configuration: saving, resumeFolder: checkpoint
        ).run {
            if case .prepared(let plan) = $0 { plannedStart = plan.startStep }
        }
        #expect(plannedStart == 2)
        let want = try Self.adapterTensors(straight)
        let got = try Self.adapterTensors(resumed)
        #expect(Set(got.keys) == Set(want.keys))
        for (name, value) in want {
            expectClose(
                try #require(got[name]).scalars, value.scalars, rtol: 0, atol: 1e-6, "\(name)")
        }
        let straightLog = try TrainingLog.decode(
            Data(contentsOf: straight.appendingPathComponent("training_log.jsonl")), path: "a")
        let resumedLog = try TrainingLog.decode(
            Data(contentsOf: resumed.appendingPathComponent("training_log.jsonl")), path: "b")
        #expect(resumedLog.map(\.step) == [1, 2, 3, 4])
        expectClose(resumedLog.map(\.loss), straightLog.map(\.loss), rtol: 0, atol: 1e-6)
    }

    @Test func resumeRefusesDifferentSettings() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        var config = Self.parityConfiguration(.lora)
        config.saveEvery = 1
        let base = Self.parity.appendingPathComponent("base")
        let data = Self.parity.appendingPathComponent("batch.jsonl")
        try Trainer(
            modelFolder: base, dataFile: data, outputFolder: folder.appendingPathComponent("a"),
            configuration: config,
            initialAdapter: Self.parity.appendingPathComponent("lora_adapter")
        ).run()
        var other = config
        other.learningRate = 2e-3
        let error = try #require(throws: TrainingError.self) {
            try Trainer(
                modelFolder: base, dataFile: data, outputFolder: folder.appendingPathComponent("b"),
                configuration: other,
                resumeFolder: folder.appendingPathComponent("a-checkpoints/checkpoint-1")
            ).run()
        }
        guard case .invalidResumeState = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("b").path))
    }

    @Test func existingOutputIsRefusedBeforeTraining() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: TrainingError.outputExists(path: folder.path)) {
            try Trainer(
                modelFolder: Self.parity.appendingPathComponent("base"),
                dataFile: Self.parity.appendingPathComponent("batch.jsonl"),
                outputFolder: folder, configuration: Self.parityConfiguration(.full)
            ).run()
        }
    }

    @Test func nonFiniteLossStopsNamingTheStep() throws {
        var weights = try ModelFolder(url: Self.parity.appendingPathComponent("base")).loadTensors()
        weights["model.norm.weight"]!.scalars[0] = .nan
        let model = try DecoderModel(
            configuration: try DecoderModel.load(
                modelFolder: Self.parity.appendingPathComponent("base")
            )
            .configuration,
            weights: weights)
        var state = TrainingState(
            model: model, trainable: .baseWeights,
            optimizer: AdamW(), step: 4, generator: SeededGenerator(seed: 0))
        let dataset = try TrainingDataset(
            contentsOf: Self.parity.appendingPathComponent("batch.jsonl"),
            encoding: ExampleEncoding(tokenizer: nil), vocabularySize: 256)
        let error = try #require(throws: TrainingError.self) {
            try state.step(
                microBatches: [TrainingBatch(dataset.examples)], learningRate: 1e-3,
                maxGradNorm: 1, decayPolicy: .matricesOnly)
        }
        guard case .nonFiniteLoss(let step, let loss) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(step == 5)
        #expect(loss.isNaN)
        #expect(error.description.hasPrefix("step 5: the loss is nan"))
        #expect(state.step == 4)
    }
}
