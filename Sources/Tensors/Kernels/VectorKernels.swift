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
    @inlinable @inline(__always)
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
        let y = p * r * r + r + 1
        let bits = (t.bitPattern &- 0x4B40_0000 &+ 127) &<< 23
        return y * Float(bitPattern: bits)
    }
}
