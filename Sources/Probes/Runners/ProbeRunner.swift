import Foundation
import Tensors

/// Runs probe tasks on a `ProbeLanguageModel` and scores them exactly as lm-evaluation-harness
/// 0.4 does.
///
/// **Multiple choice** (and `loglikelihood`). Each choice is the request
/// `(context, target_delimiter + choice)`; a `loglikelihood` task's one request is
/// `(context, target)`, without the delimiter (lm-eval's `construct_requests`). Trailing
/// whitespace of the context moves to the front of the continuation; then
/// `whole = encode(context + continuation)`, `ctx = encode(context)` (default special tokens, so
/// BOS for Llama tokenizers) and the continuation tokens are `whole[len(ctx):]`. An empty
/// context uses `[prefix_token_id]` and the continuation encoded without special tokens (or,
/// when that starts with the prefix token, its first token as context). The model input is `(ctx + cont)[-(L+1):][:-1]` with L the model's
/// window; the last `len(cont)` positions are scored. `acc` is `argmax(ll) ∈ gold`, `acc_norm`
/// is `argmax(ll / len(choice)) ∈ gold` with `len` in code points of the choice without the
/// delimiter; argmax takes the first index on ties.
///
/// **Rolling log-likelihood.** `tokens = encode(text)` (BOS included); windows are lm-eval's
/// `get_rolling_token_windows(tokens, prefix_token_id, L, context_len=1)` made disjoint: the
/// first scores `tokens[:min(L, N)]` from input `[prefix] + tokens[:min(L, N) − 1]` (so BOS is
/// scored, conditioned on BOS), each later one scores the next ≤ L tokens with the preceding
/// tokens as context. A text's log-likelihood is the sum over its windows; `word_perplexity`,
/// `byte_perplexity` and `bits_per_byte` pool Σ loglik over Σ words / Σ bytes.
///
/// **Generation.** The context is encoded with BOS and cut on the left to `L − max_gen_toks`
/// tokens; decoding is greedy with the KV cache, stopping at EOS, after `max_gen_toks` tokens,
/// or once the decoded new text contains a stop string (`until` plus the EOS text); the text is
/// decoded with special tokens skipped and cut at the first occurrence of each stop string.
///
/// **Truncation** (never silent): a multiple-choice or log-likelihood request longer than
/// L + 1 tokens loses tokens from the left of its context, and a generation prompt longer than
/// `L − max_gen_toks` likewise; the number of tokens dropped is recorded per item
/// (`truncatedTokens`) and the number of such items per task (`truncatedItemCount`). A
/// continuation that alone exceeds L cannot be scored and throws `ProbeError.requestTooLong`.
/// Rolling windows never truncate.
///
/// ### References
/// lm-eval 0.4.13 `HFLM._encode_pair`, `loglikelihood`, `_loglikelihood_tokens`,
/// `loglikelihood_rolling`, `generate_until`; `lm_eval/utils.py` `get_rolling_token_windows`,
/// `make_disjoint_window`; `ConfigurableTask.process_results`.
public struct ProbeRunner: Sendable {
    /// Groups of requests per model call: items (whose choices share one pass over the context)
    /// or rolling windows. lm-eval's `--batch_size` counts requests instead.
    public var batchSize: Int
    /// Most padded tokens per model call (B × T): long requests go in smaller batches, which
    /// keeps the attention buffers small (measured: 4 × 512 tokens costs a third more CPU time
    /// than 2 × 512 on stories260K, in page faults).
    public var tokenBudget: Int = 1024

    /// Progress of a run, for the CLI to render.
    public enum Event: Sendable {
        /// A task's items are built and scoring starts.
        case taskStarted(task: String, items: Int)
        /// A task finished.
        case taskFinished(ProbeTaskResult)
    }

    public init(batchSize: Int = 8) {
        precondition(batchSize > 0, "ProbeRunner: batchSize must be > 0, got \(batchSize)")
        self.batchSize = batchSize
    }

    /// Runs every task of `suite`. All data is loaded and every item built before the first
    /// model call, so data errors surface before any model work.
    /// - Throws: `ProbeError` for data problems, requests that cannot be scored, and model
    ///   failures (wrapped as `.modelFailure`).
    public func run(
        _ suite: ProbeSuite, model: some ProbeLanguageModel,
        onEvent: (Event) -> Void = { _ in }
    ) throws(ProbeError) -> ProbeSuiteResult {
        let start = Date()
        let prepared = try suite.prepare()
        var itemLists: [[ProbeItem]] = []
        for (entry, task) in zip(suite.entries, prepared) {
            itemLists.append(try task.items(limit: entry.limit))
        }
        let hash = try suite.contentHash()
        var results: [ProbeTaskResult] = []
        for (task, items) in zip(prepared, itemLists) {
            onEvent(.taskStarted(task: task.task.name, items: items.count))
            let result = try run(task.task, items: items, model: model)
            onEvent(.taskFinished(result))
            results.append(result)
        }
        return ProbeSuiteResult(
            suite: suite.name, contentHash: hash, tasks: results,
            elapsedSeconds: Date().timeIntervalSince(start))
    }

    /// Scores the items of one task.
    public func run(_ task: ProbeTask, items: [ProbeItem], model: some ProbeLanguageModel)
        throws(ProbeError) -> ProbeTaskResult
    {
        let start = Date()
        var result: ProbeTaskResult
        do {
            switch task.outputType {
            case .multipleChoice, .loglikelihood:
                result = try runLogLikelihood(task, items: items, model: model)
            case .loglikelihoodRolling:
                result = try runRolling(task, items: items, model: model)
            case .generateUntil:
                result = try runGeneration(task, items: items, model: model)
            }
        } catch let error as ProbeError {
            throw error
        } catch {
            throw .modelFailure(reason: "\(error)")
        }
        result.elapsedSeconds = Date().timeIntervalSince(start)
        return result
    }

    // MARK: - Requests

    /// Python `len(s) - len(s.rstrip())`, split off: (context without, trailing whitespace).
    static func splitTrailingWhitespace(_ s: String) -> (String, String) {
        let scalars = Array(s.unicodeScalars)
        var end = scalars.count
        while end > 0, PythonStrings.isSpace(scalars[end - 1]) { end -= 1 }
        return (
            String(String.UnicodeScalarView(scalars[..<end])),
            String(String.UnicodeScalarView(scalars[end...]))
        )
    }

    /// lm-eval's context/continuation token split for one request.
    static func encodePair(context: String, continuation: String, model: some ProbeLanguageModel)
        throws -> (context: [Int], continuation: [Int])
    {
        if context.isEmpty {
            // lm-eval: the continuation without special tokens, conditioned on the prefix token
            // (or on its own first token when that already is the prefix token).
            let continuation = try model.encodeWithoutSpecialTokens(continuation)
            if let first = continuation.first, first == model.prefixTokenId {
                return ([first], Array(continuation.dropFirst()))
            }
            return ([model.prefixTokenId], continuation)
        }
        let (ctx, spaces) = splitTrailingWhitespace(context)
        let whole = try model.encode(ctx + spaces + continuation)
        let contextIds = try model.encode(ctx)
        return (contextIds, Array(whole[min(contextIds.count, whole.count)...]))
    }

    /// `(ctx + cont)[-(L+1):][:-1]` and the number of tokens cut from the left.
    static func request(context: [Int], continuation: [Int], maxLength: Int) -> (
        ProbeScoringRequest, Int
    ) {
        let all = context + continuation
        let kept = Array(all.suffix(maxLength + 1))
        return (
            ProbeScoringRequest(input: Array(kept.dropLast()), targets: continuation),
            all.count - kept.count
        )
    }

    /// Scores groups of requests (the choices of one item, or one rolling window) in batches of
    /// at most `batchSize` groups and `tokenBudget` padded tokens, longest first (as lm-eval
    /// orders them); the batches run in parallel, one per core. Scores come back in the original
    /// order; empty continuations (nil) score 0 and count as greedy.
    func score(_ groups: [[ProbeScoringRequest?]], model: some ProbeLanguageModel) throws
        -> [[ProbeTokenScore]]
    {
        let real = groups.map { $0.compactMap { $0 } }
        // Tokens a group costs when its shared prefix runs once (what the model pads to).
        let cost = real.map { group -> Int in
            let shared = ProbeScoringRequest.sharedPrefixLength(group)
            return group.reduce(shared) { $0 + $1.input.count - shared }
        }
        let order = real.indices.filter { !real[$0].isEmpty }.sorted {
            cost[$0] != cost[$1] ? cost[$0] > cost[$1] : $0 < $1
        }
        var batches: [[Int]] = []
        var i = 0
        while i < order.count {
            // The longest group comes first, so it sets the padded length of its batch.
            let fit = max(1, tokenBudget / max(1, cost[order[i]]))
            let end = min(i + min(batchSize, fit), order.count)
            batches.append(Array(order[i..<end]))
            i = end
        }
        let results = try Parallel.map(batches.count) { b in
            try model.logLikelihoods(groups: batches[b].map { real[$0] })
        }
        var scored = [[ProbeTokenScore]](repeating: [], count: groups.count)
        for (batch, result) in zip(batches, results) {
            for (index, scores) in zip(batch, result) { scored[index] = scores }
        }
        return groups.indices.map { g in
            var next = 0
            return groups[g].map { request in
                guard request != nil else {
                    return ProbeTokenScore(logLikelihood: 0, isGreedy: true)
                }
                defer { next += 1 }
                return scored[g][next]
            }
        }
    }

    // MARK: - Multiple choice and loglikelihood

    func runLogLikelihood(_ task: ProbeTask, items: [ProbeItem], model: some ProbeLanguageModel)
        throws
        -> ProbeTaskResult
    {
        var groups: [[ProbeScoringRequest?]] = []
        var truncated = [Int](repeating: 0, count: items.count)
        var inputTokens = 0
        for (n, item) in items.enumerated() {
            let continuations =
                task.outputType == .multipleChoice
                ? item.choices.map { task.targetDelimiter + $0 }
                : [item.targets.first ?? ""]
            var group: [ProbeScoringRequest?] = []
            for continuation in continuations {
                let (ctx, cont) = try Self.encodePair(
                    context: item.context, continuation: continuation, model: model)
                if cont.count > model.maxLength {
                    throw ProbeError.requestTooLong(
                        task: task.name, itemId: item.id, tokens: cont.count,
                        maxLength: model.maxLength)
                }
                if cont.isEmpty {
                    group.append(nil)
                    continue
                }
                let (request, cut) = Self.request(
                    context: ctx, continuation: cont, maxLength: model.maxLength)
                truncated[n] = max(truncated[n], cut)
                inputTokens += request.input.count
                group.append(request)
            }
            groups.append(group)
        }
        let scores = try score(groups, model: model)
        var results = items.enumerated().map { n, item in
            var r = ProbeItemResult(itemId: item.id, line: item.document.line)
            r.truncatedTokens = truncated[n]
            r.choiceLogLikelihoods = []
            r.choiceIsGreedy = []
            return r
        }
        for (n, itemScores) in scores.enumerated() {
            results[n].choiceLogLikelihoods = itemScores.map(\.logLikelihood)
            results[n].choiceIsGreedy = itemScores.map(\.isGreedy)
        }
        var metricValues: [String: [Double]] = [:]
        for (n, item) in items.enumerated() {
            let lls = results[n].choiceLogLikelihoods!
            if task.outputType == .multipleChoice {
                let pred = ProbeStatistics.argmax(lls)
                let lengths = item.choices.map { Double($0.unicodeScalars.count) }
                let predNorm = ProbeStatistics.argmax(zip(lls, lengths).map { $0 / $1 })
                results[n].gold = item.gold
                results[n].predictedChoice = pred
                results[n].predictedChoiceNormalized = predNorm
                results[n].scores["acc"] = item.gold.contains(pred) ? 1 : 0
                results[n].scores["acc_norm"] = item.gold.contains(predNorm) ? 1 : 0
            } else {
                results[n].logLikelihood = lls[0]
                results[n].scores["acc"] = results[n].choiceIsGreedy![0] ? 1 : 0
                results[n].scores["perplexity"] = lls[0]
            }
            for (name, value) in results[n].scores { metricValues[name, default: []].append(value) }
        }
        var metrics: [ProbeMetricResult] = []
        for spec in task.metrics {
            let values = metricValues[spec.metric] ?? []
            if spec.metric == "perplexity" {
                metrics.append(
                    ProbeMetricResult(
                        name: "perplexity", value: exp(-ProbeStatistics.mean(values)),
                        standardError: nil,
                        higherIsBetter: spec.higherIsBetter))
            } else {
                metrics.append(
                    ProbeMetricResult(
                        name: spec.metric, value: ProbeStatistics.mean(values),
                        standardError: ProbeStatistics.meanStandardError(values),
                        higherIsBetter: spec.higherIsBetter))
            }
        }
        if task.outputType == .loglikelihood {
            for n in results.indices { results[n].scores["perplexity"] = nil }
        }
        return ProbeTaskResult(
            task: task.name, outputType: task.outputType, metrics: metrics, itemCount: items.count,
            truncatedItemCount: truncated.filter { $0 > 0 }.count, inputTokenCount: inputTokens,
            elapsedSeconds: 0, items: results)
    }

    // MARK: - Rolling log-likelihood

    /// lm-eval's rolling windows made disjoint: (context, scored) token lists.
    static func rollingWindows(_ tokens: [Int], prefix: Int, maxLength: Int) -> [(
        context: [Int], scored: [Int]
    )] {
        guard !tokens.isEmpty else { return [] }
        var windows: [(context: [Int], scored: [Int])] = []
        let firstLength = min(maxLength, tokens.count)
        windows.append(([prefix], Array(tokens[..<firstLength])))
        var predicted = firstLength
        while predicted < tokens.count {
            let length = min(tokens.count - predicted, maxLength)
            let end = predicted + length
            let context = Array(tokens[max(0, end - maxLength - 1)..<(end - 1)])
            // make_disjoint_window: drop the context's overlap with the scored tokens.
            windows.append(
                (
                    Array(context.prefix(context.count - (length - 1))),
                    Array(tokens[(end - length)..<end])
                ))
            predicted += length
        }
        return windows
    }

    func runRolling(_ task: ProbeTask, items: [ProbeItem], model: some ProbeLanguageModel) throws
        -> ProbeTaskResult
    {
        var groups: [[ProbeScoringRequest?]] = []
        var owners: [Int] = []
        var results: [ProbeItemResult] = []
        var inputTokens = 0
        for (n, item) in items.enumerated() {
            let text = item.targets.first ?? ""
            let tokens = try model.encode(text)
            let windows = Self.rollingWindows(
                tokens, prefix: model.prefixTokenId, maxLength: model.maxLength)
            var r = ProbeItemResult(itemId: item.id, line: item.document.line)
            r.wordCount = PythonStrings.wordCount(text)
            r.byteCount = text.utf8.count
            r.tokenCount = tokens.count
            r.windowCount = windows.count
            results.append(r)
            for w in windows {
                let (request, _) = Self.request(
                    context: w.context, continuation: w.scored, maxLength: model.maxLength)
                inputTokens += request.input.count
                groups.append([request])
                owners.append(n)
            }
        }
        let scores = try score(groups, model: model)
        var sums = [Double](repeating: 0, count: items.count)
        for (k, owner) in owners.enumerated() { sums[owner] += scores[k][0].logLikelihood }
        for n in results.indices { results[n].logLikelihood = sums[n] }
        let words = results.map { $0.wordCount! }
        let bytes = results.map { $0.byteCount! }
        let metrics = task.metrics.map { spec -> ProbeMetricResult in
            let value: Double
            switch spec.metric {
            case "word_perplexity":
                value = ProbeStatistics.weightedPerplexity(logLikelihoods: sums, weights: words)
            case "byte_perplexity":
                value = ProbeStatistics.weightedPerplexity(logLikelihoods: sums, weights: bytes)
            default: value = ProbeStatistics.bitsPerByte(logLikelihoods: sums, bytes: bytes)
            }
            return ProbeMetricResult(
                name: spec.metric, value: value, standardError: nil,
                higherIsBetter: spec.higherIsBetter)
        }
        return ProbeTaskResult(
            task: task.name, outputType: task.outputType, metrics: metrics, itemCount: items.count,
            truncatedItemCount: 0, inputTokenCount: inputTokens, elapsedSeconds: 0, items: results)
    }

    // MARK: - Generation

    func runGeneration(_ task: ProbeTask, items: [ProbeItem], model: some ProbeLanguageModel) throws
        -> ProbeTaskResult
    {
        let options =
            task.generation
            ?? ProbeGenerationOptions(until: [task.fewshotDelimiter], maxGenTokens: 256)
        var until = options.until
        if let eos = model.eosText, !eos.isEmpty, !until.contains(eos) { until.append(eos) }
        let stops = until.filter { !$0.isEmpty }
        let maxContext = max(1, model.maxLength - options.maxGenTokens)
        let prompts = try items.map { item in
            let encoded = try model.encode(item.context)
            return (encoded: encoded, prompt: Array(encoded.suffix(maxContext)))
        }
        // One generation per core at a time; each is sequential (token by token) on its own.
        let generations = try Parallel.map(items.count) { n in
            try model.greedyGenerate(
                prompt: prompts[n].prompt, maxNewTokens: options.maxGenTokens,
                shouldStop: { tokens in
                    let text = model.decode(tokens)
                    return stops.contains { text.contains($0) }
                })
        }
        var results: [ProbeItemResult] = []
        var inputTokens = 0
        for (n, item) in items.enumerated() {
            let (encoded, prompt) = prompts[n]
            let generated = generations[n]
            var text = model.decode(generated)
            for stop in stops {
                text = PythonStrings.split(text, separator: stop, maxSplit: 1)[0]
            }
            var r = ProbeItemResult(itemId: item.id, line: item.document.line)
            r.truncatedTokens = encoded.count - prompt.count
            r.prediction = text
            r.references = item.targets
            r.generatedTokenCount = generated.count
            r.scores = GenerationScoring.itemScores(
                prediction: text, references: item.targets, metrics: task.metrics)
            inputTokens += prompt.count + generated.count
            results.append(r)
        }
        let metrics = task.metrics.map { spec -> ProbeMetricResult in
            let values = results.map { $0.scores[spec.metric] ?? 0 }
            if spec.aggregation == "bleu" || spec.aggregation == "chrf" {
                return ProbeMetricResult(
                    name: spec.metric,
                    value: GenerationScoring.corpusScore(
                        metric: spec.metric, predictions: results.map { $0.prediction! },
                        references: results.map { $0.references! }),
                    standardError: nil, higherIsBetter: spec.higherIsBetter)
            }
            return ProbeMetricResult(
                name: spec.metric, value: ProbeStatistics.mean(values),
                standardError: ProbeStatistics.meanStandardError(values),
                higherIsBetter: spec.higherIsBetter)
        }
        return ProbeTaskResult(
            task: task.name, outputType: task.outputType, metrics: metrics, itemCount: items.count,
            truncatedItemCount: results.filter { $0.truncatedTokens > 0 }.count,
            inputTokenCount: inputTokens,
            elapsedSeconds: 0, items: results)
    }
}
