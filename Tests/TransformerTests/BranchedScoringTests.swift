import Foundation
import Tensors
import TestSupport
import Testing

@testable import Transformer

/// `DecoderModel.scoreTargets` on branched sequences against plain forward passes over each
/// branch's own path `prefix + branch`.
@Suite struct BranchedScoringTests {
    /// Float64 log-softmax of `logits(path)` at `position`, and whether `token` is its argmax.
    func expected(_ model: DecoderModel, path: [Int], position: Int, token: Int) throws -> (
        Double, Bool
    ) {
        let logits = try model.logits([path])
        let v = model.configuration.vocabSize
        let row = logits.scalars[(position * v)..<((position + 1) * v)].map(Double.init)
        let top = row.max()!
        let lse = top + Foundation.log(row.reduce(0.0) { $0 + Foundation.exp($1 - top) })
        return (row[token] - lse, row.firstIndex(of: top)! == token)
    }

    func check(_ model: DecoderModel, _ sequences: [BranchedSequence]) throws {
        let v = model.configuration.vocabSize
        // Every position of every path, scored against a token chosen from the position.
        var targets: [[ScoredTarget]] = []
        var paths: [[(path: [Int], position: Int)]] = []
        for sequence in sequences {
            var list: [ScoredTarget] = []
            var where_: [(path: [Int], position: Int)] = []
            for (b, branch) in sequence.branches.enumerated() {
                let path = sequence.prefix + branch
                for position in 0..<path.count {
                    let row = sequence.flatIndex(branch: b, position: position)
                    list.append(ScoredTarget(row: row, token: (position * 37 + b * 11) % v))
                    where_.append((path, position))
                }
            }
            targets.append(list)
            paths.append(where_)
        }
        let scores = try model.scoreTargets(sequences, targets: targets)
        #expect(scores.map(\.count) == targets.map(\.count))
        for s in sequences.indices {
            for (k, target) in targets[s].enumerated() {
                let (logProbability, isArgmax) = try expected(
                    model, path: paths[s][k].path, position: paths[s][k].position,
                    token: target.token)
                expectClose(
                    scores[s][k].logProbability, logProbability, rtol: 0, atol: 2e-5,
                    "sequence \(s) target \(k)")
                #expect(scores[s][k].isArgmax == isArgmax)
            }
        }
    }

    @Test func branchesSeeExactlyTheirOwnPath() throws {
        let model = try ParityFixture.baseModel()
        let ids = try ParityFixture.inputIds()[0]
        try check(
            model,
            [
                // Four branches of different lengths, one empty; the prefix's own positions are
                // scored through every branch's path.
                BranchedSequence(
                    prefix: Array(ids[0..<12]),
                    branches: [Array(ids[12..<15]), [], Array(ids[20..<31]), [5]]),
                // No shared prefix at all, and a lone prefix without branches (padded rows).
                BranchedSequence(prefix: [], branches: [Array(ids[3..<9]), Array(ids[9..<11])]),
            ])
    }

    @Test func adaptersApplyOnBranchesToo() throws {
        let model = try ParityFixture.loraModel()
        let ids = try ParityFixture.inputIds()[1]
        try check(
            model,
            [
                BranchedSequence(
                    prefix: Array(ids[0..<20]), branches: [Array(ids[20..<26]), [7, 8]])
            ])
    }

    @Test func aPrefixWithoutBranchesScoresLikeLogits() throws {
        let model = try ParityFixture.baseModel()
        let ids = try ParityFixture.inputIds()[0]
        let sequence = BranchedSequence(prefix: ids)
        let targets = (0..<(ids.count - 1)).map { ScoredTarget(row: $0, token: ids[$0 + 1]) }
        let scores = try model.scoreTargets([sequence], targets: [targets])[0]
        let reference = try model.tokenLogProbabilities([ids])[0]
        expectClose(scores.map(\.logProbability), reference, rtol: 0, atol: 2e-5)
    }

    @Test func layoutOfBranchesAndPadding() {
        let layout = DecoderModel.layout(
            of: [BranchedSequence(prefix: [1, 2], branches: [[3], [4, 5]])], length: 7)
        #expect(layout.positions == [0, 1, 2, 2, 3, 0, 0])
        #expect(layout.sharedEnd == [0, 0, 2, 2, 2, 0, 0])
        #expect(layout.segmentStart == [0, 0, 2, 3, 3, 5, 6])
    }

    @Test func pathsLongerThanTheWindowAndBadIdsAreErrors() throws {
        let model = try ParityFixture.baseModel()
        let limit = model.configuration.maxPositionEmbeddings
        let v = model.configuration.vocabSize
        let tooLong = BranchedSequence(
            prefix: [Int](repeating: 1, count: limit), branches: [[2]])
        #expect(throws: TransformerError.self) {
            _ = try model.scoreTargets([tooLong], targets: [[ScoredTarget(row: 0, token: 1)]])
        }
        let fine = BranchedSequence(prefix: [1, 2], branches: [[v]])
        #expect(throws: TransformerError.self) {
            _ = try model.scoreTargets([fine], targets: [[ScoredTarget(row: 0, token: 1)]])
        }
        let badTarget = BranchedSequence(prefix: [1, 2])
        #expect(throws: TransformerError.self) {
            _ = try model.scoreTargets([badTarget], targets: [[ScoredTarget(row: 0, token: -1)]])
        }
    }
}
