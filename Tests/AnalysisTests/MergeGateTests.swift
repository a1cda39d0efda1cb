import Analysis
import Foundation
import TestSupport
import Testing

/// Binary item scores with the given numbers of each (baseline, candidate) outcome.
func binaryItems(rightToWrong: Int, wrongToRight: Int, bothRight: Int, bothWrong: Int)
    -> PairedData
{
    let baseline =
        Array(repeating: 1.0, count: rightToWrong) + Array(repeating: 0.0, count: wrongToRight)
        + Array(repeating: 1.0, count: bothRight) + Array(repeating: 0.0, count: bothWrong)
    let candidate =
        Array(repeating: 0.0, count: rightToWrong) + Array(repeating: 1.0, count: wrongToRight)
        + Array(repeating: 1.0, count: bothRight) + Array(repeating: 0.0, count: bothWrong)
    return .binary(baseline: baseline, candidate: candidate)
}

/// Perplexity documents whose log-likelihood is scaled by `factor` on the candidate side.
func perplexityItems(count: Int, factor: Double) -> PairedData {
    let baseline = (0..<count).map { i in
        PerplexityDocument(
            logLikelihood: -Double(30 + i % 7), tokenCount: 12, wordCount: 10, byteCount: 50)
    }
    let candidate = baseline.map {
        PerplexityDocument(
            logLikelihood: $0.logLikelihood * factor, tokenCount: 12, wordCount: 10, byteCount: 50)
    }
    return .perplexity(baseline: baseline, candidate: candidate, unit: .wordPerplexity)
}

struct GateCase: CustomTestStringConvertible, Sendable {
    var name: String
    var comparisons: [GateComparison]
    var policy: GatePolicy
    var verdicts: [GateVerdict]
    var overall: GateVerdict
    var exitCode: Int32
    var testDescription: String { name }
}

let absolute = GateThreshold(delta: 0.02, relative: false, alpha: 0.05, minItems: 100)
let quickPolicy = GatePolicy(defaults: absolute, resamples: 2000)

let gateCases: [GateCase] = [
    GateCase(
        // Identical predictions: every resampled drop is 0 ≤ δ → pass.
        name: "identical runs pass",
        comparisons: [
            GateComparison(
                task: "sst2", metric: "acc", direction: .higherIsBetter,
                data: binaryItems(rightToWrong: 0, wrongToRight: 0, bothRight: 160, bothWrong: 40))
        ],
        policy: quickPolicy, verdicts: [.pass], overall: .pass, exitCode: 0),
    GateCase(
        // 0.80 → 0.60 on 200 items: drop 0.20 ≫ δ 0.02; p = 1/(B+1) → fail.
        name: "a large drop fails",
        comparisons: [
            GateComparison(
                task: "sst2", metric: "acc", direction: .higherIsBetter,
                data: binaryItems(rightToWrong: 40, wrongToRight: 0, bothRight: 120, bothWrong: 40))
        ],
        policy: quickPolicy, verdicts: [.fail], overall: .fail, exitCode: 1),
    GateCase(
        // 30 items < min_items 100 → inconclusive whatever the scores.
        name: "too few items is inconclusive",
        comparisons: [
            GateComparison(
                task: "copa", metric: "acc", direction: .higherIsBetter,
                data: binaryItems(rightToWrong: 0, wrongToRight: 0, bothRight: 20, bothWrong: 10))
        ],
        policy: quickPolicy, verdicts: [.inconclusive], overall: .inconclusive, exitCode: 3),
    GateCase(
        // drop (20 − 16)/200 = 0.02 with 36 discordant items: SE ≈ √36/200 = 0.03, so the upper
        // bound (≈ 0.07) is above δ = 0.01 but the drop is not significantly beyond it.
        name: "a noisy small drop is inconclusive",
        comparisons: [
            GateComparison(
                task: "boolq", metric: "acc", direction: .higherIsBetter,
                data: binaryItems(rightToWrong: 20, wrongToRight: 16, bothRight: 84, bothWrong: 80))
        ],
        policy: GatePolicy(
            defaults: absolute, rules: [GateRule(task: "boolq", delta: 0.01)], resamples: 2000),
        verdicts: [.inconclusive], overall: .inconclusive, exitCode: 3),
    GateCase(
        // Word perplexity e^{3.3} → e^{3.3·1.1}: +39 %, far beyond 2 % relative → fail; the
        // direction is lower-is-better, so a rise is a drop.
        name: "a perplexity rise fails",
        comparisons: [
            GateComparison(
                task: "wikitext", metric: "word_perplexity", direction: .lowerIsBetter,
                data: perplexityItems(count: 120, factor: 1.1))
        ],
        policy: GatePolicy(
            defaults: GateThreshold(delta: 0.02, relative: true, alpha: 0.05, minItems: 100),
            resamples: 2000),
        verdicts: [.fail], overall: .fail, exitCode: 1),
    GateCase(
        // Perplexity falls (factor 0.95): an improvement → pass.
        name: "a perplexity fall passes",
        comparisons: [
            GateComparison(
                task: "wikitext", metric: "word_perplexity", direction: .lowerIsBetter,
                data: perplexityItems(count: 120, factor: 0.95))
        ],
        policy: GatePolicy(resamples: 2000), verdicts: [.pass], overall: .pass, exitCode: 0),
    GateCase(
        // sst2 fails but is not in must_not_regress: advisory, so the overall verdict is boolq's.
        name: "advisory tasks do not decide",
        comparisons: [
            GateComparison(
                task: "sst2", metric: "acc", direction: .higherIsBetter,
                data: binaryItems(rightToWrong: 40, wrongToRight: 0, bothRight: 120, bothWrong: 40)),
            GateComparison(
                task: "boolq", metric: "acc", direction: .higherIsBetter,
                data: binaryItems(rightToWrong: 0, wrongToRight: 5, bothRight: 150, bothWrong: 45)),
        ],
        policy: GatePolicy(defaults: absolute, mustNotRegress: ["boolq"], resamples: 2000),
        verdicts: [.pass, .fail], overall: .pass, exitCode: 0),
    GateCase(
        // δ = 0, binary: exact McNemar. b = 8, c = 1: p = 2·(1 + 9)/2⁹ = 0.0390625 < 0.05 → fail.
        name: "McNemar at zero tolerance fails alone",
        comparisons: [
            GateComparison(
                task: "a", metric: "acc", direction: .higherIsBetter,
                data: binaryItems(rightToWrong: 8, wrongToRight: 1, bothRight: 50, bothWrong: 41))
        ],
        policy: GatePolicy(
            defaults: GateThreshold(delta: 0, relative: false, alpha: 0.05, minItems: 50),
            resamples: 2000),
        verdicts: [.fail], overall: .fail, exitCode: 1),
    GateCase(
        // The same drop on two tasks: Holm multiplies the smaller p by 2 → 0.078 > 0.05, so
        // neither fails after correction; both upper bounds exceed 0 → inconclusive.
        name: "Holm correction across two tasks",
        comparisons: ["a", "b"].map {
            GateComparison(
                task: $0, metric: "acc", direction: .higherIsBetter,
                data: binaryItems(rightToWrong: 8, wrongToRight: 1, bothRight: 50, bothWrong: 41))
        },
        policy: GatePolicy(
            defaults: GateThreshold(delta: 0, relative: false, alpha: 0.05, minItems: 50),
            resamples: 2000),
        verdicts: [.inconclusive, .inconclusive], overall: .inconclusive, exitCode: 3),
    GateCase(
        // The same two drops, but only "a" must not regress: advisory "b" forms its own Holm
        // family, so "a" keeps its raw McNemar p = 0.039 < 0.05 → fail (and so does "b", alone
        // in its family); the overall verdict follows "a" only.
        name: "advisory tasks do not dilute the deciding family",
        comparisons: ["a", "b"].map {
            GateComparison(
                task: $0, metric: "acc", direction: .higherIsBetter,
                data: binaryItems(rightToWrong: 8, wrongToRight: 1, bothRight: 50, bothWrong: 41))
        },
        policy: GatePolicy(
            defaults: GateThreshold(delta: 0, relative: false, alpha: 0.05, minItems: 50),
            mustNotRegress: ["a"], resamples: 2000),
        verdicts: [.fail, .fail], overall: .fail, exitCode: 1),
]

@Suite struct MergeGateTests {
    @Test(arguments: gateCases)
    func scoresAndPolicyGiveVerdictAndExitCode(_ gateCase: GateCase) throws {
        let report = try MergeGate(policy: gateCase.policy).evaluate(gateCase.comparisons)
        #expect(report.verdicts.map(\.verdict) == gateCase.verdicts)
        #expect(report.overall == gateCase.overall)
        #expect(report.exitCode() == gateCase.exitCode)
    }

    @Test func holmAdjustedPValuesAreReported() throws {
        let report = try MergeGate(policy: gateCases[8].policy).evaluate(gateCases[8].comparisons)
        // Raw p = 0.0390625 each (McNemar); Holm: 2·0.0390625 = 0.078125 for both.
        expectClose(report.verdicts.map(\.pValue), [0.0390625, 0.0390625], rtol: 1e-9)
        expectClose(report.verdicts.map { $0.adjustedPValue! }, [0.078125, 0.078125], rtol: 1e-9)
    }

    @Test func inconclusiveMapsThroughTheFlag() {
        #expect(GateVerdict.inconclusive.exitCode() == 3)
        #expect(GateVerdict.inconclusive.exitCode(inconclusiveAs: .pass) == 0)
        #expect(GateVerdict.inconclusive.exitCode(inconclusiveAs: .fail) == 1)
        #expect(GateVerdict.fail.exitCode(inconclusiveAs: .pass) == 1)
        #expect(GateVerdict.errorExitCode == 2)
    }

    @Test func tooFewItemsReportsTheMinimalDetectableDrop() throws {
        let report = try MergeGate(policy: quickPolicy).evaluate([gateCases[2].comparisons[0]])
        let verdict = report.verdicts[0]
        #expect(verdict.reason == .tooFewItems)
        #expect(verdict.adjustedPValue == nil)
        // No discordant items: SE floors at 1/N = 1/30; MDD = (z_0.95 + z_0.8)/30
        // = (1.6448536269514722 + 0.8416212335729143)/30.
        expectClose(verdict.minimalDetectableDrop, (1.6448536269514722 + 0.8416212335729143) / 30)
    }

    @Test func relativeToleranceScalesWithTheBaseline() throws {
        let report = try MergeGate(policy: GatePolicy(resamples: 200)).evaluate([
            GateComparison(
                task: "wikitext", metric: "word_perplexity", direction: .lowerIsBetter,
                data: perplexityItems(count: 120, factor: 1.0))
        ])
        let verdict = report.verdicts[0]
        expectClose(verdict.toleratedDrop, 0.02 * verdict.comparison.baselineScore)
    }

    @Test func mustNotRegressTaskMissingIsAnError() {
        let policy = GatePolicy(mustNotRegress: ["hellaswag"], resamples: 100)
        #expect(
            throws: AnalysisError.missingMustNotRegressTask(task: "hellaswag", available: ["sst2"])
        ) {
            try MergeGate(policy: policy).evaluate([gateCases[0].comparisons[0]])
        }
    }

    @Test func duplicateAndEmptyComparisonsAreErrors() {
        let one = gateCases[0].comparisons[0]
        #expect(throws: AnalysisError.duplicateComparison(task: "sst2", metric: "acc")) {
            try MergeGate(policy: quickPolicy).evaluate([one, one])
        }
        let empty = GateComparison(
            task: "x", metric: "acc", direction: .higherIsBetter,
            data: .binary(baseline: [], candidate: []))
        #expect(throws: AnalysisError.noItems(task: "x", metric: "acc")) {
            try MergeGate(policy: quickPolicy).evaluate([empty])
        }
    }

    @Test func invalidPolicyValuesAreRejected() {
        let bad = GatePolicy(
            defaults: GateThreshold(delta: 0.02, relative: true, alpha: 1.5, minItems: 10))
        #expect(throws: AnalysisError.self) { try MergeGate(policy: bad) }
        let badRule = GatePolicy(rules: [GateRule(task: "x", delta: -1)])
        #expect(
            throws: AnalysisError.invalidPolicy(
                field: "rules[0].delta", value: "-1.0", expected: "a finite number >= 0")
        ) {
            try MergeGate(policy: badRule)
        }
    }
}

@Suite struct GatePolicyTests {
    @Test func decodesTheDocumentedKeysWithDefaults() throws {
        // The same keys as the YAML in docs/gate-policy.md (YAML is decoded by the CLI with Yams;
        // JSON exercises the same Codable keys here).
        let json = """
            {"defaults": {"delta": 0.03, "min_items": 200},
             "must_not_regress": ["sst2"],
             "rules": [{"task": "sst2", "delta": 0.01, "relative": false},
                       {"task": "sst2", "metric": "acc_norm", "alpha": 0.01},
                       {"task": "wikitext", "metric": "word_perplexity", "delta": 0.05}],
             "seed": 7}
            """
        let policy = try JSONDecoder().decode(GatePolicy.self, from: Data(json.utf8))
        #expect(
            policy.defaults
                == GateThreshold(delta: 0.03, relative: true, alpha: 0.05, minItems: 200))
        #expect(policy.resamples == 10_000)
        #expect(policy.seed == 7)
        #expect(policy.decides(task: "sst2") && !policy.decides(task: "boolq"))
        // Task rule, then task-and-metric rule, laid over the defaults.
        #expect(
            policy.threshold(task: "sst2", metric: "acc")
                == GateThreshold(delta: 0.01, relative: false, alpha: 0.05, minItems: 200))
        #expect(
            policy.threshold(task: "sst2", metric: "acc_norm")
                == GateThreshold(delta: 0.01, relative: false, alpha: 0.01, minItems: 200))
        #expect(policy.threshold(task: "wikitext", metric: "word_perplexity").delta == 0.05)
        #expect(policy.threshold(task: "boolq", metric: "acc") == policy.defaults)
    }

    @Test func emptyDocumentIsTheDefaultPolicy() throws {
        let policy = try JSONDecoder().decode(GatePolicy.self, from: Data("{}".utf8))
        #expect(policy == GatePolicy())
        #expect(policy.mustNotRegress == nil)
    }
}

@Suite struct GatePolicyKeyTests {
    // Policies are YAML at the CLI (Yams); Analysis decodes the same keys from any decoder,
    // so JSON stands in for YAML here.
    @Test(arguments: [
        (#"{"defaults": {"delta": 0.02, "delt": 3}}"#, "defaults.delt"),
        (#"{"rules": [{"task": "sst2", "detla": 0.1}]}"#, "rules[].detla"),
        (#"{"must_not_regres": ["sst2"]}"#, "must_not_regres"),
    ])
    func unknownKeysAreErrorsNamingTheKey(_ testCase: (String, String)) throws {
        #expect {
            _ = try JSONDecoder().decode(GatePolicy.self, from: Data(testCase.0.utf8))
        } throws: { error in
            guard case AnalysisError.invalidPolicy(let field, _, _) = error else { return false }
            return field == testCase.1
        }
    }

    @Test func knownKeysStillDecode() throws {
        let json =
            #"{"defaults": {"delta": 0.01, "min_items": 5}, "rules": [{"task": "a", "min_items": 3}]}"#
        let policy = try JSONDecoder().decode(GatePolicy.self, from: Data(json.utf8))
        #expect(policy.defaults.delta == 0.01)
        #expect(policy.rules.first?.minItems == 3)
    }
}
