import Foundation
import Probes
import Reporting
import Tracking

/// The items whose score dropped between two stored runs, with both checkpoints' outputs, for
/// the flipped-items tables of `fmn gate --format md` and `fmn report --checkpoints`.
public enum StoredFlips {
    /// Items whose primary score dropped from baseline to candidate, worst first within each
    /// task (drop, then item id), at most `perTask` per task, tasks in the baseline's order.
    ///
    /// With the suite file, prompts, references and chosen answers are rebuilt from its data
    /// (multiple-choice outputs become the chosen choice's text); without it they come from the
    /// stored item details (a choice shows as `choice N`, no prompt). Perplexity tasks have no
    /// outputs and are left out.
    /// - Parameters:
    ///   - baseline: The baseline's stored run.
    ///   - candidate: The candidate's stored run (same suite).
    ///   - suite: The suite the runs were made with, when known.
    ///   - perTask: At most this many items per task.
    /// - Throws: `ProbeError` when the suite's data files cannot be read.
    public static func examples(
        baseline: StoredRunResults, candidate: StoredRunResults, suite: ProbeSuite?,
        perTask: Int = 5
    ) throws -> [FlipExample] {
        var itemsByTask: [String: [String: PreparedItemView]] = [:]
        if let suite {
            for (entry, task) in zip(suite.entries, try suite.prepare()) {
                var views: [String: PreparedItemView] = [:]
                for item in try task.items(limit: entry.limit) {
                    views[String(item.id)] = PreparedItemView(
                        prompt: item.context, choices: item.choices, gold: item.gold,
                        targets: item.targets)
                }
                itemsByTask[task.task.name] = views
            }
        }
        var examples: [FlipExample] = []
        for task in baseline.taskNames {
            guard let baseRows = baseline.itemRows[task], let candRows = candidate.itemRows[task]
            else { continue }
            var drops: [FlipExample] = []
            for (id, base) in baseRows {
                guard let cand = candRows[id], cand.score < base.score else { continue }
                let details = baseline.items[task]?[id]
                guard details?.logLikelihood == nil || details?.choiceLogLikelihoods != nil,
                    details?.windowCount == nil
                else { continue }  // perplexity documents have no outputs to show
                let view = itemsByTask[task]?[id]
                func output(_ row: ItemScoreRecord) -> String {
                    if let choices = view?.choices, !choices.isEmpty,
                        let index = row.prediction.flatMap(Int.init),
                        choices.indices.contains(index)
                    {
                        return choices[index]
                    }
                    if details?.choiceLogLikelihoods != nil, let index = row.prediction {
                        return "choice \(index)"
                    }
                    return row.prediction ?? ""
                }
                let reference: String
                if let view, !view.choices.isEmpty {
                    reference = view.gold.compactMap {
                        view.choices.indices.contains($0) ? view.choices[$0] : nil
                    }.joined(separator: " | ")
                } else if let view, let target = view.targets.first {
                    reference = target
                } else if let references = details?.references, let first = references.first {
                    reference = first
                } else {
                    reference =
                        details?.gold.map { $0.map { "choice \($0)" } }?
                        .joined(separator: " | ") ?? ""
                }
                drops.append(
                    FlipExample(
                        task: task, itemId: id, prompt: String((view?.prompt ?? "").prefix(600)),
                        reference: reference, baselineOutput: output(base),
                        candidateOutput: output(cand), baselineScore: base.score,
                        candidateScore: cand.score))
            }
            drops.sort {
                let a = $0.baselineScore - $0.candidateScore
                let b = $1.baselineScore - $1.candidateScore
                if a != b { return a > b }
                return (Int($0.itemId) ?? 0, $0.itemId) < (Int($1.itemId) ?? 0, $1.itemId)
            }
            examples += drops.prefix(perTask)
        }
        return examples
    }

    /// What a flip table needs of one suite item.
    private struct PreparedItemView {
        var prompt: String
        var choices: [String]
        var gold: [Int]
        var targets: [String]
    }
}
