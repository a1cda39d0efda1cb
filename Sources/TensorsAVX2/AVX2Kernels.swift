import Tensors

/// `Tensors`' hottest inference kernels compiled again for AVX2 + FMA (this target is built with
/// `-target-cpu haswell`; the kernels' `@inlinable @inline(__always)` bodies are inlined here and
/// so get 256-bit code, where the rest of the package targets baseline x86-64, SSE2).
///
/// Only call these on a CPU that has AVX2 and FMA: `Transformer`'s `KernelDispatch` checks
/// `/proc/cpuinfo` once and falls back to the baseline builds of the same kernels otherwise.
/// Results equal the baseline's up to float32 rounding (the same operations, in wider lanes).
public enum AVX2Kernels {
    /// `AttentionKernel.attendGroup`, AVX2 build.
    public static func attendGroup(
        queries: UnsafePointer<Float>, queryStride: Int, heads: Int,
        keys: UnsafePointer<Float>, values: UnsafePointer<Float>, keyStride: Int,
        queryCount n: Int, past: Int, headDim d: Int,
        sharedEnd: UnsafePointer<Int32>?, segmentStart: UnsafePointer<Int32>?,
        context: UnsafeMutablePointer<Float>, contextStride: Int
    ) {
        AttentionKernel.attendGroup(
            queries: queries, queryStride: queryStride, heads: heads, keys: keys, values: values,
            keyStride: keyStride, queryCount: n, past: past, headDim: d, sharedEnd: sharedEnd,
            segmentStart: segmentStart, context: context, contextStride: contextStride,
            arithmetic: FusedMultiplyAdd.self)
    }

    /// `VectorKernels.logSoftmax(_:count:at:)`, AVX2 build.
    public static func logSoftmax(_ row: UnsafeMutablePointer<Float>, count: Int, at target: Int)
        -> (logProbability: Double, isArgmax: Bool)
    {
        VectorKernels.logSoftmax(row, count: count, at: target, FusedMultiplyAdd.self)
    }

    /// `VectorKernels.siluProduct`, AVX2 build.
    public static func siluProduct(
        gate: UnsafePointer<Float>, up: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
        count: Int
    ) {
        VectorKernels.siluProduct(
            gate: gate, up: up, into: out, count: count, FusedMultiplyAdd.self)
    }
}
