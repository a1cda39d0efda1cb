import ArgumentParser
import Foundation
import Pipeline
import Reporting
import Tracking

/// `fmn report EXPERIMENT | --checkpoints A,B,…`: write report.md and report.html from the store.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write report.md and report.html for an experiment or a chain of checkpoints.",
        discussion: """
            Reads only the store: nothing is trained or probed. For an experiment file, its \
            checkpoints are found by their stage tags (<name>/<stage>, as fmn run made them) \
            and its gates are recomputed from the stored runs; a checkpoint or probe run that \
            is not stored is an error naming it. With --checkpoints A,B,…, each REF (stage tag, \
            branch, commit id or prefix) must have a finished run of one common suite; the last \
            is compared with the one before it. The report goes to Reports/<name>/ unless --out \
            says otherwise (for --checkpoints, <name> is the REFs joined with '_').

            Exit codes: 0 written, 2 error (nothing written).
            """)

    @Argument(
        help: "The experiment file (YAML).", completion: .file(extensions: ["yaml", "yml"]))
    var experiment: String?

    @Option(
        name: .long,
        help: "Comma-separated checkpoint REFs, base first (instead of an experiment).")
    var checkpoints: String?

    @Option(name: .long, help: "Folder to write report.md and report.html to.")
    var out: String?

    @OptionGroup var options: StoreOptions

    func validate() throws {
        guard (experiment == nil) != (checkpoints == nil) else {
            throw ValidationError("give an experiment file or --checkpoints A,B,… (not both)")
        }
        if let checkpoints, refs(checkpoints).isEmpty {
            throw ValidationError("--checkpoints needs at least one REF")
        }
    }

    private func refs(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    func run() throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        try StoreExit.run {
            let tracker = try Tracker.open(at: options.storeURL)
            let input: ReportInput
            let name: String
            if let experiment {
                let file = URL(fileURLWithPath: experiment, relativeTo: cwd).standardizedFileURL
                let parsed = try ExperimentFile(contentsOf: file)
                input = try StoredExperimentReport(
                    tracker: tracker, experiment: parsed, toolVersion: ToolVersion.current
                ).reportInput().input
                name = parsed.name
            } else {
                let list = refs(checkpoints ?? "")
                name = Self.folderName(list)
                input = try CheckpointChainReport(
                    tracker: tracker, toolVersion: ToolVersion.current
                ).reportInput(refs: list, title: list.joined(separator: " → "))
            }
            let folder =
                out.map { URL(fileURLWithPath: $0, relativeTo: cwd) }
                ?? URL(fileURLWithPath: "Reports", relativeTo: cwd).appendingPathComponent(name)
            let files = try ReportFiles.write(input, to: folder.standardizedFileURL)
            if options.json {
                print(try StoreExit.json(["files": files.map(\.path)]))
            } else {
                print("report: " + files.map(\.path).joined(separator: ", "))
            }
        }
    }

    /// A folder name from REFs: joined with `_`, characters other than letters, digits, `.`,
    /// `_` and `-` replaced by `-`.
    static func folderName(_ refs: [String]) -> String {
        let joined = refs.joined(separator: "_")
        let safe = String(
            joined.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "-" })
        return safe.hasPrefix(".") ? "r" + safe : safe
    }
}
