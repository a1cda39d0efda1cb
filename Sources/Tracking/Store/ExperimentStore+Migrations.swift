import GRDB

extension ExperimentStore {
    /// The schema's history. Each migration is registered by id and NEVER edited once shipped:
    /// a change is a new migration (`"v2-…"`) appended here, and documented in `docs/schema.md`.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1-initial") { db in
            try db.execute(
                sql: """
                    PRAGMA application_id = \(ExperimentStore.applicationId);

                    CREATE TABLE fmnStore (
                        key TEXT PRIMARY KEY NOT NULL,
                        value TEXT NOT NULL
                    );
                    INSERT INTO fmnStore (key, value) VALUES ('format', 'ForgetMeNot store');

                    CREATE TABLE checkpoint (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        commitId TEXT NOT NULL UNIQUE,
                        parentCheckpointId INTEGER REFERENCES checkpoint(id),
                        kind TEXT NOT NULL CHECK (kind IN ('base', 'full', 'lora')),
                        name TEXT NOT NULL,
                        lineage TEXT NOT NULL,
                        created TEXT NOT NULL
                    );
                    CREATE INDEX checkpoint_parent ON checkpoint(parentCheckpointId);

                    CREATE TABLE probeSuite (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        name TEXT NOT NULL,
                        contentHash TEXT NOT NULL UNIQUE,
                        spec TEXT NOT NULL
                    );

                    CREATE TABLE probeRun (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        checkpointId INTEGER NOT NULL REFERENCES checkpoint(id),
                        probeSuiteId INTEGER NOT NULL REFERENCES probeSuite(id),
                        status TEXT NOT NULL
                            CHECK (status IN ('running', 'finished', 'failed', 'abandoned')),
                        started TEXT NOT NULL,
                        finished TEXT,
                        toolVersion TEXT NOT NULL,
                        seed INTEGER NOT NULL,
                        seconds REAL,
                        ownerHost TEXT NOT NULL,
                        ownerPid INTEGER NOT NULL
                    );
                    CREATE INDEX probeRun_checkpoint ON probeRun(checkpointId, status);
                    CREATE INDEX probeRun_suite ON probeRun(probeSuiteId);

                    CREATE TABLE taskScore (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        probeRunId INTEGER NOT NULL REFERENCES probeRun(id),
                        task TEXT NOT NULL,
                        metric TEXT NOT NULL,
                        value REAL NOT NULL,
                        stderr REAL,
                        n INTEGER NOT NULL,
                        UNIQUE (probeRunId, task, metric)
                    );

                    CREATE TABLE itemScore (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        probeRunId INTEGER NOT NULL REFERENCES probeRun(id),
                        task TEXT NOT NULL,
                        itemId TEXT NOT NULL,
                        score REAL NOT NULL,
                        prediction TEXT,
                        choiceLogLikelihoods TEXT,
                        details TEXT,
                        UNIQUE (probeRunId, task, itemId)
                    );

                    CREATE TABLE fineTune (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        parentCheckpointId INTEGER NOT NULL REFERENCES checkpoint(id),
                        resultCheckpointId INTEGER REFERENCES checkpoint(id),
                        method TEXT NOT NULL,
                        configuration TEXT NOT NULL,
                        status TEXT NOT NULL
                            CHECK (status IN ('running', 'finished', 'failed', 'abandoned')),
                        started TEXT NOT NULL,
                        finished TEXT,
                        seconds REAL,
                        toolVersion TEXT NOT NULL,
                        ownerHost TEXT NOT NULL,
                        ownerPid INTEGER NOT NULL,
                        CHECK (status <> 'finished' OR resultCheckpointId IS NOT NULL)
                    );
                    CREATE INDEX fineTune_result ON fineTune(resultCheckpointId);

                    CREATE TABLE trainingStep (
                        fineTuneId INTEGER NOT NULL REFERENCES fineTune(id),
                        step INTEGER NOT NULL,
                        loss REAL NOT NULL,
                        learningRate REAL NOT NULL,
                        tokensPerSecond REAL NOT NULL,
                        PRIMARY KEY (fineTuneId, step)
                    );

                    CREATE TABLE gateVerdict (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        baselineCheckpointId INTEGER NOT NULL REFERENCES checkpoint(id),
                        candidateCheckpointId INTEGER NOT NULL REFERENCES checkpoint(id),
                        policy TEXT NOT NULL,
                        verdict TEXT NOT NULL,
                        reasons TEXT NOT NULL,
                        created TEXT NOT NULL
                    );
                    CREATE INDEX gateVerdict_candidate ON gateVerdict(candidateCheckpointId);
                    """)
        }

        return migrator
    }()
}
