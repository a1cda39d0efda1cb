/// The seeded random number generator of every resampling in `Analysis`: xoshiro256**.
///
/// The 256-bit state is filled from a 64-bit seed with SplitMix64, as the algorithm's authors
/// recommend; `next()` is xoshiro256** 1.0. Uniform integers below `n` use Lemire's
/// multiply-shift with rejection (no modulo bias). The same seed gives the same stream on every
/// platform and Swift version, so bootstrap intervals are reproducible bit for bit.
///
/// ### References
/// D. Blackman, S. Vigna, *Scrambled Linear Pseudorandom Number Generators*, ACM TOMS 2021
/// (xoshiro256**, SplitMix64); D. Lemire, *Fast Random Integer Generation in an Interval*,
/// ACM TOMACS 2019.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64

    /// Creates a generator whose state is four SplitMix64 outputs from `seed`.
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix()
        s1 = splitMix()
        s2 = splitMix()
        s3 = splitMix()
    }

    /// A generator for one named stream of a seed: `seed` mixed with the FNV-1a hash of `key`
    /// and `index`, so that each task and each block of resamples has its own stream and results
    /// do not depend on evaluation order or thread count.
    public init(seed: UInt64, key: String, index: Int = 0) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        self.init(seed: seed ^ hash ^ (UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15))
    }

    /// The next 64 random bits (xoshiro256**).
    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform integer in `0..<n` (Lemire's method).
    /// - Precondition: `n > 0`.
    @inline(__always)
    public mutating func index(below n: Int) -> Int {
        precondition(n > 0, "SeededGenerator.index(below:): n must be > 0, got \(n)")
        let bound = UInt64(n)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return Int(product.high)
    }
}
