import Foundation
import TestSupport
import Testing

@Suite struct ShowCommandTests {
    @Test func showsMetadataRunsAndScores() throws {
        let (store, base) = try StoreCLI.storeWithBase()
        let recorded = try StoreCLI.run([
            "debug-store", "--store", store, "--record-run", "base", "--items", "8", "--tasks", "2",
        ])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let text = try StoreCLI.run(["show", "base", "--store", store])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("checkpoint \(base)\nName:      base [base] on main\n"))
        #expect(text.stdout.contains("Probe run 1: synthetic (synthetic-2) finished, seed 0"))
        #expect(text.stdout.contains("  task0/acc "))
        #expect(text.stdout.contains("(n=4)"))

        let json = try StoreCLI.run(["show", String(base.prefix(6)), "--store", store, "--json"])
            .json()
        let commit = try #require(json["commit"] as? [String: Any])
        #expect(commit["id"] as? String == base)
        #expect(commit["tags"] as? [String] == ["base"])
        #expect((json["probeRuns"] as? [Any])?.count == 1)
    }
}
