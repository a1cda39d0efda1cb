import ArgumentParser
import Foundation
import Tracking

/// `fmn fsck`: checks that the database and the checkpoint repository agree, and repairs.
struct FsckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fsck",
        abstract: "Check the store and repair dangling states left by a crash.",
        discussion: """
            Finds: damage in fmn.sqlite (PRAGMA quick_check); commits no checkpoint row points \
            to (a crash between commit and record: repaired by recording the row from the \
            commit's fmn.json); rows whose commit is missing; probe runs and fine-tunes left \
            'running' by a process that is gone (repaired by marking them 'abandoned'); large \
            files whose object under objects/ is missing or of the wrong size; partial copies \
            objects/incoming-* left by a crash (removed); lock files left in the repository. \
            Repairs only add rows, change a status or remove those partial copies. Use \
            --dry-run to report only.

            Exit codes: 0 clean, 1 problems found (repaired or not), 2 error.
            """)

    @OptionGroup var options: StoreOptions

    @Flag(name: .long, help: "Report only; change nothing.")
    var dryRun = false

    func run() throws {
        var clean = true
        try StoreExit.run {
            let tracker = try Tracker.open(at: options.storeURL)
            let report = try tracker.fsck(repair: !dryRun)
            clean = report.isClean
            if options.json {
                print(try StoreExit.json(report))
                return
            }
            for problem in report.problems {
                let state = problem.repaired ? "repaired" : "problem"
                print("\(state): \(problem.kind.rawValue) \(problem.subject): \(problem.detail)")
            }
            for item in report.inProgress {
                print("in progress: \(item)")
            }
            let rows = report.rowCounts
            print(
                "\(report.problems.count) problem(s); \(report.commitCount) commits, "
                    + "\(rows["checkpoint"] ?? 0) checkpoints, \(rows["probeRun"] ?? 0) probe runs, "
                    + "\(rows["itemScore"] ?? 0) item scores")
        }
        if !clean { throw ExitCode(1) }
    }
}
