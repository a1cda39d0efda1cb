import Tensors

#if canImport(Glibc)
    import Glibc
#endif

/// Rotary position embedding in Hugging Face's rotate-half layout, default (unscaled) RoPE.
///
/// Within each head of width D, dimension `d < D/2` is paired with `d + D/2` (not with its
/// neighbour, as in Meta's original code and llama2.c). With `invFreq[i] = 1 / θ^(2i/D)` and
/// `angle[p, i] = p · invFreq[i]`:
/// `x'[d] = x[d]·cos − x[d+D/2]·sin`, `x'[d+D/2] = x[d+D/2]·cos + x[d]·sin`.
/// The table is computed in float32 exactly as transformers does (`invFreq` in float32, the
/// angle as a float32 product, float32 `cos`/`sin`), because a float64 table differs by up to
/// 5e-7 and more at long positions.
///
/// Backward applies the inverse rotation (the transpose) to the gradient.
///
/// ### References
/// J. Su et al., "RoFormer", 2021; transformers `LlamaRotaryEmbedding`, `rotate_half`.
public struct RoPE: Sendable {
    /// D.
    public let headDim: Int
    /// Number of positions in the table.
    public let maxPositions: Int
    /// `cos(angle)`, `[maxPositions, D/2]`.
    public let cosTable: [Float]
    /// `sin(angle)`, `[maxPositions, D/2]`.
    public let sinTable: [Float]

    public init(headDim: Int, theta: Double, maxPositions: Int) {
        precondition(headDim % 2 == 0, "RoPE: head dim \(headDim) must be even")
        self.headDim = headDim
        self.maxPositions = maxPositions
        let half = headDim / 2
        let inverseFrequency: [Float] = (0..<half).map { i in
            let exponent = Float(2 * i) / Float(headDim)
            return 1 / powf(Float(theta), exponent)
        }
        var cosValues = [Float](repeating: 0, count: maxPositions * half)
        var sinValues = cosValues
        for p in 0..<maxPositions {
            for i in 0..<half {
                let angle = Float(p) * inverseFrequency[i]
                cosValues[p * half + i] = cosf(angle)
                sinValues[p * half + i] = sinf(angle)
            }
        }
        cosTable = cosValues
        sinTable = sinValues
    }

    /// Rotates `heads` heads of width D in each of `rows` rows, in place.
    /// - Parameters:
    ///   - x: `[rows, heads·D]`.
    ///   - position: the position of row `n` (`n % T` for a batch of sequences; the cache offset
    ///     plus `n` when decoding).
    ///   - inverse: rotate by `-angle` (the backward pass).
    /// - Precondition: every position is below `maxPositions`.
    public func apply(
        _ x: UnsafeMutablePointer<Float>, rows: Int, heads: Int, inverse: Bool = false,
        position: (Int) -> Int
    ) {
        let half = headDim / 2
        let width = heads * headDim
        cosTable.withUnsafeBufferPointer { cosBuffer in
            sinTable.withUnsafeBufferPointer { sinBuffer in
                for n in 0..<rows {
                    let p = position(n)
                    precondition(
                        p >= 0 && p < maxPositions,
                        "RoPE: position \(p) outside the table of \(maxPositions)")
                    let cosRow = cosBuffer.baseAddress! + p * half
                    let sinRow = sinBuffer.baseAddress! + p * half
                    for h in 0..<heads {
                        let v = x + n * width + h * headDim
                        for i in 0..<half {
                            let a = v[i]
                            let b = v[i + half]
                            let c = cosRow[i]
                            let s = inverse ? -sinRow[i] : sinRow[i]
                            v[i] = a * c - b * s
                            v[i + half] = b * c + a * s
                        }
                    }
                }
            }
        }
    }

    /// The tables in transformers' layout `cat(f, f)`: `[positions, D]` each (for checks against
    /// `rope_cos`/`rope_sin`).
    public func fullTables(positions: Int) -> (cos: [Float], sin: [Float]) {
        let half = headDim / 2
        var c: [Float] = []
        var s: [Float] = []
        for p in 0..<positions {
            let row = p * half
            c += cosTable[row..<(row + half)] + cosTable[row..<(row + half)]
            s += sinTable[row..<(row + half)] + sinTable[row..<(row + half)]
        }
        return (c, s)
    }
}
