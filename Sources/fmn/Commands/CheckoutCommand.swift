import ArgumentParser
import Foundation
import Tracking

/// `fmn checkout REF --out DIR`: writes a checkpoint folder out of the store, verified.
struct CheckoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkout",
        abstract: "Write a checkpoint folder out of the store, verified byte for byte.",
        discussion: """
            REF is a stage tag, a lineage (branch), a commit id or a unique prefix of one (4+ \
            hex digits). Every file is verified after writing: ordinary files against their git \
            blob id, large files (kept under objects/) against their SHA-256. The folder is \
            written under a temporary name and renamed at the end; --out must not exist or be \
            empty.

            Exit codes: 0 ok, 2 error.
            """)

    @OptionGroup var options: StoreOptions

    @Argument(help: "The checkpoint: stage tag, lineage, commit id or unique prefix.")
    var ref: String

    @Option(
        name: .long, help: "Folder to write (must not exist, or be empty).", completion: .directory)
    var out: String

    func run() throws {
        try StoreExit.run {
            let tracker = try Tracker.open(at: options.storeURL)
            let commitId = try tracker.resolve(ref)
            let outURL = URL(fileURLWithPath: out).standardizedFileURL
            let files = try tracker.checkpoints.checkout(commitId, to: outURL)
            if options.json {
                struct Output: Encodable {
                    var commitId: String
                    var out: String
                    var files: [String]
                }
                print(
                    try StoreExit.json(Output(commitId: commitId, out: outURL.path, files: files)))
            } else {
                print(
                    "Checked out \(commitId.prefix(12)) to \(outURL.path) (\(files.count) files, verified)"
                )
            }
        }
    }
}
