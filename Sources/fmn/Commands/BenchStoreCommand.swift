import ArgumentParser
import Dispatch
import Foundation
import Tracking

/// `fmn bench store`: the store's three speed goals, measured on a temporary store.
struct BenchStoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract:
            "Time recording a probe run, fmn log on a large store, and committing an adapter.",
        discussion: """
            Goals (issue 8): one probe run of 10,000 items recorded in under 1 s; fmn log on \
            1,000 checkpoints and 100,000 item scores in under 200 ms; a 10 MB adapter \
            committed in under 1 s. Each figure is the median of --runs. The log is timed in \
            process and as a separate `fmn log` process (start-up included). Everything is \
            written to a temporary store that is removed afterwards.
            """)

    @Option(name: .long, help: "Items in the recorded probe run.")
    var items = 10_000

    @Option(name: .long, help: "Checkpoints in the store that fmn log lists.")
    var checkpoints = 1_000

    @Option(name: .long, help: "Item scores in that store.")
    var itemScores = 100_000

    @Option(name: .long, help: "Adapter size in MB (10^6 bytes) for the commit.")
    var adapterMB = 10

    @Option(name: .long, help: "Timed runs per figure (median reported).")
    var runs = 5

    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    func validate() throws {
        guard items > 0, checkpoints > 0, itemScores >= 0, adapterMB > 0, runs > 0 else {
            throw ValidationError("--items, --checkpoints, --adapter-mb and --runs must be > 0")
        }
    }

    struct Figures: Encodable {
        var recordProbeRunSeconds: Double
        var items: Int
        var logInProcessSeconds: Double
        var logProcessSeconds: Double?
        var checkpoints: Int
        var itemScores: Int
        var commitAdapterSeconds: Double
        var adapterBytes: Int
    }

    func run() throws {
        try StoreExit.run {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent(
                "fmn-bench-store-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: root) }
            let figures = try measure(root: root)
            if json {
                print(try StoreExit.json(figures))
            } else {
                print(
                    String(
                        format: "record probe run (%d items)   %.3f s  (goal < 1 s)", figures.items,
                        figures.recordProbeRunSeconds))
                print(
                    String(
                        format:
                            "fmn log in process (%d checkpoints, %d item scores)  %.3f s  (goal < 0.2 s)",
                        figures.checkpoints, figures.itemScores, figures.logInProcessSeconds))
                if let process = figures.logProcessSeconds {
                    print(String(format: "fmn log as a process                %.3f s", process))
                }
                print(
                    String(
                        format: "commit adapter (%d bytes)    %.3f s  (goal < 1 s)",
                        figures.adapterBytes, figures.commitAdapterSeconds))
            }
        }
    }

    private func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    private func median(_ values: [Double]) -> Double {
        values.sorted()[values.count / 2]
    }

    private func measure(root: URL) throws -> Figures {
        let (tracker, _) = try Tracker.create(at: root.appendingPathComponent("store"))
        let folders = root.appendingPathComponent("folders")
        let base = folders.appendingPathComponent("base")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        try Data("{\"model_type\": \"llama\"}\n".utf8).write(
            to: base.appendingPathComponent("config.json"))
        let (baseRow, _) = try tracker.commit(
            folder: base,
            manifest: CheckpointManifest(
                kind: .base, parent: nil, method: "pretrained", toolVersion: ToolVersion.current),
            lineage: "main", stage: "base")

        // 1. One probe run of `items` items.
        var recordTimes: [Double] = []
        for run in 0..<runs {
            let record = DebugStoreCommand.syntheticRun(
                checkpointCommitId: baseRow.commitId, items: items, tasks: 5, seed: run)
            recordTimes.append(try time { _ = try tracker.experiments.recordProbeRun(record) })
        }

        // 2. Committing an adapter of `adapterMB` MB of random (incompressible) bytes.
        var commitTimes: [Double] = []
        let bytes = adapterMB * 1_000_000
        for run in 0..<runs {
            let adapter = folders.appendingPathComponent("adapter\(run)")
            try FileManager.default.createDirectory(at: adapter, withIntermediateDirectories: true)
            try Data("{\"peft_type\": \"LORA\", \"r\": \(run + 1)}\n".utf8).write(
                to: adapter.appendingPathComponent("adapter_config.json"))
            var generator = SystemRandomNumberGenerator()
            var weights = [UInt8](repeating: 0, count: bytes)
            weights.withUnsafeMutableBytes { buffer in
                let words = buffer.bindMemory(to: UInt64.self)
                for index in words.indices { words[index] = generator.next() }
            }
            try Data(weights).write(to: adapter.appendingPathComponent("adapter_model.safetensors"))
            let manifest = CheckpointManifest(
                kind: .lora, parent: baseRow.commitId, method: "lora",
                toolVersion: ToolVersion.current)
            commitTimes.append(
                try time {
                    _ = try tracker.commit(
                        folder: adapter, manifest: manifest, lineage: "adapter\(run)", stage: nil)
                })
        }

        // 3. fmn log on `checkpoints` checkpoints and `itemScores` item scores.
        let logStore = root.appendingPathComponent("log-store")
        let (logTracker, _) = try Tracker.create(at: logStore)
        let store = logTracker.experiments
        var previous: String?
        var commitIds: [String] = []
        for index in 0..<checkpoints {
            let commitId = String(format: "%040x", index + 1)
            let lineageStart = index % 100 == 0
            try store.recordCheckpoint(
                CheckpointRecord(
                    commitId: commitId, parentCommitId: lineageStart ? nil : previous,
                    kind: lineageStart ? .base : .lora, name: "stage-\(index)",
                    lineage: "lineage-\(index / 100)", created: Date()))
            previous = commitId
            commitIds.append(commitId)
        }
        let itemsPerRun = 1_000
        let runCount = max(1, itemScores / itemsPerRun)
        for run in 0..<runCount {
            let record = DebugStoreCommand.syntheticRun(
                checkpointCommitId: commitIds[run * commitIds.count / runCount],
                items: min(itemsPerRun, itemScores), tasks: 5, seed: run)
            try store.recordProbeRun(record)
        }
        var logTimes: [Double] = []
        for _ in 0..<runs {
            logTimes.append(
                try time {
                    _ = try LogCommand.render(
                        store: logStore, metric: nil, suiteHash: nil, json: false)
                })
        }
        var processTimes: [Double] = []
        if let executable = Bundle.main.executableURL {
            for _ in 0..<runs {
                let process = Process()
                process.executableURL = executable
                process.arguments = ["log", "--store", logStore.path]
                process.standardOutput = FileHandle.nullDevice
                let seconds = try time {
                    try process.run()
                    process.waitUntilExit()
                }
                if process.terminationStatus == 0 { processTimes.append(seconds) }
            }
        }
        return Figures(
            recordProbeRunSeconds: median(recordTimes), items: items,
            logInProcessSeconds: median(logTimes),
            logProcessSeconds: processTimes.isEmpty ? nil : median(processTimes),
            checkpoints: checkpoints, itemScores: runCount * min(itemsPerRun, itemScores),
            commitAdapterSeconds: median(commitTimes), adapterBytes: bytes)
    }
}
