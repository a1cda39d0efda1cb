import Foundation
import TestSupport
import Testing

@testable import Probes

/// A deterministic stand-in model: one character per token (BOS = 1, EOS = 2, char c → 3 +
/// code point mod 100), log p(token) = −0.1 × token id, greedy only on even tokens; generation
/// emits a scripted token list.
struct ScriptedModel: ProbeLanguageModel {
    var maxLength = 16
    var prefixTokenId: Int { 1 }
    var eosTokenId: Int? { 2 }
    var eosText: String? { "</s>" }
    var script: [Int] = []
    func encode(_ text: String) throws -> [Int] {
        try [1] + encodeWithoutSpecialTokens(text)
    }
    func encodeWithoutSpecialTokens(_ text: String) throws -> [Int] {
        text.unicodeScalars.map { 3 + Int($0.value % 100) }
    }
    func decode(_ ids: [Int]) -> String {
        String(
            String.UnicodeScalarView(
                ids.filter { $0 > 2 }.compactMap { Unicode.Scalar(UInt32($0 - 3)) }))
    }
    func logLikelihoods(_ requests: [ProbeScoringRequest]) throws -> [ProbeTokenScore] {
        requests.map { r in
            ProbeTokenScore(
                logLikelihood: r.targets.reduce(0.0) { $0 - 0.1 * Double($1) },
                isGreedy: r.targets.allSatisfy { $0 % 2 == 0 })
        }
    }
    func greedyGenerate(prompt: [Int], maxNewTokens: Int, shouldStop: ([Int]) -> Bool) throws
        -> [Int]
    {
        var out: [Int] = []
        for t in script.prefix(maxNewTokens) {
            if t == 2 { break }
            out.append(t)
            if shouldStop(out) { break }
        }
        return out
    }
}

@Suite struct ProbeRunnerTests {
    @Test func rollingWindowsFollowLmEval() {
        // 532 tokens, window 512: (1 context + 512 scored) then (493 context + 20 scored).
        let tokens = Array(0..<532)
        let windows = ProbeRunner.rollingWindows(tokens, prefix: 1, maxLength: 512)
        #expect(windows.count == 2)
        #expect(windows[0].context == [1] && windows[0].scored == Array(0..<512))
        #expect(windows[1].context == Array(19..<512) && windows[1].scored == Array(512..<532))
        let (request, cut) = ProbeRunner.request(
            context: windows[1].context, continuation: windows[1].scored, maxLength: 512)
        #expect(request.input == Array(19..<531) && cut == 0)
        // A short text: one window whose input is [prefix] + tokens[:-1].
        let short = ProbeRunner.rollingWindows([1, 7, 8], prefix: 1, maxLength: 512)
        #expect(short.map(\.context) == [[1]] && short.map(\.scored) == [[1, 7, 8]])
    }

    @Test func contextWhitespaceMovesToTheContinuation() throws {
        let model = ScriptedModel()
        // "ab " + " x": the trailing space joins the continuation, which is encoded as part of
        // the whole string and split at len(encode("ab")) = 3.
        let (ctx, cont) = try ProbeRunner.encodePair(
            context: "ab ", continuation: " x", model: model)
        #expect(ctx == [1, 3 + 97, 3 + 98])
        #expect(cont == [3 + 32, 3 + 32, 3 + 20])  // "x" = 120 → 3 + 20
        let (emptyCtx, emptyCont) = try ProbeRunner.encodePair(
            context: "", continuation: "x", model: model)
        // An empty context: the continuation without BOS, conditioned on BOS (lm-eval).
        #expect(emptyCtx == [1] && emptyCont == [3 + 20])
    }

    static func task(_ yaml: String, data: String) throws -> (ProbeTask, [ProbeItem]) {
        let url = try ProbeTaskTests.write(yaml, data: data)
        let prepared = try ProbeSuite.load(contentsOf: url).prepare()[0]
        return (prepared.task, try prepared.items())
    }

    @Test func multipleChoiceScoresAccAndAccNormWithStandardErrors() throws {
        // Choices "no" (ll = −0.1 × (3+32 + 3+10 + 3+11)) and "yes"; tokens: ' '=35, n=13,
        // o=14, y=24, e=4, s=18 (code point mod 100, + 3).
        // ll(" no") = −6.2, ll(" yes") = −8.1: acc picks "no" (index 0).
        // acc_norm: −6.2/2 = −3.1 vs −8.1/3 = −2.7 picks "yes" (index 1).
        let (task, items) = try Self.task(
            ProbeTaskTests.base, data: "{\"q\": \"a\", \"l\": 0}\n{\"q\": \"b\", \"l\": 1}\n")
        let result = try ProbeRunner(batchSize: 3).run(task, items: items, model: ScriptedModel())
        expectClose(result.items[0].choiceLogLikelihoods!, [-6.2, -8.1], atol: 1e-12)
        #expect(result.items.map(\.predictedChoice) == [0, 0])
        #expect(result.items.map(\.predictedChoiceNormalized) == [1, 1])
        #expect(result.items[0].choiceIsGreedy == [false, false])
        // acc = [1, 0] → mean 0.5, stderr = sd([1, 0]) / √2 = 0.7071 / 1.4142 = 0.5.
        #expect(result.metric("acc")?.value == 0.5)
        expectClose(result.metric("acc")!.standardError!, 0.5, atol: 1e-12)
        #expect(result.metric("acc_norm")?.value == 0.5)
        #expect(result.truncatedItemCount == 0)
    }

    @Test func longContextsAreTruncatedOnTheLeftAndCounted() throws {
        // Window 16: "Q: " + 20 characters + " no" is 1 + 23 + 3 = 27 tokens; the input keeps
        // the last 17 − 1 = 16 tokens, so 27 − 17 = 10 are cut.
        let (task, items) = try Self.task(
            ProbeTaskTests.base, data: "{\"q\": \"abcdefghijklmnopqrst\", \"l\": 0}\n")
        let result = try ProbeRunner().run(task, items: items, model: ScriptedModel())
        #expect(result.items[0].truncatedTokens == 11)  // " yes" is one token longer
        #expect(result.truncatedItemCount == 1)
        // A continuation longer than the window cannot be scored at all.
        let long = ProbeTaskTests.base.replacingOccurrences(
            of: "doc_to_choice: [\"no\", \"yes\"]",
            with: "doc_to_choice: [\"no\", \"\(String(repeating: "y", count: 20))\"]")
        let (t2, i2) = try Self.task(long, data: "{\"q\": \"a\", \"l\": 0}\n")
        #expect(throws: ProbeError.requestTooLong(task: "t", itemId: 0, tokens: 21, maxLength: 16))
        {
            try ProbeRunner().run(t2, items: i2, model: ScriptedModel())
        }
    }

    @Test func generationStopsAtUntilAndScoresRouge() throws {
        let yaml = """
            task: g
            dataset_path: json
            dataset_kwargs: {data_files: {test: d.jsonl}}
            test_split: test
            output_type: generate_until
            doc_to_text: "{{q}}"
            doc_to_target: "{{a}}"
            generation_kwargs: {until: ["."], max_gen_toks: 10}
            metric_list: [{metric: exact_match}, {metric: rouge1}, {metric: bleu}]
            """
        let (task, items) = try Self.task(yaml, data: "{\"q\": \"x\", \"a\": \"hi\"}\n")
        var model = ScriptedModel()
        model.script = [3 + 104, 3 + 105, 3 + 46, 3 + 122]  // "hi.z"
        let result = try ProbeRunner().run(task, items: items, model: model)
        #expect(result.items[0].prediction == "hi")
        #expect(result.items[0].generatedTokenCount == 3)  // stopped once "." appeared
        #expect(result.metric("exact_match")?.value == 1)
        #expect(result.metric("rouge1")?.value == 1)
        #expect(result.metric("exact_match")?.standardError == nil)  // one item: N/A
    }

    @Test func loglikelihoodTasksScorePerplexityAndGreedyAccuracy() throws {
        // lm-eval's request is (context, target) without the target delimiter: continuation
        // "no" = tokens 13, 14: ll = −0.1 × 27 = −2.7; not greedy (13 is odd).
        let yaml = ProbeTaskTests.base
            .replacingOccurrences(
                of: "output_type: multiple_choice", with: "output_type: loglikelihood"
            )
            .replacingOccurrences(of: "doc_to_choice: [\"no\", \"yes\"]\n", with: "")
            .replacingOccurrences(of: "doc_to_target: l", with: "doc_to_target: \"no\"")
        let (task, items) = try Self.task(yaml, data: "{\"q\": \"a\"}\n")
        let result = try ProbeRunner().run(task, items: items, model: ScriptedModel())
        expectClose(result.items[0].logLikelihood!, -2.7, atol: 1e-12)
        // perplexity = exp(−mean ll) = exp(2.7); acc = mean of is_greedy.
        expectClose(result.metric("perplexity")!.value, exp(2.7), rtol: 1e-12)
        #expect(result.metric("acc")?.value == 0)
    }

    @Test func resultsRoundTripThroughJSON() throws {
        let (task, items) = try Self.task(ProbeTaskTests.base, data: "{\"q\": \"a\", \"l\": 0}\n")
        let result = try ProbeRunner().run(task, items: items, model: ScriptedModel())
        let suite = ProbeSuiteResult(
            suite: "s", contentHash: "h", tasks: [result], elapsedSeconds: 1)
        let data = try JSONEncoder().encode(suite)
        #expect(try JSONDecoder().decode(ProbeSuiteResult.self, from: data) == suite)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let first = (object?["tasks"] as? [[String: Any]])?.first
        #expect(first?["itemsPerSecond"] != nil && first?["tokensPerSecond"] != nil)
    }

    @Test func contentHashIgnoresFormattingButNotContent() throws {
        let url = try ProbeTaskTests.write(ProbeTaskTests.base)
        let hash = try ProbeSuite.load(contentsOf: url).contentHash()
        #expect(hash.count == 64)
        // Same definition, different layout, comments and an explicit default.
        let reformatted =
            "# comment\n"
            + ProbeTaskTests.base.replacingOccurrences(
                of: "doc_to_target: l", with: "doc_to_target: 'l'\ntarget_delimiter: \" \"")
        try reformatted.write(to: url, atomically: true, encoding: .utf8)
        #expect(try ProbeSuite.load(contentsOf: url).contentHash() == hash)
        // One changed data byte changes it.
        try "{\"q\": \"b\", \"l\": 0}\n".write(
            to: url.deletingLastPathComponent().appendingPathComponent("d.jsonl"), atomically: true,
            encoding: .utf8)
        #expect(try ProbeSuite.load(contentsOf: url).contentHash() != hash)
    }
}
