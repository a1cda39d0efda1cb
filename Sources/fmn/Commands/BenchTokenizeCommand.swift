import ArgumentParser
import Dispatch
import Foundation
import Tokenizers

/// `fmn bench tokenize`: encoding throughput on a text file, whole text and line by line, the
/// workload of `../shared/reference/tokenizers/throughput.json`.
struct BenchTokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Time tokenizer.json encoding of a text file, whole and line by line.",
        discussion: """
            Encodes the file (default ../shared/data/text/wikitext2/wiki.test.tokens) without \
            special tokens on one thread: once as one text, and once line by line (each line \
            with its "\\n"). A first, cold run fills the word cache; the median and minimum of \
            --runs warm runs are reported in seconds and MB/s. To compare with the Rust library \
            in the same session:

              python3 Benchmarks/tokenizers/rust_throughput.py > /tmp/rust.json
              fmn bench tokenize --tokenizer ../shared/data/tokenizers/gpt2-hf \\
                  --reference /tmp/rust.json
            """)

    @Option(name: .long, help: "A tokenizer.json or model folder; repeat for several.")
    var tokenizer: [String]

    @Option(name: .long, help: "The text file to encode.")
    var text = "../shared/data/text/wikitext2/wiki.test.tokens"

    @Option(name: .long, help: "Timed warm runs (median and minimum reported).")
    var runs = 7

    @Option(name: .long, help: "JSON written by Benchmarks/tokenizers/rust_throughput.py.")
    var reference: String?

    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    func validate() throws {
        guard runs > 0 else { throw ValidationError("--runs must be > 0") }
        guard !tokenizer.isEmpty else { throw ValidationError("give at least one --tokenizer") }
    }

    struct Measurement: Encodable {
        var tokens: Int
        var coldSeconds: Double
        var medianSeconds: Double
        var minSeconds: Double
        var megabytesPerSecond: Double
        var referenceMedianSeconds: Double?

        enum CodingKeys: String, CodingKey {
            case tokens
            case coldSeconds = "cold_seconds"
            case medianSeconds = "median_seconds"
            case minSeconds = "min_seconds"
            case megabytesPerSecond = "MB_per_second_at_median"
            case referenceMedianSeconds = "rust_median_seconds"
        }
    }

    struct Entry: Encodable {
        var tokenizer: String
        var loadSeconds: Double
        var whole: Measurement
        var lines: Measurement

        enum CodingKeys: String, CodingKey {
            case tokenizer, whole, lines
            case loadSeconds = "load_seconds"
        }
    }

    func run() throws {
        guard let data = FileManager.default.contents(atPath: text) else {
            FileHandle.standardError.write(Data("error: cannot read \(text)\n".utf8))
            throw ExitCode.failure
        }
        let bytes = [UInt8](data)
        let whole = String(decoding: bytes, as: UTF8.self)
        var lines: [String] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            lines.append(String(decoding: bytes[start...i], as: UTF8.self))
            start = i + 1
        }
        if start < bytes.count { lines.append(String(decoding: bytes[start...], as: UTF8.self)) }

        var referenceTimes: [String: [String: Double]] = [:]
        if let reference {
            guard let data = FileManager.default.contents(atPath: reference),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let entries = object["tokenizers"] as? [String: [String: [String: Any]]]
            else {
                FileHandle.standardError.write(
                    Data("error: \(reference) is not rust_throughput.py output\n".utf8))
                throw ExitCode.failure
            }
            for (name, modes) in entries {
                referenceTimes[name] = modes.compactMapValues { $0["median_seconds"] as? Double }
            }
        }

        func seconds(_ body: () -> Void) -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        var entries: [Entry] = []
        for path in tokenizer {
            var result: Result<Tokenizer, TokenizerError>?
            let loadSeconds = seconds {
                result = Result { () throws(TokenizerError) in
                    try Tokenizer(contentsOf: URL(fileURLWithPath: path))
                }
            }
            let loaded: Tokenizer
            switch result! {
            case .success(let value):
                loaded = value
            case .failure(let error):
                FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
                throw ExitCode.failure
            }
            let url = URL(fileURLWithPath: path)
            let name =
                url.lastPathComponent == "tokenizer.json"
                ? url.deletingLastPathComponent().lastPathComponent : url.lastPathComponent
            func measure(_ mode: String, _ body: () -> Int) -> Measurement {
                var count = 0
                let cold = seconds { count = body() }
                var warm: [Double] = []
                for _ in 0..<runs { warm.append(seconds { count = body() }) }
                warm.sort()
                let median = warm[warm.count / 2]
                return Measurement(
                    tokens: count, coldSeconds: cold, medianSeconds: median, minSeconds: warm[0],
                    megabytesPerSecond: Double(bytes.count) / 1e6 / median,
                    referenceMedianSeconds: referenceTimes[name]?[mode])
            }
            let wholeResult = measure("whole") {
                loaded.encode(whole, addSpecialTokens: false).count
            }
            let linesResult = measure("lines") {
                loaded.encodeBatch(lines, addSpecialTokens: false).reduce(0) { $0 + $1.count }
            }
            entries.append(
                Entry(
                    tokenizer: name, loadSeconds: loadSeconds, whole: wholeResult,
                    lines: linesResult))
        }

        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(entries), as: UTF8.self))
            return
        }
        print(
            "text: \(text) (\(bytes.count) bytes, \(lines.count) lines), \(runs) warm runs, one thread"
        )
        for entry in entries {
            print("\(entry.tokenizer) (load \(Self.format(entry.loadSeconds)) s)")
            for (mode, m) in [("whole text", entry.whole), ("line by line", entry.lines)] {
                var line =
                    "  \(mode): \(m.tokens) tokens, median \(Self.format(m.medianSeconds)) s"
                    + " (min \(Self.format(m.minSeconds)), cold \(Self.format(m.coldSeconds)))"
                    + " = \(Self.format(m.megabytesPerSecond)) MB/s"
                if let rust = m.referenceMedianSeconds {
                    line +=
                        "; Rust tokenizers median \(Self.format(rust)) s"
                        + " = \(Self.format(Double(bytes.count) / 1e6 / rust)) MB/s"
                        + " (ours \(Self.format(rust / m.medianSeconds))× as fast)"
                }
                print(line)
            }
        }
    }

    static func format(_ value: Double) -> String { String(format: "%.3f", value) }
}
