import COpenBLAS

/// Single-precision matrix products through BLAS (`cblas_sgemm`, `cblas_sgemv`): the only place
/// ForgetMeNot calls into BLAS for products.
///
/// Every matrix is row-major. A matrix argument is a pointer to its first element plus its
/// leading dimension (the distance in elements between two consecutive rows), so a view of
/// columns `[c0, c0 + n)` of a wider row-major buffer is `pointer + c0` with the buffer's row
/// length as leading dimension — which is how attention reads one head out of `[T, H·D]`.
///
/// ### References
/// BLAS Technical Forum standard, `xGEMM`/`xGEMV`; OpenBLAS.
public enum Matmul {
    /// `C = alpha · op(A) · op(B) + beta · C`, where `op(X)` is `X` or `Xᵀ`.
    ///
    /// - Parameters:
    ///   - transposeA: when true `A` is stored `[k, m]` and used transposed; otherwise `[m, k]`.
    ///   - transposeB: when true `B` is stored `[n, k]` and used transposed; otherwise `[k, n]`.
    ///   - m: rows of `C`.
    ///   - n: columns of `C`.
    ///   - k: the contracted extent.
    ///   - a: first element of `A`; `lda` its leading dimension.
    ///   - b: first element of `B`; `ldb` its leading dimension.
    ///   - c: first element of `C` `[m, n]`; `ldc` its leading dimension.
    ///   - beta: 0 overwrites `C` (its old contents may be garbage), 1 accumulates.
    /// - Precondition: extents are non-negative and leading dimensions cover their rows.
    @inlinable
    public static func gemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "Matmul.gemm: negative extent m \(m) n \(n) k \(k)")
        precondition(
            lda >= max(1, transposeA ? m : k) && ldb >= max(1, transposeB ? k : n)
                && ldc >= max(1, n),
            "Matmul.gemm: leading dimensions lda \(lda) ldb \(ldb) ldc \(ldc) too small for "
                + "m \(m) n \(n) k \(k)")
        if m == 0 || n == 0 { return }
        if k == 0 {
            for i in 0..<m {
                let row = c + i * ldc
                for j in 0..<n { row[j] = beta == 0 ? 0 : beta * row[j] }
            }
            return
        }
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c,
            blasint(ldc))
    }

    /// `y = alpha · op(A) · x + beta · y` for a row-major `A` `[rows, columns]`.
    ///
    /// - Parameters:
    ///   - transpose: when true computes `Aᵀ x` (`x` has `rows` elements, `y` has `columns`).
    ///   - lda: leading dimension of `A` (at least `columns`).
    ///   - beta: 0 overwrites `y`, 1 accumulates.
    @inlinable
    public static func gemv(
        transpose: Bool = false, rows: Int, columns: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, beta: Float = 0, y: UnsafeMutablePointer<Float>
    ) {
        precondition(rows >= 0 && columns >= 0 && lda >= max(1, columns),
            "Matmul.gemv: bad extents rows \(rows) columns \(columns) lda \(lda)")
        if rows == 0 || columns == 0 {
            let count = transpose ? columns : rows
            for i in 0..<count { y[i] = beta == 0 ? 0 : beta * y[i] }
            return
        }
        cblas_sgemv(
            CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, blasint(rows), blasint(columns),
            alpha, a, blasint(lda), x, 1, beta, y, 1)
    }
}
