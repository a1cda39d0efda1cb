/// Attention kernels for inference.
///
/// The bodies are `@inlinable @inline(__always)` so that `TensorsAVX2` can compile them again
/// for AVX2 + FMA (see `KernelDispatch` in `Transformer`): call them through the dispatcher, not
/// directly, on hot paths.
public enum AttentionKernel {
    /// Fused attention for the query heads of one kv head, for inference: scores only for the
    /// keys a row sees, softmax and the weighted sum of values, without a `[T, T]` matrix.
    ///
    /// Query row `r` (position `past + r`) sees keys `[0, a)` and `[s, past + r]`, where
    /// `a = sharedEnd[r]`, `s = segmentStart[r]` (both 0 when the pointers are nil: plain causal
    /// attention over a cache of `past` earlier positions). Keys and values are transposed to
    /// `[D, M]` once per call, so that scores and weighted sums run eight keys per SIMD lane
    /// group whatever D is. Values equal `softmax(q kᵀ / √D) v` up to float32 rounding (the
    /// scale is applied to q, the normalisation after the weighted sum).
    ///
    /// - Parameters:
    ///   - queries: row 0 of the first head, `[n, heads·D]` with row stride `queryStride`
    ///     (rotated); head `h` starts at column `h·D`.
    ///   - keys, values: `[past + n, D]` with row stride `keyStride` (keys rotated).
    ///   - context: receives `[n, heads·D]` with row stride `contextStride`.
    @_transparent
    public static func attendGroup<Arithmetic: LaneArithmetic>(
        queries: UnsafePointer<Float>, queryStride: Int, heads: Int,
        keys: UnsafePointer<Float>, values: UnsafePointer<Float>, keyStride: Int,
        queryCount n: Int, past: Int, headDim d: Int,
        sharedEnd: UnsafePointer<Int32>?, segmentStart: UnsafePointer<Int32>?,
        context: UnsafeMutablePointer<Float>, contextStride: Int, arithmetic: Arithmetic.Type
    ) {
        let m = past + n
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 2 * d * m + m + d)
        defer { scratch.deallocate() }
        let kt = scratch
        let vt = scratch + d * m
        let scores = vt + d * m
        let q = scores + m
        for j in 0..<m {
            let k = keys + j * keyStride
            let v = values + j * keyStride
            for e in 0..<d {
                kt[e * m + j] = k[e]
                vt[e * m + j] = v[e]
            }
        }
        let scale = 1 / Float(d).squareRoot()
        for r in 0..<n {
            let end = past + r + 1
            let a = sharedEnd.map { Int($0[r]) } ?? 0
            let s = segmentStart.map { Int($0[r]) } ?? 0
            let count = a + end - s
            for h in 0..<heads {
                let qRow = queries + r * queryStride + h * d
                for e in 0..<d { q[e] = qRow[e] * scale }
                scoreKeys(q, kt, m: m, d: d, from: 0, to: a, into: scores, arithmetic)
                scoreKeys(q, kt, m: m, d: d, from: s, to: end, into: scores + a, arithmetic)
                let top = VectorKernels.maxSIMD(scores, count: count)
                let total = VectorKernels.expSubtractingSum(
                    scores, count: count, shift: top, arithmetic)
                let inverse = 1 / total
                let out = context + r * contextStride + h * d
                for e in 0..<d {
                    let row = vt + e * m
                    let weighted =
                        dot(scores, row, count: a, arithmetic)
                        + dot(scores + a, row + s, count: end - s, arithmetic)
                    out[e] = weighted * inverse
                }
            }
        }
    }

    /// `out[j − from] = Σ_e q[e] · kt[e·m + j]` for `j` in `from..<to`: thirty-two keys per
    /// step in four SIMD8 accumulators, then sixteen, eight and single keys.
    @_transparent
    public static func scoreKeys<Arithmetic: LaneArithmetic>(
        _ q: UnsafePointer<Float>, _ kt: UnsafePointer<Float>, m: Int, d: Int, from: Int,
        to: Int, into out: UnsafeMutablePointer<Float>, _ arithmetic: Arithmetic.Type
    ) {
        var j = from
        while j + 32 <= to {
            var a0 = SIMD8<Float>(repeating: 0)
            var a1 = SIMD8<Float>(repeating: 0)
            var a2 = SIMD8<Float>(repeating: 0)
            var a3 = SIMD8<Float>(repeating: 0)
            for e in 0..<d {
                let qe = SIMD8<Float>(repeating: q[e])
                let row = UnsafeRawPointer(kt + (e &* m &+ j))
                a0 = Arithmetic.multiplyAdd(qe, row.loadUnaligned(as: SIMD8<Float>.self), a0)
                a1 = Arithmetic.multiplyAdd(
                    qe, row.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self), a1)
                a2 = Arithmetic.multiplyAdd(
                    qe, row.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self), a2)
                a3 = Arithmetic.multiplyAdd(
                    qe, row.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self), a3)
            }
            let target = UnsafeMutableRawPointer(out + (j - from))
            target.storeBytes(of: a0, as: SIMD8<Float>.self)
            target.storeBytes(of: a1, toByteOffset: 32, as: SIMD8<Float>.self)
            target.storeBytes(of: a2, toByteOffset: 64, as: SIMD8<Float>.self)
            target.storeBytes(of: a3, toByteOffset: 96, as: SIMD8<Float>.self)
            j += 32
        }
        while j + 16 <= to {
            var a0 = SIMD8<Float>(repeating: 0)
            var a1 = SIMD8<Float>(repeating: 0)
            for e in 0..<d {
                let qe = SIMD8<Float>(repeating: q[e])
                let row = UnsafeRawPointer(kt + e * m + j)
                a0 = Arithmetic.multiplyAdd(qe, row.loadUnaligned(as: SIMD8<Float>.self), a0)
                a1 = Arithmetic.multiplyAdd(
                    qe, row.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self), a1)
            }
            let target = UnsafeMutableRawPointer(out + (j - from))
            target.storeBytes(of: a0, as: SIMD8<Float>.self)
            target.storeBytes(of: a1, toByteOffset: 32, as: SIMD8<Float>.self)
            j += 16
        }
        while j + 8 <= to {
            var a0 = SIMD8<Float>(repeating: 0)
            for e in 0..<d {
                a0 = Arithmetic.multiplyAdd(
                    SIMD8<Float>(repeating: q[e]),
                    UnsafeRawPointer(kt + e * m + j).loadUnaligned(as: SIMD8<Float>.self), a0)
            }
            UnsafeMutableRawPointer(out + (j - from)).storeBytes(of: a0, as: SIMD8<Float>.self)
            j += 8
        }
        while j < to {
            var total: Float = 0
            for e in 0..<d { total += q[e] * kt[e * m + j] }
            out[j - from] = total
            j += 1
        }
    }

    /// `Σ x[i] · y[i]` in four SIMD8 accumulators (independent chains), then eight and single
    /// elements.
    @_transparent
    public static func dot<Arithmetic: LaneArithmetic>(
        _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int,
        _ arithmetic: Arithmetic.Type
    ) -> Float {
        var a0 = SIMD8<Float>(repeating: 0)
        var a1 = SIMD8<Float>(repeating: 0)
        var a2 = SIMD8<Float>(repeating: 0)
        var a3 = SIMD8<Float>(repeating: 0)
        var i = 0
        while i + 32 <= count {
            let px = UnsafeRawPointer(x + i)
            let py = UnsafeRawPointer(y + i)
            a0 = Arithmetic.multiplyAdd(
                px.loadUnaligned(as: SIMD8<Float>.self), py.loadUnaligned(as: SIMD8<Float>.self),
                a0)
            a1 = Arithmetic.multiplyAdd(
                px.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self),
                py.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self), a1)
            a2 = Arithmetic.multiplyAdd(
                px.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self),
                py.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self), a2)
            a3 = Arithmetic.multiplyAdd(
                px.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self),
                py.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self), a3)
            i += 32
        }
        a0 += a2
        a1 += a3
        while i + 8 <= count {
            a0 = Arithmetic.multiplyAdd(
                UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self),
                UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self), a0)
            i += 8
        }
        var total = (a0 + a1).sum()
        while i < count {
            total += x[i] * y[i]
            i += 1
        }
        return total
    }
}
