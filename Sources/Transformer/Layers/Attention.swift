import Tensors

/// Causal multi-head self-attention with grouped-query heads, RoPE on queries and keys, and
/// optional q/k/v (and o) biases, as transformers' `LlamaAttention` (eager path).
///
/// For input `h` `[N = B·T, C]`: `q = h Wqᵀ (+bq)` `[N, H·D]`, `k = h Wkᵀ`, `v = h Wvᵀ`
/// `[N, KV·D]`; RoPE on q and k; for query head `i` and kv head `g = i / (H/KV)` (integer
/// division, transformers' `repeat_interleave`):
/// `P = softmax(q_i k_gᵀ / sqrt(D) + causal mask)`, `ctx_i = P v_g`; heads concatenated back to
/// `[N, H·D]`, then `out = ctx Woᵀ`.
///
/// Backward per kv group: `dP = dctx vᵀ`, `dv += Pᵀ dctx`,
/// `dS = P ⊙ (dP − rowsum(P ⊙ dP)) / sqrt(D)`, `dq = dS k`, `dk += dSᵀ q`; then the inverse
/// RoPE rotation and the projections' backward.
///
/// Work is spread over (sequence, head) pairs in parallel; each product is one `sgemm` reading
/// the head's columns in place (leading dimension `H·D` or `KV·D`).
///
/// ### References
/// A. Vaswani et al., "Attention Is All You Need", 2017; J. Ainslie et al., "GQA", 2023;
/// transformers `LlamaAttention`, `eager_attention_forward`.
public struct Attention: Sendable {
    public var query: LoRALinear
    public var key: LoRALinear
    public var value: LoRALinear
    public var output: LoRALinear
    /// H.
    public let headCount: Int
    /// KV.
    public let kvHeads: Int
    /// D.
    public let headDim: Int

    /// Activations kept for backward.
    public struct Cache: Sendable {
        /// Queries after RoPE, `[N, H·D]`.
        public var queries: FloatBuffer
        /// Keys after RoPE, `[N, KV·D]`.
        public var keys: FloatBuffer
        /// Values, `[N, KV·D]`.
        public var values: FloatBuffer
        /// Softmax weights `[B, H, T, T]` (zero above the diagonal); empty when the forward
        /// pass did not keep them.
        public var probabilities: FloatBuffer
        /// Heads concatenated, the input of o_proj, `[N, H·D]`.
        public var context: FloatBuffer
        public var queryCache: LoRALinear.Cache
        public var keyCache: LoRALinear.Cache
        public var valueCache: LoRALinear.Cache
        public var outputCache: LoRALinear.Cache
    }

    /// Gradients of the four projections.
    public struct Gradients: Sendable {
        public var query: LoRALinear.Gradients
        public var key: LoRALinear.Gradients
        public var value: LoRALinear.Gradients
        public var output: LoRALinear.Gradients
    }

    public init(
        query: LoRALinear, key: LoRALinear, value: LoRALinear, output: LoRALinear,
        headCount: Int, kvHeads: Int, headDim: Int
    ) {
        precondition(
            query.outFeatures == headCount * headDim
                && key.outFeatures == kvHeads * headDim && value.outFeatures == kvHeads * headDim
                && output.inFeatures == headCount * headDim && headCount % kvHeads == 0,
            "Attention: projections q \(query.weight.shape) k \(key.weight.shape) "
                + "v \(value.weight.shape) o \(output.weight.shape) do not fit H \(headCount) "
                + "KV \(kvHeads) D \(headDim)")
        self.query = query
        self.key = key
        self.value = value
        self.output = output
        self.headCount = headCount
        self.kvHeads = kvHeads
        self.headDim = headDim
    }

    public func zeroGradients(_ trainable: TrainableParameters) -> Gradients {
        Gradients(
            query: query.zeroGradients(trainable), key: key.zeroGradients(trainable),
            value: value.zeroGradients(trainable), output: output.zeroGradients(trainable))
    }

    /// Attention over `batch` sequences of `length` tokens.
    /// - Parameters:
    ///   - h: the normalised input `[B·T, C]`.
    ///   - out: receives the o_proj output `[B·T, C]` (overwritten).
    ///   - rope: the rotation table (must cover `length` positions).
    ///   - keepProbabilities: keep the `[B, H, T, T]` softmax weights for `backward`; when false
    ///     (inference) each head uses a `[T, T]` scratch instead and the cache holds none, so
    ///     long sequences do not need `B·H·T²` floats.
    /// - Returns: the cache for `backward`.
    public func forward(
        _ h: UnsafePointer<Float>, batch: Int, length: Int, into out: UnsafeMutablePointer<Float>,
        rope: RoPE, generator: inout SeededGenerator?, keepProbabilities: Bool = true
    ) -> Cache {
        let n = batch * length
        let qWidth = headCount * headDim
        let kvWidth = kvHeads * headDim
        let (queries, keys, values, qc, kc, vc) = projectAndRotate(
            h, rows: n, rope: rope, generator: &generator
        ) { $0 % length }
        let probabilities = FloatBuffer(
            count: keepProbabilities ? batch * headCount * length * length : 0)
        let context = FloatBuffer(count: n * qWidth)
        let heads = headCount
        let group = headCount / kvHeads
        let d = headDim
        Parallel.forEach(batch * heads) { unit in
            let b = unit / heads
            let i = unit % heads
            let g = i / group
            let scratch = keepProbabilities ? nil : FloatBuffer(count: length * length)
            defer { withExtendedLifetime(scratch) {} }
            Attention.attendHead(
                queries: queries.pointer + b * length * qWidth + i * d, queryStride: qWidth,
                keys: keys.pointer + b * length * kvWidth + g * d,
                values: values.pointer + b * length * kvWidth + g * d, keyStride: kvWidth,
                queryCount: length, past: 0, headDim: d,
                probabilities: scratch?.pointer ?? probabilities.pointer + unit * length * length,
                context: context.pointer + b * length * qWidth + i * d, contextStride: qWidth)
        }
        let oc = output.forward(context.pointer, rows: n, into: out, generator: &generator)
        return Cache(
            queries: queries, keys: keys, values: values, probabilities: probabilities,
            context: context, queryCache: qc, keyCache: kc, valueCache: vc, outputCache: oc)
    }

    /// The q, k and v projections of `h` `[N, C]`, with RoPE applied to queries and keys at
    /// `position(row)`.
    /// - Returns: queries `[N, H·D]`, keys and values `[N, KV·D]`, and the projections' caches.
    func projectAndRotate(
        _ h: UnsafePointer<Float>, rows n: Int, rope: RoPE, generator: inout SeededGenerator?,
        position: (Int) -> Int
    ) -> (
        queries: FloatBuffer, keys: FloatBuffer, values: FloatBuffer,
        queryCache: LoRALinear.Cache, keyCache: LoRALinear.Cache, valueCache: LoRALinear.Cache
    ) {
        let queries = FloatBuffer(count: n * headCount * headDim)
        let keys = FloatBuffer(count: n * kvHeads * headDim)
        let values = FloatBuffer(count: n * kvHeads * headDim)
        let qc = query.forward(h, rows: n, into: queries.pointer, generator: &generator)
        let kc = key.forward(h, rows: n, into: keys.pointer, generator: &generator)
        let vc = value.forward(h, rows: n, into: values.pointer, generator: &generator)
        rope.apply(queries.pointer, rows: n, heads: headCount, position: position)
        rope.apply(keys.pointer, rows: n, heads: kvHeads, position: position)
        return (queries, keys, values, qc, kc, vc)
    }

    /// One head of causal attention: `n` queries at positions `past..<past+n` against keys and
    /// values at positions `0..<past+n`.
    ///
    /// - Parameters:
    ///   - queries: `[n, D]` with row stride `queryStride` (already rotated).
    ///   - keys, values: `[past+n, D]` with row stride `keyStride` (keys already rotated).
    ///   - probabilities: receives the softmax `[n, past+n]` (zeros where masked).
    ///   - context: receives `[n, D]` with row stride `contextStride`.
    @inlinable
    static func attendHead(
        queries: UnsafePointer<Float>, queryStride: Int, keys: UnsafePointer<Float>,
        values: UnsafePointer<Float>, keyStride: Int, queryCount n: Int, past: Int, headDim d: Int,
        probabilities: UnsafeMutablePointer<Float>, context: UnsafeMutablePointer<Float>,
        contextStride: Int
    ) {
        let m = past + n
        let scale = 1 / Float(d).squareRoot()
        Matmul.gemm(
            transposeB: true, m: n, n: m, k: d, alpha: scale, a: queries, lda: queryStride,
            b: keys, ldb: keyStride, c: probabilities, ldc: m)
        for r in 0..<n {
            let row = probabilities + r * m
            let visible = past + r + 1
            let top = VectorKernels.max(row, count: visible)
            for j in 0..<visible { row[j] -= top }
            VectorKernels.exp(row, count: visible)
            let total = VectorKernels.sum(row, count: visible)
            let inverse = 1 / total
            for j in 0..<visible { row[j] *= inverse }
            for j in visible..<m { row[j] = 0 }
        }
        Matmul.gemm(
            m: n, n: d, k: m, a: probabilities, lda: m, b: values, ldb: keyStride, c: context,
            ldc: contextStride)
    }

    /// Back-propagates `dOut` `[B·T, C]` (the gradient of the o_proj output).
    /// - Parameters:
    ///   - h: the forward input `[B·T, C]`.
    ///   - dh: receives the input gradient `[B·T, C]` (overwritten); nil skips it.
    ///   - gradients: the projections' gradients, added to.
    public func backward(
        _ dOut: UnsafePointer<Float>, input h: UnsafePointer<Float>, batch: Int, length: Int,
        cache: Cache, rope: RoPE, dh: UnsafeMutablePointer<Float>?, gradients: inout Gradients
    ) {
        let n = batch * length
        let qWidth = headCount * headDim
        let kvWidth = kvHeads * headDim
        let dContext = FloatBuffer(count: n * qWidth)
        output.backward(
            dOut, input: cache.context.pointer, rows: n, cache: cache.outputCache,
            dx: dContext.pointer, accumulate: false, gradients: &gradients.output)
        let dQueries = FloatBuffer(count: n * qWidth)
        let dKeys = FloatBuffer(count: n * kvWidth)
        let dValues = FloatBuffer(count: n * kvWidth)
        defer { withExtendedLifetime((dContext, dQueries, dKeys, dValues)) {} }
        let heads = headCount
        let group = headCount / kvHeads
        let d = headDim
        let t = length
        let scale = 1 / Float(d).squareRoot()
        let kv = kvHeads
        Parallel.forEach(batch * kv) { unit in
            let b = unit / kv
            let g = unit % kv
            let dScores = FloatBuffer(count: t * t)
            defer { withExtendedLifetime(dScores) {} }
            let kRows = cache.keys.pointer + b * t * kvWidth + g * d
            let vRows = cache.values.pointer + b * t * kvWidth + g * d
            let dkRows = dKeys.pointer + b * t * kvWidth + g * d
            let dvRows = dValues.pointer + b * t * kvWidth + g * d
            for i in (g * group)..<((g + 1) * group) {
                let p = cache.probabilities.pointer + (b * heads + i) * t * t
                let dc = dContext.pointer + b * t * qWidth + i * d
                let qRows = cache.queries.pointer + b * t * qWidth + i * d
                let dqRows = dQueries.pointer + b * t * qWidth + i * d
                // dP = dctx vᵀ  [t, t]
                Matmul.gemm(
                    transposeB: true, m: t, n: t, k: d, a: dc, lda: qWidth, b: vRows,
                    ldb: kvWidth, c: dScores.pointer, ldc: t)
                // dv += Pᵀ dctx
                Matmul.gemm(
                    transposeA: true, m: t, n: d, k: t, a: p, lda: t, b: dc, ldb: qWidth,
                    beta: 1, c: dvRows, ldc: kvWidth)
                // dS = P ⊙ (dP − rowsum(P ⊙ dP)) · scale
                for r in 0..<t {
                    let pr = p + r * t
                    let dr = dScores.pointer + r * t
                    let visible = r + 1
                    let dotPD = VectorKernels.dot(pr, dr, count: visible)
                    for j in 0..<visible { dr[j] = pr[j] * (dr[j] - dotPD) * scale }
                    for j in visible..<t { dr[j] = 0 }
                }
                // dq = dS k ; dk += dSᵀ q
                Matmul.gemm(
                    m: t, n: d, k: t, a: dScores.pointer, lda: t, b: kRows, ldb: kvWidth,
                    c: dqRows, ldc: qWidth)
                Matmul.gemm(
                    transposeA: true, m: t, n: d, k: t, a: dScores.pointer, lda: t, b: qRows,
                    ldb: qWidth, beta: 1, c: dkRows, ldc: kvWidth)
            }
        }
        rope.apply(dQueries.pointer, rows: n, heads: headCount, inverse: true) { $0 % length }
        rope.apply(dKeys.pointer, rows: n, heads: kvHeads, inverse: true) { $0 % length }
        query.backward(
            dQueries.pointer, input: h, rows: n, cache: cache.queryCache, dx: dh,
            accumulate: false, gradients: &gradients.query)
        key.backward(
            dKeys.pointer, input: h, rows: n, cache: cache.keyCache, dx: dh, accumulate: true,
            gradients: &gradients.key)
        value.backward(
            dValues.pointer, input: h, rows: n, cache: cache.valueCache, dx: dh, accumulate: true,
            gradients: &gradients.value)
    }
}
