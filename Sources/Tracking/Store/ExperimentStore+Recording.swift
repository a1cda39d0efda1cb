import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

/// Writing rows. Each public method is one transaction: all of its rows, or none.
extension ExperimentStore {
    /// Host name and process id written into `running` rows, so `fsck` can tell a live run from
    /// one whose process died.
    static let owner: (host: String, pid: Int) = (
        hostName(), Int(ProcessInfo.processInfo.processIdentifier)
    )

    /// `gethostname(2)`, without the name-service look-up `ProcessInfo.hostName` may do.
    private static func hostName() -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let code = buffer.withUnsafeMutableBufferPointer { pointer in
            pointer.withMemoryRebound(to: CChar.self) {
                guard let base = $0.baseAddress else { return Int32(-1) }
                return gethostname(base, $0.count - 1)
            }
        }
        guard code == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// Records a checkpoint row (after its commit exists); a row with the same `commitId` is
    /// kept as it is and returned.
    ///
    /// - Returns: The row, with its `id`.
    /// - Throws: `TrackingError.invalidRecord` when the parent checkpoint is not recorded;
    ///   `.database`.
    @discardableResult
    public func recordCheckpoint(_ record: CheckpointRecord) throws -> CheckpointRecord {
        try write("record checkpoint \(record.commitId)") { db in
            try Self.insertCheckpoint(record, db: db, path: path)
        }
    }

    static func insertCheckpoint(_ record: CheckpointRecord, db: Database, path: URL) throws
        -> CheckpointRecord
    {
        if let existing = try fetchCheckpoint(commitId: record.commitId, db: db) {
            return existing
        }
        var parentId: Int64?
        if let parent = record.parentCommitId {
            guard let id = try checkpointId(commitId: parent, db: db, path: path, required: false)
            else {
                throw TrackingError.invalidRecord(
                    path: path.path,
                    reason: "parent checkpoint \(parent) of \(record.commitId) is not recorded")
            }
            parentId = id
        }
        try db.execute(
            sql: """
                INSERT INTO checkpoint (commitId, parentCheckpointId, kind, name, lineage, created)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                record.commitId, parentId, record.kind.rawValue, record.name, record.lineage,
                record.created,
            ])
        var stored = record
        stored.id = db.lastInsertedRowID
        return stored
    }

    /// The `checkpoint.id` of a commit; throws `invalidRecord` when `required` and missing.
    static func checkpointId(commitId: String, db: Database, path: URL, required: Bool = true)
        throws -> Int64?
    {
        let id = try Int64.fetchOne(
            db, sql: "SELECT id FROM checkpoint WHERE commitId = ?", arguments: [commitId])
        if id == nil && required {
            throw TrackingError.invalidRecord(
                path: path.path,
                reason: "checkpoint \(commitId) is not recorded; commit it with the Tracker first")
        }
        return id
    }

    private static func suiteId(_ suite: ProbeSuiteRecord, db: Database) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO probeSuite (name, contentHash, spec) VALUES (?, ?, ?)
                ON CONFLICT (contentHash) DO NOTHING
                """,
            arguments: [suite.name, suite.contentHash, suite.spec])
        let id = try Int64.fetchOne(
            db, sql: "SELECT id FROM probeSuite WHERE contentHash = ?",
            arguments: [suite.contentHash])
        return id ?? db.lastInsertedRowID
    }

    private static func insertRunningProbeRun(
        checkpointCommitId: String, suite: ProbeSuiteRecord, seed: Int, toolVersion: String,
        started: Date, db: Database, path: URL
    ) throws -> Int64 {
        let checkpointId = try checkpointId(commitId: checkpointCommitId, db: db, path: path)
        let suiteId = try suiteId(suite, db: db)
        try db.execute(
            sql: """
                INSERT INTO probeRun (checkpointId, probeSuiteId, status, started, toolVersion,
                    seed, ownerHost, ownerPid)
                VALUES (?, ?, 'running', ?, ?, ?, ?, ?)
                """,
            arguments: [
                checkpointId, suiteId, started, toolVersion, seed, owner.host, owner.pid,
            ])
        return db.lastInsertedRowID
    }

    /// Starts a probe run: commits its `probeRun` row in status `running` at once, so a crash
    /// before `finishProbeRun` leaves it visible (and `fsck` marks it `abandoned`).
    ///
    /// - Returns: The run's id (`probeRunId`).
    /// - Throws: `TrackingError.invalidRecord` when the checkpoint is not recorded; `.database`.
    public func beginProbeRun(
        checkpointCommitId: String, suite: ProbeSuiteRecord, seed: Int, toolVersion: String,
        started: Date = Date()
    ) throws -> Int64 {
        let id = try write("begin probe run") { db in
            try Self.insertRunningProbeRun(
                checkpointCommitId: checkpointCommitId, suite: suite, seed: seed,
                toolVersion: toolVersion, started: started, db: db, path: path)
        }
        DebugPause.at("probeRun.begun")
        return id
    }

    /// Finishes a `running` probe run: writes all its task and item scores and sets it
    /// `finished`, in one transaction.
    ///
    /// - Parameters:
    ///   - id: From `beginProbeRun`.
    ///   - seconds: Wall-clock duration of the run.
    /// - Throws: `TrackingError.invalidRecord` when the run is not `running` (finished twice,
    ///   or marked abandoned by `fsck`) or two scores share a key; `.database`.
    public func finishProbeRun(
        id: Int64, seconds: Double, taskScores: [TaskScoreRecord], itemScores: [ItemScoreRecord],
        finished: Date = Date()
    ) throws {
        try write("finish probe run \(id)") { db in
            try Self.writeScores(
                runId: id, seconds: seconds, taskScores: taskScores, itemScores: itemScores,
                finished: finished, db: db, path: path)
        }
    }

    /// Records a whole probe run (row, suite, task and item scores) in one transaction, as
    /// `finished`.
    ///
    /// - Returns: The run's id.
    /// - Throws: As `beginProbeRun` and `finishProbeRun`.
    @discardableResult
    public func recordProbeRun(_ record: ProbeRunRecord) throws -> Int64 {
        try write("record probe run") { db in
            let id = try Self.insertRunningProbeRun(
                checkpointCommitId: record.checkpointCommitId, suite: record.suite,
                seed: record.seed, toolVersion: record.toolVersion, started: record.started,
                db: db, path: path)
            try Self.writeScores(
                runId: id, seconds: record.seconds, taskScores: record.taskScores,
                itemScores: record.itemScores,
                finished: record.started.addingTimeInterval(record.seconds), db: db, path: path)
            return id
        }
    }

    private static func writeScores(
        runId: Int64, seconds: Double, taskScores: [TaskScoreRecord],
        itemScores: [ItemScoreRecord], finished: Date, db: Database, path: URL
    ) throws {
        let status = try String.fetchOne(
            db, sql: "SELECT status FROM probeRun WHERE id = ?", arguments: [runId])
        guard status == RunStatus.running.rawValue else {
            throw TrackingError.invalidRecord(
                path: path.path,
                reason: "probe run \(runId) is \(status ?? "missing"), not running; "
                    + "start a new run with beginProbeRun")
        }
        do {
            let taskStatement = try db.cachedStatement(
                sql: """
                    INSERT INTO taskScore (probeRunId, task, metric, value, stderr, n)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """)
            for score in taskScores {
                try taskStatement.execute(arguments: [
                    runId, score.task, score.metric, score.value, score.stderr, score.n,
                ])
            }
            let itemStatement = try db.cachedStatement(
                sql: """
                    INSERT INTO itemScore (probeRunId, task, itemId, score, prediction,
                        choiceLogLikelihoods, details)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
            for item in itemScores {
                try itemStatement.execute(arguments: [
                    runId, item.task, item.itemId, item.score, item.prediction,
                    item.choiceLogLikelihoods.map(jsonArray), item.details,
                ])
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw TrackingError.invalidRecord(
                path: path.path,
                reason: "probe run \(runId) has two scores with the same task and metric or "
                    + "item id (\(error.message ?? "constraint"))")
        }
        DebugPause.at("probeRun.inTransaction")
        try db.execute(
            sql: "UPDATE probeRun SET status = 'finished', finished = ?, seconds = ? WHERE id = ?",
            arguments: [finished, seconds, runId])
    }

    /// A JSON array of numbers, shortest round-trip form; non-finite values become `null`.
    static func jsonArray(_ values: [Double]) -> String {
        "[" + values.map { $0.isFinite ? "\($0)" : "null" }.joined(separator: ",") + "]"
    }

    /// Marks a `running` probe run `failed` (the probe threw); its scores are not written.
    public func failProbeRun(id: Int64) throws {
        try write("fail probe run \(id)") { db in
            try db.execute(
                sql:
                    "UPDATE probeRun SET status = 'failed', finished = ? WHERE id = ? AND status = 'running'",
                arguments: [Date(), id])
        }
    }

    /// Starts a fine-tune: commits its `fineTune` row in status `running`.
    ///
    /// It becomes `finished` only through `Tracker.finishFineTune`, after the resulting
    /// checkpoint's commit exists.
    /// - Returns: The fine-tune's id (`fineTuneId`).
    /// - Throws: `TrackingError.invalidRecord` when the parent checkpoint is not recorded.
    public func beginFineTune(_ record: FineTuneRecord, started: Date = Date()) throws -> Int64 {
        let configuration = try Self.jsonText(record.configuration, path: path)
        return try write("begin fine-tune") { db in
            let parentId = try Self.checkpointId(
                commitId: record.parentCommitId, db: db, path: path)
            try db.execute(
                sql: """
                    INSERT INTO fineTune (parentCheckpointId, method, configuration, status,
                        started, toolVersion, ownerHost, ownerPid)
                    VALUES (?, ?, ?, 'running', ?, ?, ?, ?)
                    """,
                arguments: [
                    parentId, record.method, configuration, started, record.toolVersion,
                    Self.owner.host, Self.owner.pid,
                ])
            return db.lastInsertedRowID
        }
    }

    static func jsonText(_ value: JSONValue, path: URL) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw TrackingError.invalidRecord(path: path.path, reason: "configuration: \(error)")
        }
    }

    /// Appends training steps to a fine-tune (one transaction per call; steps already recorded
    /// for that fine-tune are replaced, so a resumed fine-tune can re-send them).
    public func recordTrainingSteps(fineTuneId: Int64, steps: [TrainingStepRecord]) throws {
        try write("record training steps") { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO trainingStep (fineTuneId, step, loss, learningRate,
                        tokensPerSecond)
                    VALUES (?, ?, ?, ?, ?)
                    """)
            for step in steps {
                try statement.execute(arguments: [
                    fineTuneId, step.step, step.loss, step.learningRate, step.tokensPerSecond,
                ])
            }
        }
    }

    /// Sets a `running` fine-tune `finished` with its result, whose `checkpoint` row must
    /// exist (so whose commit exists). Called by `Tracker.finishFineTune` in the same
    /// transaction that records the checkpoint row.
    static func finishFineTune(
        id: Int64, resultCheckpointId: Int64, seconds: Double, db: Database, path: URL
    ) throws {
        let status = try String.fetchOne(
            db, sql: "SELECT status FROM fineTune WHERE id = ?", arguments: [id])
        guard status == RunStatus.running.rawValue else {
            throw TrackingError.invalidRecord(
                path: path.path, reason: "fine-tune \(id) is \(status ?? "missing"), not running")
        }
        try db.execute(
            sql: """
                UPDATE fineTune SET status = 'finished', resultCheckpointId = ?, finished = ?,
                    seconds = ?
                WHERE id = ?
                """,
            arguments: [resultCheckpointId, Date(), seconds, id])
    }

    /// Marks a `running` fine-tune `failed` (training threw).
    public func failFineTune(id: Int64) throws {
        try write("fail fine-tune \(id)") { db in
            try db.execute(
                sql:
                    "UPDATE fineTune SET status = 'failed', finished = ? WHERE id = ? AND status = 'running'",
                arguments: [Date(), id])
        }
    }

    /// Records a merge-gate verdict.
    /// - Returns: The row id.
    /// - Throws: `TrackingError.invalidRecord` when either checkpoint is not recorded.
    @discardableResult
    public func recordGateVerdict(_ record: GateVerdictRecord) throws -> Int64 {
        try write("record gate verdict") { db in
            let baseline = try Self.checkpointId(
                commitId: record.baselineCommitId, db: db, path: path)
            let candidate = try Self.checkpointId(
                commitId: record.candidateCommitId, db: db, path: path)
            let reasons = try Self.jsonText(.array(record.reasons.map { .string($0) }), path: path)
            try db.execute(
                sql: """
                    INSERT INTO gateVerdict (baselineCheckpointId, candidateCheckpointId, policy,
                        verdict, reasons, created)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    baseline, candidate, record.policy, record.verdict, reasons, record.created,
                ])
            return db.lastInsertedRowID
        }
    }

    /// Sets `running` rows whose process is gone to `abandoned` (`Tracker.fsck --repair`).
    /// - Returns: How many probe runs and fine-tunes were changed.
    func markAbandoned(probeRunIds: [Int64], fineTuneIds: [Int64]) throws -> Int {
        try write("mark abandoned") { db in
            var changed = 0
            for id in probeRunIds {
                try db.execute(
                    sql:
                        "UPDATE probeRun SET status = 'abandoned' WHERE id = ? AND status = 'running'",
                    arguments: [id])
                changed += db.changesCount
            }
            for id in fineTuneIds {
                try db.execute(
                    sql:
                        "UPDATE fineTune SET status = 'abandoned' WHERE id = ? AND status = 'running'",
                    arguments: [id])
                changed += db.changesCount
            }
            return changed
        }
    }
}
