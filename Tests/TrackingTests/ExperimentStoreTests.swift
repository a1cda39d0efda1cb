import Foundation
import GRDB
import TestSupport
import Testing

@testable import Tracking

@Suite struct ExperimentStoreTests {
    /// A checkpoint row with a fake commit id, for tests that need only the database.
    static func checkpoint(_ n: Int, parent: Int? = nil, in store: ExperimentStore) throws -> String
    {
        let id = String(format: "%040x", n)
        try store.recordCheckpoint(
            CheckpointRecord(
                commitId: id, parentCommitId: parent.map { String(format: "%040x", $0) },
                kind: parent == nil ? .base : .lora, name: "c\(n)", lineage: "main",
                created: Date(timeIntervalSince1970: 1_700_000_000 + Double(n))))
        return id
    }

    static func newStore() throws -> ExperimentStore {
        try ExperimentStore(
            path: try Fixtures.temporaryDirectory().appendingPathComponent("fmn.sqlite"),
            create: true)
    }

    @Test func migratesAnEmptyFile() throws {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("fmn.sqlite")
        try Data().write(to: path)
        let store = try ExperimentStore(path: path, create: false)
        #expect(try store.appliedMigrations() == ["v1-initial"])
        let (applicationId, tables, journal) = try store.pool.read { db in
            (
                try Int32.fetchOne(db, sql: "PRAGMA application_id"),
                try String.fetchAll(
                    db,
                    sql:
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name"
                ),
                try String.fetchOne(db, sql: "PRAGMA journal_mode")
            )
        }
        #expect(applicationId == 0x464D_4E53)
        #expect(
            tables == [
                "checkpoint", "fineTune", "fmnStore", "gateVerdict", "itemScore", "probeRun",
                "probeSuite", "taskScore", "trainingStep",
            ])
        #expect(journal == "wal")
        // Opening again applies nothing new.
        #expect(
            try ExperimentStore(path: path, create: false).appliedMigrations() == ["v1-initial"])
    }

    @Test func recordsAndReadsBackAProbeRun() throws {
        let store = try Self.newStore()
        let commit = try Self.checkpoint(1, in: store)
        let record = TrackingFixtures.probeRun(checkpoint: commit, items: 10)
        let id = try store.recordProbeRun(record)
        let runs = try store.probeRuns(checkpointCommitId: commit, suiteHash: "suite-hash-1")
        #expect(runs.map(\.id) == [id])
        #expect(runs[0].status == .finished && runs[0].seed == 1234 && runs[0].seconds == 2.5)
        #expect(runs[0].suiteName == "core")
        #expect(try store.taskScores(probeRunId: id) == record.taskScores)
        #expect(try store.itemScores(probeRunId: id) == record.itemScores)
        #expect(try store.probeRuns(checkpointCommitId: commit, suiteHash: "other").isEmpty)
        let counts = try store.rowCounts()
        #expect(counts["itemScore"] == 10 && counts["taskScore"] == 2 && counts["probeSuite"] == 1)
        // The log-likelihoods are stored as JSON text.
        let text = try store.pool.read { db in
            try String.fetchOne(
                db,
                sql:
                    "SELECT choiceLogLikelihoods FROM itemScore WHERE itemId = '1' AND task = 'arc_easy'"
            )
        }
        #expect(text == "[-1.25,-4.5,-0.125]")
    }

    @Test func aRunWithDuplicateItemsWritesNothing() throws {
        let store = try Self.newStore()
        let commit = try Self.checkpoint(1, in: store)
        var record = TrackingFixtures.probeRun(checkpoint: commit, items: 6)
        record.itemScores.append(record.itemScores[0])
        let error = trackingError { try store.recordProbeRun(record) }
        guard case .invalidRecord(_, let reason) = error else {
            Issue.record("expected invalidRecord, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("same task"))
        let counts = try store.rowCounts()
        #expect(counts["probeRun"] == 0 && counts["itemScore"] == 0 && counts["taskScore"] == 0)
    }

    @Test func stagedRunIsRunningUntilFinished() throws {
        let store = try Self.newStore()
        let commit = try Self.checkpoint(1, in: store)
        let record = TrackingFixtures.probeRun(checkpoint: commit)
        let id = try store.beginProbeRun(
            checkpointCommitId: commit, suite: record.suite, seed: 7, toolVersion: "0.1.0")
        #expect(try store.probeRuns(status: .running).map(\.id) == [id])
        #expect(try store.latestScores().isEmpty)
        try store.finishProbeRun(
            id: id, seconds: 1, taskScores: record.taskScores, itemScores: record.itemScores)
        #expect(try store.probeRuns(status: .finished).map(\.id) == [id])
        #expect(try store.latestScores()[commit] == record.taskScores)
        expectTrackingError(
            .invalidRecord(
                path: store.path.path,
                reason:
                    "probe run \(id) is finished, not running; start a new run with beginProbeRun")
        ) {
            try store.finishProbeRun(id: id, seconds: 1, taskScores: [], itemScores: [])
        }
    }

    @Test func latestScoresTakeEachCheckpointsNewestFinishedRun() throws {
        let store = try Self.newStore()
        let a = try Self.checkpoint(1, in: store)
        let b = try Self.checkpoint(2, parent: 1, in: store)
        var old = TrackingFixtures.probeRun(checkpoint: a)
        old.taskScores = [TaskScoreRecord(task: "arc_easy", metric: "acc", value: 0.1, n: 5)]
        try store.recordProbeRun(old)
        let new = TrackingFixtures.probeRun(checkpoint: a)
        try store.recordProbeRun(new)
        _ = try store.beginProbeRun(
            checkpointCommitId: a, suite: new.suite, seed: 1, toolVersion: "0.1.0")  // unfinished
        try store.recordProbeRun(
            TrackingFixtures.probeRun(checkpoint: b, suiteHash: "suite-hash-2"))
        let latest = try store.latestScores()
        #expect(latest[a] == new.taskScores)
        #expect(latest[b]?.count == 2)
        #expect(try store.latestScores(suiteHash: "suite-hash-1").keys.sorted() == [a])
        #expect(try store.lineage(of: b).map(\.commitId) == [a, b])
    }

    @Test func unrecordedCheckpointIsRefused() throws {
        let store = try Self.newStore()
        let missing = String(repeating: "9", count: 40)
        expectTrackingError(
            .invalidRecord(
                path: store.path.path,
                reason: "checkpoint \(missing) is not recorded; commit it with the Tracker first")
        ) {
            try store.recordProbeRun(TrackingFixtures.probeRun(checkpoint: missing))
        }
    }

    @Test func gateVerdictsRoundTrip() throws {
        let store = try Self.newStore()
        let a = try Self.checkpoint(1, in: store)
        let b = try Self.checkpoint(2, parent: 1, in: store)
        let verdict = GateVerdictRecord(
            baselineCommitId: a, candidateCommitId: b, policy: "max_drop: 0.02", verdict: "fail",
            reasons: ["arc_easy/acc dropped 0.05 > 0.02", "copa/acc within bounds"],
            created: Date(timeIntervalSince1970: 1_700_000_100))
        let id = try store.recordGateVerdict(verdict)
        #expect(
            try store.gateVerdicts(candidateCommitId: b) == [
                StoredGateVerdict(id: id, record: verdict)
            ])
    }

    @Test func damagedFileIsRefusedUntouched() throws {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("fmn.sqlite")
        let garbage = TrackingFixtures.bytes(8192, seed: 9)
        try garbage.write(to: path)
        let error = trackingError { _ = try ExperimentStore(path: path, create: false) }
        guard case .corruptDatabase(let errorPath, _) = error else {
            Issue.record("expected corruptDatabase, got \(String(describing: error))")
            return
        }
        #expect(errorPath == path.path)
        #expect(try Data(contentsOf: path) == garbage)
        #expect(error?.description.contains("Restore it from a backup") == true)
    }

    @Test func foreignDatabaseIsRefusedUntouched() throws {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("fmn.sqlite")
        let queue = try DatabaseQueue(path: path.path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE invoice (id INTEGER PRIMARY KEY, total REAL)")
        }
        try queue.close()
        let before = try Data(contentsOf: path)
        expectTrackingError(.notAStore(path: path.path)) {
            _ = try ExperimentStore(path: path, create: true)
        }
        #expect(try Data(contentsOf: path) == before)
    }

    @Test func storeFromANewerVersionIsRefused() throws {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("fmn.sqlite")
        let store = try ExperimentStore(path: path, create: true)
        try store.pool.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-future')")
        }
        try store.pool.close()
        expectTrackingError(.newerSchema(path: path.path, unknownMigrations: ["v9-future"])) {
            _ = try ExperimentStore(path: path, create: false)
        }
    }

    @Test func missingFileWithoutCreateIsStoreNotFound() throws {
        let folder = try Fixtures.temporaryDirectory()
        expectTrackingError(.storeNotFound(path: folder.path)) {
            _ = try ExperimentStore(
                path: folder.appendingPathComponent("fmn.sqlite"), create: false)
        }
        #expect(
            !FileManager.default.fileExists(
                atPath: folder.appendingPathComponent("fmn.sqlite").path))
    }
}
