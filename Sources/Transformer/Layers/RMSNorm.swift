import Tensors

/// Root-mean-square layer normalisation, as Hugging Face `LlamaRMSNorm`.
///
/// `y = w ⊙ x / sqrt(mean(x²) + eps)` per row of width C, in float32, the weight applied after
/// normalising.
///
/// Backward, with `r = 1/sqrt(mean(x²) + eps)` and `g = dy ⊙ w`:
/// `dx = r·g − x · r³ · (g·x) / C`, `dw = Σ_rows dy ⊙ x · r`.
///
/// ### References
/// B. Zhang and R. Sennrich, "Root Mean Square Layer Normalization", 2019; transformers
/// `LlamaRMSNorm`.
public struct RMSNorm: Sendable {
    /// `[C]`.
    public var weight: Tensor
    public var eps: Float

    /// What backward needs besides the input: the per-row inverse RMS `r`, `[N]`.
    public struct Cache: Sendable {
        public var inverseRMS: FloatBuffer
    }

    /// The weight gradient `[C]`.
    public struct Gradients: Sendable {
        public var weight: Tensor

        public init(weight: Tensor) { self.weight = weight }
    }

    public init(weight: Tensor, eps: Float) {
        precondition(weight.rank == 1, "RMSNorm: weight must be 1-D, got \(weight.shape)")
        self.weight = weight
        self.eps = eps
    }

    public var width: Int { weight.count }

    /// Normalises `rows` rows of `x` `[N, C]` into `y` `[N, C]` (may not alias `x`).
    /// - Returns: the cache for `backward`.
    public func forward(
        _ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>
    ) -> Cache {
        let c = width
        let inverse = FloatBuffer(count: rows)
        let eps = self.eps
        weight.scalars.withUnsafeBufferPointer { wBuffer in
            let w = wBuffer.baseAddress!
            Parallel.forEachRange(rows, chunks: rows >= 64 ? 4 : 1) { range in
                for n in range {
                    let row = x + n * c
                    let meanSquare = VectorKernels.dot(row, row, count: c) / Float(c)
                    let r = 1 / (meanSquare + eps).squareRoot()
                    inverse.pointer[n] = r
                    let out = y + n * c
                    for j in 0..<c { out[j] = w[j] * (row[j] * r) }
                }
            }
        }
        return Cache(inverseRMS: inverse)
    }

    /// Back-propagates `dy` `[N, C]` through the normalisation.
    /// - Parameters:
    ///   - x: the forward input `[N, C]`.
    ///   - dx: receives the input gradient `[N, C]`: added to when `accumulate`, else overwritten.
    ///   - gradients: the weight gradient is added to when non-nil.
    public func backward(
        _ dy: UnsafePointer<Float>, input x: UnsafePointer<Float>, rows: Int, cache: Cache,
        dx: UnsafeMutablePointer<Float>, accumulate: Bool, gradients: inout Gradients?
    ) {
        let c = width
        weight.scalars.withUnsafeBufferPointer { wBuffer in
            let w = wBuffer.baseAddress!
            for n in 0..<rows {
                let r = cache.inverseRMS.pointer[n]
                let row = x + n * c
                let dRow = dy + n * c
                var gx: Float = 0
                for j in 0..<c { gx += dRow[j] * w[j] * row[j] }
                let k = r * r * r * gx / Float(c)
                let out = dx + n * c
                if accumulate {
                    for j in 0..<c { out[j] += r * dRow[j] * w[j] - row[j] * k }
                } else {
                    for j in 0..<c { out[j] = r * dRow[j] * w[j] - row[j] * k }
                }
            }
        }
        if gradients != nil {
            gradients!.weight.scalars.withUnsafeMutableBufferPointer { dwBuffer in
                let dw = dwBuffer.baseAddress!
                for n in 0..<rows {
                    let r = cache.inverseRMS.pointer[n]
                    let row = x + n * c
                    let dRow = dy + n * c
                    for j in 0..<c { dw[j] += dRow[j] * row[j] * r }
                }
            }
        }
    }
}
