import ArgumentParser
import Foundation

/// `--store DIR` / `--no-store` for commands that record their work when a store is at hand
/// (`fmn probe`, `fmn train`): the store given, else `./.fmn` when it exists.
struct RecordingOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "Record in this store (default: ./.fmn when it exists).",
        completion: .directory)
    var store: String?

    @Flag(name: .long, help: "Do not record in any store.")
    var noStore = false

    func validate() throws {
        if noStore && store != nil {
            throw ValidationError("--store and --no-store exclude each other")
        }
    }

    /// `--store`, else `./.fmn` when it holds a store; `nil` with `--no-store`.
    var storeURL: URL? {
        guard !noStore else { return nil }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if let store { return URL(fileURLWithPath: store, relativeTo: cwd).standardizedFileURL }
        let fallback = cwd.appendingPathComponent(".fmn")
        let database = fallback.appendingPathComponent("fmn.sqlite").path
        return FileManager.default.fileExists(atPath: database) ? fallback : nil
    }
}
