import Tensors

/// Forward passes: logits, scored losses, per-token log-probabilities.
extension DecoderModel {
    /// Activations of one forward pass over a batch, kept for backward (and for inspection).
    public struct Cache: Sendable {
        /// B.
        public var batch: Int
        /// T.
        public var length: Int
        /// The token ids, row-major `[B·T]`.
        public var tokens: [Int]
        /// Per-block activations; `layers[l].input` is the residual stream entering block `l`
        /// (`layers[0].input` is the embedding output).
        public var layers: [DecoderLayer.Cache]
        /// The residual stream after the last block, `[B·T, C]`.
        public var finalInput: FloatBuffer
        public var finalNorm: RMSNorm.Cache
        /// The LM head input `rmsnorm(finalInput)`, `[B·T, C]`.
        public var hidden: FloatBuffer
    }

    /// Right-pads sequences of different lengths to the longest: token 0 and label -100, which
    /// changes no scored position's loss (the causal mask hides later positions).
    /// - Precondition: `labels[i].count == tokens[i].count` for every row.
    public static func padded(_ tokens: [[Int]], labels: [[Int]]) -> (
        tokens: [[Int]], labels: [[Int]]
    ) {
        precondition(
            tokens.count == labels.count
                && zip(tokens, labels).allSatisfy { $0.count == $1.count },
            "DecoderModel: labels \(labels.map(\.count)) must match tokens \(tokens.map(\.count))")
        let t = tokens.map(\.count).max() ?? 0
        if tokens.allSatisfy({ $0.count == t }) { return (tokens, labels) }
        return (
            tokens.map { $0 + Array(repeating: 0, count: t - $0.count) },
            labels.map { $0 + Array(repeating: CrossEntropy.ignoreIndex, count: t - $0.count) }
        )
    }

    /// Checks a batch's shape and token range.
    /// - Returns: (B, T).
    /// - Throws: `TransformerError.tokenOutOfRange`, `.sequenceTooLong`.
    func validate(_ tokens: [[Int]]) throws -> (Int, Int) {
        let b = tokens.count
        let t = tokens.first?.count ?? 0
        precondition(
            b > 0 && t > 0 && tokens.allSatisfy { $0.count == t },
            "DecoderModel: a batch needs B > 0 sequences of one length T > 0, got lengths "
                + "\(tokens.map(\.count))")
        if t > configuration.maxPositionEmbeddings {
            throw TransformerError.sequenceTooLong(
                length: t, maximum: configuration.maxPositionEmbeddings)
        }
        let v = configuration.vocabSize
        for row in tokens {
            if let bad = row.first(where: { $0 < 0 || $0 >= v }) {
                throw TransformerError.tokenOutOfRange(token: bad, vocabSize: v)
            }
        }
        return (b, t)
    }

    /// Runs embedding, blocks and final norm, keeping every activation.
    /// - Parameters:
    ///   - tokens: `[B][T]` ids.
    ///   - generator: LoRA dropout randomness; nil evaluates without dropout.
    /// - Throws: `TransformerError` for out-of-range ids or too long sequences.
    public func forward(_ tokens: [[Int]], generator: inout SeededGenerator?) throws -> Cache {
        let (b, t) = try validate(tokens)
        return forwardUnchecked(tokens, batch: b, length: t, generator: &generator, keep: true)
    }

    /// The forward pass. With `keep == false` (inference) nothing is kept for backward and
    /// attention follows `layout` (plain causal when nil) with the fused inference kernel; with
    /// `keep == true` every activation is kept and `layout` must be nil.
    func forwardUnchecked(
        _ tokens: [[Int]], batch b: Int, length t: Int, generator: inout SeededGenerator?,
        keep: Bool, layout: AttentionLayout? = nil
    ) -> Cache {
        precondition(!keep || layout == nil, "DecoderModel: layouts are for inference only")
        let n = b * t
        let c = configuration.hiddenSize
        let ids = tokens.flatMap { $0 }
        let x = FloatBuffer(count: n * c)
        embedding.forward(ids, into: x.pointer)
        var caches: [DecoderLayer.Cache] = []
        if keep {
            for layer in layers {
                caches.append(
                    layer.forward(
                        x.pointer, batch: b, length: t, rope: rope, generator: &generator,
                        forBackward: true))
            }
        } else {
            let pattern = layout ?? .causal(batch: b, length: t)
            for layer in layers { layer.forwardInference(x.pointer, layout: pattern, rope: rope) }
        }
        let hidden = FloatBuffer(count: n * c)
        let normCache = finalNorm.forward(x.pointer, rows: n, into: hidden.pointer)
        return Cache(
            batch: b, length: t, tokens: ids, layers: caches, finalInput: x, finalNorm: normCache,
            hidden: hidden)
    }

    /// Logits for every position of a batch.
    /// - Parameter tokens: `[B][T]` ids, all sequences of one length.
    /// - Returns: `[B, T, V]`; position `t` scores the token at `t + 1`.
    /// - Throws: `TransformerError` for out-of-range ids or too long sequences.
    public func logits(_ tokens: [[Int]]) throws -> Tensor {
        let (b, t) = try validate(tokens)
        var none: SeededGenerator?
        let cache = forwardUnchecked(tokens, batch: b, length: t, generator: &none, keep: false)
        let v = configuration.vocabSize
        let c = configuration.hiddenSize
        var out = Tensor(shape: [b, t, v])
        outputWeight.scalars.withUnsafeBufferPointer { w in
            out.scalars.withUnsafeMutableBufferPointer { o in
                Matmul.gemm(
                    transposeB: true, m: b * t, n: v, k: c, a: cache.hidden.pointer, lda: c,
                    b: w.baseAddress!, ldb: c, c: o.baseAddress!, ldc: v)
            }
        }
        return out
    }

    /// The scored positions of a batch: row index into `[B·T]` and the target id, for every
    /// `t < T-1` whose `labels[b][t+1]` is not -100 (Hugging Face's shift).
    func scoredRows(labels: [[Int]], batch b: Int, length t: Int) -> (rows: [Int], targets: [Int]) {
        precondition(
            labels.count == b && labels.allSatisfy { $0.count == t },
            "DecoderModel: labels must be [B][T] like the tokens, got \(labels.count) rows of "
                + "lengths \(labels.map(\.count)) for B \(b) T \(t)")
        var rows: [Int] = []
        var targets: [Int] = []
        for s in 0..<b {
            for p in 0..<(t - 1) where labels[s][p + 1] != CrossEntropy.ignoreIndex {
                rows.append(s * t + p)
                targets.append(labels[s][p + 1])
            }
        }
        return (rows, targets)
    }

    /// Rows of the LM head handled at once: keeps a logits chunk near 64 MiB (large chunks
    /// let `sgemm` pack the output weight once per chunk rather than many times).
    var headChunkRows: Int { max(64, (1 << 24) / max(1, configuration.vocabSize)) }

    /// Applies the LM head and cross-entropy to the scored rows, chunk by chunk, never holding
    /// more than one chunk of logits.
    ///
    /// - Parameters:
    ///   - gradientScale: when non-nil, the loss gradient scaled by it is propagated: into
    ///     `dHidden` `[B·T, C]` (overwritten at scored rows, untouched elsewhere) and added to
    ///     `dOutputWeight` `[V, C]` when that is non-nil.
    /// - Returns: the per-target losses in nats, in the order of `rows`.
    func headLoss(
        hidden: FloatBuffer, rows: [Int], targets: [Int], gradientScale: Float?,
        dHidden: FloatBuffer?, dOutputWeight: inout Tensor?
    ) -> [Float] {
        let v = configuration.vocabSize
        let c = configuration.hiddenSize
        var losses = [Float](repeating: 0, count: rows.count)
        let dGathered = FloatBuffer(
            count: gradientScale == nil ? 0 : min(headChunkRows, rows.count) * c)
        defer { withExtendedLifetime(dGathered) {} }
        forEachHeadChunk(hidden: hidden, rows: rows) { start, m, gathered, logits, w in
            targets.withUnsafeBufferPointer { tg in
                losses.withUnsafeMutableBufferPointer { ls in
                    CrossEntropy.forwardBackward(
                        logits: logits, rows: m, vocabSize: v, targets: tg.baseAddress! + start,
                        losses: ls.baseAddress! + start, gradientScale: gradientScale)
                }
            }
            guard gradientScale != nil, let dHidden else { return }
            Matmul.gemm(
                m: m, n: c, k: v, a: logits, lda: v, b: w, ldb: c, c: dGathered.pointer, ldc: c)
            for r in 0..<m {
                (dHidden.pointer + rows[start + r] * c).update(
                    from: dGathered.pointer + r * c, count: c)
            }
            if dOutputWeight != nil {
                dOutputWeight!.scalars.withUnsafeMutableBufferPointer { dw in
                    Matmul.gemm(
                        transposeA: true, m: v, n: c, k: m, a: logits, lda: v, b: gathered,
                        ldb: c, beta: 1, c: dw.baseAddress!, ldc: c)
                }
            }
        }
        return losses
    }

    /// The LM head over the given rows of `hidden` `[·, C]`, `headChunkRows` at a time: gathers
    /// the rows, multiplies them by the output weight, and calls `body(start, m, gathered,
    /// logits, weight)` with the chunk's first index into `rows`, its row count, the gathered
    /// inputs `[m, C]`, their logits `[m, V]` (scratch `body` may overwrite) and the weight
    /// `[V, C]`. Never holds more than one chunk of logits.
    func forEachHeadChunk(
        hidden: FloatBuffer, rows: [Int],
        _ body: (
            _ start: Int, _ count: Int, _ gathered: UnsafeMutablePointer<Float>,
            _ logits: UnsafeMutablePointer<Float>, _ weight: UnsafePointer<Float>
        ) -> Void
    ) {
        let v = configuration.vocabSize
        let c = configuration.hiddenSize
        let chunk = headChunkRows
        let gathered = FloatBuffer(count: min(chunk, rows.count) * c)
        let logits = FloatBuffer(count: min(chunk, rows.count) * v)
        defer { withExtendedLifetime((gathered, logits)) {} }
        outputWeight.scalars.withUnsafeBufferPointer { wBuffer in
            let w = wBuffer.baseAddress!
            var start = 0
            while start < rows.count {
                let m = min(chunk, rows.count - start)
                for r in 0..<m {
                    (gathered.pointer + r * c).update(
                        from: hidden.pointer + rows[start + r] * c, count: c)
                }
                Matmul.gemm(
                    transposeB: true, m: m, n: v, k: c, a: gathered.pointer, lda: c, b: w,
                    ldb: c, c: logits.pointer, ldc: v)
                body(start, m, gathered.pointer, logits.pointer, w)
                start += m
            }
        }
    }

    /// Mean next-token cross-entropy of a batch, Hugging Face's `LlamaForCausalLM(labels=…)`
    /// loss, without materialising more than one chunk of logits.
    /// - Parameters:
    ///   - tokens: `[B][T]` ids.
    ///   - labels: `[B][T]`, the tokens with -100 where a position is not scored; position `t`
    ///     is scored against `labels[t+1]`. Rows of different lengths are right-padded
    ///     (`padded(_:labels:)`).
    /// - Returns: the summed loss in nats and the number of scored tokens.
    /// - Throws: `TransformerError` for out-of-range ids or too long sequences.
    public func loss(_ tokens: [[Int]], labels: [[Int]]) throws -> LossSummary {
        let (tokens, labels) = Self.padded(tokens, labels: labels)
        let (b, t) = try validate(tokens)
        let (rows, targets) = scoredRows(labels: labels, batch: b, length: t)
        try validateTargets(targets)
        var none: SeededGenerator?
        let cache = forwardUnchecked(tokens, batch: b, length: t, generator: &none, keep: false)
        var noGradient: Tensor?
        let losses = headLoss(
            hidden: cache.hidden, rows: rows, targets: targets, gradientScale: nil, dHidden: nil,
            dOutputWeight: &noGradient)
        return LossSummary(
            totalNats: losses.reduce(0.0) { $0 + Double($1) }, tokenCount: rows.count)
    }

    /// `log p(tokens[b][t+1] | tokens[b][0...t])` for every `t < T-1`, in nats.
    /// - Returns: `[B][T-1]`.
    /// - Throws: `TransformerError` for out-of-range ids or too long sequences.
    public func tokenLogProbabilities(_ tokens: [[Int]]) throws -> [[Float]] {
        let (b, t) = try validate(tokens)
        let (rows, targets) = scoredRows(labels: tokens, batch: b, length: t)
        var none: SeededGenerator?
        let cache = forwardUnchecked(tokens, batch: b, length: t, generator: &none, keep: false)
        var noGradient: Tensor?
        let losses = headLoss(
            hidden: cache.hidden, rows: rows, targets: targets, gradientScale: nil, dHidden: nil,
            dOutputWeight: &noGradient)
        return (0..<b).map { s in (0..<(t - 1)).map { -losses[s * (t - 1) + $0] } }
    }

    func validateTargets(_ targets: [Int]) throws {
        let v = configuration.vocabSize
        if let bad = targets.first(where: { $0 < 0 || $0 >= v }) {
            throw TransformerError.tokenOutOfRange(token: bad, vocabSize: v)
        }
    }
}

/// A summed cross-entropy and the number of tokens it covers.
public struct LossSummary: Sendable, Equatable {
    /// Σ −log p(target), nats.
    public var totalNats: Double
    /// Number of scored tokens.
    public var tokenCount: Int

    public init(totalNats: Double, tokenCount: Int) {
        self.totalNats = totalNats
        self.tokenCount = tokenCount
    }

    /// Mean nats per scored token (NaN when nothing was scored).
    public var mean: Double { tokenCount == 0 ? .nan : totalNats / Double(tokenCount) }

    /// `exp(mean)`.
    public var perplexity: Double { _exp(mean) }

    /// Adds another batch's totals.
    public static func + (lhs: LossSummary, rhs: LossSummary) -> LossSummary {
        LossSummary(
            totalNats: lhs.totalNats + rhs.totalNats, tokenCount: lhs.tokenCount + rhs.tokenCount)
    }
}

#if canImport(Glibc)
    import Glibc
    @inline(__always) func _exp(_ x: Double) -> Double { Glibc.exp(x) }
#else
    import Foundation
    @inline(__always) func _exp(_ x: Double) -> Double { Foundation.exp(x) }
#endif
