import Tensors
import TestSupport
import Testing

@testable import Training

@Suite struct GradientClippingTests {
    @Test func globalNormSpansEveryTensor() {
        // sqrt(3² + 4² + 12²) = 13
        let norm = GradientClipping.globalNorm([
            Tensor(shape: [2], scalars: [3, 4]), Tensor(shape: [1, 1], scalars: [12]),
        ])
        #expect(norm == 13)
    }

    @Test func clipScalesByMaxNormOverNormPlusEpsilon() {
        // norm 5, max 1: coefficient 1 / (5 + 1e-6) = 0.19999996; [3, 4] → [0.59999988, 0.79999984]
        var gradients = ["a": Tensor(shape: [2], scalars: [3, 4])]
        let norm = GradientClipping.clip(&gradients, maxNorm: 1)
        #expect(norm == 5)
        expectClose(gradients["a"]!.scalars, [3 / (5 + 1e-6), 4 / (5 + 1e-6)], rtol: 1e-7, atol: 0)
    }

    @Test func clipLeavesSmallGradientsAlone() {
        var gradients = ["a": Tensor(shape: [2], scalars: [3, 4])]
        let norm = GradientClipping.clip(&gradients, maxNorm: 10)
        #expect(norm == 5)
        #expect(gradients["a"]!.scalars == [3, 4])
    }
}
