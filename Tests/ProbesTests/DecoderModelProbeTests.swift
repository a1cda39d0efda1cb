import Foundation
import TestSupport
import Testing

@testable import Probes

/// Shared-context scoring (`logLikelihoods(groups:)`) against scoring each request alone and
/// against the model's plain per-token log-probabilities, on stories260K-hf.
@Suite struct DecoderModelProbeTests {
    static let model: DecoderModelProbe? = try? DecoderModelProbe.load(
        modelFolder: Fixtures.shared("data/models/stories260K-hf"))

    /// lm-eval's request for one (context, continuation) pair, as `ProbeRunner` builds it.
    func request(_ model: DecoderModelProbe, _ context: String, _ continuation: String) throws
        -> ProbeScoringRequest
    {
        let (ctx, cont) = try ProbeRunner.encodePair(
            context: context, continuation: continuation, model: model)
        return ProbeRunner.request(context: ctx, continuation: cont, maxLength: model.maxLength).0
    }

    @Test func groupedScoresEqualScoresOfEachRequestAlone() throws {
        let model = try #require(Self.model, "stories260K-hf did not load")
        let story = "Once upon a time, there was a little girl named Lily. She liked to play"
        let groups: [[ProbeScoringRequest]] = [
            try [" outside", " with her dog in the park", " ball", "."].map {
                try request(model, story, $0)
            },
            try [" because", " therefore"].map { try request(model, "The man broke his toe", $0) },
            // One request: the whole input is the shared prefix.
            [try request(model, "Tom had a red ball", " and a blue car")],
            // Nothing in common but BOS.
            [try request(model, "A", " cat"), try request(model, "Big", " dog")],
        ]
        let grouped = try model.logLikelihoods(groups: groups)
        for (g, group) in groups.enumerated() {
            let alone = try model.logLikelihoods(group)
            #expect(grouped[g].count == group.count)
            for (k, request) in group.enumerated() {
                // Independent of both: the model's per-token log-probabilities of the input
                // extended by its last target.
                let path = request.input + [request.targets.last!]
                let all = try model.model.tokenLogProbabilities([path])[0]
                let scored = all.suffix(request.targets.count).reduce(0.0) { $0 + Double($1) }
                expectClose(grouped[g][k].logLikelihood, scored, rtol: 0, atol: 1e-4)
                expectClose(alone[k].logLikelihood, scored, rtol: 0, atol: 1e-4)
                #expect(grouped[g][k].isGreedy == alone[k].isGreedy)
            }
        }
    }

    @Test func requestsSharingAPrefixAreDetected() {
        let a = ProbeScoringRequest(input: [1, 5, 6, 7], targets: [8])
        let b = ProbeScoringRequest(input: [1, 5, 6, 9, 9], targets: [9, 3])
        let c = ProbeScoringRequest(input: [1, 5], targets: [5])
        #expect(ProbeScoringRequest.sharedPrefixLength([a, b]) == 3)
        #expect(ProbeScoringRequest.sharedPrefixLength([a, b, c]) == 2)
        #expect(ProbeScoringRequest.sharedPrefixLength([a]) == 4)
        #expect(ProbeScoringRequest.sharedPrefixLength([]) == 0)
    }
}
