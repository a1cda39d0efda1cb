import Foundation
import TestSupport
import Testing

/// `fmn train --store` and `fmn probe --store` record into a store, driving the built binary.
@Suite struct StoreRecordingTests {
    func logEntries(store: URL, in folder: URL) throws -> [[String: Any]] {
        let log = try runFMN(["log", "--store", store.path, "--json"], currentDirectory: folder)
        #expect(log.status == 0, "stderr: \(log.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(log.stdout.utf8))
        return try #require(object as? [[String: Any]])
    }

    @Test func trainAndProbeRecordCheckpointsFineTuneAndRun() throws {
        let folder = try Fixtures.temporaryDirectory("fmn-store-recording")
        let store = folder.appendingPathComponent("store")
        let model = Fixtures.url("Models/stories260K-hf").path
        let lines =
            try Fixtures.text(Fixtures.url("Training/dialogsum-train.jsonl"))
            .split(separator: "\n").prefix(8).joined(separator: "\n") + "\n"
        let data = folder.appendingPathComponent("d.jsonl")
        try Data(lines.utf8).write(to: data)
        let adapter = folder.appendingPathComponent("adapter")

        let train = try runFMN([
            "train", "--model", model, "--data", data.path, "--method", "lora", "--out",
            adapter.path, "--max-steps", "2", "--batch-size", "4", "--max-seq-len", "64",
            "--store", store.path,
        ])
        #expect(train.status == 0, "stderr: \(train.stderr)")
        var entries = try logEntries(store: store, in: folder)
        let kinds = entries.compactMap { ($0["checkpoint"] as? [String: Any])?["kind"] as? String }
        #expect(kinds == ["base", "lora"])

        let probe = try runFMN([
            "probe", "--model", model, "--suite",
            Fixtures.shared("reference/probes/tasks/copa.yaml").path, "--limit", "4",
            "--store", store.path,
        ])
        #expect(probe.status == 0, "stderr: \(probe.stderr)")
        entries = try logEntries(store: store, in: folder)
        let base = try #require(entries.first { ($0["depth"] as? Int) == 0 })
        let scores = try #require(base["scores"] as? [[String: Any]])
        #expect(scores.contains { $0["task"] as? String == "fmn_copa" && $0["n"] as? Int == 4 })

        // --no-store leaves the store as it was.
        let skipped = try runFMN(
            [
                "probe", "--model", model, "--suite",
                Fixtures.shared("reference/probes/tasks/copa.yaml").path, "--limit", "2",
                "--no-store",
            ], currentDirectory: folder)
        #expect(skipped.status == 0, "stderr: \(skipped.stderr)")
        #expect(try logEntries(store: store, in: folder).count == entries.count)
    }
}
