import Foundation

/// CPython's `random.Random` (MT19937) for the parts lm-eval's few-shot sampler uses:
/// `Random(seed)` with an integer seed, and `sample(population, k)`. Same seed, same picks as
/// Python, so a few-shot context equals lm-eval's.
///
/// ### References
/// CPython `Modules/_randommodule.c` (`init_by_array`, `genrand_uint32`) and `Lib/random.py`
/// (`_randbelow_with_getrandbits`, `sample`).
struct PythonRandom {
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 625

    /// `random.Random(seed)`: the key is `abs(seed)` split into 32-bit words, least
    /// significant first.
    init(seed: Int) {
        var n = seed.magnitude
        var key: [UInt32] = []
        repeat {
            key.append(UInt32(truncatingIfNeeded: n))
            n >>= 32
        } while n > 0
        initByArray(key)
    }

    private mutating func initGenrand(_ s: UInt32) {
        state[0] = s
        for i in 1..<624 {
            state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
        index = 624
    }

    private mutating func initByArray(_ key: [UInt32]) {
        initGenrand(19_650_218)
        var i = 1
        var j = 0
        for _ in 0..<max(624, key.count) {
            state[i] =
                (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_664_525)) &+ key[j]
                &+ UInt32(j)
            i += 1
            j += 1
            if i >= 624 {
                state[0] = state[623]
                i = 1
            }
            if j >= key.count { j = 0 }
        }
        for _ in 0..<623 {
            state[i] =
                (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= 624 {
                state[0] = state[623]
                i = 1
            }
        }
        state[0] = 0x8000_0000
    }

    mutating func nextUInt32() -> UInt32 {
        if index >= 624 {
            for k in 0..<624 {
                let y = (state[k] & 0x8000_0000) | (state[(k + 1) % 624] & 0x7fff_ffff)
                var v = state[(k + 397) % 624] ^ (y >> 1)
                if y & 1 != 0 { v ^= 0x9908_b0df }
                state[k] = v
            }
            index = 0
        }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    /// `getrandbits(k)` for 1 ≤ k ≤ 32.
    mutating func randomBits(_ k: Int) -> UInt32 { nextUInt32() >> UInt32(32 - k) }

    /// `_randbelow(n)`: rejection sampling on `n.bit_length()` bits.
    mutating func below(_ n: Int) -> Int {
        precondition(n > 0 && n <= Int(UInt32.max), "below(\(n)): n must be in 1...2^32-1")
        let k = Int.bitWidth - n.leadingZeroBitCount
        var r = Int(randomBits(k))
        while r >= n { r = Int(randomBits(k)) }
        return r
    }

    /// `sample(range(n), k)`: k distinct indices in CPython's order.
    mutating func sample(count n: Int, k: Int) -> [Int] {
        precondition(k >= 0 && k <= n, "sample: k \(k) must be in 0...\(n)")
        var setSize = 21
        if k > 5 {
            setSize += Int(pow(4.0, ceil(log(Double(k * 3)) / log(4.0))))
        }
        var result: [Int] = []
        if n <= setSize {
            var pool = Array(0..<n)
            for i in 0..<k {
                let j = below(n - i)
                result.append(pool[j])
                pool[j] = pool[n - i - 1]
            }
        } else {
            var selected = Set<Int>()
            for _ in 0..<k {
                var j = below(n)
                while selected.contains(j) { j = below(n) }
                selected.insert(j)
                result.append(j)
            }
        }
        return result
    }
}
