import ArgumentParser
import Foundation
import Tracking

/// `fmn show REF`: one checkpoint's metadata, training summary and scores.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a checkpoint: metadata, training summary, probe runs and scores.",
        discussion: """
            REF is a stage tag, a lineage (branch), a commit id or a unique prefix of one (4+ \
            hex digits).

            Exit codes: 0 ok, 2 error.
            """)

    @OptionGroup var options: StoreOptions

    @Argument(help: "The checkpoint: stage tag, lineage, commit id or unique prefix.")
    var ref: String

    struct TrainingSummary: Encodable {
        var fineTune: StoredFineTune
        var steps: Int
        var firstLoss: Double?
        var lastLoss: Double?
        var meanTokensPerSecond: Double?
    }

    struct RunSummary: Encodable {
        var run: StoredProbeRun
        var taskScores: [TaskScoreRecord]
    }

    struct Output: Encodable {
        var commit: CheckpointCommit
        var checkpoint: CheckpointRecord?
        var lineage: [String]
        var training: [TrainingSummary]
        var probeRuns: [RunSummary]
        var gateVerdicts: [StoredGateVerdict]
    }

    func run() throws {
        try StoreExit.run {
            let tracker = try Tracker.open(at: options.storeURL)
            let commitId = try tracker.resolve(ref)
            let commit = try tracker.checkpoints.commitInfo(commitId)
            let store = tracker.experiments
            let training = try store.fineTunes(resultCommitId: commitId).map { fineTune in
                let steps = try store.trainingSteps(fineTuneId: fineTune.id)
                return TrainingSummary(
                    fineTune: fineTune, steps: steps.count, firstLoss: steps.first?.loss,
                    lastLoss: steps.last?.loss,
                    meanTokensPerSecond: steps.isEmpty
                        ? nil : steps.map(\.tokensPerSecond).reduce(0, +) / Double(steps.count))
            }
            let runs = try store.probeRuns(checkpointCommitId: commitId).map {
                RunSummary(run: $0, taskScores: try store.taskScores(probeRunId: $0.id))
            }
            let output = Output(
                commit: commit, checkpoint: try store.checkpoint(commitId: commitId),
                lineage: try store.lineage(of: commitId).map(\.commitId), training: training,
                probeRuns: runs, gateVerdicts: try store.gateVerdicts(candidateCommitId: commitId))
            print(options.json ? try StoreExit.json(output) : Self.text(output))
        }
    }

    static func text(_ output: Output) -> String {
        let commit = output.commit
        var lines = ["checkpoint \(commit.id)"]
        if let row = output.checkpoint {
            lines.append("Name:      \(row.name) [\(row.kind.rawValue)] on \(row.lineage)")
        } else {
            lines.append("Name:      (no checkpoint row: run fmn fsck)")
        }
        lines.append("Created:   \(ISO8601DateFormatter().string(from: commit.created))")
        if !commit.tags.isEmpty {
            lines.append("Stages:    \(commit.tags.joined(separator: ", "))")
        }
        if !commit.branches.isEmpty {
            lines.append("Lineages:  \(commit.branches.joined(separator: ", "))")
        }
        if let manifest = commit.manifest {
            lines.append("Parent:    \(manifest.parent ?? "none (base)")")
            lines.append("Method:    \(manifest.method)   tool fmn \(manifest.toolVersion)")
            for (file, hash) in manifest.dataFileHashes.sorted(by: { $0.key < $1.key }) {
                lines.append("Data:      \(file) sha256:\(hash.prefix(16))…")
            }
        }
        if output.lineage.count > 1 {
            lines.append(
                "Ancestry:  " + output.lineage.map { String($0.prefix(8)) }.joined(separator: " → ")
            )
        }
        for summary in output.training {
            let f = summary.fineTune
            var line =
                "Training:  fine-tune \(f.id) \(f.method) \(f.status.rawValue), \(summary.steps) steps"
            if let first = summary.firstLoss, let last = summary.lastLoss {
                line += String(format: ", loss %.4f → %.4f", first, last)
            }
            if let rate = summary.meanTokensPerSecond {
                line += String(format: ", %.0f tokens/s", rate)
            }
            if let seconds = f.seconds { line += String(format: ", %.1f s", seconds) }
            lines.append(line)
        }
        for summary in output.probeRuns {
            let run = summary.run
            var line =
                "Probe run \(run.id): \(run.suiteName) (\(run.suiteHash.prefix(12))) \(run.status.rawValue), seed \(run.seed)"
            if let seconds = run.seconds { line += String(format: ", %.1f s", seconds) }
            lines.append(line)
            for score in summary.taskScores {
                var scoreLine =
                    "  \(score.task)/\(score.metric) " + String(format: "%.4f", score.value)
                if let stderr = score.stderr { scoreLine += String(format: " ± %.4f", stderr) }
                scoreLine += " (n=\(score.n))"
                lines.append(scoreLine)
            }
        }
        for verdict in output.gateVerdicts {
            lines.append(
                "Gate:      \(verdict.record.verdict) vs \(verdict.record.baselineCommitId.prefix(8)): \(verdict.record.reasons.joined(separator: "; "))"
            )
        }
        return lines.joined(separator: "\n")
    }
}
