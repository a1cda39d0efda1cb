/// Everything that can go wrong reading or writing a store (`fmn.sqlite`, `checkpoints/`,
/// `objects/`). Each case names the path involved, and its `description` says what happened
/// and how to fix it. Foreign errors (GRDB's, libgit2's `git_error_last()`) travel as `cause`.
///
/// No operation that throws one of these has overwritten or deleted anything.
public enum TrackingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// There is no store at `path` (no `fmn.sqlite` or no `checkpoints/`).
    case storeNotFound(path: String)
    /// A database operation failed; `cause` is GRDB's or SQLite's message.
    case database(path: String, operation: String, cause: String)
    /// `fmn.sqlite` exists but SQLite cannot read it as a database (damaged or truncated).
    case corruptDatabase(path: String, cause: String)
    /// `fmn.sqlite` is a SQLite database, but not one ForgetMeNot wrote (its `application_id`
    /// is not ours and it has no `fmnStore` marker table).
    case notAStore(path: String)
    /// The store was written by a newer ForgetMeNot: it has migrations this build does not know.
    case newerSchema(path: String, unknownMigrations: [String])
    /// `checkpoints/` is missing although `fmn.sqlite` exists.
    case repositoryMissing(path: String)
    /// `checkpoints/` exists but libgit2 cannot open or read it.
    case repositoryDamaged(path: String, cause: String)
    /// Another git process holds `index.lock` (or a ref lock) in the checkpoint repository.
    case repositoryLocked(path: String)
    /// A libgit2 call failed; `cause` is `git_error_last()`'s message.
    case git(operation: String, path: String, cause: String)
    /// A checkpoint REF matched no stage tag, branch or commit.
    case unknownReference(ref: String, repository: String)
    /// A commit-id prefix matched several commits.
    case ambiguousReference(ref: String, candidates: [String])
    /// The folder given as a checkpoint is not a model or adapter folder.
    case notACheckpointFolder(path: String, reason: String)
    /// A file read back did not hash to what the repository recorded.
    case checksumMismatch(path: String, expected: String, actual: String)
    /// A pointer file names an object that is not under `objects/`.
    case missingObject(path: String, oid: String)
    /// `checkout --out` was given a folder that exists and is not empty.
    case outputNotEmpty(path: String)
    /// A file system operation failed.
    case io(path: String, operation: String, cause: String)
    /// A value handed to the store breaks one of its rules (unknown run id, bad status…).
    case invalidRecord(path: String, reason: String)

    public var description: String {
        switch self {
        case .storeNotFound(let path):
            return "\(path): no ForgetMeNot store here. Run `fmn init --store \(path)` to create "
                + "one, or pass --store with the folder that holds fmn.sqlite and checkpoints/."
        case .database(let path, let operation, let cause):
            return "\(path): database error during \(operation): \(cause). If another process "
                + "holds the store for long, retry; otherwise run `fmn fsck --store` on it."
        case .corruptDatabase(let path, let cause):
            return "\(path): not a readable SQLite database (\(cause)). Nothing was changed. "
                + "Restore it from a backup, or move it aside and run `fmn init` to start a new "
                + "store (the checkpoint repository beside it is kept)."
        case .notAStore(let path):
            return "\(path): this SQLite file was not written by ForgetMeNot (wrong "
                + "application_id, no fmnStore table). Nothing was changed. Point --store at a "
                + "ForgetMeNot store, or move this file aside."
        case .newerSchema(let path, let unknown):
            return "\(path): written by a newer ForgetMeNot (unknown migrations: "
                + "\(unknown.joined(separator: ", "))). Nothing was changed. Upgrade fmn to "
                + "read this store."
        case .repositoryMissing(let path):
            return "\(path): checkpoint repository missing. Restore the folder from a backup, or "
                + "run `fmn init` on the store to create an empty one (recorded checkpoints "
                + "will then be reported by `fmn fsck`)."
        case .repositoryDamaged(let path, let cause):
            return "\(path): checkpoint repository cannot be read (\(cause)). Nothing was "
                + "changed. Restore it from a backup, or check it with `git fsck` in that folder."
        case .repositoryLocked(let path):
            return "\(path) exists: another git process is writing the checkpoint repository. "
                + "Wait for it to finish; if none is running, the lock is stale — remove it."
        case .git(let operation, let path, let cause):
            return "\(path): libgit2 failed during \(operation): \(cause)."
        case .unknownReference(let ref, let repository):
            return "\(repository): no stage tag, branch or commit matches '\(ref)'. "
                + "`fmn log` lists the checkpoints."
        case .ambiguousReference(let ref, let candidates):
            return "'\(ref)' is a prefix of several commits (\(candidates.joined(separator: ", ")))"
                + ". Give more characters."
        case .notACheckpointFolder(let path, let reason):
            return "\(path): not a checkpoint folder (\(reason)). Give a Hugging Face model "
                + "folder (config.json + *.safetensors) or a PEFT adapter folder "
                + "(adapter_config.json + adapter_model.safetensors)."
        case .checksumMismatch(let path, let expected, let actual):
            return "\(path): content does not match the repository (expected sha256 \(expected)"
                + ", got \(actual)). The object store is damaged: restore it from a backup."
        case .missingObject(let path, let oid):
            return "\(path): large-file object sha256:\(oid) is missing. Restore the store's "
                + "objects/ folder from a backup."
        case .outputNotEmpty(let path):
            return "\(path): exists and is not empty. Give a new or empty folder to --out."
        case .io(let path, let operation, let cause):
            return "\(path): \(operation) failed: \(cause)."
        case .invalidRecord(let path, let reason):
            return "\(path): \(reason)."
        }
    }
}
