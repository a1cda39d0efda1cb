import Analysis
import Foundation
import Reporting

/// A small, fully deterministic report input: a base model, a LoRA stage trained on SAMSum and a
/// full fine-tune on DialogSum, five probe metrics, a gate between the two stages, loss curves
/// and flipped items. One task name and several outputs carry hostile text (`<script>`,
/// quotes, `&`) and non-Latin text, so the goldens show how it is escaped.
enum SampleReport {
    static let hostileTask = "sst2 <script>alert(\"x\")</script> & 情感"

    static let matrix = ScoreMatrix(
        stages: ["base", "samsum-lora", "dialogsum-full"],
        columns: [
            ScoreColumn(task: hostileTask, metric: "acc"),
            ScoreColumn(task: "boolq", metric: "acc"),
            ScoreColumn(task: "copa", metric: "acc"),
            ScoreColumn(task: "dialogsum", metric: "rougeL"),
            ScoreColumn(task: "wikitext", metric: "word_perplexity", direction: .lowerIsBetter),
        ],
        values: [
            [0.812, 0.640, 0.580, 0.120, 41.25],
            [0.805, 0.652, 0.570, 0.190, 42.10],
            [0.731, 0.610, 0.575, 0.265, 47.80],
        ],
        standardErrors: [
            [0.013, 0.008, 0.049, 0.006, 0.0],
            [0.013, 0.008, 0.050, 0.007, 0.0],
            [0.015, 0.009, 0.050, 0.008, 0.0],
        ],
        targetTasks: [[], ["samsum"], ["dialogsum"]])

    static let stages = [
        ReportStage(name: "base", method: "base", checkpoint: "4f1c2a9e0b7d5c3a1e2f"),
        ReportStage(
            name: "samsum-lora", method: "lora", parent: "base", checkpoint: "9a8b7c6d5e4f3a2b1c0d"),
        ReportStage(
            name: "dialogsum-full", method: "full", parent: "samsum-lora",
            checkpoint: "0123456789abcdef0123"),
    ]

    /// Binary items with the given outcome counts, deterministic order.
    static func binary(_ b: Int, _ c: Int, _ both: Int, _ neither: Int) -> PairedData {
        let base =
            Array(repeating: 1.0, count: b) + Array(repeating: 0.0, count: c)
            + Array(repeating: 1.0, count: both) + Array(repeating: 0.0, count: neither)
        let cand =
            Array(repeating: 0.0, count: b) + Array(repeating: 1.0, count: c)
            + Array(repeating: 1.0, count: both) + Array(repeating: 0.0, count: neither)
        return .binary(baseline: base, candidate: cand)
    }

    static func gate() -> GateReport {
        let rouge = (0..<200).map { 0.1 + 0.15 * Double($0 % 7) / 6 }
        let docs = (0..<120).map {
            PerplexityDocument(
                logLikelihood: -Double(370 + $0 % 11), tokenCount: 130, wordCount: 100,
                byteCount: 520)
        }
        let worse = docs.map {
            PerplexityDocument(
                logLikelihood: $0.logLikelihood * 1.03, tokenCount: 130, wordCount: 100,
                byteCount: 520)
        }
        let comparisons = [
            GateComparison(
                task: hostileTask, metric: "acc", direction: .higherIsBetter,
                data: binary(40, 8, 121, 31)),
            GateComparison(
                task: "boolq", metric: "acc", direction: .higherIsBetter,
                data: binary(30, 22, 100, 48)),
            GateComparison(
                task: "copa", metric: "acc", direction: .higherIsBetter,
                data: binary(3, 3, 50, 44)),
            GateComparison(
                task: "dialogsum", metric: "rougeL", direction: .higherIsBetter,
                data: .continuous(
                    baseline: rouge,
                    candidate: rouge.enumerated().map { $1 + 0.07 + 0.05 * Double($0 % 5 - 2) })),
            GateComparison(
                task: "wikitext", metric: "word_perplexity", direction: .lowerIsBetter,
                data: .perplexity(baseline: docs, candidate: worse, unit: .wordPerplexity)),
        ]
        let policy = GatePolicy(
            defaults: GateThreshold(delta: 0.02, relative: false, alpha: 0.05, minItems: 150),
            rules: [GateRule(task: "wikitext", delta: 0.05, relative: true, minItems: 100)],
            mustNotRegress: [hostileTask, "boolq", "copa", "wikitext"], resamples: 1000, seed: 0)
        return try! MergeGate(policy: policy).evaluate(comparisons)
    }

    static let flips = [
        FlipExample(
            task: hostileTask, itemId: "sst2-0042",
            prompt: "Review: \"a <b>bold</b> & tender film\"\nSentiment:",
            reference: "positive", baselineOutput: "positive", candidateOutput: "negative",
            baselineScore: 1, candidateScore: 0),
        FlipExample(
            task: "dialogsum", itemId: "dialogsum-7",
            prompt: "#Person1#: 你好, where's the station?\n#Person2#: It's near the café.",
            reference: "#Person1# asks #Person2# for the way to the station.",
            baselineOutput: "Person1 asks where the station is — it's near the café.",
            candidateOutput: "<script>alert('pwned')</script> مرحبا",
            baselineScore: 0.61, candidateScore: 0.05),
        FlipExample(
            task: "boolq", itemId: "boolq|113",
            prompt: "Is the *Nile* longer than the `Amazon`?", reference: "yes",
            baselineOutput: "yes", candidateOutput: "no", baselineScore: 1, candidateScore: 0),
    ]

    static let lossCurves = [
        LossCurve(
            stage: "samsum-lora", steps: Array(stride(from: 0, through: 200, by: 10)),
            losses: (0...20).map { 3.2 * exp(-Double($0) / 9) + 1.1 }),
        LossCurve(
            stage: "dialogsum-full", steps: Array(stride(from: 0, through: 200, by: 10)),
            losses: (0...20).map { 2.9 * exp(-Double($0) / 5) + 0.8 }),
    ]

    /// Items forgotten for good along the three rows, from a small per-item lineage.
    static func forgotten() -> [ForgottenItems] {
        let lineage: [[String: Double]] = [
            ["sst2-0042": 1, "sst2-0043": 1, "sst2-0044": 1, "sst2-<7>&": 1, "sst2-0046": 0],
            ["sst2-0042": 0, "sst2-0043": 1, "sst2-0044": 0, "sst2-<7>&": 0, "sst2-0046": 1],
            ["sst2-0042": 0, "sst2-0043": 0, "sst2-0044": 1, "sst2-<7>&": 0, "sst2-0046": 0],
        ]
        let ids = ItemFlips.forgottenAtEveryLaterStage(lineage: lineage)
        return [ForgottenItems(task: hostileTask, itemIds: ids, rightAtBase: 4)]
    }

    static func input() -> ReportInput {
        ReportInput(
            experiment: "dialogsum-forgetting", generatedBy: "fmn 0.1.0 · suite 3f2a9c1d",
            stages: stages, matrix: matrix, reference: .baseModel,
            baselineName: "samsum-lora", candidateName: "dialogsum-full", gate: gate(),
            lossCurves: lossCurves, flips: flips, forgotten: forgotten())
    }
}
