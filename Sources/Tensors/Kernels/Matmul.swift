import COpenBLAS

#if canImport(Glibc)
    import Glibc
#endif

/// Single-precision matrix products through BLAS (`cblas_sgemm`, `cblas_sgemv`): the only place
/// ForgetMeNot calls into BLAS for products.
///
/// Every matrix is row-major. A matrix argument is a pointer to its first element plus its
/// leading dimension (the distance in elements between two consecutive rows), so a view of
/// columns `[c0, c0 + n)` of a wider row-major buffer is `pointer + c0` with the buffer's row
/// length as leading dimension — which is how attention reads one head out of `[T, H·D]`.
///
/// Threading: OpenBLAS is switched to one thread on first use, and a large product is split
/// into row (or column) blocks that run as parallel single-threaded `sgemm` calls through
/// `Parallel` (Dispatch). On a shared 2-core machine this is far more robust than OpenBLAS's own
/// static split, whose threads spin and wait on each other when another process takes a core
/// (measured: 10× slower under load); and products issued from inside a parallel loop (attention
/// heads) run without oversubscription.
///
/// ### References
/// BLAS Technical Forum standard, `xGEMM`/`xGEMV`; OpenBLAS.
public enum Matmul {
    /// Switches OpenBLAS to one thread, once per process (see the type's notes), and stops the
    /// worker threads it started when it was loaded: idle, they spin on `sched_yield` for a
    /// while (OpenBLAS's thread timeout, about 0.1 s), taking a core from short runs (measured:
    /// a third of the CPU time of a 0.08 s probe task). `blas_thread_shutdown_` is looked up at
    /// run time (it is exported by the pthreads builds, not declared in `cblas.h`).
    @usableFromInline
    static let singleThreadedBLAS: Bool = {
        openblas_set_num_threads(1)
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "blas_thread_shutdown_") {
            typealias Shutdown = @convention(c) () -> Int32
            _ = unsafeBitCast(symbol, to: Shutdown.self)()
        }
        return true
    }()

    /// Puts OpenBLAS in the single-threaded state `Matmul` uses, now rather than at the first
    /// product; call early in `main` so that its idle threads stop spinning at once.
    public static func prepareBLAS() { _ = singleThreadedBLAS }

    /// Products below this many multiply-adds run as one call.
    @usableFromInline
    static let splitThreshold = 1 << 18

    /// How many blocks a product of `work` multiply-adds over `extent` splittable rows gets:
    /// about two per core for load balancing, none thinner than 16 rows.
    @usableFromInline
    static func blockCount(work: Int, extent: Int) -> Int {
        if work < splitThreshold { return 1 }
        return max(1, min(2 * Parallel.coreCount, extent / 16))
    }

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
    public static func gemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(
            m >= 0 && n >= 0 && k >= 0, "Matmul.gemm: negative extent m \(m) n \(n) k \(k)")
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
        _ = singleThreadedBLAS
        let work = m * n * k
        // Split the larger side of C: each block then re-packs only its share of the other
        // operand's counterpart (OpenBLAS packs both operands per call).
        let splitRows = m >= n
        let blocks = blockCount(work: work, extent: splitRows ? m : n)
        if blocks == 1 {
            sgemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            return
        }
        let extent = splitRows ? m : n
        let step = (extent + blocks - 1) / blocks
        let box = UncheckedSendableBox((a, b, c))
        Parallel.forEach(blocks) { block in
            let (a, b, c) = box.value
            let start = block * step
            let count = min(extent, start + step) - start
            if count <= 0 { return }
            if splitRows {
                // Rows start..<start+count of op(A) and of C.
                let aBlock = transposeA ? a + start : a + start * lda
                sgemm(
                    transposeA, transposeB, count, n, k, alpha, aBlock, lda, b, ldb, beta,
                    c + start * ldc, ldc)
            } else {
                // Columns start..<start+count of op(B) and of C.
                let bBlock = transposeB ? b + start * ldb : b + start
                sgemm(
                    transposeA, transposeB, m, count, k, alpha, a, lda, bBlock, ldb, beta,
                    c + start, ldc)
            }
        }
    }

    @usableFromInline
    static func sgemm(
        _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
        _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
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
    public static func gemv(
        transpose: Bool = false, rows: Int, columns: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, beta: Float = 0, y: UnsafeMutablePointer<Float>
    ) {
        precondition(
            rows >= 0 && columns >= 0 && lda >= max(1, columns),
            "Matmul.gemv: bad extents rows \(rows) columns \(columns) lda \(lda)")
        if rows == 0 || columns == 0 {
            let count = transpose ? columns : rows
            for i in 0..<count { y[i] = beta == 0 ? 0 : beta * y[i] }
            return
        }
        _ = singleThreadedBLAS
        let blocks = transpose ? 1 : blockCount(work: rows * columns * 4, extent: rows)
        if blocks == 1 {
            cblas_sgemv(
                CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, blasint(rows),
                blasint(columns), alpha, a, blasint(lda), x, 1, beta, y, 1)
            return
        }
        // Row blocks of A (and of y) in parallel.
        let step = (rows + blocks - 1) / blocks
        let box = UncheckedSendableBox((a, x, y))
        Parallel.forEach(blocks) { block in
            let (a, x, y) = box.value
            let start = block * step
            let count = min(rows, start + step) - start
            if count <= 0 { return }
            cblas_sgemv(
                CblasRowMajor, CblasNoTrans, blasint(count), blasint(columns), alpha,
                a + start * lda, blasint(lda), x, 1, beta, y + start, 1)
        }
    }
}
