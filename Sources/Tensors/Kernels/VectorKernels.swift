#if canImport(Glibc)
    import Glibc
#else
    import Foundation
#endif

/// Natural logarithm for the `@inlinable` kernels (one spelling on every platform).
@usableFromInline func _log(_ x: Double) -> Double { log(x) }

/// Vectorised elementwise and reduction kernels on contiguous `Float` buffers.
///
/// Each kernel works on raw pointers plus a count, so that layers can apply it to a row of a
/// larger buffer without copying. Loops are written over `SIMD8<Float>` lanes with a scalar
/// tail; reductions accumulate in eight lanes, then combine the lanes (so their rounding differs
/// from a strictly sequential sum by float32 noise only).
public enum VectorKernels {
    /// `y += x`, elementwise over `count` elements.
    @inlinable
    public static func add(
        _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int
    ) {
        for i in 0..<count { y[i] += x[i] }
    }

    /// `y += alpha · x` (BLAS `axpy`), elementwise over `count` elements.
    @inlinable
    public static func addScaled(
        _ x: UnsafePointer<Float>, _ alpha: Float, into y: UnsafeMutablePointer<Float>, count: Int
    ) {
        for i in 0..<count { y[i] += alpha * x[i] }
    }

    /// `y *= alpha`, elementwise over `count` elements.
    @inlinable
    public static func scale(_ y: UnsafeMutablePointer<Float>, by alpha: Float, count: Int) {
        for i in 0..<count { y[i] *= alpha }
    }

    /// `Σ x[i] · y[i]` over `count` elements, accumulated in eight float32 lanes.
    @inlinable
    public static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int)
        -> Float
    {
        var lanes = SIMD8<Float>(repeating: 0)
        var i = 0
        while i + 8 <= count {
            let a = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
            let b = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self)
            lanes += a * b  // not addProduct: that lowers to one fmaf call per lane
            i += 8
        }
        var total = lanes.sum()
        while i < count {
            total += x[i] * y[i]
            i += 1
        }
        return total
    }

    /// `Σ x[i]` over `count` elements, accumulated in eight float32 lanes.
    @inlinable
    public static func sum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var lanes = SIMD8<Float>(repeating: 0)
        var i = 0
        while i + 8 <= count {
            lanes += UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
            i += 8
        }
        var total = lanes.sum()
        while i < count {
            total += x[i]
            i += 1
        }
        return total
    }

    /// The largest of `count > 0` elements (NaN-free input assumed).
    @inlinable
    public static func max(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var best = -Float.infinity
        for i in 0..<count where x[i] > best { best = x[i] }
        return best
    }

    /// The index of the largest element; the lowest index wins a tie (as `torch.argmax`).
    @inlinable
    public static func argmax(_ x: UnsafePointer<Float>, count: Int) -> Int {
        var best = -Float.infinity
        var index = 0
        for i in 0..<count where x[i] > best {
            best = x[i]
            index = i
        }
        return index
    }

    /// Whether every element is finite (no NaN, no ±Inf).
    @inlinable
    public static func allFinite(_ x: UnsafePointer<Float>, count: Int) -> Bool {
        var bad = false
        for i in 0..<count { bad = bad || !x[i].isFinite }
        return !bad
    }
}

/// Elementwise arithmetic on whole tensors.
extension Tensor {
    /// `self += other` elementwise.
    /// - Precondition: equal shapes.
    public mutating func add(_ other: Tensor) {
        precondition(shape == other.shape, "Tensor.add: shapes differ: \(shape) and \(other.shape)")
        let n = count
        scalars.withUnsafeMutableBufferPointer { y in
            other.scalars.withUnsafeBufferPointer { x in
                VectorKernels.add(x.baseAddress!, into: y.baseAddress!, count: n)
            }
        }
    }

    /// `self += alpha · other` elementwise.
    /// - Precondition: equal shapes.
    public mutating func add(_ other: Tensor, scaledBy alpha: Float) {
        precondition(shape == other.shape, "Tensor.add: shapes differ: \(shape) and \(other.shape)")
        let n = count
        scalars.withUnsafeMutableBufferPointer { y in
            other.scalars.withUnsafeBufferPointer { x in
                VectorKernels.addScaled(x.baseAddress!, alpha, into: y.baseAddress!, count: n)
            }
        }
    }

    /// `self *= alpha` elementwise.
    public mutating func scale(by alpha: Float) {
        let n = count
        scalars.withUnsafeMutableBufferPointer { y in
            VectorKernels.scale(y.baseAddress!, by: alpha, count: n)
        }
    }

    /// The same elements under a new shape (row-major order unchanged).
    /// - Precondition: the new shape has the same number of elements.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, scalars: scalars)
    }

    /// The sum of squares of all elements, accumulated in `Double` (for global gradient norms).
    public var sumOfSquares: Double {
        scalars.withUnsafeBufferPointer { x in
            var lanes = SIMD8<Double>(repeating: 0)
            var i = 0
            let n = x.count
            while i + 8 <= n {
                var v = SIMD8<Double>()
                for l in 0..<8 { v[l] = Double(x[i + l]) }
                lanes.addProduct(v, v)
                i += 8
            }
            var total = lanes.sum()
            while i < n {
                total += Double(x[i]) * Double(x[i])
                i += 1
            }
            return total
        }
    }

    /// Whether every element is finite (no NaN, no ±Inf).
    public var isFinite: Bool {
        scalars.withUnsafeBufferPointer {
            VectorKernels.allFinite($0.baseAddress!, count: $0.count)
        }
    }
}

extension VectorKernels {
    /// `x[i] = exp(x[i])` in place, in a loop the compiler vectorises.
    ///
    /// Cephes' `expf` scheme: `x = n·ln2 + r` with `|r| ≤ ln2/2` (`n` rounded to nearest with
    /// the 1.5·2²³ trick, which also leaves `n` in the low mantissa bits), a degree-6 polynomial
    /// for `exp(r)`, then scaling by `2ⁿ` through the exponent bits. Relative error below 2 ulp
    /// for inputs in `[-87.3, 88]`; inputs are clamped to that range (so `exp(-inf)` gives about
    /// 1e-38, not 0: callers that need exact zeros mask first).
    ///
    /// ### References
    /// S. Moshier, Cephes Math Library, `expf.c`.
    @inlinable
    public static func exp(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] = exp(x[i]) }
    }

    /// One `exp` as in `exp(_:count:)`; branch-free so that loops over it vectorise.
    @_transparent
    public static func exp(_ input: Float) -> Float {
        let magic: Float = 12_582_912  // 1.5 · 2²³
        let v = Swift.min(Swift.max(input, -87.3), 88.0)
        let t = v * 1.442_695_040_888_963_4 + magic
        let n = t - magic
        var r = v - n * 0.693_359_375
        r = r - n * -2.121_944_400_546_905_8e-4
        var p: Float = 1.987_569_150_0e-4
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        let y = p * (r * r) + (r + 1)
        let bits = (t.bitPattern &- 0x4B40_0000 &+ 127) &<< 23
        return y * Float(bitPattern: bits)
    }
}

extension VectorKernels {
    /// `exp` of eight lanes at once: the operations of `exp(_: Float)`, lane by lane, with each
    /// `a·b + c` done as `arithmetic` says (so with `SeparateMultiplyAdd` every lane equals the
    /// scalar result exactly, with `FusedMultiplyAdd` it may differ in the last bit).
    @_transparent
    public static func exp<Arithmetic: LaneArithmetic>(
        _ input: SIMD8<Float>, _ arithmetic: Arithmetic.Type
    ) -> SIMD8<Float> {
        let magic = SIMD8<Float>(repeating: 12_582_912)  // 1.5 · 2²³
        // `replacing` rather than `clamped`: the latter stays a generic call, this lowers to
        // min/max instructions.
        let low = SIMD8<Float>(repeating: -87.3)
        let high = SIMD8<Float>(repeating: 88.0)
        var v = input.replacing(with: low, where: input .< low)
        v = v.replacing(with: high, where: v .> high)
        let t = Arithmetic.multiplyAdd(v, SIMD8(repeating: 1.442_695_040_888_963_4), magic)
        let n = t - magic
        var r = Arithmetic.multiplyAdd(n, SIMD8(repeating: -0.693_359_375), v)
        r = Arithmetic.multiplyAdd(n, SIMD8(repeating: 2.121_944_400_546_905_8e-4), r)
        var p = SIMD8<Float>(repeating: 1.987_569_150_0e-4)
        p = Arithmetic.multiplyAdd(p, r, SIMD8(repeating: 1.398_199_950_7e-3))
        p = Arithmetic.multiplyAdd(p, r, SIMD8(repeating: 8.333_451_907_3e-3))
        p = Arithmetic.multiplyAdd(p, r, SIMD8(repeating: 4.166_579_589_4e-2))
        p = Arithmetic.multiplyAdd(p, r, SIMD8(repeating: 1.666_666_545_9e-1))
        p = Arithmetic.multiplyAdd(p, r, SIMD8(repeating: 5.000_000_120_1e-1))
        let y = Arithmetic.multiplyAdd(p, r * r, r + 1)
        let bits = unsafeBitCast(t, to: SIMD8<UInt32>.self)
        let scale = (bits &- 0x4B40_0000 &+ 127) &<< 23
        return y * unsafeBitCast(scale, to: SIMD8<Float>.self)
    }

    /// `x[i] = exp(x[i] - shift)` in place; returns `Σ x[i]` after the update (eight float32
    /// lanes, then the tail).
    @_transparent
    public static func expSubtractingSum<Arithmetic: LaneArithmetic>(
        _ x: UnsafeMutablePointer<Float>, count: Int, shift: Float, _ arithmetic: Arithmetic.Type
    ) -> Float {
        var lanes = SIMD8<Float>(repeating: 0)
        let s = SIMD8<Float>(repeating: shift)
        var i = 0
        while i + 8 <= count {
            let raw = UnsafeMutableRawPointer(x + i)
            let e = exp(raw.loadUnaligned(as: SIMD8<Float>.self) - s, arithmetic)
            raw.storeBytes(of: e, as: SIMD8<Float>.self)
            lanes += e
            i += 8
        }
        var total = lanes.sum()
        while i < count {
            let e = exp(x[i] - shift)
            x[i] = e
            total += e
            i += 1
        }
        return total
    }

    /// SwiGLU's activation: `out[i] = g·σ(g)·u` with `g = gate[i]`, `u = up[i]` and
    /// `σ(g) = 1 / (1 + exp(−g))`, eight lanes at a time (`exp` as `exp(_: SIMD8<Float>, _:)`).
    @_transparent
    public static func siluProduct<Arithmetic: LaneArithmetic>(
        gate: UnsafePointer<Float>, up: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
        count: Int, _ arithmetic: Arithmetic.Type
    ) {
        var i = 0
        let one = SIMD8<Float>(repeating: 1)
        while i + 8 <= count {
            let g = UnsafeRawPointer(gate + i).loadUnaligned(as: SIMD8<Float>.self)
            let u = UnsafeRawPointer(up + i).loadUnaligned(as: SIMD8<Float>.self)
            let value = g / (one + exp(-g, arithmetic)) * u
            UnsafeMutableRawPointer(out + i).storeBytes(of: value, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count {
            out[i] = gate[i] / (1 + exp(-gate[i])) * up[i]
            i += 1
        }
    }

    /// The largest of `count > 0` elements, eight lanes at a time (NaN-free input assumed).
    @_transparent
    public static func maxSIMD(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var best = -Float.infinity
        var i = 0
        if count >= 8 {
            var lanes = SIMD8<Float>(repeating: -.infinity)
            while i + 8 <= count {
                let next = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
                lanes = lanes.replacing(with: next, where: next .> lanes)
                i += 8
            }
            // Lane by lane: `SIMD.max()` stays a generic call.
            for lane in 0..<8 { best = Swift.max(best, lanes[lane]) }
        }
        while i < count {
            best = Swift.max(best, x[i])
            i += 1
        }
        return best
    }

    /// `log_softmax(row)[target]` and whether `target` is the row's argmax (the first index on
    /// ties, as `torch.argmax`). The row is overwritten (it holds `exp(x − max)` afterwards).
    ///
    /// The log-sum-exp is `max + log Σ exp(x − max)` with the sum in float32 lanes and the
    /// logarithm and final subtraction in float64.
    @_transparent
    public static func logSoftmax<Arithmetic: LaneArithmetic>(
        _ row: UnsafeMutablePointer<Float>, count: Int, at target: Int,
        _ arithmetic: Arithmetic.Type
    ) -> (logProbability: Double, isArgmax: Bool) {
        let top = maxSIMD(row, count: count)
        let value = row[target]
        var isArgmax = value == top
        if isArgmax {
            for i in 0..<target where row[i] == top {
                isArgmax = false
                break
            }
        }
        let total = expSubtractingSum(row, count: count, shift: top, arithmetic)
        return (Double(value) - Double(top) - _log(Double(total)), isArgmax)
    }
}

/// How the `@_transparent` SIMD kernels compute `a·b + c` on eight lanes. Baseline x86-64 has
/// no FMA instruction (`addingProduct` would become a library call per lane there), so the
/// baseline builds use `SeparateMultiplyAdd`; `TensorsAVX2` passes `FusedMultiplyAdd`.
public protocol LaneArithmetic {
    static func multiplyAdd(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: SIMD8<Float>)
        -> SIMD8<Float>
}

/// `a * b + c`, rounded twice.
public enum SeparateMultiplyAdd: LaneArithmetic {
    @_transparent
    public static func multiplyAdd(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: SIMD8<Float>)
        -> SIMD8<Float>
    { a * b + c }
}

/// `c.addingProduct(a, b)`: one rounding, one instruction where the target has FMA.
public enum FusedMultiplyAdd: LaneArithmetic {
    @_transparent
    public static func multiplyAdd(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: SIMD8<Float>)
        -> SIMD8<Float>
    { c.addingProduct(a, b) }
}
