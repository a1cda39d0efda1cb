import Foundation
import Tensors
import TestSupport
import Testing
import Transformer

@Suite struct CrossEntropyTests {
    @Test func lossIsLogSumExpMinusTargetLogit() {
        // logits [0, ln 3] (probabilities 1/4, 3/4), target 0: loss = ln 4 = 1.386294;
        // gradient (softmax − onehot)·scale with scale 0.5: [(0.25 − 1)/2, 0.75/2].
        let logits = LayerTest.buffer([0, Float(log(3.0))])
        var losses: [Float] = [0]
        let targets = [0]
        CrossEntropy.forwardBackward(
            logits: logits.pointer, rows: 1, vocabSize: 2,
            targets: targets, losses: &losses, gradientScale: 0.5)
        expectClose(losses[0], log(4.0), rtol: 1e-6, atol: 0)
        expectClose(logits.array, [-0.375, 0.375], rtol: 0, atol: 1e-7)
    }

    @Test func gradientMatchesFiniteDifferences() {
        let rows = 3
        let v = 7
        let x = LayerTest.random(rows * v, scale: 3, seed: 50)
        let targets = [2, 6, 0]
        func loss(_ x: [Float]) -> Double {
            var losses = [Float](repeating: 0, count: rows)
            CrossEntropy.forwardBackward(
                logits: LayerTest.buffer(x).pointer, rows: rows,
                vocabSize: v, targets: targets, losses: &losses, gradientScale: nil)
            return losses.reduce(0) { $0 + Double($1) }
        }
        let g = LayerTest.buffer(x)
        var losses = [Float](repeating: 0, count: rows)
        CrossEntropy.forwardBackward(
            logits: g.pointer, rows: rows, vocabSize: v, targets: targets,
            losses: &losses, gradientScale: 1)
        gradientCheck(x, analytic: g.array, samples: 21, epsilon: 1e-2, rtol: 1e-2, atol: 1e-3) {
            loss($0)
        }
    }
}
