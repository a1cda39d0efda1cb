import ArgumentParser
import Foundation
import Tracking

/// `fmn log`: every checkpoint as a tree (parent above child) with its latest scores.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "List the checkpoints as a tree, with their latest probe scores.",
        discussion: """
            One line per checkpoint: short commit id, name (stage tag, or lineage@id), kind, \
            lineage, then the task scores of its latest finished probe run ("task/metric \
            value"). Children are indented under their parent. Reads only fmn.sqlite.

            Exit codes: 0 ok, 2 error.
            """)

    @OptionGroup var options: StoreOptions

    @Option(name: .long, help: "Show only this metric's scores (e.g. acc).")
    var metric: String?

    @Option(name: .long, help: "Only scores from runs of the suite with this content hash.")
    var suiteHash: String?

    struct Entry: Encodable {
        var checkpoint: CheckpointRecord
        var depth: Int
        var scores: [TaskScoreRecord]
    }

    func run() throws {
        try StoreExit.run {
            print(
                try Self.render(
                    store: options.storeURL, metric: metric, suiteHash: suiteHash,
                    json: options.json))
        }
    }

    /// The whole output of `fmn log` (also timed by `fmn bench store`).
    static func render(store root: URL, metric: String?, suiteHash: String?, json: Bool) throws
        -> String
    {
        let store = try ExperimentStore(path: StoreLayout(root: root).database, create: false)
        let checkpoints = try store.checkpoints()
        let scores = try store.latestScores(suiteHash: suiteHash)
        let entries = tree(checkpoints).map { checkpoint, depth in
            Entry(
                checkpoint: checkpoint, depth: depth,
                scores: (scores[checkpoint.commitId] ?? []).filter {
                    metric == nil || $0.metric == metric
                })
        }
        if json { return try StoreExit.json(entries) }
        if entries.isEmpty { return "No checkpoints in \(root.path)." }
        var lines: [String] = []
        lines.reserveCapacity(entries.count)
        for entry in entries {
            let c = entry.checkpoint
            let indent = String(repeating: "  ", count: entry.depth)
            var line =
                "\(indent)\(entry.depth == 0 ? "*" : "└") \(c.commitId.prefix(8)) \(c.name) "
                + "[\(c.kind.rawValue)] \(c.lineage)"
            for score in entry.scores {
                line += "  \(score.task)/\(score.metric) " + String(format: "%.4f", score.value)
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// Depth-first order, each root (no recorded parent) followed by its descendants, oldest
    /// first at every level.
    static func tree(_ checkpoints: [CheckpointRecord]) -> [(CheckpointRecord, Int)] {
        let known = Set(checkpoints.map(\.commitId))
        var children: [String: [CheckpointRecord]] = [:]
        var roots: [CheckpointRecord] = []
        for checkpoint in checkpoints {
            if let parent = checkpoint.parentCommitId, known.contains(parent) {
                children[parent, default: []].append(checkpoint)
            } else {
                roots.append(checkpoint)
            }
        }
        var result: [(CheckpointRecord, Int)] = []
        var stack: [(CheckpointRecord, Int)] = roots.reversed().map { ($0, 0) }
        while let (checkpoint, depth) = stack.popLast() {
            result.append((checkpoint, depth))
            for child in (children[checkpoint.commitId] ?? []).reversed() {
                stack.append((child, depth + 1))
            }
        }
        return result
    }
}
