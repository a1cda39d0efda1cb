import ArgumentParser
import Foundation
import Tracking

/// `--store DIR` and `--json`, shared by every command that reads or writes a store.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long, help: "The store folder (fmn.sqlite, checkpoints/, objects/).",
        completion: .directory)
    var store: String = ".fmn"

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    /// The store folder as an absolute file URL.
    var storeURL: URL {
        URL(
            fileURLWithPath: store,
            relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        )
        .standardizedFileURL
    }
}

/// Exit codes of the store commands: 0 ok, 1 problems found (`fsck`), 2 error.
enum StoreExit {
    /// Runs `body`; a `TrackingError` (or any other error) is printed to standard error as
    /// `error: <description>` and becomes exit code 2.
    static func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ExitCode {
            throw error
        } catch let error as TrackingError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(2)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    /// Pretty, key-sorted JSON of `value`, ISO 8601 dates.
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
