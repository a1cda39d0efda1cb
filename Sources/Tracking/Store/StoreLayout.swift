import Foundation

/// Where each part of a store lives under its root folder (`./.fmn` by default):
///
/// | path | what |
/// | --- | --- |
/// | `fmn.sqlite` | the `ExperimentStore` database (WAL, with `-wal` and `-shm` beside it) |
/// | `checkpoints/` | the bare git repository of the `CheckpointRepository` |
/// | `objects/ab/cd/abcd…` | large files by SHA-256 (Git LFS's layout), named by pointer files |
/// | `lock` | the file locked (`flock`) around every repository write |
public struct StoreLayout: Sendable, Equatable {
    /// The store's root folder.
    public var root: URL

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    /// `fmn.sqlite`.
    public var database: URL { root.appendingPathComponent("fmn.sqlite") }
    /// `checkpoints/`, a bare git repository.
    public var repository: URL { root.appendingPathComponent("checkpoints") }
    /// `objects/`, large-file contents by SHA-256.
    public var objects: URL { root.appendingPathComponent("objects") }
    /// `lock`, the cross-process lock around repository writes.
    public var lock: URL { root.appendingPathComponent("lock") }

    /// `objects/<sha[0..<2]>/<sha[2..<4]>/<sha>`, Git LFS's object path.
    public func object(sha256: String) -> URL {
        let characters = Array(sha256)
        return objects.appendingPathComponent(String(characters[0..<2]))
            .appendingPathComponent(String(characters[2..<4]))
            .appendingPathComponent(sha256)
    }
}
