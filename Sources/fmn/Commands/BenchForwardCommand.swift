import ArgumentParser
import Foundation
import Tensors
import Transformer

/// `fmn bench forward`: forward throughput of the Transformer core — batch scoring (prompt
/// processing) and greedy decoding with and without the KV cache — on a model folder or on the
/// random-weight presets of `../shared/bench/torch_train_bench.py`.
struct BenchForwardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract:
            "Measure forward throughput: scoring, and decoding with and without the KV cache.",
        discussion: """
            Three workloads, each timed --repeat times after one warm-up (the median is shown):
              score     log-likelihood of a [batch, seq] block of random tokens (one forward \
            pass, per-token log-probabilities), as torch_train_bench.py's probe "score";
              decode    greedy generation with the KV cache from a BOS-only prompt, batch 1 \
            (--new-tokens tokens), as its probe "generate b1";
              no-cache  the same decoding but recomputing the whole prefix for every token \
            (--no-cache-tokens tokens), what the KV cache saves.
            Presets (random weights, as transformers initialises them):
              small       vocab 512, dim 256, 4 layers, 8 heads, 4 kv heads, ff 688, seq 256, batch 8
              stories15m  vocab 32000, dim 288, 6 layers, 6 heads, 6 kv heads, ff 768, seq 256, \
            batch 4, tied embeddings
            Work is spread over all cores by ForgetMeNot itself (OpenBLAS runs single-threaded \
            blocks); compare with torch_train_bench.py --threads equal to the core count.
            """)

    enum Preset: String, ExpressibleByArgument, CaseIterable {
        case small
        case stories15m

        var configuration: TransformerConfiguration {
            switch self {
            case .small:
                return TransformerConfiguration(
                    vocabSize: 512, hiddenSize: 256, intermediateSize: 688, layerCount: 4,
                    headCount: 8, kvHeads: 4, rmsNormEps: 1e-5, maxPositionEmbeddings: 256,
                    tieWordEmbeddings: false)
            case .stories15m:
                return TransformerConfiguration(
                    vocabSize: 32000, hiddenSize: 288, intermediateSize: 768, layerCount: 6,
                    headCount: 6, kvHeads: 6, rmsNormEps: 1e-5, maxPositionEmbeddings: 256,
                    tieWordEmbeddings: true)
            }
        }

        /// (batch, seq) of the preset's scoring block.
        var block: (Int, Int) {
            switch self {
            case .small: return (8, 256)
            case .stories15m: return (4, 256)
            }
        }
    }

    @Option(name: .long, help: "Hugging Face model folder to measure.")
    var model: String?

    @Option(name: .long, help: "A preset of torch_train_bench.py: small or stories15m.")
    var preset: Preset?

    @Option(name: .long, help: "Scoring batch size (default: the preset's, or 1).")
    var batch: Int?

    @Option(
        name: .long,
        help: "Scoring sequence length (default: the preset's, or min(256, max positions)).")
    var seq: Int?

    @Option(name: .long, help: "Tokens generated with the KV cache.")
    var newTokens = 255

    @Option(
        name: .long, help: "Tokens generated without the KV cache (each recomputes the prefix).")
    var noCacheTokens = 32

    @Option(name: .customLong("repeat"), help: "Timed runs per workload (the median is reported).")
    var repetitions = 5

    @Flag(name: .long, help: "Print the results as one JSON object.")
    var json = false

    func validate() throws {
        if (model == nil) == (preset == nil) {
            throw ValidationError("give exactly one of --model DIR or --preset small|stories15m")
        }
        if repetitions < 1 { throw ValidationError("--repeat must be >= 1") }
        if let batch, batch < 1 { throw ValidationError("--batch must be >= 1") }
        if let seq, seq < 2 { throw ValidationError("--seq must be >= 2") }
        if newTokens < 1 || noCacheTokens < 1 {
            throw ValidationError("--new-tokens and --no-cache-tokens must be >= 1")
        }
    }

    func run() throws {
        let decoder: DecoderModel
        let name: String
        var block = (1, 256)
        if let preset {
            decoder = DecoderModel(randomWith: preset.configuration, seed: 0)
            name = preset.rawValue
            block = preset.block
        } else {
            do {
                decoder = try DecoderModel.load(modelFolder: URL(fileURLWithPath: model!))
            } catch {
                CommandLineOutput.fail("\(error)")
            }
            name = model!
        }
        let cfg = decoder.configuration
        let b = batch ?? block.0
        let t = min(seq ?? block.1, cfg.maxPositionEmbeddings)
        var rng = SeededGenerator(seed: 0)
        let tokens = (0..<b).map { _ in
            (0..<t).map { _ in Int(rng.next() % UInt64(cfg.vocabSize)) }
        }
        let bos = cfg.bosTokenId ?? 1
        let cached = min(newTokens, cfg.maxPositionEmbeddings - 1)
        let uncached = min(noCacheTokens, cfg.maxPositionEmbeddings - 1)

        let score = try Self.median(repetitions) { _ = try decoder.tokenLogProbabilities(tokens) }
        let decode = try Self.median(repetitions) {
            _ = try decoder.generate(
                prompt: [bos], options: GenerationOptions(maxNewTokens: cached, stopTokenIds: []))
        }
        let noCache = try Self.median(max(1, repetitions / 2)) {
            var sequence = [bos]
            for _ in 0..<uncached {
                let logits = try decoder.logits([sequence])
                let last = Array(logits.scalars[((sequence.count - 1) * cfg.vocabSize)...])
                var greedy = Sampler(.greedy)
                sequence.append(greedy.sample(last))
            }
        }
        let scoreRate = Double(b * t) / score
        let decodeRate = Double(cached) / decode
        let noCacheRate = Double(uncached) / noCache
        if json {
            let object: [String: Any] = [
                "model": name, "cores": Parallel.coreCount,
                "blas_core": BLASRuntime.coreName,
                "parameters": decoder.parameterCount,
                "score": ["batch": b, "seq": t, "median_s": score, "tokens_per_s": scoreRate],
                "decode_kv_cache": [
                    "batch": 1, "new_tokens": cached, "median_s": decode,
                    "tokens_per_s": decodeRate,
                    "ms_per_step": 1000 * decode / Double(cached),
                ],
                "decode_no_cache": [
                    "batch": 1, "new_tokens": uncached, "median_s": noCache,
                    "tokens_per_s": noCacheRate,
                ],
            ]
            let data = try JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(
                "model \(name): \(decoder.parameterCount) parameters, OpenBLAS "
                    + "\(BLASRuntime.coreName) (single-threaded blocks), \(Parallel.coreCount) cores"
            )
            print(
                String(
                    format: "score     [%d, %d]: %10.0f tok/s (%.1f ms median of %d)",
                    b, t, scoreRate, score * 1000, repetitions))
            print(
                String(
                    format: "decode    KV cache, %d new: %8.0f tok/s (%.2f ms/step)",
                    cached, decodeRate, 1000 * decode / Double(cached)))
            print(
                String(
                    format: "decode    no cache, %d new: %8.0f tok/s (%.2f ms/step)",
                    uncached, noCacheRate, 1000 * noCache / Double(uncached)))
        }
    }

    /// Median wall-clock seconds of `runs` timed calls after one warm-up call.
    static func median(_ runs: Int, _ body: () throws -> Void) throws -> Double {
        try body()
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        return times.count % 2 == 1
            ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
    }
}
