import Foundation
import Tensors
import TensorsAVX2

/// Picks, once per process, the build of the hot inference kernels that suits the CPU: the
/// AVX2 + FMA build (`TensorsAVX2`) when `/proc/cpuinfo` lists both flags, the baseline build
/// (`Tensors`) otherwise. `FMN_KERNELS=baseline` forces the baseline (for comparisons and
/// tests).
public enum KernelDispatch {
    /// True when the AVX2 + FMA kernels are in use.
    public static let usesAVX2: Bool = {
        #if arch(x86_64)
            if ProcessInfo.processInfo.environment["FMN_KERNELS"] == "baseline" { return false }
            let flags = BLASRuntime.cpuFlags()
            return flags.contains("avx2") && flags.contains("fma")
        #else
            return false
        #endif
    }()

    /// The kernel build in use, for `fmn doctor`: "avx2" or "baseline".
    public static var name: String { usesAVX2 ? "avx2" : "baseline" }

    /// `AttentionKernel.attendGroup` (see there).
    @inline(__always)
    static func attendGroup(
        queries: UnsafePointer<Float>, queryStride: Int, heads: Int,
        keys: UnsafePointer<Float>, values: UnsafePointer<Float>, keyStride: Int,
        queryCount n: Int, past: Int, headDim d: Int,
        sharedEnd: UnsafePointer<Int32>?, segmentStart: UnsafePointer<Int32>?,
        context: UnsafeMutablePointer<Float>, contextStride: Int
    ) {
        if usesAVX2 {
            AVX2Kernels.attendGroup(
                queries: queries, queryStride: queryStride, heads: heads, keys: keys,
                values: values, keyStride: keyStride, queryCount: n, past: past, headDim: d,
                sharedEnd: sharedEnd, segmentStart: segmentStart, context: context,
                contextStride: contextStride)
        } else {
            AttentionKernel.attendGroup(
                queries: queries, queryStride: queryStride, heads: heads, keys: keys,
                values: values, keyStride: keyStride, queryCount: n, past: past, headDim: d,
                sharedEnd: sharedEnd, segmentStart: segmentStart, context: context,
                contextStride: contextStride, arithmetic: SeparateMultiplyAdd.self)
        }
    }

    /// `VectorKernels.logSoftmax(_:count:at:)` (see there).
    @inline(__always)
    static func logSoftmax(_ row: UnsafeMutablePointer<Float>, count: Int, at target: Int)
        -> (logProbability: Double, isArgmax: Bool)
    {
        usesAVX2
            ? AVX2Kernels.logSoftmax(row, count: count, at: target)
            : VectorKernels.logSoftmax(row, count: count, at: target, SeparateMultiplyAdd.self)
    }

    /// `VectorKernels.siluProduct` (see there).
    @inline(__always)
    static func siluProduct(
        gate: UnsafePointer<Float>, up: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
        count: Int
    ) {
        if usesAVX2 {
            AVX2Kernels.siluProduct(gate: gate, up: up, into: out, count: count)
        } else {
            VectorKernels.siluProduct(
                gate: gate, up: up, into: out, count: count, SeparateMultiplyAdd.self)
        }
    }
}
