import Foundation
import TestSupport
import Testing

/// Runs the built `fmn` for the store command tests; output goes through temporary files, so
/// many children can run at once and a killed child leaves no blocked pipe.
enum StoreCLI {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String

        /// `stdout` parsed as a JSON object.
        func json() throws -> [String: Any] {
            let value = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
            return try #require(value as? [String: Any], "not a JSON object: \(stdout)")
        }
    }

    /// A started child with the files its output goes to.
    final class Child {
        let process: Process
        let stdoutURL: URL
        let stderrURL: URL

        init(process: Process, stdoutURL: URL, stderrURL: URL) {
            self.process = process
            self.stdoutURL = stdoutURL
            self.stderrURL = stderrURL
        }

        /// Waits for the child to exit and returns its output.
        func wait() -> Output {
            process.waitUntilExit()
            let out = (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? ""
            let err = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
            return Output(status: process.terminationStatus, stdout: out, stderr: err)
        }

        /// `kill -9`, then waits for the child to exit.
        func killHard() {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Starts `fmn arguments…` with `environment` added to this process's environment.
    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Child {
        let folder = try Fixtures.temporaryDirectory("fmn-cli-output")
        let stdoutURL = folder.appendingPathComponent("stdout")
        let stderrURL = folder.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let process = Process()
        process.executableURL = Fixtures.fmnBinary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
        return Child(process: process, stdoutURL: stdoutURL, stderrURL: stderrURL)
    }

    /// Runs `fmn arguments…` to completion.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Output {
        try start(arguments, environment: environment).wait()
    }

    /// Starts `fmn` so that it stops at the debug pause `point` (see `DebugPause`), and returns
    /// once it is there.
    static func startPaused(_ arguments: [String], at point: String) throws -> Child {
        let marker = try Fixtures.temporaryDirectory("fmn-pause").appendingPathComponent("paused")
        let child = try start(
            arguments,
            environment: ["FMN_DEBUG_PAUSE_AT": point, "FMN_DEBUG_PAUSE_FILE": marker.path])
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: marker.path) {
            if !child.process.isRunning || Date() > deadline {
                let output = child.process.isRunning ? nil : child.wait()
                if output == nil { child.killHard() }
                Issue.record("fmn never reached \(point): \(output?.stderr ?? "timed out")")
                return child
            }
            usleep(10_000)
        }
        return child
    }

    /// A new store (by `fmn init`) in a fresh folder, with a base model committed as stage
    /// `base`; returns the store path and the base commit id.
    static func storeWithBase() throws -> (store: String, base: String) {
        let root = try Fixtures.temporaryDirectory("fmn-cli-store")
        let store = root.appendingPathComponent(".fmn").path
        let initialised = try run(["init", "--store", store])
        #expect(initialised.status == 0, "\(initialised.stderr)")
        let model = root.appendingPathComponent("base-model")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        try Data("{\"model_type\": \"llama\"}\n".utf8).write(
            to: model.appendingPathComponent("config.json"))
        try Data(repeating: 7, count: 3_000).write(
            to: model.appendingPathComponent("model.safetensors"))
        let committed = try run([
            "debug-store", "--store", store, "--commit", model.path, "--kind", "base", "--lineage",
            "main", "--stage", "base",
        ])
        #expect(committed.status == 0, "\(committed.stderr)")
        let base = try #require(try committed.json()["commitId"] as? String)
        return (store, base)
    }

    /// An adapter folder with `bytes` bytes of weights derived from `seed`.
    static func adapter(seed: Int, bytes: Int = 2_000) throws -> URL {
        let folder = try Fixtures.temporaryDirectory("fmn-cli-adapter")
        try Data("{\"peft_type\": \"LORA\", \"r\": 8}\n".utf8).write(
            to: folder.appendingPathComponent("adapter_config.json"))
        let weights = (0..<bytes).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed &* 17) }
        try Data(weights).write(to: folder.appendingPathComponent("adapter_model.safetensors"))
        return folder
    }

    /// Row counts per table, from `fmn fsck --json --dry-run`.
    static func rowCounts(store: String) throws -> [String: Int] {
        let output = try run(["fsck", "--store", store, "--json", "--dry-run"])
        return try #require(try output.json()["rowCounts"] as? [String: Int], "\(output.stdout)")
    }
}
