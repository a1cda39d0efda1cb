import TestSupport
import Testing

@testable import Training

@Suite struct LearningRateScheduleTests {
    @Test func constantWithWarmupRampsFromZero() {
        // transformers get_constant_schedule_with_warmup(W = 3): λ(s) = s / 3 for s < 3, else 1;
        // optimizer step k uses λ(k - 1): 0, 1/3, 2/3, 1, 1.
        let schedule = LearningRateSchedule(
            kind: .constant, peakLearningRate: 1e-3, warmupSteps: 3,
            totalSteps: 10)
        let rates = (1...5).map { schedule.learningRate(atStep: $0) }
        expectClose(rates, [0, 1e-3 / 3, 2e-3 / 3, 1e-3, 1e-3], rtol: 1e-12, atol: 0)
    }

    @Test func constantWithoutWarmupIsFlat() {
        let schedule = LearningRateSchedule(kind: .constant, peakLearningRate: 2e-4, totalSteps: 3)
        #expect((1...3).map { schedule.learningRate(atStep: $0) } == [2e-4, 2e-4, 2e-4])
    }

    @Test func linearWarmsUpThenDecaysToZero() {
        // get_linear_schedule_with_warmup(W = 2, N = 10):
        //   s < 2: s / 2 → steps 1, 2 get 0, 0.5
        //   s ≥ 2: max(0, (10 - s) / 8) → step 3 (s = 2): 1; step 4: 7/8; step 10 (s = 9): 1/8
        let schedule = LearningRateSchedule(
            kind: .linear, peakLearningRate: 1, warmupSteps: 2,
            totalSteps: 10)
        let rates = (1...10).map { schedule.learningRate(atStep: $0) }
        let expected: [Double] = [0, 4, 8, 7, 6, 5, 4, 3, 2, 1].map { $0 / 8 }
        expectClose(rates, expected, rtol: 1e-12, atol: 1e-15)
        #expect(schedule.multiplier(afterSteps: 10) == 0)
        #expect(schedule.multiplier(afterSteps: 12) == 0)
    }

    @Test func cosineFollowsHalfACosine() {
        // get_cosine_schedule_with_warmup(W = 2, N = 10, num_cycles = 0.5):
        //   s ≥ 2: progress = (s - 2) / 8, λ = 0.5 · (1 + cos(π · progress))
        //   step 3 (s = 2): 1; step 6 (s = 5): 0.5 · (1 + cos(3π/8)) = 0.6913417;
        //   step 10 (s = 9): 0.5 · (1 + cos(7π/8)) = 0.0380602
        let schedule = LearningRateSchedule(
            kind: .cosine, peakLearningRate: 1, warmupSteps: 2,
            totalSteps: 10)
        expectClose(schedule.learningRate(atStep: 1), 0.0, rtol: 0, atol: 0)
        expectClose(schedule.learningRate(atStep: 2), 0.5, rtol: 1e-12, atol: 0)
        expectClose(schedule.learningRate(atStep: 3), 1.0, rtol: 1e-12, atol: 0)
        expectClose(schedule.learningRate(atStep: 6), 0.6913417, rtol: 1e-7, atol: 0)
        expectClose(schedule.learningRate(atStep: 10), 0.0380602, rtol: 1e-5, atol: 0)
    }

    @Test func warmupLongerThanTheRunNeverReachesThePeak() {
        let schedule = LearningRateSchedule(
            kind: .linear, peakLearningRate: 1, warmupSteps: 8,
            totalSteps: 4)
        expectClose(
            (1...4).map { schedule.learningRate(atStep: $0) }, [0, 0.125, 0.25, 0.375],
            rtol: 1e-12, atol: 0)
    }
}
