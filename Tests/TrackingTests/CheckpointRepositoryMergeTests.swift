import Foundation
import TestSupport
import Testing

@testable import Tracking

/// `CheckpointRepository.merge(_:into:expectedTip:note:)` and `note(on:)`, on real libgit2
/// repositories in temporary stores.
@Suite struct CheckpointRepositoryMergeTests {
    /// A store with a base on `main` and two adapters on their own lineages, both children of
    /// the base.
    static func store() throws -> (tracker: Tracker, base: String, first: String, second: String) {
        let tracker = try TrackingFixtures.store()
        let base = try tracker.commit(
            folder: try TrackingFixtures.modelFolder(), manifest: TrackingFixtures.baseManifest(),
            lineage: "main", stage: "base"
        ).checkpoint.commitId
        let first = try tracker.commit(
            folder: try TrackingFixtures.adapterFolder(seed: 3),
            manifest: TrackingFixtures.loraManifest(parent: base), lineage: "first"
        ).checkpoint.commitId
        let second = try tracker.commit(
            folder: try TrackingFixtures.adapterFolder(seed: 4),
            manifest: TrackingFixtures.loraManifest(parent: base), lineage: "second"
        ).checkpoint.commitId
        return (tracker, base, first, second)
    }

    @Test func fastForwardsWhenTheTipIsAnAncestorAndNotesTheVerdict() throws {
        let (tracker, base, first, _) = try Self.store()
        let repository = tracker.checkpoints
        let merge = try repository.merge(first, into: "main", expectedTip: base, note: "pass\n")
        #expect(merge.kind == .fastForward)
        #expect(merge.previousTip == base)
        #expect(merge.newTip == first)
        #expect(merge.notesRef == "refs/notes/fmn-gate")
        #expect(try repository.branches()["main"] == first)
        #expect(try repository.note(on: first) == "pass\n")
        #expect(try repository.note(on: base) == nil)
    }

    @Test func makesAMergeCommitWithBothParentsAndTheCandidatesTree() throws {
        let (tracker, base, first, second) = try Self.store()
        let repository = tracker.checkpoints
        try repository.merge(first, into: "main", expectedTip: base, note: "first: pass\n")
        let merge = try repository.merge(
            second, into: "main", expectedTip: first, note: "second: pass\n")
        #expect(merge.kind == .mergeCommit)
        let info = try repository.commitInfo(merge.newTip)
        #expect(info.parentIds == [first, second])
        #expect(info.treeId == (try repository.commitInfo(second)).treeId)
        #expect(info.branches == ["main"])
        #expect(try repository.note(on: merge.newTip) == "second: pass\n")
        // The candidate's files come out byte for byte.
        let out = try Fixtures.temporaryDirectory("fmn-merge-out").appendingPathComponent("c")
        try repository.checkout(merge.newTip, to: out)
        let expected = try Fixtures.temporaryDirectory("fmn-merge-exp").appendingPathComponent("c")
        try repository.checkout(second, to: expected)
        #expect(try TrackingFixtures.contents(of: out) == TrackingFixtures.contents(of: expected))
        // Other branches are untouched.
        #expect(try repository.branches()["first"] == first)
        #expect(try repository.branches()["second"] == second)
    }

    @Test func anAlreadyMergedCandidateChangesNothing() throws {
        let (tracker, base, first, _) = try Self.store()
        let repository = tracker.checkpoints
        try repository.merge(first, into: "main", expectedTip: base, note: "pass\n")
        let again = try repository.merge(base, into: "main", expectedTip: first, note: "x\n")
        #expect(again.kind == .alreadyMerged)
        #expect(again.newTip == first)
        #expect(again.notesRef == nil)
        #expect(try repository.note(on: base) == nil)
        #expect(try repository.branches()["main"] == first)
    }

    @Test func aBranchThatMovedIsNotOverwritten() throws {
        let (tracker, base, first, second) = try Self.store()
        let repository = tracker.checkpoints
        try repository.merge(first, into: "main", expectedTip: base, note: nil)
        let before = try repository.branches()
        #expect(throws: TrackingError.self) {
            try repository.merge(second, into: "main", expectedTip: base, note: "stale\n")
        }
        #expect(try repository.branches() == before)
        #expect(try repository.note(on: second) == nil)
    }

    @Test func aSecondVerdictOnOneCommitIsAppendedToItsNote() throws {
        let (tracker, base, first, _) = try Self.store()
        let repository = tracker.checkpoints
        try repository.merge(first, into: "main", expectedTip: base, note: "main: pass\n")
        // A second branch at the base (the same tree again: the base commit is reused).
        try tracker.commit(
            folder: try TrackingFixtures.modelFolder(), manifest: TrackingFixtures.baseManifest(),
            lineage: "staging")
        #expect(try repository.branches()["staging"] == base)
        try repository.merge(first, into: "staging", expectedTip: base, note: "staging: pass\n")
        #expect(try repository.note(on: first) == "main: pass\n\nstaging: pass\n")
    }

    @Test func aMissingBranchIsAnUnknownReference() throws {
        let (tracker, _, first, _) = try Self.store()
        #expect(throws: TrackingError.self) {
            try tracker.checkpoints.merge(first, into: "release", expectedTip: first, note: nil)
        }
    }
}
