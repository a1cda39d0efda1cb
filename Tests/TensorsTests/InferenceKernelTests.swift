import Foundation
import Tensors
import TensorsAVX2
import TestSupport
import Testing

/// The fused inference kernels (`AttentionKernel`, `VectorKernels`' SIMD kernels) against plain
/// float64 formulas, in both arithmetic flavours, and the AVX2 builds against the baseline.
@Suite struct InferenceKernelTests {
    static let cpuHasAVX2 = {
        let flags = BLASRuntime.cpuFlags()
        return flags.contains("avx2") && flags.contains("fma")
    }()

    func random(_ count: Int, scale: Float = 1, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in Float.random(in: -scale...scale, using: &rng) }
    }

    @Test func simdExpMatchesTheLibraryExp() {
        var inputs = random(4096, scale: 80, seed: 1) + [0, -87.3, 88, -1e-3, 1e-3, -20, 20, 1]
        while inputs.count % 8 != 0 { inputs.append(0.5) }
        var separate: [Float] = []
        var fused: [Float] = []
        for start in stride(from: 0, to: inputs.count, by: 8) {
            let lanes = SIMD8<Float>(inputs[start..<(start + 8)])
            let a = VectorKernels.exp(lanes, SeparateMultiplyAdd.self)
            let b = VectorKernels.exp(lanes, FusedMultiplyAdd.self)
            for l in 0..<8 {
                separate.append(a[l])
                fused.append(b[l])
                // Separate multiply-adds are the scalar kernel's operations, lane by lane.
                let scalar: Float = VectorKernels.exp(inputs[start + l])
                #expect(a[l] == scalar)
            }
        }
        let expected = inputs.map { Foundation.exp(Double($0)) }
        expectClose(separate, expected, rtol: 4e-7, atol: 0)
        expectClose(fused, expected, rtol: 4e-7, atol: 0)
    }

    @Test(arguments: [1, 7, 8, 29, 512])
    func logSoftmaxMatchesFloat64(count: Int) {
        let logits = random(count, scale: 12, seed: UInt64(count))
        let top = logits.map(Double.init).max()!
        let lse = top + Foundation.log(logits.reduce(0.0) { $0 + Foundation.exp(Double($1) - top) })
        let argmax = logits.firstIndex(of: logits.max()!)!
        for target in Set([0, count / 2, count - 1, argmax]) {
            var row = logits
            let (separate, isArgmax) = VectorKernels.logSoftmax(
                &row, count: count, at: target, SeparateMultiplyAdd.self)
            row = logits
            let (fused, _) = VectorKernels.logSoftmax(
                &row, count: count, at: target, FusedMultiplyAdd.self)
            expectClose(separate, Double(logits[target]) - lse, rtol: 0, atol: 2e-6)
            expectClose(fused, Double(logits[target]) - lse, rtol: 0, atol: 2e-6)
            #expect(isArgmax == (target == argmax))
        }
    }

    @Test func logSoftmaxArgmaxTakesTheFirstIndexOnTies() {
        var row: [Float] = [1, 3, 3, 2, 3, 0, 0, 0, 0]
        #expect(VectorKernels.logSoftmax(&row, count: 9, at: 1, SeparateMultiplyAdd.self).isArgmax)
        row = [1, 3, 3, 2, 3, 0, 0, 0, 0]
        #expect(!VectorKernels.logSoftmax(&row, count: 9, at: 2, SeparateMultiplyAdd.self).isArgmax)
    }

    @Test func siluProductMatchesFloat64() {
        let gate = random(1003, scale: 9, seed: 5)
        let up = random(1003, scale: 2, seed: 6)
        let expected = zip(gate, up).map { g, u in
            Double(g) / (1 + Foundation.exp(-Double(g))) * Double(u)
        }
        var out = [Float](repeating: .nan, count: gate.count)
        VectorKernels.siluProduct(
            gate: gate, up: up, into: &out, count: gate.count, SeparateMultiplyAdd.self)
        expectClose(out, expected, rtol: 1e-6, atol: 1e-7)
        out = [Float](repeating: .nan, count: gate.count)
        VectorKernels.siluProduct(
            gate: gate, up: up, into: &out, count: gate.count, FusedMultiplyAdd.self)
        expectClose(out, expected, rtol: 1e-6, atol: 1e-7)
    }

    /// One row pattern of `attendGroup`: keys `[0, a)` and `[s, past + r]` for query row `r`.
    struct Case: CustomTestStringConvertible, Sendable {
        var n: Int
        var past: Int
        var d: Int
        var heads: Int
        /// (sharedEnd, segmentStart) per row, or nil for plain causal attention.
        var ranges: [(Int, Int)]?
        var testDescription: String {
            "n \(n) past \(past) D \(d) heads \(heads) \(ranges == nil ? "causal" : "branched")"
        }
    }

    static let cases: [Case] = [
        // Ranges of one to seven keys (the masked last group of eight), a 5-token prefix and
        // branches of 1, 2, 3 and 7 rows.
        Case(
            n: 18, past: 0, d: 8, heads: 2,
            ranges: (0..<5).map { _ in (0, 0) } + [(5, 5)] + (6..<8).map { _ in (5, 6) }
                + (8..<11).map { _ in (5, 8) } + (11..<18).map { _ in (5, 11) }),
        Case(n: 1, past: 3, d: 4, heads: 2, ranges: nil),
        Case(n: 45, past: 0, d: 8, heads: 2, ranges: nil),
        Case(n: 3, past: 70, d: 8, heads: 1, ranges: nil),
        Case(n: 1, past: 33, d: 12, heads: 3, ranges: nil),
        // A 20-token prefix, then branches of 9, 0 and 17 rows (rows 20..<29 and 29..<46),
        // then three padding rows that see only themselves.
        Case(
            n: 49, past: 0, d: 8, heads: 2,
            ranges: (0..<20).map { _ in (0, 0) } + (20..<29).map { _ in (20, 20) }
                + (29..<46).map { _ in (20, 29) } + (46..<49).map { ($0, $0) }),
    ]

    /// Float64 softmax attention over the visible keys.
    func reference(
        queries: [Float], keys: [Float], values: [Float], c: Case
    ) -> [Double] {
        let qWidth = c.heads * c.d
        var out = [Double](repeating: 0, count: c.n * qWidth)
        for r in 0..<c.n {
            let (a, s) = c.ranges?[r] ?? (0, 0)
            let visible = Array(0..<a) + Array(s...(c.past + r))
            for h in 0..<c.heads {
                let scores = visible.map { j in
                    (0..<c.d).reduce(0.0) {
                        $0 + Double(queries[r * qWidth + h * c.d + $1]) * Double(keys[j * c.d + $1])
                    } / Double(c.d).squareRoot()
                }
                let top = scores.max()!
                let weights = scores.map { Foundation.exp($0 - top) }
                let total = weights.reduce(0, +)
                for e in 0..<c.d {
                    out[r * qWidth + h * c.d + e] =
                        zip(visible, weights).reduce(0.0) {
                            $0 + $1.1 * Double(values[$1.0 * c.d + e])
                        }
                        / total
                }
            }
        }
        return out
    }

    func run(_ c: Case, avx2: Bool, queries: [Float], keys: [Float], values: [Float]) -> [Float] {
        var context = [Float](repeating: .nan, count: c.n * c.heads * c.d)
        let shared = c.ranges.map { $0.map { Int32($0.0) } }
        let segment = c.ranges.map { $0.map { Int32($0.1) } }
        queries.withUnsafeBufferPointer { q in
            keys.withUnsafeBufferPointer { k in
                values.withUnsafeBufferPointer { v in
                    context.withUnsafeMutableBufferPointer { out in
                        (shared ?? []).withUnsafeBufferPointer { a in
                            (segment ?? []).withUnsafeBufferPointer { s in
                                let sharedEnd = c.ranges == nil ? nil : a.baseAddress
                                let segmentStart = c.ranges == nil ? nil : s.baseAddress
                                if avx2 {
                                    AVX2Kernels.attendGroup(
                                        queries: q.baseAddress!, queryStride: c.heads * c.d,
                                        heads: c.heads, keys: k.baseAddress!,
                                        values: v.baseAddress!, keyStride: c.d, queryCount: c.n,
                                        past: c.past, headDim: c.d, sharedEnd: sharedEnd,
                                        segmentStart: segmentStart, context: out.baseAddress!,
                                        contextStride: c.heads * c.d)
                                } else {
                                    AttentionKernel.attendGroup(
                                        queries: q.baseAddress!, queryStride: c.heads * c.d,
                                        heads: c.heads, keys: k.baseAddress!,
                                        values: v.baseAddress!, keyStride: c.d, queryCount: c.n,
                                        past: c.past, headDim: c.d, sharedEnd: sharedEnd,
                                        segmentStart: segmentStart, context: out.baseAddress!,
                                        contextStride: c.heads * c.d,
                                        arithmetic: SeparateMultiplyAdd.self)
                                }
                            }
                        }
                    }
                }
            }
        }
        return context
    }

    @Test(arguments: cases)
    func attendGroupMatchesFloat64Softmax(_ c: Case) throws {
        let queries = random(c.n * c.heads * c.d, scale: 3, seed: 11)
        let keys = random((c.past + c.n) * c.d, scale: 3, seed: 12)
        let values = random((c.past + c.n) * c.d, seed: 13)
        let expected = reference(queries: queries, keys: keys, values: values, c: c)
        let baseline = run(c, avx2: false, queries: queries, keys: keys, values: values)
        expectClose(baseline, expected, rtol: 0, atol: 2e-6, "baseline")
        if Self.cpuHasAVX2 {
            let avx2 = run(c, avx2: true, queries: queries, keys: keys, values: values)
            expectClose(avx2, expected, rtol: 0, atol: 2e-6, "AVX2 build")
        }
    }
}
