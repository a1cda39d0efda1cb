import Foundation
import TestSupport
import Testing

@testable import Probes

/// `ProbeRunner` on stories260K-hf against lm-eval 0.4.13's results in
/// `../shared/reference/probes/` at its README's tolerances: per-choice and per-document
/// log-likelihood within 1e-3, acc/acc_norm and greedy flags exactly (items whose flip margin
/// is under 1e-3 may flip), perplexities within 1e-4 relative, generated text exactly.
/// Item counts are limited so the suite stays fast in debug builds; `fmn probe` runs them whole.
@Suite(.serialized) struct ProbeRunnerReferenceTests {
    static let model: DecoderModelProbe? = try? DecoderModelProbe.load(
        modelFolder: Fixtures.shared("data/models/stories260K-hf"))

    /// Runs the reference task file on the items with the given doc ids.
    func run(_ task: String, ids: [Int]) throws -> (ProbeTaskResult, [ReferenceProbeFile.Item]) {
        let model = try #require(Self.model, "stories260K-hf did not load")
        let prepared = try ProbeSuite.load(contentsOf: ReferenceProbeFile.taskFile(task)).prepare()[
            0]
        let all = try prepared.items()
        let result = try ProbeRunner(batchSize: 8).run(
            prepared.task, items: ids.map { all[$0] }, model: model)
        let reference = try ReferenceProbeFile.load(task)
        #expect(result.items.map(\.itemId) == ids)
        return (result, ids.map { reference.items[$0] })
    }

    @Test(arguments: [("sst2", 40), ("copa", 100), ("arc_easy", 16)])
    func multipleChoiceMatchesLmEval(task: String, limit: Int) throws {
        let (result, refItems) = try run(task, ids: Array(0..<limit))
        for (item, ref) in zip(result.items, refItems) {
            expectClose(
                item.choiceLogLikelihoods!, ref.loglik!.values, rtol: 0, atol: 1e-3,
                "doc \(ref.doc_id)")
            #expect(item.choiceIsGreedy == ref.is_greedy, "doc \(ref.doc_id)")
            #expect(item.predictedChoice == ref.pred, "doc \(ref.doc_id)")
            if (ref.flip_eps_acc_norm ?? 1) >= 1e-3 {
                #expect(item.predictedChoiceNormalized == ref.pred_norm, "doc \(ref.doc_id)")
            }
            #expect(item.scores["acc"] == Double(ref.acc!), "doc \(ref.doc_id)")
        }
        if task == "copa" {  // all 100 items: the aggregates and lm-eval's standard errors
            let reference = try ReferenceProbeFile.load(task)
            #expect(result.metric("acc")?.value == reference.results["acc"])
            #expect(result.metric("acc_norm")?.value == reference.results["acc_norm"])
            expectClose(
                result.metric("acc")!.standardError!, reference.stderr["acc"]!!, rtol: 1e-12)
            expectClose(
                result.metric("acc_norm")!.standardError!, reference.stderr["acc_norm"]!!,
                rtol: 1e-12)
        }
    }

    @Test func rollingPerplexityMatchesLmEval() throws {
        // Documents 38 and 47 need two windows (532 and 533 tokens with BOS).
        let (result, refItems) = try run("tinystories", ids: [0, 1, 2, 3, 38, 47])
        #expect(result.items.map { $0.windowCount! } == [1, 1, 1, 1, 2, 2])
        expectClose(
            result.items.map { $0.logLikelihood! }, refItems.map { $0.loglik!.values[0] }, rtol: 0,
            atol: 1e-3)
        #expect(result.items.map { $0.tokenCount! } == refItems.map { $0.tokens! })
        #expect(result.items.map { $0.wordCount! } == refItems.map { $0.words! })
        #expect(result.items.map { $0.byteCount! } == refItems.map { $0.bytes! })
        // Pooled as lm-eval pools: exp(−Σ loglik / Σ words), −Σ loglik / Σ bytes / ln 2.
        let ll = refItems.map { $0.loglik!.values[0] }.reduce(0, +)
        let words = Double(refItems.map { $0.words! }.reduce(0, +))
        let bytes = Double(refItems.map { $0.bytes! }.reduce(0, +))
        expectClose(result.metric("word_perplexity")!.value, exp(-ll / words), rtol: 1e-4, atol: 0)
        expectClose(result.metric("byte_perplexity")!.value, exp(-ll / bytes), rtol: 1e-4, atol: 0)
        expectClose(
            result.metric("bits_per_byte")!.value, -ll / bytes / log(2.0), rtol: 1e-4, atol: 0)
        #expect(result.metric("word_perplexity")!.standardError == nil)
    }

    @Test func greedyGenerationMatchesLmEval() throws {
        let (result, refItems) = try run("dialogsum", ids: Array(0..<12))
        #expect(result.items.map { $0.prediction! } == refItems.map { $0.prediction! })
        for name in ["rouge1", "rouge2", "rougeL", "rougeLsum"] {
            #expect(
                result.items.map { $0.scores[name]! }
                    == refItems.map {
                        name == "rouge1"
                            ? $0.rouge1!
                            : name == "rouge2"
                                ? $0.rouge2! : name == "rougeL" ? $0.rougeL! : $0.rougeLsum!
                    }, "\(name)")
        }
        #expect(result.truncatedItemCount == 0)
    }
}
