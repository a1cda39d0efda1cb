/// Matrix products of whole tensors, through `Matmul.gemm` (BLAS `sgemm`).
extension Tensor {
    /// The matrix product `op(a) · op(b)` of two 2-D tensors, where `op` optionally transposes.
    ///
    /// `matmul(x, w, transposeB: true)` is PyTorch's `x @ w.T`, the `nn.Linear` product for a
    /// weight stored `[out, in]`.
    /// - Parameters:
    ///   - a: `[m, k]`, or `[k, m]` when `transposeA`.
    ///   - b: `[k, n]`, or `[n, k]` when `transposeB`.
    /// - Returns: `[m, n]`.
    /// - Precondition: both are 2-D and the contracted extents agree.
    public static func matmul(
        _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false
    ) -> Tensor {
        precondition(
            a.rank == 2 && b.rank == 2,
            "Tensor.matmul: needs 2-D operands, got \(a.shape) and \(b.shape)")
        let m = transposeA ? a.shape[1] : a.shape[0]
        let k = transposeA ? a.shape[0] : a.shape[1]
        let kb = transposeB ? b.shape[1] : b.shape[0]
        let n = transposeB ? b.shape[0] : b.shape[1]
        precondition(
            k == kb,
            "Tensor.matmul: inner extents differ: \(a.shape)\(transposeA ? "ᵀ" : "") · "
                + "\(b.shape)\(transposeB ? "ᵀ" : "")")
        var result = Tensor(shape: [m, n])
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                result.scalars.withUnsafeMutableBufferPointer { pc in
                    Matmul.gemm(
                        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                        a: pa.baseAddress!, lda: max(1, a.shape[1]),
                        b: pb.baseAddress!, ldb: max(1, b.shape[1]),
                        c: pc.baseAddress!, ldc: max(1, n))
                }
            }
        }
        return result
    }

    /// Batched matrix product over the leading dimension: `result[i] = op(a[i]) · op(b[i])`.
    ///
    /// - Parameters:
    ///   - a: `[batch, m, k]` (or `[batch, k, m]` when `transposeA`).
    ///   - b: `[batch, k, n]` (or `[batch, n, k]` when `transposeB`).
    /// - Returns: `[batch, m, n]`.
    /// - Precondition: both are 3-D with equal batch and matching inner extents.
    public static func batchedMatmul(
        _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false
    ) -> Tensor {
        precondition(
            a.rank == 3 && b.rank == 3 && a.shape[0] == b.shape[0],
            "Tensor.batchedMatmul: needs 3-D operands with equal batch, got \(a.shape) and \(b.shape)"
        )
        let batch = a.shape[0]
        let m = transposeA ? a.shape[2] : a.shape[1]
        let k = transposeA ? a.shape[1] : a.shape[2]
        let kb = transposeB ? b.shape[2] : b.shape[1]
        let n = transposeB ? b.shape[1] : b.shape[2]
        precondition(
            k == kb,
            "Tensor.batchedMatmul: inner extents differ: \(a.shape) · \(b.shape)")
        var result = Tensor(shape: [batch, m, n])
        let strideA = a.shape[1] * a.shape[2]
        let strideB = b.shape[1] * b.shape[2]
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                result.scalars.withUnsafeMutableBufferPointer { pc in
                    for i in 0..<batch {
                        Matmul.gemm(
                            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                            a: pa.baseAddress! + i * strideA, lda: max(1, a.shape[2]),
                            b: pb.baseAddress! + i * strideB, ldb: max(1, b.shape[2]),
                            c: pc.baseAddress! + i * m * n, ldc: max(1, n))
                    }
                }
            }
        }
        return result
    }

    /// The transpose of a 2-D tensor.
    /// - Parameter self: `[rows, columns]`.
    /// - Returns: `[columns, rows]`.
    public func transposed() -> Tensor {
        precondition(rank == 2, "Tensor.transposed: needs a 2-D tensor, got \(shape)")
        let rows = shape[0]
        let columns = shape[1]
        var result = Tensor(shape: [columns, rows])
        scalars.withUnsafeBufferPointer { source in
            result.scalars.withUnsafeMutableBufferPointer { target in
                for r in 0..<rows {
                    for c in 0..<columns { target[c * rows + r] = source[r * columns + c] }
                }
            }
        }
        return result
    }
}
