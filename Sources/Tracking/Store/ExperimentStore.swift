import Foundation
import GRDB

/// Every score, run, fine-tune and gate verdict, in SQLite (`<store>/fmn.sqlite`) through GRDB.
///
/// The schema is documented table by table in `docs/schema.md`, with `sqlite3` queries. The
/// database runs in WAL mode with a 30 s busy timeout, and every write is one `BEGIN IMMEDIATE`
/// transaction (GRDB's default for a `DatabasePool`), so several processes may write one store
/// at once: they wait for each other instead of failing.
///
/// Migrations are registered by id (`"v1-initial"`, …) and never edited after they ship; a new
/// schema change is a new migration appended to `migrator`.
///
/// The file is recognised as ours by its `application_id` (`0x464D4E53`, "FMNS") and its
/// `fmnStore` marker table. Opening never changes a file that is not a store, is damaged, or was
/// written by a newer version: it throws instead.
public final class ExperimentStore: Sendable {
    /// `PRAGMA application_id` of every store: the bytes "FMNS".
    public static let applicationId: Int32 = 0x464D_4E53

    /// The database file.
    public let path: URL
    let pool: DatabasePool

    /// Opens (and, with `create`, creates) the database at `path`, applying any migrations it
    /// lacks.
    ///
    /// An existing file is inspected first through a plain connection that writes nothing: an
    /// empty file (0 bytes, or a SQLite database without tables) is initialised; a database
    /// with foreign tables and neither our `application_id` nor the `fmnStore` table is refused.
    ///
    /// - Parameters:
    ///   - path: `fmn.sqlite`.
    ///   - create: Create the file when it does not exist.
    /// - Throws: `TrackingError.storeNotFound` (missing, without `create`),
    ///   `.corruptDatabase`, `.notAStore`, `.newerSchema`, `.database`.
    public init(path: URL, create: Bool) throws {
        self.path = path
        let exists = FileManager.default.fileExists(atPath: path.path)
        if !exists && !create {
            throw TrackingError.storeNotFound(path: path.deletingLastPathComponent().path)
        }
        // Only a store missing migrations is migrated (a write); an up-to-date one is only read.
        let needsMigration = exists ? try Self.inspect(path) : true
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.foreignKeysEnabled = true
        configuration.label = "fmn.sqlite"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path.path, configuration: configuration)
            if needsMigration {
                try Self.migrator.migrate(pool)
            }
        } catch let error as DatabaseError {
            throw Self.wrap(error, path: path, operation: "open and migrate")
        } catch {
            throw TrackingError.database(
                path: path.path, operation: "open and migrate", cause: "\(error)")
        }
    }

    /// Checks an existing file without changing it.
    /// - Returns: Whether migrations remain to be applied.
    private static func inspect(_ path: URL) throws -> Bool {
        let size =
            ((try? FileManager.default.attributesOfItem(atPath: path.path))?[.size] as? NSNumber)?
            .int64Value ?? 0
        if size == 0 { return true }
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        do {
            let queue = try DatabaseQueue(path: path.path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.inDatabase { db in
                let applicationId = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                let tableCount =
                    try Int.fetchOne(
                        db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'") ?? 0
                let hasMarker = try db.tableExists("fmnStore")
                if applicationId != Self.applicationId && !hasMarker
                    && !(applicationId == 0 && tableCount == 0)
                {
                    throw TrackingError.notAStore(path: path.path)
                }
                let known = Set(migrator.migrations)
                let unknown = try migrator.appliedIdentifiers(db).subtracting(known)
                if !unknown.isEmpty {
                    throw TrackingError.newerSchema(
                        path: path.path, unknownMigrations: unknown.sorted())
                }
                return try !migrator.hasCompletedMigrations(db)
            }
        } catch let error as TrackingError {
            throw error
        } catch let error as DatabaseError {
            throw wrap(error, path: path, operation: "inspect")
        } catch {
            throw TrackingError.database(path: path.path, operation: "inspect", cause: "\(error)")
        }
    }

    /// GRDB's error as a `TrackingError`: damaged files become `.corruptDatabase`.
    static func wrap(_ error: DatabaseError, path: URL, operation: String) -> TrackingError {
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return .corruptDatabase(path: path.path, cause: "\(error)")
        default:
            return .database(path: path.path, operation: operation, cause: "\(error)")
        }
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction, wrapping errors.
    func write<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.write(body)
        } catch let error as TrackingError {
            throw error
        } catch let error as DatabaseError {
            throw Self.wrap(error, path: path, operation: operation)
        } catch {
            throw TrackingError.database(path: path.path, operation: operation, cause: "\(error)")
        }
    }

    /// Runs `body` on a read snapshot, wrapping errors.
    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch let error as TrackingError {
            throw error
        } catch let error as DatabaseError {
            throw Self.wrap(error, path: path, operation: operation)
        } catch {
            throw TrackingError.database(path: path.path, operation: operation, cause: "\(error)")
        }
    }

    /// The migration ids applied to this database, in order.
    public func appliedMigrations() throws -> [String] {
        try read("read migrations") { db in try Self.migrator.appliedMigrations(db) }
    }
}
