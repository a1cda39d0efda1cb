import Foundation
import GRDB
import TestSupport
import Testing

@testable import Tracking

@Suite struct TrackerTests {
    @Test func fineTuneIsFinishedOnlyWithItsCommit() throws {
        let tracker = try TrackingFixtures.store()
        let (base, _) = try tracker.commit(
            folder: try TrackingFixtures.modelFolder(), manifest: TrackingFixtures.baseManifest(),
            lineage: "main", stage: "base")
        let id = try tracker.experiments.beginFineTune(
            FineTuneRecord(
                parentCommitId: base.commitId, method: "lora",
                configuration: .object(["loraRank": .number(8)]), toolVersion: "0.1.0"))
        let steps = (1...3).map {
            TrainingStepRecord(
                step: $0, loss: 3.0 - Double($0) * 0.5, learningRate: 1e-3, tokensPerSecond: 900)
        }
        try tracker.experiments.recordTrainingSteps(fineTuneId: id, steps: steps)
        #expect(try tracker.experiments.fineTunes(status: .running).map(\.id) == [id])

        let result = try tracker.finishFineTune(
            id: id, folder: try TrackingFixtures.adapterFolder(),
            manifest: TrackingFixtures.loraManifest(parent: base.commitId), lineage: "chats",
            stage: "sft-1", seconds: 12.5)
        let fineTunes = try tracker.experiments.fineTunes(resultCommitId: result.commitId)
        #expect(fineTunes.map(\.id) == [id])
        #expect(fineTunes[0].status == .finished && fineTunes[0].seconds == 12.5)
        #expect(fineTunes[0].configuration == "{\"loraRank\":8}")
        #expect(try tracker.experiments.trainingSteps(fineTuneId: id) == steps)
        #expect(try tracker.checkpoints.resolve("sft-1") == result.commitId)

        // The schema itself refuses a finished fine-tune without result.
        #expect(throws: DatabaseError.self) {
            try tracker.experiments.pool.write { db in
                try db.execute(
                    sql: "UPDATE fineTune SET resultCheckpointId = NULL WHERE id = ?",
                    arguments: [id])
            }
        }
    }

    @Test func fineTuneStaysRunningWhenItsCommitFails() throws {
        let tracker = try TrackingFixtures.store()
        let (base, _) = try tracker.commit(
            folder: try TrackingFixtures.modelFolder(), manifest: TrackingFixtures.baseManifest(),
            lineage: "main", stage: "base")
        let id = try tracker.experiments.beginFineTune(
            FineTuneRecord(
                parentCommitId: base.commitId, method: "lora", configuration: .null,
                toolVersion: "0.1.0"))
        let lock = tracker.layout.repository.appendingPathComponent("index.lock")
        try Data().write(to: lock)
        expectTrackingError(.repositoryLocked(path: lock.path)) {
            try tracker.finishFineTune(
                id: id, folder: try TrackingFixtures.adapterFolder(),
                manifest: TrackingFixtures.loraManifest(parent: base.commitId), lineage: "chats",
                stage: "sft-1", seconds: 1)
        }
        #expect(try tracker.experiments.fineTunes(status: .running).map(\.id) == [id])
        #expect(try tracker.experiments.checkpoints().count == 1)
        try tracker.experiments.failFineTune(id: id)
        #expect(try tracker.experiments.fineTunes(status: .failed).map(\.id) == [id])
    }

    @Test func fsckOnACleanStoreFindsNothing() throws {
        let tracker = try TrackingFixtures.store()
        let (base, _) = try tracker.commit(
            folder: try TrackingFixtures.modelFolder(), manifest: TrackingFixtures.baseManifest(),
            lineage: "main", stage: "base")
        try tracker.experiments.recordProbeRun(TrackingFixtures.probeRun(checkpoint: base.commitId))
        let report = try tracker.fsck()
        #expect(report.isClean)
        #expect(report.commitCount == 1 && report.rowCounts["itemScore"] == 10)
    }

    @Test func fsckRecordsACommitWithoutRow() throws {
        let tracker = try TrackingFixtures.store()
        let (base, _) = try tracker.commit(
            folder: try TrackingFixtures.modelFolder(), manifest: TrackingFixtures.baseManifest(),
            lineage: "main", stage: "base")
        // A commit made without its row, as a crash between the two leaves it.
        let outcome = try tracker.checkpoints.commit(
            folder: try TrackingFixtures.adapterFolder(),
            manifest: TrackingFixtures.loraManifest(parent: base.commitId), lineage: "chats",
            stage: "sft-1")
        let dryRun = try tracker.fsck(repair: false)
        #expect(dryRun.problems.map(\.kind) == [.commitWithoutRow])
        #expect(dryRun.problems.map(\.repaired) == [false])
        #expect(try tracker.experiments.checkpoint(commitId: outcome.commitId) == nil)

        let report = try tracker.fsck()
        #expect(report.problems.map(\.kind) == [.commitWithoutRow])
        #expect(report.problems.map(\.subject) == [outcome.commitId])
        #expect(report.problems.map(\.repaired) == [true])
        let row = try #require(try tracker.experiments.checkpoint(commitId: outcome.commitId))
        #expect(row.parentCommitId == base.commitId && row.kind == .lora)
        #expect(row.name == "sft-1" && row.lineage == "chats")
        #expect(try tracker.fsck().isClean)
    }

    @Test func fsckReportsARowWithoutCommit() throws {
        let tracker = try TrackingFixtures.store()
        let ghost = String(repeating: "a", count: 40)
        try tracker.experiments.recordCheckpoint(
            CheckpointRecord(
                commitId: ghost, parentCommitId: nil, kind: .base, name: "ghost", lineage: "main",
                created: Date()))
        let report = try tracker.fsck()
        #expect(report.problems.map(\.kind) == [.rowWithoutCommit])
        #expect(report.problems.map(\.repaired) == [false])
        #expect(try tracker.experiments.checkpoint(commitId: ghost) != nil)  // nothing deleted
    }

    @Test func fsckMarksRunsOfDeadProcessesAbandoned() throws {
        let tracker = try TrackingFixtures.store()
        let (base, _) = try tracker.commit(
            folder: try TrackingFixtures.modelFolder(), manifest: TrackingFixtures.baseManifest(),
            lineage: "main")
        let record = TrackingFixtures.probeRun(checkpoint: base.commitId)
        let dead = try tracker.experiments.beginProbeRun(
            checkpointCommitId: base.commitId, suite: record.suite, seed: 1, toolVersion: "0.1.0")
        let live = try tracker.experiments.beginProbeRun(
            checkpointCommitId: base.commitId, suite: record.suite, seed: 2, toolVersion: "0.1.0")
        // A process id that has certainly exited: a child we started and waited for.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        try tracker.experiments.pool.write { db in
            try db.execute(
                sql: "UPDATE probeRun SET ownerPid = ? WHERE id = ?",
                arguments: [Int(child.processIdentifier), dead])
        }
        let report = try tracker.fsck()
        #expect(report.problems.map(\.kind) == [.probeRunLeftRunning])
        #expect(report.problems.map(\.subject) == ["probeRun \(dead)"])
        #expect(report.inProgress.count == 1 && report.inProgress[0].hasPrefix("probe run \(live)"))
        #expect(try tracker.experiments.probeRuns(status: .abandoned).map(\.id) == [dead])
        #expect(try tracker.experiments.probeRuns(status: .running).map(\.id) == [live])
        // An abandoned run cannot be finished later.
        #expect(throws: TrackingError.self) {
            try tracker.experiments.finishProbeRun(
                id: dead, seconds: 1, taskScores: [], itemScores: [])
        }
    }

    @Test func createTwiceKeepsEverything() throws {
        let tracker = try TrackingFixtures.store()
        let (base, _) = try tracker.commit(
            folder: try TrackingFixtures.modelFolder(), manifest: TrackingFixtures.baseManifest(),
            lineage: "main", stage: "base")
        let (again, created) = try Tracker.create(at: tracker.layout.root)
        #expect(!created)
        #expect(try again.resolve("base") == base.commitId)
        #expect(try again.experiments.checkpoints().map(\.commitId) == [base.commitId])
    }

    @Test func openingAMissingStoreSaysHowToCreateOne() throws {
        let root = try Fixtures.temporaryDirectory().appendingPathComponent(".fmn")
        let error = trackingError { _ = try Tracker.open(at: root) }
        #expect(error == .storeNotFound(path: root.path))
        #expect(error?.description.contains("fmn init --store") == true)
        #expect(!FileManager.default.fileExists(atPath: root.path))
    }

    @Test func librariesReportTheirVersions() throws {
        #expect(TrackingLibraries.libgit2Version().split(separator: ".").count == 3)
        #expect(try TrackingLibraries.sqliteVersion().hasPrefix("3."))
    }
}

@Suite struct TrackerObjectFsckTests {
    @Test func fsckReportsMissingObjectsAndRemovesPartialCopies() throws {
        let tracker = try TrackingFixtures.store(largeFileThreshold: 3_000)
        let model = try TrackingFixtures.modelFolder(weightBytes: 5_000)
        let (base, outcome) = try tracker.commit(
            folder: model, manifest: TrackingFixtures.baseManifest(), lineage: "main")
        #expect(outcome.pointerFiles == ["model.safetensors"])
        let pointers = try tracker.checkpoints.pointerFiles(in: base.commitId)
        #expect(pointers.map(\.path) == ["model.safetensors"])
        #expect(try tracker.fsck().isClean)

        let object = tracker.layout.object(sha256: pointers[0].pointer.sha256)
        try FileManager.default.removeItem(at: object)
        let partial = tracker.layout.objects.appendingPathComponent("incoming-1234")
        try Data(repeating: 1, count: 10).write(to: partial)
        let report = try tracker.fsck()
        #expect(report.problems.map(\.kind) == [.missingObject, .partialObject])
        #expect(report.problems.map(\.subject) == [object.path, partial.path])
        #expect(report.problems.map(\.repaired) == [false, true])
        #expect(!FileManager.default.fileExists(atPath: partial.path))
    }
}
