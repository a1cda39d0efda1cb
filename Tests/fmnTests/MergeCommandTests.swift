import Foundation
import TestSupport
import Testing

/// `fmn merge`, end to end: only a passing gate moves a branch.
@Suite struct MergeCommandTests {
    @Test(arguments: [
        ("bad", GateStore.Policy.lenient, Int32(1), "fail"),
        ("same", GateStore.Policy.strict, Int32(3), "inconclusive"),
    ])
    func aGateThatDoesNotPassLeavesEveryBranchAsItWas(
        _ candidate: String, _ policy: GateStore.Policy, _ expected: Int32,
        _ verdict: String
    ) throws {
        let fixture = try GateStore.make()
        let before = try fixture.referenceSnapshot()
        #expect(before["refs/heads/main"] != nil)
        let output = try GateCLI.run([
            "merge", candidate, "--into", "main", "--store", fixture.store, "--suite",
            fixture.suite, "--policy", fixture.path(policy),
        ])
        #expect(output.status == expected, "\(output.stdout)\n\(output.stderr)")
        #expect(output.stdout.contains("not merged: the gate's verdict is \(verdict)"))
        #expect(try fixture.referenceSnapshot() == before)
        #expect(try fixture.rowCounts()["gateVerdict"] == 1, "the verdict is still recorded")
    }

    @Test func aPassingGateFastForwardsAndThenMakesAMergeCommit() throws {
        let fixture = try GateStore.make()
        let base = try #require(fixture.commits["base"])
        let same = try #require(fixture.commits["same"])
        let other = try #require(fixture.commits["other"])
        #expect(try fixture.branchTip("main") == base)

        // main's tip (base) is the parent of same: fast-forward.
        let first = try GateCLI.run([
            "merge", "same", "--into", "main", "--store", fixture.store, "--suite",
            fixture.suite, "--policy", fixture.lenientPolicy, "--json",
        ])
        #expect(first.status == 0, "\(first.stdout)\n\(first.stderr)")
        let firstExtra = try #require(try first.json()["extra"] as? [String: String])
        #expect(firstExtra["merge"] == "fast-forward")
        #expect(firstExtra["previousTip"] == base)
        #expect(firstExtra["newTip"] == same)
        #expect(try fixture.branchTip("main") == same)
        #expect(try fixture.branchTip("cand-same") == same)
        let notes = try fixture.referenceSnapshot()["refs/notes/fmn-gate"]
        #expect(notes != nil, "the verdict is noted under refs/notes/fmn-gate")

        // main has moved on to same; other also descends from base: a merge commit.
        let second = try GateCLI.run([
            "merge", "other", "--into", "main", "--store", fixture.store, "--suite",
            fixture.suite, "--policy", fixture.lenientPolicy, "--json",
        ])
        #expect(second.status == 0, "\(second.stdout)\n\(second.stderr)")
        let extra = try #require(try second.json()["extra"] as? [String: String])
        #expect(extra["merge"] == "merge-commit")
        #expect(extra["previousTip"] == same)
        let tip = try fixture.branchTip("main")
        #expect(tip == extra["newTip"])
        #expect(tip != other && tip != same)
        #expect(try fixture.referenceSnapshot()["refs/notes/fmn-gate"] != notes)

        // The merge commit holds the candidate's files, has both parents and a checkpoint row.
        let shown = try GateCLI.run(["show", "main", "--store", fixture.store, "--json"])
        #expect(shown.status == 0, "\(shown.stderr)")
        let commit = try #require(try shown.json()["commit"] as? [String: Any])
        #expect(commit["parentIds"] as? [String] == [same, other])
        let row = try #require(try shown.json()["checkpoint"] as? [String: Any])
        #expect(row["lineage"] as? String == "main")
        let checkout = fixture.root.appendingPathComponent("checkout")
        let checkedOut = try GateCLI.run([
            "checkout", "main", "--store", fixture.store, "--out", checkout.path,
        ])
        #expect(checkedOut.status == 0, "\(checkedOut.stderr)")
        let readme = try String(
            contentsOf: checkout.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme == "identical weights, another tree\n")
        let fsck = try GateCLI.run(["fsck", "--store", fixture.store])
        #expect(fsck.status == 0, "\(fsck.stdout)\n\(fsck.stderr)")

        // The merge commit holds other's files: other's stored runs stand for it.
        let gated = try GateCLI.run([
            "gate", "--store", fixture.store, "--baseline", "main", "--candidate", "other",
            "--policy", fixture.lenientPolicy,
        ])
        #expect(gated.status == 0, "\(gated.stdout)\n\(gated.stderr)")
        #expect(gated.stdout.contains("all 2 checks pass"), "\(gated.stdout)")

        // Merging it again changes nothing.
        let snapshot = try fixture.referenceSnapshot()
        let again = try GateCLI.run([
            "merge", "other", "--into", "main", "--store", fixture.store, "--policy",
            fixture.lenientPolicy, "--baseline", "same",
        ])
        #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
        #expect(again.stdout.contains("main already holds other"), "\(again.stdout)")
        #expect(try fixture.referenceSnapshot() == snapshot)
    }

    @Test func aMissingBranchIsAnError() throws {
        let fixture = try GateStore.make()
        let before = try fixture.referenceSnapshot()
        let output = try GateCLI.run([
            "merge", "same", "--into", "release", "--store", fixture.store, "--suite",
            fixture.suite,
        ])
        #expect(output.status == 2)
        #expect(output.stderr.contains("refs/heads/release"), "\(output.stderr)")
        #expect(try fixture.referenceSnapshot() == before)
    }
}
