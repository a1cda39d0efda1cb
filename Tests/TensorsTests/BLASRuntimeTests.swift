import Testing

@testable import Tensors

@Suite struct BLASRuntimeTests {
    static let avx512Flags: Set<String> = [
        "sse4_2", "avx", "avx2", "fma", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl",
    ]
    static let avx2Flags: Set<String> = ["sse4_2", "avx", "avx2", "fma"]

    @Test func underDetectedAVX512CPUGetsSkylakeX() {
        let decision = BLASRuntime.decide(
            environment: [:], cpuFlags: Self.avx512Flags, detectedCore: "Prescott")
        #expect(decision.coreToRequest == "SkylakeX")
        #expect(decision.reason.contains("Prescott"))
    }

    @Test func underDetectedAVX2CPUGetsHaswell() {
        let decision = BLASRuntime.decide(
            environment: [:], cpuFlags: Self.avx2Flags, detectedCore: "Prescott")
        #expect(decision.coreToRequest == "Haswell")
    }

    @Test func userSetCoreTypeAlwaysWins() {
        let decision = BLASRuntime.decide(
            environment: ["OPENBLAS_CORETYPE": "Sandybridge"], cpuFlags: Self.avx512Flags,
            detectedCore: "Sandybridge")
        #expect(decision.coreToRequest == nil)
        #expect(decision.reason.contains("OPENBLAS_CORETYPE=Sandybridge"))
    }

    @Test func unrecognisedUserCoreIsReported() {
        let decision = BLASRuntime.decide(
            environment: ["OPENBLAS_CORETYPE": "Bogus"], cpuFlags: Self.avx512Flags,
            detectedCore: "Cooperlake")
        #expect(decision.coreToRequest == nil)
        #expect(decision.reason.contains("did not take it"))
    }

    @Test func correctlyDetectedCoreIsLeftAlone() {
        let zen = BLASRuntime.decide(
            environment: [:], cpuFlags: Self.avx2Flags, detectedCore: "Zen")
        #expect(zen.coreToRequest == nil)
        let skx = BLASRuntime.decide(
            environment: [:], cpuFlags: Self.avx512Flags, detectedCore: "SkylakeX")
        #expect(skx.coreToRequest == nil)
    }

    @Test func unknownCoreNamesAreLeftAlone() {
        let decision = BLASRuntime.decide(
            environment: [:], cpuFlags: Self.avx512Flags, detectedCore: "Graniterapids")
        #expect(decision.coreToRequest == nil)
    }

    @Test func reexecutedProcessReportsTheAutomaticReason() {
        let environment = [
            "OPENBLAS_CORETYPE": "SkylakeX",
            "FMN_OPENBLAS_AUTOMATIC": "SkylakeX|chosen by fmn because of X",
        ]
        let decision = BLASRuntime.decide(
            environment: environment, cpuFlags: Self.avx512Flags, detectedCore: "SkylakeX")
        #expect(decision.coreToRequest == nil)
        #expect(decision.reason == "chosen by fmn because of X")
    }

    @Test func userChangeAfterAutomaticChoiceIsRespected() {
        // An inherited marker naming another core means the user changed OPENBLAS_CORETYPE.
        let environment = [
            "OPENBLAS_CORETYPE": "Haswell", "FMN_OPENBLAS_AUTOMATIC": "SkylakeX|old reason",
        ]
        let decision = BLASRuntime.decide(
            environment: environment, cpuFlags: Self.avx512Flags, detectedCore: "Haswell")
        #expect(decision.coreToRequest == nil)
        #expect(decision.reason.contains("OPENBLAS_CORETYPE=Haswell"))
    }

    @Test func cpuFlagsAreReadFromTheFlagsLine() {
        let cpuinfo = "processor\t: 0\nflags\t\t: fpu sse avx2 fma\nbugs\t\t: none\n"
        #expect(BLASRuntime.cpuFlags(cpuinfo: cpuinfo) == ["fpu", "sse", "avx2", "fma"])
        #expect(BLASRuntime.InstructionTier(cpuFlags: ["avx2", "fma"]) == .avx2)
        #expect(BLASRuntime.InstructionTier(cpuFlags: ["avx512f"]) == .sse)
    }

    @Test func sgemmMeasurementReturnsOneFiniteRatePerRepetition() {
        let rates = BLASRuntime.measureSgemm(size: 64, repetitions: 3)
        #expect(rates.count == 3)
        #expect(rates.allSatisfy { $0.isFinite && $0 > 0 })
    }
}
