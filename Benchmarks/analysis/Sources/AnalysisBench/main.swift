// Benchmarks for issue 9's speed goals, on synthetic but realistically shaped data:
//   1. a report over 50 checkpoints × 20 tasks × 1,000 items renders in < 1 s
//      (flips and deltas from per-item scores, forgetting, Markdown + HTML);
//   2. the gate's statistics for 20 tasks × 1,000 items with 10,000 resamples in < 2 s.
// Run: cd Benchmarks/analysis && swift run -c release AnalysisBench
import Analysis
import Foundation
import Metrics
import Reporting

let stageCount = 50
let taskCount = 20
let itemCount = 1_000

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    try body()
    let elapsed = clock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

// Per-item scores: itemScores[stage][task][item], binary for 12 tasks, continuous for 4,
// perplexity documents for 4; each stage forgets a little.
var rng = SeededGenerator(seed: 2024)
@MainActor func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
let taskNames = (0..<taskCount).map { String(format: "task%02d", $0) }
func kind(_ t: Int) -> String {
    t < 12 ? "binary" : t < 14 ? "bleu" : t < 16 ? "continuous" : "perplexity"
}
var itemScores: [[[Double]]] = []
var documents: [[[PerplexityDocument]]] = []
for s in 0..<stageCount {
    var stage: [[Double]] = []
    var stageDocs: [[PerplexityDocument]] = []
    for t in 0..<taskCount {
        let level = 0.75 - 0.004 * Double(s) + 0.01 * Double(t % 3)
        if kind(t) == "binary" {
            stage.append((0..<itemCount).map { _ in uniform() < level ? 1 : 0 })
        } else {
            stage.append(
                (0..<itemCount).map { _ in min(1, max(0, level * 0.4 + 0.2 * (uniform() - 0.5))) })
        }
        stageDocs.append(
            (0..<itemCount).map { _ in
                PerplexityDocument(
                    logLikelihood: -(300 + 40 * uniform()) * (1 + 0.003 * Double(s)),
                    tokenCount: 120, wordCount: 90, byteCount: 480)
            })
    }
    itemScores.append(stage)
    documents.append(stageDocs)
}
let ids = (0..<itemCount).map { "item-\($0)" }

/// The report treats the BLEU tasks' item scores as continuous sentence scores.
func reportKind(_ t: Int) -> String { kind(t) == "bleu" ? "continuous" : kind(t) }

@MainActor func buildReportInput() throws -> ReportInput {
    let columns = (0..<taskCount).map { t in
        ScoreColumn(
            task: taskNames[t],
            metric: reportKind(t) == "binary"
                ? "acc" : reportKind(t) == "continuous" ? "rougeL" : "word_perplexity",
            direction: reportKind(t) == "perplexity" ? .lowerIsBetter : .higherIsBetter)
    }
    var values: [[Double]] = []
    var errors: [[Double]] = []
    for s in 0..<stageCount {
        var row: [Double] = []
        var se: [Double] = []
        for t in 0..<taskCount {
            if reportKind(t) == "perplexity" {
                row.append(PerplexityUnit.wordPerplexity.score(documents[s][t]))
                se.append(0)
            } else {
                let xs = itemScores[s][t]
                let mean = xs.reduce(0, +) / Double(itemCount)
                let variance =
                    xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(itemCount - 1)
                row.append(mean)
                se.append((variance / Double(itemCount)).squareRoot())
            }
        }
        values.append(row)
        errors.append(se)
    }
    let stageNames = ["base"] + (1..<stageCount).map { "stage-\($0)" }
    let targets = [[]] + (1..<stageCount).map { [taskNames[$0 % taskCount]] }
    let matrix = ScoreMatrix(
        stages: stageNames, columns: columns, values: values, standardErrors: errors,
        targetTasks: targets)
    let stages = stageNames.enumerated().map { i, name in
        ReportStage(
            name: name, method: i == 0 ? "base" : i % 2 == 0 ? "full" : "lora",
            parent: i == 0 ? nil : stageNames[i - 1], checkpoint: String(format: "%040x", i))
    }
    // Flips between the last two checkpoints, worst 50 items across binary tasks.
    var flips: [FlipExample] = []
    for t in 0..<12 {
        let items = try PairedItems(
            task: taskNames[t],
            baseline: zip(ids, itemScores[stageCount - 2][t]).map { ($0, $1) },
            candidate: zip(ids, itemScores[stageCount - 1][t]).map { ($0, $1) })
        let f = ItemFlips(task: taskNames[t], items: items)
        for id in f.rightToWrong.prefix(4) {
            flips.append(
                FlipExample(
                    task: taskNames[t], itemId: id, prompt: "Question \(id) <with markup> & more",
                    reference: "yes", baselineOutput: "yes", candidateOutput: "no",
                    baselineScore: 1, candidateScore: 0))
        }
    }
    let forgotten = ItemFlips.forgottenAtEveryLaterStage(
        lineage: (0..<stageCount).map { s in
            Dictionary(uniqueKeysWithValues: zip(ids, itemScores[s][0]))
        })
    _ = forgotten
    // Deltas base → last with a light bootstrap (1,000 resamples): what `fmn report` shows.
    let bootstrap = PairedBootstrap(resamples: 1_000)
    let deltas = (0..<taskCount).map { t -> PairedComparison in
        let data: PairedData
        switch reportKind(t) {
        case "binary":
            data = .binary(baseline: itemScores[0][t], candidate: itemScores[stageCount - 1][t])
        case "continuous":
            data = .continuous(baseline: itemScores[0][t], candidate: itemScores[stageCount - 1][t])
        default:
            data = .perplexity(
                baseline: documents[0][t], candidate: documents[stageCount - 1][t],
                unit: .wordPerplexity)
        }
        return PairedComparison(
            task: columns[t].task, metric: columns[t].metric, direction: columns[t].direction,
            data: data, bootstrap: bootstrap)
    }
    let curves = (1..<stageCount).map { s in
        LossCurve(
            stage: stageNames[s], steps: Array(stride(from: 0, to: 2000, by: 10)),
            losses: (0..<200).map { 2.5 * exp(-Double($0) / Double(20 + s)) + 1 })
    }
    return ReportInput(
        experiment: "benchmark", stages: stages, matrix: matrix, baselineName: "base",
        candidateName: stageNames.last!, deltas: deltas, lossCurves: curves, flips: flips)
}

@MainActor func gateComparisons() -> [GateComparison] {
    (0..<taskCount).map { t in
        let a = stageCount - 2
        let b = stageCount - 1
        switch kind(t) {
        case "binary":
            return GateComparison(
                task: taskNames[t], metric: "acc", direction: .higherIsBetter,
                data: .binary(baseline: itemScores[a][t], candidate: itemScores[b][t]))
        case "bleu":
            // Corpus BLEU from synthetic per-segment statistics (25-token segments).
            @MainActor func segments(_ stage: Int) -> [BLEUStatistics] {
                itemScores[stage][t].map { q in
                    let m = (0..<4).map { n in
                        Int((Double(25 - n) * q * pow(0.8, Double(n))).rounded())
                    }
                    return BLEUStatistics(
                        hypothesisLength: 25, referenceLength: 26, matches: m,
                        totals: (0..<4).map { 25 - $0 })
                }
            }
            return GateComparison(
                task: taskNames[t], metric: "bleu", direction: .higherIsBetter,
                data: .bleu(baseline: segments(a), candidate: segments(b)))
        case "continuous":
            return GateComparison(
                task: taskNames[t], metric: "rougeL", direction: .higherIsBetter,
                data: .continuous(baseline: itemScores[a][t], candidate: itemScores[b][t]))
        default:
            return GateComparison(
                task: taskNames[t], metric: "word_perplexity", direction: .lowerIsBetter,
                data: .perplexity(
                    baseline: documents[a][t], candidate: documents[b][t], unit: .wordPerplexity))
        }
    }
}

var reportTimes: [Double] = []
var htmlBytes = 0
for _ in 0..<5 {
    reportTimes.append(
        try seconds {
            let input = try buildReportInput()
            let markdown = MarkdownReport(input: input).render()
            let html = HTMLReport(input: input).render()
            htmlBytes = html.utf8.count + markdown.utf8.count
        })
}
// `AnalysisBench --write DIR` also writes the benchmark's report, to look at it at full size.
if let flag = CommandLine.arguments.firstIndex(of: "--write"),
    flag + 1 < CommandLine.arguments.count
{
    try ReportFiles.write(
        try buildReportInput(), to: URL(fileURLWithPath: CommandLine.arguments[flag + 1]))
}
let comparisons = gateComparisons()
let gate = try MergeGate(policy: GatePolicy(resamples: 10_000))
var gateTimes: [Double] = []
var verdicts: [GateVerdict] = []
for _ in 0..<5 {
    gateTimes.append(
        try seconds { verdicts = try gate.evaluate(comparisons).verdicts.map(\.verdict) })
}
print(
    "report \(stageCount) checkpoints × \(taskCount) tasks × \(itemCount) items: "
        + String(format: "median %.3f s, min %.3f s", median(reportTimes), reportTimes.min()!)
        + " (\(htmlBytes / 1024) KiB of Markdown + HTML)")
print(
    "gate \(taskCount) tasks × \(itemCount) items × 10,000 resamples: "
        + String(format: "median %.3f s, min %.3f s", median(gateTimes), gateTimes.min()!)
        + " (\(ProcessInfo.processInfo.activeProcessorCount) cores; verdicts "
        + "\(verdicts.filter { $0 == .pass }.count) pass, \(verdicts.filter { $0 == .fail }.count) fail, "
        + "\(verdicts.filter { $0 == .inconclusive }.count) inconclusive)")
