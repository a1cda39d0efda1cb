import Testing

@testable import Training

@Suite struct TrainingConfigurationTests {
    @Test func totalStepsFollowEpochsAndAccumulation() {
        var config = TrainingConfiguration(method: .lora)
        config.gradientAccumulationSteps = 4
        // 25 micro-batches per epoch, 2 epochs: ceil(50 / 4) = 13 optimizer steps.
        config.epochs = 2
        #expect(Trainer.totalSteps(config, batchesPerEpoch: 25) == 13)
        // Half an epoch of 25: ceil(12.5) = 13 micro-batches, ceil(13 / 4) = 4 steps.
        config.epochs = 0.5
        #expect(Trainer.totalSteps(config, batchesPerEpoch: 25) == 4)
        config.maxSteps = 7
        #expect(Trainer.totalSteps(config, batchesPerEpoch: 25) == 7)
    }

    @Test func outOfRangeSettingsAreRejected() {
        var config = TrainingConfiguration(method: .lora)
        config.batchSize = 0
        #expect(throws: TrainingError.invalidSettings(reason: "batch size must be > 0, got 0")) {
            try config.validate()
        }
        config = TrainingConfiguration(method: .lora)
        config.loraDropout = 1
        #expect(throws: TrainingError.self) { try config.validate() }
        #expect(throws: Never.self) { try TrainingConfiguration(method: .full).validate() }
    }
}
