import Tensors

/// Keys (after RoPE) and values of every layer for the tokens processed so far, so that decoding
/// one more token costs one token's work instead of the whole prefix.
///
/// A reference type: the cache is one growing buffer per layer, shared by whoever holds it.
/// Make one per sequence with `DecoderModel.makeCache(capacity:)`; it is not thread-safe.
public final class KVCache {
    /// Maximum number of positions.
    public let capacity: Int
    /// Positions filled so far.
    public internal(set) var length: Int = 0
    /// Per layer, keys after RoPE `[capacity, KV·D]`.
    let keys: [FloatBuffer]
    /// Per layer, values `[capacity, KV·D]`.
    let values: [FloatBuffer]

    init(layers: Int, capacity: Int, width: Int) {
        self.capacity = capacity
        keys = (0..<layers).map { _ in FloatBuffer(count: capacity * width) }
        values = (0..<layers).map { _ in FloatBuffer(count: capacity * width) }
    }

    /// Forgets every position (the buffers are reused).
    public func reset() { length = 0 }
}

extension DecoderModel {
    /// An empty cache for up to `capacity` positions (at most `max_position_embeddings`).
    public func makeCache(capacity: Int? = nil) -> KVCache {
        let limit = configuration.maxPositionEmbeddings
        return KVCache(
            layers: configuration.layerCount, capacity: min(capacity ?? limit, limit),
            width: configuration.keyValueWidth)
    }

    /// Runs `tokens` at the positions after those already in `cache`, appends their keys and
    /// values to it, and returns the logits of the last of them.
    ///
    /// Equal (to float32 noise) to the last row of `logits(prefix + tokens)`. Adapters are
    /// applied unmerged, without dropout.
    /// - Parameters:
    ///   - tokens: one or more new ids (a whole prompt at once, then one at a time).
    ///   - cache: filled so far with the prefix; grows by `tokens.count`.
    /// - Returns: `[V]` logits predicting the token after the last one given.
    /// - Throws: `TransformerError.sequenceTooLong` when the cache is full,
    ///   `.tokenOutOfRange` for a bad id.
    public func forward(appending tokens: [Int], to cache: KVCache) throws -> [Float] {
        let n = tokens.count
        precondition(n > 0, "DecoderModel.forward(appending:): no tokens")
        let past = cache.length
        if past + n > cache.capacity {
            throw TransformerError.sequenceTooLong(length: past + n, maximum: cache.capacity)
        }
        let v = configuration.vocabSize
        if let bad = tokens.first(where: { $0 < 0 || $0 >= v }) {
            throw TransformerError.tokenOutOfRange(token: bad, vocabSize: v)
        }
        let c = configuration.hiddenSize
        let qWidth = configuration.queryWidth
        let kvWidth = configuration.keyValueWidth
        let heads = configuration.headCount
        let group = configuration.groupSize
        let d = configuration.headDim
        let x = FloatBuffer(count: n * c)
        embedding.forward(tokens, into: x.pointer)
        let h = FloatBuffer(count: n * c)
        let q = FloatBuffer(count: n * qWidth)
        let context = FloatBuffer(count: n * qWidth)
        let out = FloatBuffer(count: n * c)
        defer { withExtendedLifetime((x, h, q, context, out)) {} }
        var none: SeededGenerator?
        for (l, layer) in layers.enumerated() {
            _ = layer.inputNorm.forward(x.pointer, rows: n, into: h.pointer)
            let keys = cache.keys[l].pointer
            let values = cache.values[l].pointer
            let attention = layer.attention
            _ = attention.query.forward(h.pointer, rows: n, into: q.pointer, generator: &none)
            _ = attention.key.forward(
                h.pointer, rows: n, into: keys + past * kvWidth, generator: &none)
            _ = attention.value.forward(
                h.pointer, rows: n, into: values + past * kvWidth, generator: &none)
            rope.apply(q.pointer, rows: n, heads: heads) { past + $0 }
            rope.apply(keys + past * kvWidth, rows: n, heads: configuration.kvHeads) { past + $0 }
            let work = n * (past + n) * d
            let kvHeads = configuration.kvHeads
            let body = { (g: Int) in
                KernelDispatch.attendGroup(
                    queries: q.pointer + g * group * d, queryStride: qWidth, heads: group,
                    keys: keys + g * d, values: values + g * d, keyStride: kvWidth,
                    queryCount: n, past: past, headDim: d, sharedEnd: nil, segmentStart: nil,
                    context: context.pointer + g * group * d, contextStride: qWidth)
            }
            if work >= 1 << 15 {
                Parallel.forEach(kvHeads, body)
            } else {
                for g in 0..<kvHeads { body(g) }
            }
            _ = attention.output.forward(
                context.pointer, rows: n, into: out.pointer, generator: &none)
            VectorKernels.add(out.pointer, into: x.pointer, count: n * c)
            _ = layer.postAttentionNorm.forward(x.pointer, rows: n, into: h.pointer)
            _ = layer.mlp.forward(h.pointer, rows: n, into: out.pointer, generator: &none)
            VectorKernels.add(out.pointer, into: x.pointer, count: n * c)
        }
        cache.length = past + n
        let last = FloatBuffer(count: c)
        defer { withExtendedLifetime(last) {} }
        _ = finalNorm.forward(x.pointer + (n - 1) * c, rows: 1, into: last.pointer)
        var logits = [Float](repeating: 0, count: v)
        outputWeight.scalars.withUnsafeBufferPointer { w in
            logits.withUnsafeMutableBufferPointer { o in
                Matmul.gemv(
                    rows: v, columns: c, a: w.baseAddress!, lda: c, x: last.pointer,
                    y: o.baseAddress!)
            }
        }
        return logits
    }
}
