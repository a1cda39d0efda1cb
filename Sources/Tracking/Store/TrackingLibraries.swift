import CLibGit2
import GRDB

/// The versions of the C libraries the `Tracking` module links, for `fmn doctor`.
///
/// Both are read at run time from the libraries actually loaded, not from headers, so they
/// tell what the running binary uses.
public enum TrackingLibraries {
    /// The linked libgit2's version, `major.minor.revision` (e.g. `"1.5.1"`), from
    /// `git_libgit2_version`.
    ///
    /// - Returns: The version string; `"unknown"` when libgit2 cannot report it.
    public static func libgit2Version() -> String {
        var major: Int32 = 0
        var minor: Int32 = 0
        var revision: Int32 = 0
        guard git_libgit2_version(&major, &minor, &revision) == 0 else { return "unknown" }
        return "\(major).\(minor).\(revision)"
    }

    /// The SQLite library's version (e.g. `"3.40.1"`), from `SELECT sqlite_version()` on an
    /// in-memory GRDB `DatabaseQueue`.
    ///
    /// - Returns: The version string.
    /// - Throws: `TrackingError.database` when the in-memory database cannot be opened or
    ///   queried (GRDB's error as the cause).
    public static func sqliteVersion() throws -> String {
        do {
            let queue = try DatabaseQueue()
            return try queue.read { db in
                try String.fetchOne(db, sql: "SELECT sqlite_version()") ?? "unknown"
            }
        } catch {
            throw TrackingError.database(
                path: ":memory:", operation: "read sqlite_version()",
                cause: String(describing: error))
        }
    }
}
