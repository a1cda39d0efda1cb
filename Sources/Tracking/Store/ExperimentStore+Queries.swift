import Foundation
import GRDB

/// Reading rows: what `fmn log`, `fmn show`, reports and the gate need.
extension ExperimentStore {
    static func fetchCheckpoint(commitId: String, db: Database) throws -> CheckpointRecord? {
        try Row.fetchOne(
            db, sql: checkpointSelect + " WHERE c.commitId = ?", arguments: [commitId]
        ).map(checkpoint(from:))
    }

    private static let checkpointSelect = """
        SELECT c.id, c.commitId, p.commitId AS parentCommitId, c.kind, c.name, c.lineage, c.created
        FROM checkpoint c LEFT JOIN checkpoint p ON p.id = c.parentCheckpointId
        """

    private static func checkpoint(from row: Row) -> CheckpointRecord {
        CheckpointRecord(
            id: row["id"], commitId: row["commitId"], parentCommitId: row["parentCommitId"],
            kind: CheckpointKind(rawValue: row["kind"]) ?? .base, name: row["name"],
            lineage: row["lineage"], created: row["created"])
    }

    /// Every recorded checkpoint, oldest first.
    public func checkpoints() throws -> [CheckpointRecord] {
        try read("list checkpoints") { db in
            try Row.fetchAll(db, sql: Self.checkpointSelect + " ORDER BY c.id").map(
                Self.checkpoint(from:))
        }
    }

    /// The checkpoint row of a commit; `nil` when it is not recorded.
    public func checkpoint(commitId: String) throws -> CheckpointRecord? {
        try read("read checkpoint") { db in try Self.fetchCheckpoint(commitId: commitId, db: db) }
    }

    /// The recorded ancestry of a checkpoint: its base first, the checkpoint itself last
    /// (following `parentCheckpointId`).
    public func lineage(of commitId: String) throws -> [CheckpointRecord] {
        try read("read lineage") { db in
            let sql = """
                WITH RECURSIVE chain(id, depth) AS (
                    SELECT id, 0 FROM checkpoint WHERE commitId = ?
                    UNION ALL
                    SELECT c.parentCheckpointId, chain.depth + 1
                    FROM checkpoint c JOIN chain ON c.id = chain.id
                    WHERE c.parentCheckpointId IS NOT NULL
                )
                \(Self.checkpointSelect) JOIN chain ON chain.id = c.id ORDER BY chain.depth DESC
                """
            return try Row.fetchAll(db, sql: sql, arguments: [commitId]).map(Self.checkpoint(from:))
        }
    }

    /// The task scores of each checkpoint's latest finished probe run (any suite, or only
    /// `suiteHash`), keyed by commit id. Checkpoints without a finished run are absent.
    public func latestScores(suiteHash: String? = nil) throws -> [String: [TaskScoreRecord]] {
        try read("read latest scores") { db in
            var filter = "status = 'finished'"
            var arguments: StatementArguments = []
            if let suiteHash {
                filter +=
                    " AND probeSuiteId = (SELECT id FROM probeSuite WHERE contentHash = ?)"
                arguments = [suiteHash]
            }
            let sql = """
                SELECT c.commitId, t.task, t.metric, t.value, t.stderr, t.n
                FROM taskScore t
                JOIN probeRun r ON r.id = t.probeRunId
                JOIN checkpoint c ON c.id = r.checkpointId
                WHERE r.id IN (SELECT max(id) FROM probeRun WHERE \(filter) GROUP BY checkpointId)
                ORDER BY c.id, t.task, t.metric
                """
            var result: [String: [TaskScoreRecord]] = [:]
            for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                result[row["commitId"], default: []].append(Self.taskScore(from: row))
            }
            return result
        }
    }

    private static func taskScore(from row: Row) -> TaskScoreRecord {
        TaskScoreRecord(
            task: row["task"], metric: row["metric"], value: row["value"], stderr: row["stderr"],
            n: row["n"])
    }

    private static let runSelect = """
        SELECT r.*, c.commitId, s.name AS suiteName, s.contentHash
        FROM probeRun r JOIN checkpoint c ON c.id = r.checkpointId
        JOIN probeSuite s ON s.id = r.probeSuiteId
        """

    private static func run(from row: Row) -> StoredProbeRun {
        StoredProbeRun(
            id: row["id"], checkpointCommitId: row["commitId"], suiteName: row["suiteName"],
            suiteHash: row["contentHash"],
            status: RunStatus(rawValue: row["status"]) ?? .failed, started: row["started"],
            finished: row["finished"], toolVersion: row["toolVersion"], seed: row["seed"],
            seconds: row["seconds"], ownerHost: row["ownerHost"], ownerPid: row["ownerPid"])
    }

    /// The probe runs of a checkpoint, oldest first, optionally only those of one suite hash.
    public func probeRuns(checkpointCommitId: String, suiteHash: String? = nil) throws
        -> [StoredProbeRun]
    {
        try read("list probe runs") { db in
            var sql = Self.runSelect + " WHERE c.commitId = ?"
            var arguments: StatementArguments = [checkpointCommitId]
            if let suiteHash {
                sql += " AND s.contentHash = ?"
                arguments += [suiteHash]
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY r.id", arguments: arguments).map(
                Self.run(from:))
        }
    }

    /// Every probe run in a status (e.g. `.running`, for `fsck`), oldest first.
    public func probeRuns(status: RunStatus) throws -> [StoredProbeRun] {
        try read("list probe runs") { db in
            try Row.fetchAll(
                db, sql: Self.runSelect + " WHERE r.status = ? ORDER BY r.id",
                arguments: [status.rawValue]
            ).map(Self.run(from:))
        }
    }

    /// The task scores of one run, by task then metric.
    public func taskScores(probeRunId: Int64) throws -> [TaskScoreRecord] {
        try read("read task scores") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM taskScore WHERE probeRunId = ? ORDER BY task, metric",
                arguments: [probeRunId]
            ).map(Self.taskScore(from:))
        }
    }

    /// The item scores of one run, in the order they were recorded.
    public func itemScores(probeRunId: Int64) throws -> [ItemScoreRecord] {
        try read("read item scores") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM itemScore WHERE probeRunId = ? ORDER BY id",
                arguments: [probeRunId]
            ).map { row in
                let text: String? = row["choiceLogLikelihoods"]
                let values = text.flatMap {
                    try? JSONDecoder().decode([Double?].self, from: Data($0.utf8))
                }.map { $0.map { $0 ?? .nan } }
                return ItemScoreRecord(
                    task: row["task"], itemId: row["itemId"], score: row["score"],
                    prediction: row["prediction"], choiceLogLikelihoods: values,
                    details: row["details"])
            }
        }
    }

    private static let fineTuneSelect = """
        SELECT f.*, p.commitId AS parentCommitId, r.commitId AS resultCommitId
        FROM fineTune f JOIN checkpoint p ON p.id = f.parentCheckpointId
        LEFT JOIN checkpoint r ON r.id = f.resultCheckpointId
        """

    private static func fineTune(from row: Row) -> StoredFineTune {
        StoredFineTune(
            id: row["id"], parentCommitId: row["parentCommitId"],
            resultCommitId: row["resultCommitId"], method: row["method"],
            configuration: row["configuration"],
            status: RunStatus(rawValue: row["status"]) ?? .failed, started: row["started"],
            finished: row["finished"], seconds: row["seconds"], toolVersion: row["toolVersion"],
            ownerHost: row["ownerHost"], ownerPid: row["ownerPid"])
    }

    /// The fine-tunes that produced a checkpoint (normally one), oldest first.
    public func fineTunes(resultCommitId: String) throws -> [StoredFineTune] {
        try read("list fine-tunes") { db in
            try Row.fetchAll(
                db, sql: Self.fineTuneSelect + " WHERE r.commitId = ? ORDER BY f.id",
                arguments: [resultCommitId]
            ).map(Self.fineTune(from:))
        }
    }

    /// Every fine-tune in a status, oldest first.
    public func fineTunes(status: RunStatus) throws -> [StoredFineTune] {
        try read("list fine-tunes") { db in
            try Row.fetchAll(
                db, sql: Self.fineTuneSelect + " WHERE f.status = ? ORDER BY f.id",
                arguments: [status.rawValue]
            ).map(Self.fineTune(from:))
        }
    }

    /// The training steps of a fine-tune, by step.
    public func trainingSteps(fineTuneId: Int64) throws -> [TrainingStepRecord] {
        try read("read training steps") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM trainingStep WHERE fineTuneId = ? ORDER BY step",
                arguments: [fineTuneId]
            ).map { row in
                TrainingStepRecord(
                    step: row["step"], loss: row["loss"], learningRate: row["learningRate"],
                    tokensPerSecond: row["tokensPerSecond"])
            }
        }
    }

    /// The gate verdicts given on a candidate checkpoint, oldest first.
    public func gateVerdicts(candidateCommitId: String) throws -> [StoredGateVerdict] {
        try read("read gate verdicts") { db in
            let sql = """
                SELECT g.*, b.commitId AS baselineCommitId, c.commitId AS candidateCommitId
                FROM gateVerdict g JOIN checkpoint b ON b.id = g.baselineCheckpointId
                JOIN checkpoint c ON c.id = g.candidateCheckpointId
                WHERE c.commitId = ? ORDER BY g.id
                """
            return try Row.fetchAll(db, sql: sql, arguments: [candidateCommitId]).map { row in
                let reasonsText: String = row["reasons"]
                let reasons =
                    (try? JSONDecoder().decode([String].self, from: Data(reasonsText.utf8))) ?? []
                return StoredGateVerdict(
                    id: row["id"],
                    record: GateVerdictRecord(
                        baselineCommitId: row["baselineCommitId"],
                        candidateCommitId: row["candidateCommitId"], policy: row["policy"],
                        verdict: row["verdict"], reasons: reasons, created: row["created"]))
            }
        }
    }

    /// Row counts per table, for `fsck` and `show`.
    public func rowCounts() throws -> [String: Int] {
        try read("count rows") { db in
            var counts: [String: Int] = [:]
            for table in [
                "checkpoint", "probeSuite", "probeRun", "taskScore", "itemScore", "fineTune",
                "trainingStep", "gateVerdict",
            ] {
                counts[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
            }
            return counts
        }
    }

    /// SQLite's own `PRAGMA quick_check`; `["ok"]` when the file is sound.
    public func quickCheck() throws -> [String] {
        try read("quick_check") { db in try String.fetchAll(db, sql: "PRAGMA quick_check") }
    }
}
