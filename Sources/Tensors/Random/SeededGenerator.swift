#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A seeded, reproducible random number generator: xoshiro256** seeded through SplitMix64.
///
/// The same seed gives the same stream on every platform and Swift version (unlike
/// `SystemRandomNumberGenerator`), so LoRA initialisation, dropout masks, sampling and data
/// shuffling are repeatable. The four state words can be saved and restored (`state`) to resume
/// a run exactly.
///
/// - `next()` is xoshiro256** 1.0.
/// - `nextUniform()` is `(next() >> 40) · 2⁻²⁴`, a float32 in `[0, 1)` with 24 random bits.
/// - `nextNormal()` is Box–Muller on two uniform doubles (53 bits each), one draw per call (the
///   second value of each pair is discarded so that the stream position is simple to reason
///   about).
///
/// ### References
/// D. Blackman and S. Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 2021
/// (xoshiro256**, SplitMix64); G. Box and M. Muller, 1958.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    /// The four xoshiro256** state words; never all zero.
    public var state: (UInt64, UInt64, UInt64, UInt64)

    /// Seeds the state with four successive SplitMix64 outputs of `seed`.
    public init(seed: UInt64) {
        var s = seed
        func splitMix() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// Restores a saved state (as read from `stateWords`).
    /// - Precondition: four words, not all zero.
    public init(stateWords: [UInt64]) {
        precondition(
            stateWords.count == 4 && stateWords.contains { $0 != 0 },
            "SeededGenerator: needs four state words, not all zero; got \(stateWords)")
        state = (stateWords[0], stateWords[1], stateWords[2], stateWords[3])
    }

    /// The state as four words, for saving; `init(stateWords:)` restores it.
    public var stateWords: [UInt64] { [state.0, state.1, state.2, state.3] }

    public static func == (lhs: SeededGenerator, rhs: SeededGenerator) -> Bool {
        lhs.stateWords == rhs.stateWords
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotl(state.3, 45)
        return result
    }

    @inline(__always)
    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A float32 uniformly distributed in `[0, 1)`.
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A double uniformly distributed in `[0, 1)` (53 random bits).
    public mutating func nextUniformDouble() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// A standard normal draw (mean 0, standard deviation 1) by Box–Muller.
    public mutating func nextNormal() -> Double {
        let u1 = 1.0 - nextUniformDouble()  // (0, 1]: log is finite
        let u2 = nextUniformDouble()
        return (-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2)
    }
}

extension Tensor {
    /// A tensor with elements drawn uniformly from `[-bound, bound)`.
    ///
    /// With `bound = 1/sqrt(fanIn)` this is PyTorch's `kaiming_uniform_(a=sqrt(5))`, the default
    /// `nn.Linear` weight init that peft uses for `lora_A` (the values differ from PyTorch's,
    /// the distribution does not).
    public init(uniformIn bound: Float, shape: [Int], using generator: inout SeededGenerator) {
        var values = [Float](repeating: 0, count: shape.reduce(1, *))
        for i in values.indices { values[i] = (2 * generator.nextUniform() - 1) * bound }
        self.init(shape: shape, scalars: values)
    }

    /// A tensor with normally distributed elements (drawn in double, rounded to float32).
    public init(
        normalWithStandardDeviation standardDeviation: Double, mean: Double = 0, shape: [Int],
        using generator: inout SeededGenerator
    ) {
        var values = [Float](repeating: 0, count: shape.reduce(1, *))
        for i in values.indices {
            values[i] = Float(mean + standardDeviation * generator.nextNormal())
        }
        self.init(shape: shape, scalars: values)
    }
}
