import Checkpoints
import Foundation
import Tensors
import TestSupport
import Testing

@testable import Training

@Suite struct AdamWTests {
    static let parity = Fixtures.shared("reference/parity")

    static func tensors(_ file: String) throws -> [String: Tensor] {
        try SafetensorsFile(contentsOf: parity.appendingPathComponent(file)).tensors()
    }

    /// The parity fixture's optimizer: lr 1e-3, betas (0.9, 0.999), eps 1e-8, wd 0.01 on every
    /// trainable tensor (torch's single parameter group).
    static let parityConfiguration = AdamW.Configuration(
        beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01)

    @Test func firstStepOnAScalarMovesByTheLearningRate() {
        // p = 1, g = 0.5, lr = 0.1, wd = 0.01, step 1:
        //   decay: p = 1 · (1 - 0.1·0.01) = 0.999
        //   m = 0.1 · 0.5 = 0.05; v = 0.001 · 0.25 = 0.00025
        //   step size = 0.1 / (1 - 0.9) = 1; denominator = sqrt(0.00025)/sqrt(0.001) + 1e-8 = 0.5
        //   p = 0.999 - 1 · 0.05 / 0.5 = 0.899
        var optimizer = AdamW(configuration: .init(weightDecay: 0.01))
        var parameters = ["w": Tensor(shape: [1], scalars: [1])]
        optimizer.step(
            parameters: &parameters, gradients: ["w": Tensor(shape: [1], scalars: [0.5])],
            learningRate: 0.1, decays: { _, _ in true })
        expectClose(parameters["w"]!.scalars[0], 0.899, rtol: 0, atol: 1e-6)
        expectClose(optimizer.moments["w"]!.first.scalars[0], 0.05, rtol: 1e-6, atol: 0)
        expectClose(optimizer.moments["w"]!.second.scalars[0], 0.00025, rtol: 1e-6, atol: 0)
        #expect(optimizer.stepCount == 1)
    }

    @Test func secondStepUsesBiasCorrectionOfStepTwo() {
        // Same gradient g = 0.5 twice, lr = 0.1, no decay:
        //   step 1: p = 1 - 0.1 = 0.9 (m = 0.05, v = 0.00025)
        //   step 2: m = 0.9·0.05 + 0.1·0.5 = 0.095, v = 0.999·0.00025 + 0.001·0.25 = 0.00049975
        //   m̂ = 0.095 / 0.19 = 0.5, v̂ = 0.00049975 / 0.001999 = 0.25 → update 0.1 · 0.5 / 0.5
        //   p = 0.9 - 0.1 = 0.8
        var optimizer = AdamW(configuration: .init(weightDecay: 0))
        var parameters = ["w": Tensor(shape: [1], scalars: [1])]
        let g = ["w": Tensor(shape: [1], scalars: [0.5])]
        for _ in 0..<2 {
            optimizer.step(
                parameters: &parameters, gradients: g, learningRate: 0.1,
                decays: { _, _ in true })
        }
        expectClose(parameters["w"]!.scalars[0], 0.8, rtol: 0, atol: 1e-6)
    }

    @Test func matricesOnlyPolicyLeavesVectorsUndecayed() {
        // Zero gradient: the update term is 0 and only the decay moves the parameter.
        var optimizer = AdamW(configuration: .init(weightDecay: 0.5))
        var parameters = [
            "matrix": Tensor(shape: [1, 2], scalars: [2, 4]),
            "norm": Tensor(shape: [2], scalars: [2, 4]),
        ]
        let gradients = parameters.mapValues { Tensor(shape: $0.shape) }
        optimizer.step(
            parameters: &parameters, gradients: gradients, learningRate: 0.1,
            decays: WeightDecayPolicy.matricesOnly.decays)
        // decay factor 1 - 0.1·0.5 = 0.95
        expectClose(parameters["matrix"]!.scalars, [1.9, 3.8], rtol: 1e-7, atol: 0)
        #expect(parameters["norm"]!.scalars == [2, 4])
    }

    /// The optimizer alone against torch: feed the stored step-1 gradients, compare with the
    /// stored step-1 parameters (README gate: max abs 1e-6; torch's formula gives the same bits).
    @Test(arguments: [
        ("base/model.safetensors", "base_grads.safetensors", "full_adamw_step1.safetensors"),
        (
            "lora_adapter/adapter_model.safetensors", "lora_grads.safetensors",
            "lora_adamw_step1.safetensors"
        ),
    ])
    func firstStepMatchesTorchFromStoredGradients(
        start: String, gradientsFile: String, expectedFile: String
    ) throws {
        var parameters = try Self.tensors(start)
        let gradients = try Self.tensors(gradientsFile)
        let expected = try Self.tensors(expectedFile)
        var optimizer = AdamW(configuration: Self.parityConfiguration)
        optimizer.step(
            parameters: &parameters, gradients: gradients, learningRate: 1e-3,
            decays: WeightDecayPolicy.all.decays)
        #expect(Set(parameters.keys) == Set(expected.keys))
        var worst: Float = 0
        for (name, want) in expected {
            let got = try #require(parameters[name])
            expectClose(got.scalars, want.scalars, rtol: 0, atol: 1e-6, "\(name)")
            for (a, b) in zip(got.scalars, want.scalars) { worst = max(worst, abs(a - b)) }
        }
        // torch's single-tensor AdamW in float32 is reproduced to within one float32 ulp
        // (30 of 123,712 full-fine-tune elements differ by one ulp, the rest are equal bits).
        #expect(worst < 1e-7, "largest difference \(worst)")
    }
}
