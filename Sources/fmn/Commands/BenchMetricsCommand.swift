import ArgumentParser
import Dispatch
import Foundation
import Metrics

/// `fmn bench metrics`: pairs per second for ROUGE-1/2/L/Lsum (stemmer on), sentence BLEU and
/// sentence chrF — the workload of `../shared/bench/metrics_bench.py`.
struct BenchMetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Time ROUGE (stemmed), sentence BLEU and sentence chrF over a pairs file.",
        discussion: """
            Write the Python benchmark's exact input and its figure, then pass both:

              python3 ../shared/bench/metrics_bench.py --write-pairs /tmp/pairs.jsonl
              fmn bench metrics --pairs /tmp/pairs.jsonl --reference-pairs-per-second <its pairs_per_second>

            Each run scores every pair (all four ROUGE types with the Porter stemmer, \
            sentence_bleu, sentence_chrf); the median over --runs is reported, in parallel over \
            all cores (DispatchQueue.concurrentPerform) and on one thread. The pairs per CPU \
            second of the one-thread runs do not depend on what else the machine runs; compare \
            them with the Python script's CPU time (e.g. `time python3 ...`, user seconds) when \
            the machine is busy.
            """)

    @Option(
        name: .long, help: "JSON Lines pairs file, as metrics_bench.py --write-pairs writes it.")
    var pairs: String

    @Option(name: .long, help: "Timed runs (the median is reported).")
    var runs = 5

    @Option(
        name: .long,
        help: "The Python packages' pairs/s from metrics_bench.py, printed beside ours.")
    var referencePairsPerSecond: Double?

    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    func validate() throws {
        guard runs > 0 else { throw ValidationError("--runs must be > 0") }
        if let referencePairsPerSecond, !(referencePairsPerSecond > 0) {
            throw ValidationError("--reference-pairs-per-second must be > 0")
        }
    }

    func run() throws {
        let input: [PredictionPair]
        do {
            input = try PredictionPair.readJSONLines(at: URL(fileURLWithPath: pairs))
        } catch {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode.failure
        }
        let metrics: Set<GenerationMetric> = [.rouge, .bleu, .chrf]
        func time(_ body: () -> Void) -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        /// CPU seconds this process used (all threads), unaffected by other processes' load.
        func cpuSeconds() -> Double {
            var spec = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
            return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
        }
        // Warm-up (page faults, lazy statics), then timed runs.
        _ = ExampleScores.scoring(Array(input.prefix(500)), metrics: metrics, useStemmer: true)
        var parallelSeconds: [Double] = []
        var sequentialSeconds: [Double] = []
        var sequentialCPUSeconds: [Double] = []
        var checksum = 0.0
        for _ in 0..<runs {
            parallelSeconds.append(
                time {
                    let scores = ExampleScores.scoring(input, metrics: metrics, useStemmer: true)
                    checksum += scores.last?.chrf?.score ?? 0
                })
            let cpuStart = cpuSeconds()
            sequentialSeconds.append(
                time {
                    for pair in input {
                        let scores = ExampleScores(pair: pair, metrics: metrics, useStemmer: true)
                        checksum += scores.chrf?.score ?? 0
                    }
                })
            sequentialCPUSeconds.append(cpuSeconds() - cpuStart)
        }
        func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            let mid = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
        }
        let n = Double(input.count)
        let parallelRate = n / median(parallelSeconds)
        let sequentialRate = n / median(sequentialSeconds)
        let cpuRate = n / median(sequentialCPUSeconds)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        if json {
            var fields = [
                "\"pairs\": \(input.count)", "\"runs\": \(runs)", "\"cores\": \(cores)",
                "\"pairs_per_second\": \(rounded(parallelRate))",
                "\"pairs_per_second_one_thread\": \(rounded(sequentialRate))",
                "\"pairs_per_cpu_second\": \(rounded(cpuRate))",
                "\"seconds_median\": \(rounded(median(parallelSeconds), 4))",
            ]
            if let reference = referencePairsPerSecond {
                fields.append("\"reference_pairs_per_second\": \(reference)")
                fields.append("\"speedup\": \(rounded(parallelRate / reference, 2))")
            }
            print("{" + fields.joined(separator: ", ") + "}")
        } else {
            print("pairs: \(input.count), runs: \(runs) (median), cores: \(cores)")
            print("fmn, \(cores) threads:  \(rounded(parallelRate)) pairs/s")
            print("fmn, 1 thread:   \(rounded(sequentialRate)) pairs/s")
            print(
                "fmn, per CPU second of the 1-thread runs: \(rounded(cpuRate)) pairs/s "
                    + "(unaffected by other processes' load)")
            if let reference = referencePairsPerSecond {
                print("Python (rouge-score + sacrebleu): \(reference) pairs/s")
                print(
                    "speed-up: \(rounded(parallelRate / reference, 2))x "
                        + "(one thread: \(rounded(sequentialRate / reference, 2))x)")
            }
        }
        if checksum.isNaN { print("checksum: NaN") }  // keeps the work observable
    }

    private func rounded(_ value: Double, _ digits: Int = 1) -> Double {
        let scale = pow(10.0, Double(digits))
        return (value * scale).rounded() / scale
    }
}
