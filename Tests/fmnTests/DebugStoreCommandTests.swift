import Foundation
import TestSupport
import Testing

/// Several `fmn` processes writing one store at the same time.
@Suite struct DebugStoreCommandTests {
    @Test func eightProcessesRecordProbeRunsIntoOneStore() throws {
        let (store, _) = try StoreCLI.storeWithBase()
        let items = 300
        var children: [StoreCLI.Child] = []
        for seed in 0..<8 {
            children.append(
                try StoreCLI.start([
                    "debug-store", "--store", store, "--record-run", "base", "--items", "\(items)",
                    "--seed", "\(seed)", seed % 2 == 0 ? "--staged" : "--tasks=5",
                ]))
        }
        // Commits on separate lineages at the same time, through the repository lock.
        for seed in 0..<3 {
            let adapter = try StoreCLI.adapter(seed: 10 + seed)
            children.append(
                try StoreCLI.start([
                    "debug-store", "--store", store, "--commit", adapter.path, "--parent", "base",
                    "--lineage", "lineage-\(seed)", "--stage", "stage-\(seed)",
                ]))
        }
        let outputs = children.map { $0.wait() }
        for output in outputs {
            #expect(output.status == 0, "\(output.stderr)")
        }
        let runIds = try outputs.prefix(8).map { try $0.json()["probeRunId"] as? String }
        #expect(Set(runIds.compactMap { $0 }).count == 8)
        let counts = try StoreCLI.rowCounts(store: store)
        #expect(counts["probeRun"] == 8)
        #expect(counts["itemScore"] == 8 * items)
        #expect(counts["taskScore"] == 8 * 5)
        #expect(counts["checkpoint"] == 4)
        #expect(try StoreCLI.run(["fsck", "--store", store]).status == 0)
    }
}
