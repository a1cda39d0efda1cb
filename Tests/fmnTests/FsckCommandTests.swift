import Foundation
import TestSupport
import Testing

/// Crash consistency: a child `fmn` is stopped at a debug pause point, killed with SIGKILL, and
/// the store is then checked, repaired and used again.
@Suite struct FsckCommandTests {
    @Test(arguments: ["probeRun.begun", "probeRun.inTransaction"])
    func killedProbeRunIsMarkedAbandonedAndReRunCleanly(point: String) throws {
        let (store, _) = try StoreCLI.storeWithBase()
        let run = [
            "debug-store", "--store", store, "--record-run", "base", "--items", "200", "--staged",
        ]
        let child = try StoreCLI.startPaused(run, at: point)
        child.killHard()

        let found = try StoreCLI.run(["fsck", "--store", store, "--json"])
        #expect(found.status == 1, "\(found.stdout) \(found.stderr)")
        let problems = try #require(try found.json()["problems"] as? [[String: Any]])
        #expect(problems.map { $0["kind"] as? String } == ["probeRunLeftRunning"])
        #expect(problems.map { $0["repaired"] as? Bool } == [true])
        #expect(try StoreCLI.run(["fsck", "--store", store]).status == 0)

        let again = try StoreCLI.run(run)
        #expect(again.status == 0, "\(again.stderr)")
        let counts = try StoreCLI.rowCounts(store: store)
        #expect(counts["probeRun"] == 2)  // the abandoned one and the finished one
        #expect(counts["itemScore"] == 200 && counts["taskScore"] == 5)
        let show = try StoreCLI.run(["show", "base", "--store", store, "--json"]).json()
        let runs = try #require(show["probeRuns"] as? [[String: Any]])
        let statuses = runs.compactMap { ($0["run"] as? [String: Any])?["status"] as? String }
        #expect(statuses == ["abandoned", "finished"])
    }

    @Test func commitKilledBeforeItsRowIsRecordedByFsck() throws {
        let (store, _) = try StoreCLI.storeWithBase()
        let adapter = try StoreCLI.adapter(seed: 3)
        let commit = [
            "debug-store", "--store", store, "--commit", adapter.path, "--parent", "base",
            "--lineage", "chats", "--stage", "sft-1",
        ]
        let child = try StoreCLI.startPaused(commit, at: "commit.refsUpdated")
        child.killHard()

        let found = try StoreCLI.run(["fsck", "--store", store, "--json"])
        #expect(found.status == 1, "\(found.stdout) \(found.stderr)")
        let problems = try #require(try found.json()["problems"] as? [[String: Any]])
        #expect(problems.map { $0["kind"] as? String } == ["commitWithoutRow"])
        #expect(try StoreCLI.run(["fsck", "--store", store]).status == 0)

        let again = try StoreCLI.run(commit)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try again.json()["reused"] as? String == "true")
        #expect(try StoreCLI.rowCounts(store: store)["checkpoint"] == 2)
        #expect(try StoreCLI.run(["fsck", "--store", store]).status == 0)
    }

    @Test func commitKilledBeforeItsRefsLeavesNothingDangling() throws {
        let (store, _) = try StoreCLI.storeWithBase()
        let adapter = try StoreCLI.adapter(seed: 4)
        let commit = [
            "debug-store", "--store", store, "--commit", adapter.path, "--parent", "base",
            "--lineage", "chats", "--stage", "sft-1",
        ]
        let child = try StoreCLI.startPaused(commit, at: "commit.objectsWritten")
        child.killHard()
        // The unreferenced commit object is invisible: nothing to repair, the lock is free.
        #expect(try StoreCLI.run(["fsck", "--store", store]).status == 0)
        let again = try StoreCLI.run(commit)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try StoreCLI.rowCounts(store: store)["checkpoint"] == 2)
        let checkout = try StoreCLI.run([
            "checkout", "sft-1", "--store", store, "--out",
            try Fixtures.temporaryDirectory().appendingPathComponent("out").path,
        ])
        #expect(checkout.status == 0, "\(checkout.stderr)")
    }

    @Test func dryRunReportsWithoutRepairing() throws {
        let (store, _) = try StoreCLI.storeWithBase()
        let child = try StoreCLI.startPaused(
            ["debug-store", "--store", store, "--record-run", "base", "--staged"],
            at: "probeRun.begun")
        child.killHard()
        let dry = try StoreCLI.run(["fsck", "--store", store, "--dry-run"])
        #expect(dry.status == 1)
        #expect(dry.stdout.contains("problem: probeRunLeftRunning probeRun 1"))
        #expect(try StoreCLI.run(["fsck", "--store", store, "--dry-run"]).status == 1)
        #expect(try StoreCLI.run(["fsck", "--store", store]).status == 1)
        #expect(try StoreCLI.run(["fsck", "--store", store]).status == 0)
    }
}
