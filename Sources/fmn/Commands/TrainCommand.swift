import ArgumentParser
import Foundation
import Pipeline
import Tracking
import Training

#if canImport(Glibc)
    import Glibc
#endif

/// `fmn train`: fine-tunes a model folder on a JSONL file, LoRA (a PEFT adapter) or full (a
/// Hugging Face model folder).
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Fine-tune a model (LoRA or full) on a JSONL data file.",
        discussion: """
            Each data line is {"prompt": ..., "completion": ...} (only the completion and the \
            EOS after it are scored), {"text": ...} (every token scored) or pre-tokenized \
            {"input_ids": [...], "labels": [...]}. Text is tokenized with the model folder's \
            tokenizer.json as TRL does it; sequences longer than --max-seq-len keep the \
            completion and lose the start of the prompt. Batches group sequences of similar \
            length (no packing); --no-shuffle keeps file order.

            The objective is the mean cross-entropy over the scored tokens of each optimizer \
            step (all --grad-accum micro-batches together). AdamW as PyTorch's (bias-corrected \
            moments, decoupled weight decay on 2-D weights only), gradient clipping by global \
            norm, learning-rate schedules as transformers' (warm-up from 0).

            --method lora writes a PEFT adapter folder (adapter_config.json, \
            adapter_model.safetensors); --method full a Hugging Face model folder (config.json, \
            model.safetensors, tokenizer files). Both hold training_log.jsonl (step, loss, \
            learning rate, grad norm, tokens/s) and training_args.json. The output is written \
            under a temporary name and renamed when complete. --save-every N writes resumable \
            states to OUT-checkpoints/checkpoint-STEP; --resume that folder, with the same \
            flags, continues to the same result as an uninterrupted run. A NaN or infinite \
            loss or gradient stops the run with an error naming the step (exit status 1).
            """)

    enum Method: String, ExpressibleByArgument, CaseIterable {
        case lora, full
    }

    enum Schedule: String, ExpressibleByArgument, CaseIterable {
        case constant, linear, cosine
    }

    @Option(name: .long, help: "Hugging Face model folder (config.json, model.safetensors).")
    var model: String

    @Option(name: .long, help: "JSONL training data.")
    var data: String

    @Option(name: .long, help: "lora (adapter only) or full (every weight).")
    var method: Method

    @Option(name: .long, help: "Output folder (must not exist).")
    var out: String

    @Option(name: .long, help: "LoRA rank r.")
    var loraRank = 8

    @Option(name: .long, help: "LoRA alpha (scale alpha / r).")
    var loraAlpha = 16.0

    @Option(name: .long, help: "LoRA dropout in [0, 1).")
    var loraDropout = 0.0

    @Option(name: .long, help: "Comma-separated projections the adapter targets.")
    var targetModules = "q_proj,v_proj"

    @Option(name: .long, help: "Peak learning rate.")
    var learningRate = 2e-4

    @Option(name: .long, help: "AdamW decoupled weight decay (2-D weights only).")
    var weightDecay = 0.0

    @Option(name: .long, help: "Sequences per micro-batch.")
    var batchSize = 8

    @Option(name: .long, help: "Micro-batches per optimizer step.")
    var gradAccum = 1

    @Option(name: .long, help: "Optimizer steps (instead of --epochs).")
    var maxSteps: Int?

    @Option(name: .long, help: "Passes over the data (default 1; fractions allowed).")
    var epochs: Double?

    @Option(name: .long, help: "Linear warm-up steps from learning rate 0.")
    var warmupSteps = 0

    @Option(name: .long, help: "Learning-rate schedule after warm-up.")
    var schedule: Schedule = .linear

    @Option(name: .long, help: "Clip the global gradient norm to this (0: no clipping).")
    var maxGradNorm = 1.0

    @Option(name: .long, help: "Longest sequence kept (default: the model's maximum).")
    var maxSeqLen: Int?

    @Option(name: .long, help: "Seed of adapter initialisation, shuffling and dropout.")
    var seed: UInt64 = 42

    @Flag(name: .long, help: "Keep the file order (no shuffling, no length grouping).")
    var noShuffle = false

    @Option(
        name: .long,
        help:
            "PEFT adapter folder to start LoRA training from (its rank, alpha, dropout and targets win over the --lora-* flags)."
    )
    var initAdapter: String?

    @Option(name: .long, help: "Write a resumable state every N optimizer steps.")
    var saveEvery: Int?

    @Option(name: .long, help: "Continue from a saved state folder (OUT-checkpoints/checkpoint-N).")
    var resume: String?

    @Flag(name: .long, help: "Print one JSON object per step and a final summary.")
    var json = false

    @OptionGroup var recording: RecordingOptions

    func validate() throws {
        if loraRank <= 0 { throw ValidationError("--lora-rank must be > 0") }
        if !(loraDropout >= 0 && loraDropout < 1) {
            throw ValidationError("--lora-dropout must be in [0, 1)")
        }
        if !(learningRate >= 0) { throw ValidationError("--learning-rate must be >= 0") }
        if !(weightDecay >= 0) { throw ValidationError("--weight-decay must be >= 0") }
        if batchSize <= 0 { throw ValidationError("--batch-size must be > 0") }
        if gradAccum <= 0 { throw ValidationError("--grad-accum must be > 0") }
        if maxSteps != nil && epochs != nil {
            throw ValidationError("--max-steps and --epochs exclude each other; pass one")
        }
        if let maxSteps, maxSteps <= 0 { throw ValidationError("--max-steps must be > 0") }
        if let epochs, !(epochs > 0) { throw ValidationError("--epochs must be > 0") }
        if warmupSteps < 0 { throw ValidationError("--warmup-steps must be >= 0") }
        if !(maxGradNorm >= 0) { throw ValidationError("--max-grad-norm must be >= 0") }
        if let maxSeqLen, maxSeqLen < 2 { throw ValidationError("--max-seq-len must be >= 2") }
        if let saveEvery, saveEvery <= 0 { throw ValidationError("--save-every must be > 0") }
        if initAdapter != nil && method != .lora {
            throw ValidationError("--init-adapter needs --method lora")
        }
        if targets.isEmpty { throw ValidationError("--target-modules names no module") }
        let known = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
        if let bad = targets.first(where: { !known.contains($0) }) {
            throw ValidationError(
                "--target-modules: unknown module '\(bad)'; use \(known.joined(separator: ","))")
        }
    }

    var targets: [String] {
        targetModules.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    /// The library settings these flags describe.
    var trainingConfiguration: TrainingConfiguration {
        var c = TrainingConfiguration(method: method == .lora ? .lora : .full)
        c.loraRank = loraRank
        c.loraAlpha = loraAlpha
        c.loraDropout = loraDropout
        c.targetModules = targets
        c.learningRate = learningRate
        c.weightDecay = weightDecay
        c.batchSize = batchSize
        c.gradientAccumulationSteps = gradAccum
        c.maxSteps = maxSteps
        c.epochs = epochs ?? 1
        c.warmupSteps = warmupSteps
        c.schedule = LearningRateSchedule.Kind(rawValue: schedule.rawValue) ?? .linear
        c.maxGradNorm = maxGradNorm > 0 ? maxGradNorm : nil
        c.maxSequenceLength = maxSeqLen
        c.seed = seed
        c.shuffle = !noShuffle
        c.saveEvery = saveEvery
        return c
    }

    func run() throws {
        let trainer = Trainer(
            modelFolder: URL(fileURLWithPath: model), dataFile: URL(fileURLWithPath: data),
            outputFolder: URL(fileURLWithPath: out), configuration: trainingConfiguration,
            initialAdapter: initAdapter.map { URL(fileURLWithPath: $0) },
            resumeFolder: resume.map { URL(fileURLWithPath: $0) })
        let mode: TrainingProgress.Mode =
            json ? .json : (isatty(STDERR_FILENO) == 1 ? .progressBar : .plainLines)
        var progress = TrainingProgress(mode: mode)
        let recorder: FineTuneRecorder?
        do {
            recorder = try recording.storeURL.map {
                try FineTuneRecorder(
                    tracker: try Tracker.create(at: $0).tracker,
                    modelFolder: URL(fileURLWithPath: model),
                    configuration: trainingConfiguration, toolVersion: ToolVersion.current)
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        var steps: [Training.TrainingStepRecord] = []
        do {
            try trainer.run { event in
                if case .step(let step) = event { steps.append(step) }
                progress.render(event)
            }
        } catch {
            progress.finishLine()
            recorder?.fail()
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        if let recorder {
            do {
                let commitId = try recorder.finish(
                    output: URL(fileURLWithPath: out), method: trainingConfiguration.method,
                    dataFile: URL(fileURLWithPath: data), steps: steps)
                FileHandle.standardError.write(
                    Data(
                        ("committed \(commitId.prefix(12)) and recorded fine-tune "
                            + "\(recorder.fineTuneId) in \(recorder.tracker.layout.root.path)\n")
                            .utf8))
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(2)
            }
        }
    }
}

/// Renders training events: a progress bar on a terminal (standard error), plain lines, or JSON
/// lines (standard output).
struct TrainingProgress {
    enum Mode { case progressBar, plainLines, json }

    let mode: Mode
    var totalSteps = 0
    var startStep = 0
    var plainInterval = 1
    var barShown = false

    init(mode: Mode) {
        self.mode = mode
    }

    mutating func render(_ event: TrainingEvent) {
        switch event {
        case .prepared(let plan):
            totalSteps = plan.totalSteps
            startStep = plan.startStep
            plainInterval = max(1, (plan.totalSteps - plan.startStep) / 20)
            switch mode {
            case .json:
                emitJSON(plan, event: "prepared")
            case .plainLines, .progressBar:
                let resumed = plan.startStep > 0 ? ", resuming after step \(plan.startStep)" : ""
                print(
                    "\(plan.exampleCount) examples (\(plan.truncatedCount) truncated to "
                        + "\(plan.maxSequenceLength) tokens), \(plan.scoredTokenCount) scored "
                        + "tokens, \(plan.trainableParameterCount) trainable parameters, "
                        + "\(plan.totalSteps) steps\(resumed)")
                fflush(nil)
            }
        case .step(let record):
            let done = record.step - startStep
            let eta =
                done > 0
                ? record.elapsedSeconds / Double(done) * Double(totalSteps - record.step) : 0
            switch mode {
            case .json:
                emitJSON(record, event: "step")
            case .plainLines:
                guard record.step % plainInterval == 0 || record.step == totalSteps else { return }
                print(
                    "step \(record.step)/\(totalSteps) loss \(String(format: "%.6f", record.loss)) "
                        + "lr \(String(format: "%.3e", record.learningRate)) grad_norm "
                        + "\(String(format: "%.4f", record.gradNorm)) tokens/s "
                        + "\(String(format: "%.0f", record.tokensPerSecond)) eta "
                        + Self.duration(eta))
                fflush(nil)
            case .progressBar:
                let width = 24
                let filled = totalSteps > 0 ? width * record.step / totalSteps : width
                let bar =
                    String(repeating: "█", count: filled)
                    + String(repeating: "·", count: width - filled)
                let line =
                    "\r\(bar) step \(record.step)/\(totalSteps) loss "
                    + "\(String(format: "%.4f", record.loss)) lr "
                    + "\(String(format: "%.2e", record.learningRate)) "
                    + "\(String(format: "%.0f", record.tokensPerSecond)) tok/s ETA "
                    + Self.duration(eta) + "   "
                FileHandle.standardError.write(Data(line.utf8))
                barShown = true
            }
        case .saved(let step, let folder):
            switch mode {
            case .json:
                emitJSON(["step": step], event: "saved", extra: ["folder": folder.path])
            case .plainLines, .progressBar:
                finishLine()
                print("saved resumable state after step \(step) in \(folder.path)")
                fflush(nil)
            }
        case .finished(let summary):
            switch mode {
            case .json:
                emitJSON(summary, event: "summary")
            case .plainLines, .progressBar:
                finishLine()
                let losses =
                    summary.firstLoss.map { first in
                        " loss \(String(format: "%.4f", first)) → "
                            + String(format: "%.4f", summary.finalLoss ?? first) + ","
                    } ?? ""
                print(
                    "trained \(summary.steps) steps (\(summary.method.rawValue)),\(losses) "
                        + "\(String(format: "%.0f", summary.tokensPerSecond)) tokens/s, "
                        + "\(Self.duration(summary.elapsedSeconds)); wrote \(summary.output)")
            }
        }
    }

    /// Ends the progress-bar line so that the next output starts on its own line.
    mutating func finishLine() {
        if barShown {
            FileHandle.standardError.write(Data("\n".utf8))
            barShown = false
        }
    }

    func emitJSON<T: Encodable>(_ value: T, event: String, extra: [String: String] = [:]) {
        let encoder = JSONEncoder()
        guard let data = try? encoder.encode(value),
            var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { return }
        object["event"] = event
        for (key, text) in extra { object[key] = text }
        guard let line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        else { return }
        print(String(decoding: line, as: UTF8.self))
        fflush(nil)
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600)h\(String(format: "%02d", (s % 3600) / 60))m" }
        if s >= 60 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s)s"
    }
}
