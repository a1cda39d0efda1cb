import ArgumentParser
import Foundation
import Tracking

/// `fmn init`: creates a store (or checks and completes an existing one).
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a store: fmn.sqlite, the checkpoint repository and objects/.",
        discussion: """
            Creates the store folder (./.fmn unless --store says otherwise) with an empty \
            SQLite database (schema in docs/schema.md) and an empty bare git repository \
            checkpoints/. Running it on an existing store checks it and applies pending \
            migrations; nothing existing is overwritten. A file that is not a ForgetMeNot \
            store, a damaged database or one written by a newer fmn is refused.

            Exit codes: 0 ok, 2 error.
            """)

    @OptionGroup var options: StoreOptions

    func run() throws {
        try StoreExit.run {
            let (tracker, created) = try Tracker.create(at: options.storeURL)
            let migrations = try tracker.experiments.appliedMigrations()
            if options.json {
                struct Output: Encodable {
                    var store: String
                    var created: Bool
                    var migrations: [String]
                }
                print(
                    try StoreExit.json(
                        Output(
                            store: tracker.layout.root.path, created: created,
                            migrations: migrations)))
            } else if created {
                print("Initialised store at \(tracker.layout.root.path)")
            } else {
                print(
                    "Store at \(tracker.layout.root.path) already initialised (schema \(migrations.last ?? "?"))"
                )
            }
        }
    }
}
