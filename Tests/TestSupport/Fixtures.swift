import Foundation

/// Locates test inputs: the repository's `Fixtures/` folder and the read-only `../shared/` folder
/// beside the checkout. Both resolve from this file's `#filePath`, so tests work from any
/// working directory.
public enum Fixtures {
    /// The repository root (the folder holding `Package.swift`).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // TestSupport
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// `Fixtures/<relativePath>` in the repository.
    public static func url(_ relativePath: String) -> URL {
        repositoryRoot.appendingPathComponent("Fixtures").appendingPathComponent(relativePath)
    }

    /// The shared folder: `$FMN_SHARED_DIR` when set, else `../shared` beside the checkout.
    public static let sharedRoot: URL = {
        if let custom = ProcessInfo.processInfo.environment["FMN_SHARED_DIR"], !custom.isEmpty {
            return URL(fileURLWithPath: custom)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }()

    /// `../shared/<relativePath>`, e.g. `shared("reference/metrics/sentence_vectors.jsonl")`.
    public static func shared(_ relativePath: String) -> URL {
        sharedRoot.appendingPathComponent(relativePath)
    }

    /// The built `fmn` binary for end-to-end tests (`.build/debug/fmn` unless `$FMN_BINARY`).
    public static var fmnBinary: URL {
        if let custom = ProcessInfo.processInfo.environment["FMN_BINARY"], !custom.isEmpty {
            return URL(fileURLWithPath: custom)
        }
        let bundle = Bundle.main.bundleURL  // .build/<triple>/debug when run by swift test
        let candidate = bundle.appendingPathComponent("fmn")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        return repositoryRoot.appendingPathComponent(".build/debug/fmn")
    }

    /// Reads a UTF-8 text file, failing the calling test with the path when it cannot.
    public static func text(_ url: URL) throws -> String {
        try String(contentsOf: url, encoding: .utf8)
    }

    /// Reads a JSON Lines file into one decoded value per non-empty line.
    public static func jsonLines<T: Decodable>(_ type: T.Type, at url: URL) throws -> [T] {
        let decoder = JSONDecoder()
        return try text(url).split(separator: "\n", omittingEmptySubsequences: true).map {
            try decoder.decode(T.self, from: Data($0.utf8))
        }
    }

    /// A fresh temporary directory, removed by the caller (or left for the OS).
    public static func temporaryDirectory(_ prefix: String = "fmn-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
