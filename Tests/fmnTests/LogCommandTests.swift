import Foundation
import TestSupport
import Testing

@Suite struct LogCommandTests {
    @Test func showsTheTreeWithLatestScores() throws {
        let (store, base) = try StoreCLI.storeWithBase()
        let adapter = try StoreCLI.adapter(seed: 2)
        let committed = try StoreCLI.run([
            "debug-store", "--store", store, "--commit", adapter.path, "--parent", "base",
            "--lineage", "chats", "--stage", "sft-1", "--record-run", "sft-1", "--items", "20",
            "--tasks", "2",
        ])
        #expect(committed.status == 0, "\(committed.stderr)")
        let lora = try #require(try committed.json()["commitId"] as? String)

        let text = try StoreCLI.run(["log", "--store", store])
        #expect(text.status == 0, "\(text.stderr)")
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0] == "* \(base.prefix(8)) base [base] main")
        #expect(lines[1].hasPrefix("  └ \(lora.prefix(8)) sft-1 [lora] chats  task0/acc "))
        #expect(lines[1].contains("task1/acc "))

        let json = try StoreCLI.run(["log", "--store", store, "--json"])
        let entries = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(entries.map { $0["depth"] as? Int } == [0, 1])
        let scores = try #require(entries[1]["scores"] as? [[String: Any]])
        #expect(scores.map { $0["n"] as? Int } == [10, 10])
    }

    @Test func missingStoreIsAnError() throws {
        let store = try Fixtures.temporaryDirectory().appendingPathComponent(".fmn").path
        let output = try StoreCLI.run(["log", "--store", store])
        #expect(output.status == 2)
        #expect(output.stderr.contains("fmn init --store \(store)"))
    }
}
