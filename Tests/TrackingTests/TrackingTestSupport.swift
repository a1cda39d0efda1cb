import Foundation
import TestSupport
import Testing

@testable import Tracking

/// Small real folders and stores for the Tracking tests, each in a fresh temporary directory.
enum TrackingFixtures {
    /// A new store in a fresh temporary folder.
    static func store(largeFileThreshold: Int64 = CheckpointRepository.defaultLargeFileThreshold)
        throws -> Tracker
    {
        let root = try Fixtures.temporaryDirectory("fmn-tracking").appendingPathComponent(".fmn")
        return try Tracker.create(at: root, largeFileThreshold: largeFileThreshold).tracker
    }

    /// Deterministic pseudo-random bytes.
    static func bytes(_ count: Int, seed: UInt64) -> Data {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 0x1234_5678
        var bytes = [UInt8](repeating: 0, count: count)
        for index in 0..<count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes[index] = UInt8(truncatingIfNeeded: state >> 33)
        }
        return Data(bytes)
    }

    /// A Hugging Face model folder: `config.json`, `model.safetensors` (`weightBytes` bytes),
    /// `tokenizer.json` and a nested `extra/notes.txt`.
    static func modelFolder(weightBytes: Int = 4_000, seed: UInt64 = 1) throws -> URL {
        let folder = try Fixtures.temporaryDirectory("fmn-model")
        try Data("{\"model_type\": \"llama\", \"hidden_size\": 64}\n".utf8).write(
            to: folder.appendingPathComponent("config.json"))
        try bytes(weightBytes, seed: seed).write(
            to: folder.appendingPathComponent("model.safetensors"))
        try Data("{\"version\": \"1.0\"}\n".utf8).write(
            to: folder.appendingPathComponent("tokenizer.json"))
        let extra = folder.appendingPathComponent("extra")
        try FileManager.default.createDirectory(at: extra, withIntermediateDirectories: true)
        try Data("notes\n".utf8).write(to: extra.appendingPathComponent("notes.txt"))
        return folder
    }

    /// A PEFT adapter folder: `adapter_config.json` and `adapter_model.safetensors`.
    static func adapterFolder(weightBytes: Int = 2_000, seed: UInt64 = 2) throws -> URL {
        let folder = try Fixtures.temporaryDirectory("fmn-adapter")
        try Data("{\"peft_type\": \"LORA\", \"r\": 8, \"seed\": \(seed)}\n".utf8).write(
            to: folder.appendingPathComponent("adapter_config.json"))
        try bytes(weightBytes, seed: seed).write(
            to: folder.appendingPathComponent("adapter_model.safetensors"))
        return folder
    }

    static func baseManifest() -> CheckpointManifest {
        CheckpointManifest(kind: .base, parent: nil, method: "pretrained", toolVersion: "0.1.0")
    }

    static func loraManifest(parent: String) -> CheckpointManifest {
        CheckpointManifest(
            kind: .lora, parent: parent, method: "lora",
            trainingConfiguration: .object(["learningRate": .number(2e-4), "loraRank": .number(8)]),
            dataFileHashes: ["train.jsonl": String(repeating: "ab", count: 32)],
            toolVersion: "0.1.0")
    }

    /// Every regular file under `folder`, relative path → bytes.
    static func contents(of folder: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        while let relative = enumerator?.nextObject() as? String {
            let url = folder.appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                result[relative] = try Data(contentsOf: url)
            }
        }
        return result
    }

    /// A synthetic probe run of `items` items over two tasks.
    static func probeRun(checkpoint: String, items: Int = 10, suiteHash: String = "suite-hash-1")
        -> ProbeRunRecord
    {
        var itemScores: [ItemScoreRecord] = []
        for index in 0..<items {
            let task = index % 2 == 0 ? "arc_easy" : "copa"
            let score: Double = index % 3 == 0 ? 1 : 0
            let second: Double = -2.5 - Double(index)
            itemScores.append(
                ItemScoreRecord(
                    task: task, itemId: String(index / 2), score: score,
                    prediction: String(index % 4), choiceLogLikelihoods: [-1.25, second, -0.125]))
        }
        return ProbeRunRecord(
            checkpointCommitId: checkpoint,
            suite: ProbeSuiteRecord(
                name: "core", contentHash: suiteHash, spec: "tasks: [arc_easy, copa]"),
            seed: 1234, toolVersion: "0.1.0", started: Date(timeIntervalSince1970: 1_700_000_000),
            seconds: 2.5,
            taskScores: [
                TaskScoreRecord(task: "arc_easy", metric: "acc", value: 0.5, stderr: 0.1, n: 5),
                TaskScoreRecord(task: "copa", metric: "acc", value: 0.25, stderr: nil, n: 5),
            ],
            itemScores: itemScores)
    }
}

/// Expects `body` to throw exactly `expected`.
func expectTrackingError(
    _ expected: TrackingError, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected \(expected), nothing thrown", sourceLocation: sourceLocation)
    } catch let error as TrackingError {
        #expect(error == expected, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(expected), got \(error)", sourceLocation: sourceLocation)
    }
}

/// The `TrackingError` `body` throws, or `nil` (recording an issue) when it throws none.
func trackingError(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void)
    -> TrackingError?
{
    do {
        try body()
        Issue.record("expected a TrackingError, nothing thrown", sourceLocation: sourceLocation)
    } catch let error as TrackingError {
        return error
    } catch {
        Issue.record("expected a TrackingError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
