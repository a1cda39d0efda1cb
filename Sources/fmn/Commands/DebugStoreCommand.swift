import ArgumentParser
import Foundation
import Tracking

/// `fmn debug-store` (hidden): writes synthetic records into a store, for the crash and
/// concurrency tests (`Tests/fmnTests`) and for trying the store by hand.
///
/// With `FMN_DEBUG_PAUSE_AT=<point>` and `FMN_DEBUG_PAUSE_FILE=<path>` in the environment the
/// process stops at that point (creating the file first) until it is killed; the points are
/// listed in `Sources/Tracking/Store/DebugPause.swift`.
struct DebugStoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debug-store",
        abstract: "Write synthetic records into a store (tests and benchmarks).",
        discussion: """
            --commit DIR commits a checkpoint folder (with --kind, --parent, --lineage, \
            --stage) and records its row. --record-run REF records one synthetic probe run of \
            --items items over --tasks tasks on checkpoint REF (with --staged: beginProbeRun, \
            then finishProbeRun, as a long probe would). Prints one JSON object.
            """,
        shouldDisplay: false)

    @OptionGroup var options: StoreOptions

    @Option(name: .long, help: "Checkpoint folder to commit.")
    var commit: String?

    @Option(name: .long, help: "base, full or lora.")
    var kind: String = "lora"

    @Option(name: .long, help: "Parent checkpoint REF.")
    var parent: String?

    @Option(name: .long, help: "Lineage (branch).")
    var lineage: String = "main"

    @Option(name: .long, help: "Stage tag.")
    var stage: String?

    @Option(name: .long, help: "Large-file threshold in bytes.")
    var largeFileThreshold: Int64 = CheckpointRepository.defaultLargeFileThreshold

    @Option(name: .long, help: "Checkpoint REF to record a synthetic probe run on.")
    var recordRun: String?

    @Option(name: .long, help: "Items in the synthetic run.")
    var items = 100

    @Option(name: .long, help: "Tasks the items are spread over.")
    var tasks = 5

    @Option(name: .long, help: "Seed of the synthetic scores.")
    var seed = 0

    @Flag(name: .long, help: "Record the run in two steps (begin, then finish).")
    var staged = false

    func validate() throws {
        guard CheckpointKind(rawValue: kind) != nil else {
            throw ValidationError("--kind must be base, full or lora")
        }
        guard items >= 0, tasks > 0 else { throw ValidationError("--items >= 0, --tasks > 0") }
        guard commit != nil || recordRun != nil else {
            throw ValidationError("give --commit DIR or --record-run REF")
        }
    }

    func run() throws {
        try StoreExit.run {
            let tracker = try Tracker.open(
                at: options.storeURL, largeFileThreshold: largeFileThreshold)
            var output: [String: String] = [:]
            if let commit {
                let parentId = try parent.map { try tracker.resolve($0) }
                let manifest = CheckpointManifest(
                    kind: CheckpointKind(rawValue: kind) ?? .lora, parent: parentId,
                    method: kind == "base" ? "pretrained" : kind, toolVersion: ToolVersion.current)
                let (checkpoint, outcome) = try tracker.commit(
                    folder: URL(fileURLWithPath: commit), manifest: manifest, lineage: lineage,
                    stage: stage)
                output["commitId"] = checkpoint.commitId
                output["reused"] = String(outcome.reused)
            }
            if let recordRun {
                let commitId = try tracker.resolve(recordRun)
                let record = Self.syntheticRun(
                    checkpointCommitId: commitId, items: items, tasks: tasks, seed: seed)
                let id: Int64
                if staged {
                    id = try tracker.experiments.beginProbeRun(
                        checkpointCommitId: commitId, suite: record.suite, seed: seed,
                        toolVersion: ToolVersion.current)
                    try tracker.experiments.finishProbeRun(
                        id: id, seconds: record.seconds, taskScores: record.taskScores,
                        itemScores: record.itemScores)
                } else {
                    id = try tracker.experiments.recordProbeRun(record)
                }
                output["probeRunId"] = String(id)
            }
            print(try StoreExit.json(output))
        }
    }

    /// A deterministic synthetic probe run: `items` multiple-choice items (4 choices) spread
    /// round-robin over `tasks` tasks named `task0…`, with accuracy per task as task scores.
    static func syntheticRun(checkpointCommitId: String, items: Int, tasks: Int, seed: Int)
        -> ProbeRunRecord
    {
        var state = UInt64(truncatingIfNeeded: seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var itemScores: [ItemScoreRecord] = []
        itemScores.reserveCapacity(items)
        var correct = [Int](repeating: 0, count: tasks)
        var counts = [Int](repeating: 0, count: tasks)
        for index in 0..<items {
            let task = index % tasks
            let logLikelihoods = (0..<4).map { _ in -10 * next() }
            let best = logLikelihoods.indices.max { logLikelihoods[$0] < logLikelihoods[$1] } ?? 0
            let score: Double = best == 0 ? 1 : 0
            correct[task] += Int(score)
            counts[task] += 1
            itemScores.append(
                ItemScoreRecord(
                    task: "task\(task)", itemId: String(index / tasks), score: score,
                    prediction: String(best), choiceLogLikelihoods: logLikelihoods))
        }
        let taskScores = (0..<tasks).filter { counts[$0] > 0 }.map { task in
            TaskScoreRecord(
                task: "task\(task)", metric: "acc",
                value: Double(correct[task]) / Double(counts[task]), stderr: nil, n: counts[task])
        }
        return ProbeRunRecord(
            checkpointCommitId: checkpointCommitId,
            suite: ProbeSuiteRecord(
                name: "synthetic", contentHash: "synthetic-\(tasks)", spec: "tasks: \(tasks)"),
            seed: seed, toolVersion: ToolVersion.current, started: Date(), seconds: 0,
            taskScores: taskScores, itemScores: itemScores)
    }
}
