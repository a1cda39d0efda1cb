/// A Git LFS pointer file: the small text committed in place of a large file whose content is
/// kept under the store's `objects/` folder.
///
/// Format (Git LFS specification v1, keys after `version` in alphabetical order, each line
/// ending in `\n`):
/// ```
/// version https://git-lfs.github.com/spec/v1
/// oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393
/// size 12345
/// ```
/// ### References
/// Git LFS, `docs/spec.md` ("The pointer file").
public struct LFSPointer: Equatable, Sendable {
    /// The specification URL on the pointer's first line.
    public static let versionURL = "https://git-lfs.github.com/spec/v1"

    /// SHA-256 of the file's content, 64 lowercase hex digits.
    public var sha256: String
    /// The file's size in bytes.
    public var size: Int64

    public init(sha256: String, size: Int64) {
        self.sha256 = sha256
        self.size = size
    }

    /// The pointer file's exact text.
    public var text: String {
        "version \(Self.versionURL)\noid sha256:\(sha256)\nsize \(size)\n"
    }

    /// Parses a pointer file; `nil` when `bytes` is not one (any ordinary file).
    ///
    /// Pointer files are at most a few hundred bytes, so anything over 1024 bytes is not one.
    public init?(bytes: [UInt8]) {
        guard bytes.count < 1024, let text = String(validating: bytes, as: UTF8.self) else {
            return nil
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == 4, lines[3].isEmpty,
            lines[0] == "version \(Self.versionURL)",
            lines[1].hasPrefix("oid sha256:"), lines[2].hasPrefix("size ")
        else { return nil }
        let oid = String(lines[1].dropFirst("oid sha256:".count))
        guard oid.count == 64, oid.allSatisfy({ $0.isHexDigit && !$0.isUppercase }),
            let size = Int64(lines[2].dropFirst("size ".count)), size >= 0
        else { return nil }
        self.sha256 = oid
        self.size = size
    }
}
