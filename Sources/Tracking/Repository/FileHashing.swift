import Crypto
import Foundation

/// Streaming SHA-256 of files, 1 MiB at a time, so large weights never sit in memory whole.
enum FileHashing {
    static let chunkSize = 1 << 20

    /// SHA-256 (lowercase hex) and size in bytes of the file at `url`.
    /// - Throws: `TrackingError.io` when it cannot be read.
    static func sha256(of url: URL) throws -> (sha256: String, size: Int64) {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw TrackingError.io(
                path: url.path, operation: "open for reading", cause: "no access")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        do {
            while let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty {
                hasher.update(data: chunk)
                size += Int64(chunk.count)
            }
        } catch {
            throw TrackingError.io(path: url.path, operation: "read", cause: "\(error)")
        }
        return (hex(hasher.finalize()), size)
    }

    /// Copies `source` to `destination` (which must not exist) in one pass, hashing as it goes.
    /// - Returns: SHA-256 (hex) and size of what was copied.
    static func copyHashing(_ source: URL, to destination: URL) throws -> (
        sha256: String, size: Int64
    ) {
        guard let input = FileHandle(forReadingAtPath: source.path) else {
            throw TrackingError.io(
                path: source.path, operation: "open for reading", cause: "no access")
        }
        defer { try? input.close() }
        guard FileManager.default.createFile(atPath: destination.path, contents: nil),
            let output = FileHandle(forWritingAtPath: destination.path)
        else {
            throw TrackingError.io(path: destination.path, operation: "create", cause: "no access")
        }
        defer { try? output.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        do {
            while let chunk = try input.read(upToCount: chunkSize), !chunk.isEmpty {
                hasher.update(data: chunk)
                try output.write(contentsOf: chunk)
                size += Int64(chunk.count)
            }
            try output.synchronize()
        } catch {
            throw TrackingError.io(path: destination.path, operation: "copy", cause: "\(error)")
        }
        return (hex(hasher.finalize()), size)
    }

    /// SHA-256 (hex) of bytes in memory.
    static func sha256(of data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }
}
