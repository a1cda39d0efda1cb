import CLibGit2
import Foundation

/// libgit2 set-up and the conversions every call site needs. `git_libgit2_init` runs once per
/// process, the first time any of these helpers is used (a global `let` is initialised once,
/// thread-safely).
enum LibGit2 {
    private static let initialised: Int32 = git_libgit2_init()

    /// Ensures `git_libgit2_init` has run.
    static func ensureInitialised() {
        _ = initialised
    }

    /// The message of `git_error_last()`, or the numeric code when libgit2 left none.
    static func lastErrorMessage(_ code: Int32) -> String {
        if let error = git_error_last(), let message = error.pointee.message {
            return String(cString: message)
        }
        return "libgit2 error \(code)"
    }

    /// Throws `TrackingError` for a negative libgit2 return code: `repositoryLocked` for
    /// `GIT_ELOCKED`, otherwise `git` with `git_error_last()` as the cause.
    static func check(_ code: Int32, _ operation: String, path: String) throws {
        guard code < 0 else { return }
        if code == GIT_ELOCKED.rawValue {
            throw TrackingError.repositoryLocked(path: path)
        }
        throw TrackingError.git(operation: operation, path: path, cause: lastErrorMessage(code))
    }

    /// The 40-character lowercase hex form of an object id.
    static func hex(_ oid: git_oid) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(40)
        withUnsafeBytes(of: oid.id) { bytes in
            for byte in bytes {
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Parses a full 40-character hex id; `nil` when `text` is not one.
    static func oid(_ text: String) -> git_oid? {
        guard text.count == 40, text.allSatisfy(\.isHexDigit) else { return nil }
        var oid = git_oid()
        guard git_oid_fromstr(&oid, text) == 0 else { return nil }
        return oid
    }
}
