import Foundation
import TestSupport
import Testing

/// `fmn run` end to end on a tiny version of the demo experiment, driving the built binary.
@Suite(.serialized) struct RunCommandTests {
    /// A folder with a two-task suite, a two-stage experiment (full, then LoRA) and its data.
    func makeExperiment(extra: String = "") throws -> (folder: URL, experiment: URL) {
        let folder = try Fixtures.temporaryDirectory("fmn-run")
        let tasks = Fixtures.shared("reference/probes/tasks")
        let suite = """
            suite: tiny
            tasks:
              - path: \(tasks.appendingPathComponent("copa.yaml").path)
                limit: 12
              - path: \(tasks.appendingPathComponent("tinystories.yaml").path)
                limit: 4
            """
        try Data(suite.utf8).write(to: folder.appendingPathComponent("suite.yaml"))
        let lines =
            try Fixtures.text(Fixtures.url("Training/dialogsum-train.jsonl"))
            .split(separator: "\n").prefix(8).joined(separator: "\n") + "\n"
        try Data(lines.utf8).write(to: folder.appendingPathComponent("train.jsonl"))
        let experiment = """
            name: tiny
            base: \(Fixtures.url("Models/stories260K-hf").path)
            suite: suite.yaml
            seed: 3
            stages:
              - name: first
                parent: base
                method: full
                data: train.jsonl
                hyperparameters: {learning-rate: 0.001, max-steps: 2, batch-size: 4, max-seq-len: 64}
              - name: second
                parent: first
                method: lora
                lora: {rank: 2, alpha: 4}
                data: train.jsonl
                hyperparameters: {learning-rate: 0.003, max-steps: 2, batch-size: 4, max-seq-len: 64}
            gate:
              baseline: first
              candidates: [second]
            \(extra)
            """
        let url = folder.appendingPathComponent("tiny.yaml")
        try Data(experiment.utf8).write(to: url)
        return (folder, url)
    }

    func run(_ arguments: [String], in folder: URL, environment: [String: String]? = nil) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        try runFMN(["run"] + arguments, environment: environment, currentDirectory: folder)
    }

    /// Probe runs recorded for a checkpoint, read through `fmn show --json`.
    func probeRunCount(_ ref: String, in folder: URL) throws -> Int {
        let show = try runFMN(["show", ref, "--json"], currentDirectory: folder)
        #expect(show.status == 0, "stderr: \(show.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8))
        let runs = (object as? [String: Any])?["probeRuns"] as? [[String: Any]] ?? []
        return runs.filter { (($0["run"] as? [String: Any])?["status"] as? String) == "finished" }
            .count
    }

    @Test func runCompletesRecordsEverythingAndRerunDoesNothing() throws {
        let (folder, experiment) = try makeExperiment()
        let first = try run([experiment.path], in: folder)
        #expect([0, 1, 3].contains(first.status), "stderr: \(first.stderr)")
        #expect(first.stdout.contains("Score matrix"))

        let log = try runFMN(["log", "--json"], currentDirectory: folder)
        let entries = try #require(
            try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
        let names = entries.compactMap { ($0["checkpoint"] as? [String: Any])?["name"] as? String }
        #expect(Set(names) == ["tiny/base", "tiny/first", "tiny/second"])
        for ref in ["tiny/base", "tiny/first", "tiny/second"] {
            #expect(try probeRunCount(ref, in: folder) == 1, "\(ref)")
        }
        let report = folder.appendingPathComponent("Reports/tiny")
        let markdown = try Fixtures.text(report.appendingPathComponent("report.md"))
        let html = try Fixtures.text(report.appendingPathComponent("report.html"))
        #expect(markdown.contains("Score matrix"))
        #expect(markdown.contains("| first |") && markdown.contains("| second |"))
        #expect(html.contains("Score matrix") || html.contains("score matrix"))

        let reportFile = report.appendingPathComponent("report.html")
        let written =
            try FileManager.default.attributesOfItem(atPath: reportFile.path)[
                .modificationDate] as? Date
        let again = try run([experiment.path], in: folder)
        let after =
            try FileManager.default.attributesOfItem(atPath: reportFile.path)[
                .modificationDate] as? Date
        #expect(written != nil && written == after, "a finished experiment's report is left alone")
        #expect(again.status == first.status)
        #expect(again.stdout.contains("already finished"))
        for ref in ["tiny/base", "tiny/first", "tiny/second"] {
            #expect(try probeRunCount(ref, in: folder) == 1, "\(ref) after the rerun")
        }
    }

    /// Killed at each point, `--resume` finishes without redoing finished work or adding rows.
    @Test(arguments: ["probeRun.begun", "commit.refsUpdated", "commit.objectsWritten"])
    func resumeAfterKillFinishesWithoutDuplicates(_ point: String) throws {
        let (folder, experiment) = try makeExperiment()
        let pauseFile = folder.appendingPathComponent("paused")
        let process = Process()
        process.executableURL = Fixtures.fmnBinary
        process.arguments = ["run", experiment.path]
        process.currentDirectoryURL = folder
        var env = ProcessInfo.processInfo.environment
        env["FMN_DEBUG_PAUSE_AT"] = point
        env["FMN_DEBUG_PAUSE_FILE"] = pauseFile.path
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: pauseFile.path) && process.isRunning
            && Date() < deadline
        {
            usleep(50_000)
        }
        #expect(FileManager.default.fileExists(atPath: pauseFile.path), "never reached \(point)")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        let resumed = try run([experiment.path, "--resume"], in: folder)
        #expect([0, 1, 3].contains(resumed.status), "stderr: \(resumed.stderr)")
        for ref in ["tiny/base", "tiny/first", "tiny/second"] {
            #expect(try probeRunCount(ref, in: folder) == 1, "\(ref) after kill at \(point)")
        }
        let fsck = try runFMN(["fsck", "--json"], currentDirectory: folder)
        #expect(fsck.status == 0, "fsck after resume: \(fsck.stdout)")
    }

    @Test func invalidExperimentFailsBeforeAnyWorkNamingTheField() throws {
        let (folder, experiment) = try makeExperiment(extra: "colour: blue")
        let result = try run([experiment.path], in: folder)
        #expect(result.status == 2)
        #expect(result.stderr.contains("colour"))
        #expect(result.stderr.contains(experiment.path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".fmn").path))

        let (folder2, experiment2) = try makeExperiment()
        let text = try Fixtures.text(experiment2).replacingOccurrences(
            of: "max-steps: 2, batch-size: 4", with: "max-steps: two, batch-size: 4")
        try Data(text.utf8).write(to: experiment2)
        let bad = try run([experiment2.path], in: folder2)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("max-steps"))
        #expect(
            !FileManager.default.fileExists(atPath: folder2.appendingPathComponent(".fmn").path))
    }
}
