import Tensors

/// Picks the next token from a row of logits: greedy, or temperature and nucleus (top-p)
/// sampling from a seeded generator.
///
/// - Greedy (`temperature == 0`): the arg-max, lowest index on a tie (as `torch.argmax`).
/// - Otherwise, in transformers' order: divide the logits by the temperature, take the softmax
///   (in double), keep the smallest set of most probable tokens whose probabilities add up to at
///   least `topP` (always at least one), renormalise, and draw with one uniform number from the
///   generator (inverse CDF over the kept tokens, most probable first).
///
/// ### References
/// A. Holtzman et al., "The Curious Case of Neural Text Degeneration", 2020 (top-p);
/// transformers `TemperatureLogitsWarper`, `TopPLogitsWarper`.
public struct Sampler: Sendable {
    /// Sampling settings.
    public struct Parameters: Sendable, Equatable {
        /// 0 for greedy decoding; otherwise > 0.
        public var temperature: Float
        /// Nucleus mass in `(0, 1]`; 1 keeps every token.
        public var topP: Float
        /// Seed of the generator (same seed, same samples).
        public var seed: UInt64

        public init(temperature: Float = 0, topP: Float = 1, seed: UInt64 = 0) {
            precondition(temperature >= 0, "Sampler: temperature \(temperature) < 0")
            precondition(topP > 0 && topP <= 1, "Sampler: top-p \(topP) outside (0, 1]")
            self.temperature = temperature
            self.topP = topP
            self.seed = seed
        }

        /// Greedy decoding.
        public static let greedy = Parameters()
    }

    public let parameters: Parameters
    /// The random stream; advances by one draw per sampled (non-greedy) token.
    public var generator: SeededGenerator

    public init(_ parameters: Parameters) {
        self.parameters = parameters
        generator = SeededGenerator(seed: parameters.seed)
    }

    /// The next token for `logits` `[V]`.
    public mutating func sample(_ logits: [Float]) -> Int {
        if parameters.temperature == 0 {
            return logits.withUnsafeBufferPointer {
                VectorKernels.argmax($0.baseAddress!, count: $0.count)
            }
        }
        let t = Double(parameters.temperature)
        let top = Double(logits.max() ?? 0)
        var weights = logits.map { _expSampler((Double($0) - top) / t) }
        let total = weights.reduce(0, +)
        for i in weights.indices { weights[i] /= total }
        var order = Array(weights.indices)
        order.sort { weights[$0] > weights[$1] || (weights[$0] == weights[$1] && $0 < $1) }
        var kept = 0
        var mass = 0.0
        while kept < order.count {
            mass += weights[order[kept]]
            kept += 1
            if mass >= Double(parameters.topP) { break }
        }
        let u = generator.nextUniformDouble() * mass
        var running = 0.0
        for k in 0..<kept {
            running += weights[order[k]]
            if u < running { return order[k] }
        }
        return order[kept - 1]
    }
}

#if canImport(Glibc)
    import Glibc
    @inline(__always) func _expSampler(_ x: Double) -> Double { Glibc.exp(x) }
#else
    import Foundation
    @inline(__always) func _expSampler(_ x: Double) -> Double { Foundation.exp(x) }
#endif
