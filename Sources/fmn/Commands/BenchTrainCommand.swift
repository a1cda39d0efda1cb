import ArgumentParser
import Checkpoints
import Foundation
import Tensors
import Training
import Transformer

#if canImport(Glibc)
    import Glibc
#endif

/// `fmn bench train`: training throughput (forward + backward + AdamW) on the configurations of
/// `../shared/bench/torch_train_bench.py`, with the same model-FLOP accounting.
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract:
            "Measure fine-tuning throughput (full or LoRA) on torch_train_bench.py's presets.",
        discussion: """
            The work of torch_train_bench.py's "train" worker: a randomly initialised Llama \
            (N(0, 0.02) weights, norms 1), one fixed batch of random token ids with labels = ids, \
            then --warmup + --steps optimizer steps of forward, backward and AdamW (lr 1e-4, \
            betas 0.9/0.999, eps 1e-8, weight decay 0.01 on every trainable tensor, no clipping). \
            LoRA: r 8, alpha 16, dropout 0 on q_proj, k_proj, v_proj, o_proj.
              small       vocab 512, dim 256, 4 layers, 8 heads, 4 kv heads, ff 688, batch 8, seq 256
              stories15m  vocab 32000, dim 288, 6 layers, 6 heads, 6 kv heads, ff 768, batch 4, \
            seq 256, tied embeddings
            Reports the median step time, tokens/s (batch·seq / median), peak RSS of this \
            process, and the model-FLOP utilisation: PaLM-style model FLOPs (matmuls only, \
            attention over the full T×T scores, backward = 2× forward; LoRA: 4N + 6N_lora) over \
            the median step, divided by the sgemm rate fmn doctor measures (1024³, median of 7). \
            Products run on every core (see Tensors.Matmul); torch_train_bench.py uses 2 threads.
            """)

    /// The presets (shapes, batch and sequence length) `fmn bench forward` uses, which are
    /// torch_train_bench.py's.
    typealias Preset = BenchForwardCommand.Preset

    enum Method: String, ExpressibleByArgument, CaseIterable {
        case full, lora
    }

    @Option(name: .long, help: "small or stories15m.")
    var preset: Preset

    @Option(name: .long, help: "full or lora.")
    var method: Method

    @Option(name: .long, help: "Untimed steps first.")
    var warmup = 3

    @Option(name: .long, help: "Timed steps (the median is reported).")
    var steps = 10

    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    func validate() throws {
        if warmup < 0 { throw ValidationError("--warmup must be >= 0") }
        if steps < 1 { throw ValidationError("--steps must be >= 1") }
    }

    static let loraTargets = ["q_proj", "k_proj", "v_proj", "o_proj"]
    static let loraRank = 8

    func run() throws {
        let sgemm = BLASRuntime.measureSgemm(size: 1024, repetitions: 7).sorted()
        let sgemmGFLOPS = sgemm[sgemm.count / 2]
        let cfg = preset.configuration
        let (b, t) = preset.block
        var model = DecoderModel(randomWith: cfg, seed: 0)
        var generator = SeededGenerator(seed: 0)
        if method == .lora {
            model.attachNewAdapters(
                LoRAAdapterConfiguration(
                    rank: Self.loraRank, alpha: 16, dropout: 0,
                    targetModules: .names(Self.loraTargets)),
                using: &generator)
        }
        let trainable: TrainableParameters = method == .lora ? .adapters : .baseWeights
        let trainableCount = model.trainableTensors(trainable).reduce(0) { $0 + $1.value.count }
        let ids = (0..<b).map { _ in
            (0..<t).map { _ in Int(generator.next() % UInt64(cfg.vocabSize)) }
        }
        let batch = TrainingBatch(ids.map { EncodedExample(inputIds: $0, labels: $0) })
        var state = TrainingState(
            model: model, trainable: trainable,
            optimizer: AdamW(
                configuration: .init(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01)),
            generator: SeededGenerator(seed: 1))
        var times: [Double] = []
        var losses: [Double] = []
        let clock = ContinuousClock()
        for i in 0..<(warmup + steps) {
            let start = clock.now
            let outcome = try state.step(
                microBatches: [batch], learningRate: 1e-4, maxGradNorm: nil, decayPolicy: .all)
            let elapsed = clock.now - start
            losses.append(outcome.loss)
            if i >= warmup {
                times.append(
                    Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds)
                        * 1e-18)
            }
        }
        let median = times.sorted()[times.count / 2]
        let tokens = Double(b * t)
        let flops = Self.trainFlopsPerToken(cfg, seq: t, lora: method == .lora) * tokens
        let achieved = flops / median / 1e9
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let peakMiB = Double(usage.ru_maxrss) / 1024
        if json {
            let object: [String: Any] = [
                "preset": preset.rawValue, "method": method.rawValue, "batch": b, "seq": t,
                "cores": ProcessInfo.processInfo.activeProcessorCount,
                "blas_core": BLASRuntime.coreName,
                "params_trainable": trainableCount, "step_median_s": median,
                "step_times_s": times, "tokens_per_s": tokens / median,
                "model_flops_per_step": flops, "achieved_gflops": achieved,
                "sgemm_gflops": sgemmGFLOPS, "mfu": achieved / sgemmGFLOPS,
                "peak_rss_mib": peakMiB, "loss_first": losses.first ?? 0,
                "loss_last": losses.last ?? 0,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(
                "train \(preset.rawValue) \(method.rawValue): "
                    + "\(String(format: "%.0f", tokens / median)) tok/s  "
                    + "\(String(format: "%.1f", median * 1000)) ms/step  "
                    + "\(String(format: "%.1f", achieved)) GFLOP/s  "
                    + "MFU \(String(format: "%.0f", 100 * achieved / sgemmGFLOPS))% of sgemm "
                    + "\(String(format: "%.1f", sgemmGFLOPS)) GFLOP/s  "
                    + "peak RSS \(String(format: "%.0f", peakMiB)) MiB  "
                    + "(\(ProcessInfo.processInfo.activeProcessorCount) cores, loss "
                    + "\(String(format: "%.4f", losses.first ?? 0)) → "
                    + "\(String(format: "%.4f", losses.last ?? 0)))")
        }
    }

    /// Matmul parameters `N`: every projection plus the output layer (tied or not), as
    /// torch_train_bench.py's `matmul_params`.
    static func matmulParameters(_ c: TransformerConfiguration) -> Double {
        let d = Double(c.hiddenSize)
        let hd = Double(c.hiddenSize / c.headCount)
        let q = d * Double(c.headCount) * hd
        let kv = 2 * d * Double(c.kvHeads) * hd
        let o = Double(c.headCount) * hd * d
        let mlp = 3 * d * Double(c.intermediateSize)
        return Double(c.layerCount) * (q + kv + o + mlp) + Double(c.vocabSize) * d
    }

    /// LoRA parameters on q, k, v, o with rank 8 (`lora_params`).
    static func loraParameters(_ c: TransformerConfiguration) -> Double {
        let d = Double(c.hiddenSize)
        let hd = Double(c.hiddenSize / c.headCount)
        let dims: [(Double, Double)] = [
            (d, Double(c.headCount) * hd), (d, Double(c.kvHeads) * hd),
            (d, Double(c.kvHeads) * hd), (Double(c.headCount) * hd, d),
        ]
        return Double(c.layerCount) * dims.reduce(0) { $0 + Double(loraRank) * ($1.0 + $1.1) }
    }

    /// Training FLOPs per token (`train_flops_per_token`): full `6N + 3·attn`, LoRA
    /// `4N + 6N_lora + 3·attn`, with `attn = 4·L·T·H·D` the forward attention matmuls.
    static func trainFlopsPerToken(_ c: TransformerConfiguration, seq t: Int, lora: Bool) -> Double
    {
        let hd = Double(c.hiddenSize / c.headCount)
        let attention = 3 * 4 * Double(c.layerCount) * Double(t) * Double(c.headCount) * hd
        let n = matmulParameters(c)
        return lora ? 4 * n + 6 * loraParameters(c) + attention : 6 * n + attention
    }
}
