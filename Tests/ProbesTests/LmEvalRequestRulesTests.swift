import Foundation
import TestSupport
import Testing

@testable import Probes

/// Request-building rules of lm-eval 0.4.13 that the shared reference tasks do not exercise,
/// on stories260K-hf. Expected values are lm-eval's own (`HFLM.loglikelihood` on the same
/// requests: `('', ' Once upon a time')`, `('', ' The')`, `('x', ' a')` ×3, and for the
/// `loglikelihood` task `('', 'Once upon a time')`, `('x', 'a')`,
/// `('Once upon a time, there was a little', 'girl')`).
@Suite struct LmEvalRequestRulesTests {
    static let model: DecoderModelProbe? = try? DecoderModelProbe.load(
        modelFolder: Fixtures.shared("data/models/stories260K-hf"))

    static let data = """
        {"q": "", "c": ["Once upon a time", "The"], "gold": 0}
        {"q": "x", "c": ["a", "a", "a"], "gold": 0}
        {"q": "Once upon a time, there was a little", "c": ["girl"], "gold": 0}

        """

    func run(_ outputType: String, target: String) throws -> ProbeTaskResult {
        let model = try #require(Self.model, "stories260K-hf did not load")
        let yaml = """
            task: rules
            dataset_path: json
            dataset_kwargs: {data_files: {test: d.jsonl}}
            test_split: test
            output_type: \(outputType)
            doc_to_text: "{{q}}"
            doc_to_choice: c
            doc_to_target: \(target)
            metric_list: [{metric: acc}]
            """
        let url = try ProbeTaskTests.write(yaml, data: Self.data)
        let prepared = try ProbeSuite.load(contentsOf: url).prepare()[0]
        return try ProbeRunner(batchSize: 8).run(
            prepared.task, items: try prepared.items(), model: model)
    }

    @Test func emptyContextsAndDuplicateChoicesScoreAsLmEval() throws {
        let result = try run("multiple_choice", target: "gold")
        // An empty context: the continuation without BOS, after BOS (lm-eval's
        // `loglikelihood`), so the BOS itself is not scored.
        expectClose(
            result.items[0].choiceLogLikelihoods!, [-0.27409, -6.601168], rtol: 0, atol: 1e-4)
        #expect(result.items[0].choiceIsGreedy == [true, false])
        // Identical choices tie exactly, so the first wins, whatever the batch.
        let tied = result.items[1].choiceLogLikelihoods!
        expectClose(tied, [-8.107856, -8.107856, -8.107856], rtol: 0, atol: 1e-4)
        #expect(Set(tied).count == 1)
        #expect(result.items[1].predictedChoice == 0)
    }

    @Test func loglikelihoodRequestsHaveNoTargetDelimiter() throws {
        let result = try run("loglikelihood", target: "\"{{c[0]}}\"")
        expectClose(
            result.items.map { $0.logLikelihood! }, [-0.27409, -6.536703, -17.830841], rtol: 0,
            atol: 1e-4)
        #expect(result.items.map { $0.scores["acc"] } == [1, 0, 0])
    }
}
