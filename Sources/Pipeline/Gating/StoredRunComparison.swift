import Analysis
import Foundation
import Probes
import Tracking

/// One stored probe run read back for comparison: its task scores and its items' results.
public struct StoredRunResults: Sendable {
    public var run: StoredProbeRun
    public var taskScores: [TaskScoreRecord]
    /// Per task, the item results by item id (decoded from the item rows' `details`).
    public var items: [String: [String: ProbeItemResult]]
    /// Per task, the item rows as stored (score of the primary metric, prediction).
    public var itemRows: [String: [String: ItemScoreRecord]]

    /// Reads a run's rows.
    /// - Throws: `TrackingError`; `PipelineError.incomparableRuns` when an item row has no
    ///   readable details (a run not recorded by `fmn probe`).
    public init(run: StoredProbeRun, store: ExperimentStore) throws {
        self.run = run
        self.taskScores = try store.taskScores(probeRunId: run.id)
        var items: [String: [String: ProbeItemResult]] = [:]
        var rows: [String: [String: ItemScoreRecord]] = [:]
        let decoder = JSONDecoder()
        for row in try store.itemScores(probeRunId: run.id) {
            rows[row.task, default: [:]][row.itemId] = row
            guard let details = row.details,
                let item = try? decoder.decode(ProbeItemResult.self, from: Data(details.utf8))
            else {
                throw PipelineError.incomparableRuns(
                    reason: "item \(row.itemId) of task \(row.task) in probe run \(run.id) has no"
                        + " per-item details; probe the checkpoint again with fmn probe --store")
            }
            items[row.task, default: [:]][row.itemId] = item
        }
        self.items = items
        self.itemRows = rows
    }

    /// Task names in the order of their task scores.
    public var taskNames: [String] {
        var seen: Set<String> = []
        return taskScores.map(\.task).filter { seen.insert($0).inserted }
    }

    /// The task score of one metric.
    public func score(task: String, metric: String) -> Double? {
        taskScores.first { $0.task == task && $0.metric == metric }?.value
    }
}

/// Builds the gate's paired comparisons between two stored runs of the same suite.
public enum StoredRunComparison {
    /// Whether lower values of a metric are better (perplexities, bits per byte).
    public static func direction(ofMetric metric: String) -> MetricDirection {
        metric.contains("perplexity") || metric == "bits_per_byte"
            ? .lowerIsBetter : .higherIsBetter
    }

    /// The metric that stands for a task in gates, flips and summaries: `acc` for multiple
    /// choice, `rougeL` for summarization, `exact_match`, then `word_perplexity` for perplexity.
    public static func primaryMetric(among metrics: [String]) -> String? {
        for preferred in [
            "acc", "rougeL", "exact_match", "chrf", "bleu", "word_perplexity",
            "bits_per_byte", "byte_perplexity",
        ]
        where metrics.contains(preferred) {
            return preferred
        }
        return metrics.first
    }

    /// One comparison per task (its primary metric), items aligned by id.
    /// - Throws: `PipelineError.incomparableRuns` when the suites differ or a task's items differ.
    public static func comparisons(baseline: StoredRunResults, candidate: StoredRunResults)
        throws -> [GateComparison]
    {
        guard baseline.run.suiteHash == candidate.run.suiteHash else {
            throw PipelineError.incomparableRuns(
                reason: "suite hashes differ (\(baseline.run.suiteHash.prefix(12)) vs "
                    + "\(candidate.run.suiteHash.prefix(12))): scores are comparable only between"
                    + " runs of the same suite; probe both checkpoints with one suite")
        }
        var comparisons: [GateComparison] = []
        for task in baseline.taskNames {
            let metrics = baseline.taskScores.filter { $0.task == task }.map(\.metric)
            guard let metric = primaryMetric(among: metrics),
                let baseItems = baseline.items[task], let candidateItems = candidate.items[task]
            else { continue }
            let ids = baseItems.keys.sorted { (Int($0) ?? 0, $0) < (Int($1) ?? 0, $1) }
            guard Set(ids) == Set(candidateItems.keys) else {
                throw PipelineError.incomparableRuns(
                    reason: "task \(task) has different items in the two runs")
            }
            let base = ids.map { baseItems[$0]! }
            let cand = ids.map { candidateItems[$0]! }
            let data: PairedData
            if let unit = PerplexityUnit(rawValue: metric) {
                func documents(_ items: [ProbeItemResult]) -> [PerplexityDocument] {
                    items.map {
                        PerplexityDocument(
                            logLikelihood: $0.logLikelihood ?? 0, tokenCount: $0.tokenCount ?? 0,
                            wordCount: $0.wordCount ?? 0, byteCount: $0.byteCount ?? 0)
                    }
                }
                data = .perplexity(
                    baseline: documents(base), candidate: documents(cand), unit: unit)
            } else {
                let b = base.map { $0.scores[metric] ?? 0 }
                let c = cand.map { $0.scores[metric] ?? 0 }
                let binary =
                    (b + c).allSatisfy { $0 == 0 || $0 == 1 }
                    && ["acc", "acc_norm", "exact_match"].contains(metric)
                data =
                    binary
                    ? .binary(baseline: b, candidate: c) : .continuous(baseline: b, candidate: c)
            }
            comparisons.append(
                GateComparison(
                    task: task, metric: metric, direction: direction(ofMetric: metric), data: data))
        }
        return comparisons
    }
}
