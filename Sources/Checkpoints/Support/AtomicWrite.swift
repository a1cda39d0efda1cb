import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes files and folders so that a reader sees either the old complete version or the new
/// complete one, never a half-written one: everything goes to a hidden temporary sibling first
/// (same folder, so the same file system) and is moved into place with `rename(2)`.
enum AtomicWrite {
    /// A hidden sibling of `url` with a unique suffix, e.g. `.model.safetensors.tmp-<uuid>`.
    static func temporarySibling(of url: URL, tag: String = "tmp") -> URL {
        url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(tag)-\(UUID().uuidString)")
    }

    /// Writes a file through `body`, which receives an open handle on a temporary sibling; the
    /// sibling is flushed and renamed over `url` (replacing any file there) when `body` returns.
    /// - Throws: `SafetensorsError.writeFailed` (after removing the temporary file), or whatever
    ///   `body` throws.
    static func file(at url: URL, _ body: (FileHandle) throws -> Void) throws {
        let folder = url.deletingLastPathComponent()
        let temporary = temporarySibling(of: url)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw SafetensorsError.writeFailed(path: url.path, reason: error.localizedDescription)
        }
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw SafetensorsError.writeFailed(
                path: url.path,
                reason: "cannot create \(temporary.lastPathComponent) in \(folder.path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            do {
                try body(handle)
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            try rename(temporary, to: url)
        } catch let error as SafetensorsError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw SafetensorsError.writeFailed(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Writes `data` to `url` atomically.
    static func data(_ data: Data, to url: URL) throws {
        try file(at: url) { try $0.write(contentsOf: data) }
    }

    /// Builds a folder through `body`, which fills a temporary sibling folder, then moves it to
    /// `url`. An existing folder at `url` is replaced only when `body` succeeded: it is first
    /// renamed aside, then removed once the new folder is in place (and put back if that fails).
    static func folder(at url: URL, _ body: (URL) throws -> Void) throws {
        let manager = FileManager.default
        let temporary = temporarySibling(of: url)
        do {
            try manager.createDirectory(at: temporary, withIntermediateDirectories: true)
        } catch {
            throw SafetensorsError.writeFailed(path: url.path, reason: error.localizedDescription)
        }
        do {
            try body(temporary)
        } catch {
            try? manager.removeItem(at: temporary)
            throw error
        }
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            let aside = temporarySibling(of: url, tag: "old")
            do {
                try rename(url, to: aside)
            } catch {
                try? manager.removeItem(at: temporary)
                throw error
            }
            do {
                try rename(temporary, to: url)
            } catch {
                try? rename(aside, to: url)
                try? manager.removeItem(at: temporary)
                throw error
            }
            try? manager.removeItem(at: aside)
        } else {
            do {
                try rename(temporary, to: url)
            } catch {
                try? manager.removeItem(at: temporary)
                throw error
            }
        }
    }

    /// `rename(2)`: atomic within one file system, replacing a file (or an empty folder).
    static func rename(_ source: URL, to destination: URL) throws {
        let result = source.withUnsafeFileSystemRepresentation { from in
            destination.withUnsafeFileSystemRepresentation { to -> Int32 in
                guard let from, let to else { return -1 }
                #if canImport(Glibc)
                    return Glibc.rename(from, to)
                #else
                    return Darwin.rename(from, to)
                #endif
            }
        }
        guard result == 0 else {
            throw SafetensorsError.writeFailed(
                path: destination.path,
                reason:
                    "rename from \(source.lastPathComponent) failed: \(String(cString: strerror(errno)))"
            )
        }
    }
}
