/// The inconsistencies `fsck` looks for.
public enum FsckProblemKind: String, Codable, Sendable, CaseIterable {
    /// SQLite's `quick_check` found damage in `fmn.sqlite` (not repairable here).
    case databaseDamaged
    /// A commit made by ForgetMeNot that no `checkpoint` row points to (a crash between the
    /// commit and the row). Repair: record the row from the commit's `fmn.json`.
    case commitWithoutRow
    /// A commit without `fmn.json`, not made by ForgetMeNot (reported only).
    case foreignCommit
    /// A `checkpoint` row whose commit is not in the repository (reported only: restore the
    /// repository from a backup).
    case rowWithoutCommit
    /// A probe run left `running` by a process that is gone. Repair: mark it `abandoned`.
    case probeRunLeftRunning
    /// A fine-tune left `running` by a process that is gone. Repair: mark it `abandoned`.
    case fineTuneLeftRunning
    /// A `.lock` file in the repository while no `fmn` process writes it (reported only).
    case staleLock
    /// A pointer file whose object is missing from `objects/`, or has the wrong size (reported
    /// only: restore `objects/` from a backup).
    case missingObject
    /// A partial copy (`objects/incoming-*`) left by a crash while storing a large file.
    /// Repair: remove it (nothing refers to it).
    case partialObject
}
