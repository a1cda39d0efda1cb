import Foundation
import TestSupport
import Testing

/// End-to-end runs of `fmn train` on the parity fixture (`../shared/reference/parity`).
@Suite struct TrainCommandTests {
    static let parity = Fixtures.shared("reference/parity")

    /// The parity README's settings: batch 2 (both sequences), lr 1e-3 constant, no warm-up,
    /// betas 0.9/0.999, eps 1e-8, weight decay 0.01, no clipping, no shuffling, 3 steps.
    static func parityArguments(out: URL) -> [String] {
        [
            "train", "--method", "lora",
            "--model", parity.appendingPathComponent("base").path,
            "--data", parity.appendingPathComponent("batch.jsonl").path,
            "--init-adapter", parity.appendingPathComponent("lora_adapter").path,
            "--no-shuffle", "--out", out.path,
            "--learning-rate", "1e-3", "--weight-decay", "0.01", "--schedule", "constant",
            "--warmup-steps", "0", "--max-grad-norm", "0", "--batch-size", "2", "--max-steps", "3",
        ]
    }

    @Test func loraFromTheParityAdapterReproducesPeftsThreeStepAdapter() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("adapter")
        let result = try runFMN(Self.parityArguments(out: out) + ["--json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let got = try SafetensorsF32.read(out.appendingPathComponent("adapter_model.safetensors"))
        let want = try SafetensorsF32.read(
            Self.parity.appendingPathComponent("lora_adamw_step3.safetensors"))
        #expect(Set(got.keys) == Set(want.keys))
        for (name, values) in want {
            // README gate: LoRA parameters after 3 steps, max abs 1e-5.
            expectClose(try #require(got[name]), values, rtol: 0, atol: 1e-5, "\(name)")
        }
        #expect(
            FileManager.default.fileExists(
                atPath: out.appendingPathComponent("adapter_config.json").path))
        // --json: prepared, one object per step, then the summary.
        let lines = result.stdout.split(separator: "\n").map {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] ?? [:]
        }
        #expect(
            lines.map { $0["event"] as? String } == ["prepared", "step", "step", "step", "summary"])
        let losses = lines.filter { $0["event"] as? String == "step" }.compactMap {
            $0["loss"] as? Double
        }
        expectClose(losses, [6.250042, 6.236666, 6.223225], rtol: 0, atol: 1e-5)
        #expect(lines.last?["steps"] as? Int == 3)
        // The log in the output folder has the same three steps.
        let log = try String(
            contentsOf: out.appendingPathComponent("training_log.jsonl"), encoding: .utf8)
        #expect(log.split(separator: "\n").count == 3)
        #expect(
            log.contains("\"grad_norm\"") && log.contains("\"learning_rate\"")
                && log.contains("\"tokens_per_second\""))
    }

    @Test func resumingFromASavedStateReachesTheUninterruptedAdapter() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        func arguments(_ out: URL) -> [String] {
            Self.parityArguments(out: out).map { $0 == "3" ? "4" : $0 } + [
                "--save-every", "2", "--lora-dropout", "0.1", "--seed", "5",
            ]
        }
        // The run killed after its first save leaves OUT-checkpoints/checkpoint-2 and no OUT;
        // the complete run below leaves the same checkpoint (its writes are atomic).
        let straight = folder.appendingPathComponent("straight")
        let first = try runFMN(arguments(straight))
        #expect(first.status == 0, "stderr: \(first.stderr)")
        #expect(first.stdout.contains("saved resumable state after step 2"))
        let checkpoint = folder.appendingPathComponent("straight-checkpoints/checkpoint-2")
        let resumed = folder.appendingPathComponent("resumed")
        let second = try runFMN(arguments(resumed) + ["--resume", checkpoint.path])
        #expect(second.status == 0, "stderr: \(second.stderr)")
        #expect(second.stdout.contains("resuming after step 2"))
        let want = try SafetensorsF32.read(
            straight.appendingPathComponent("adapter_model.safetensors"))
        let got = try SafetensorsF32.read(
            resumed.appendingPathComponent("adapter_model.safetensors"))
        #expect(Set(got.keys) == Set(want.keys))
        for (name, values) in want {
            expectClose(try #require(got[name]), values, rtol: 0, atol: 1e-6, "\(name)")
        }
    }

    @Test func plainOutputHasOneLinePerStepAndASummary() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try runFMN(Self.parityArguments(out: folder.appendingPathComponent("a")))
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("step ") }.count == 3)
        #expect(lines.last?.hasPrefix("trained 3 steps (lora)") == true, "\(result.stdout)")
    }

    @Test func invalidDataLineFailsNamingFileAndLine() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("bad.jsonl")
        try "{\"input_ids\": [1, 2, 3]}\n{\"input_ids\": [1, 2\n".write(
            to: data, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("out")
        let result = try runFMN([
            "train", "--method", "full", "--model", Self.parity.appendingPathComponent("base").path,
            "--data", data.path, "--out", out.path,
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(data.path):2:"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func conflictingFlagsAreAValidationError() throws {
        let result = try runFMN([
            "train", "--method", "lora", "--model", "m", "--data", "d", "--out", "o",
            "--max-steps", "3", "--epochs", "1",
        ])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--max-steps and --epochs"))
    }
}

/// Reads the F32 tensors of a safetensors file (enough for comparing small fixtures).
enum SafetensorsF32 {
    struct Malformed: Error {}

    static func read(_ url: URL) throws -> [String: [Float]] {
        let data = try Data(contentsOf: url)
        guard data.count >= 8 else { throw Malformed() }
        let headerLength = data.prefix(8).enumerated().reduce(0) {
            $0 | Int($1.element) << (8 * $1.offset)
        }
        let header = data.subdata(in: 8..<(8 + headerLength))
        guard let object = try JSONSerialization.jsonObject(with: header) as? [String: Any] else {
            throw Malformed()
        }
        var result: [String: [Float]] = [:]
        let base = 8 + headerLength
        for (name, entry) in object where name != "__metadata__" {
            guard let info = entry as? [String: Any], info["dtype"] as? String == "F32",
                let offsets = info["data_offsets"] as? [Int], offsets.count == 2
            else { throw Malformed() }
            let bytes = data.subdata(in: (base + offsets[0])..<(base + offsets[1]))
            result[name] = bytes.withUnsafeBytes { raw in
                (0..<(bytes.count / 4)).map {
                    Float(bitPattern: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))
                }
            }
        }
        return result
    }
}

@Suite struct BenchTrainCommandTests {
    @Test func zeroTimedStepsIsAValidationError() throws {
        let result = try runFMN([
            "bench", "train", "--preset", "small", "--method", "lora", "--steps", "0",
        ])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--steps must be >= 1"))
    }
}
