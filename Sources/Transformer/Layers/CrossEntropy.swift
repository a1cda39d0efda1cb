import Tensors

#if canImport(Glibc)
    import Glibc
#endif

/// Next-token cross-entropy on rows of logits, in nats, with Hugging Face's ignore index.
///
/// For a row with logits `z` `[V]` and target `y`: `loss = logsumexp(z) − z[y]`, and its
/// gradient is `softmax(z) − onehot(y)`. `LlamaForCausalLM(labels=…)` shifts: position `t`
/// predicts `labels[t+1]`; targets equal to `ignoreIndex` (-100) are dropped; the loss is the
/// mean over the rest.
///
/// ### References
/// PyTorch `F.cross_entropy(ignore_index=-100, reduction="mean")`; transformers
/// `ForCausalLMLoss`.
public enum CrossEntropy {
    /// The label value that marks a position as not scored.
    public static let ignoreIndex = -100

    /// Loss of each row and, optionally, its gradient in place of the logits.
    ///
    /// - Parameters:
    ///   - logits: `[rows, V]`; overwritten with `gradientScale · (softmax − onehot)` when
    ///     `gradientScale` is non-nil.
    ///   - targets: `rows` target ids in `0..<V`.
    ///   - losses: receives each row's loss in nats, `[rows]`.
    public static func forwardBackward(
        logits: UnsafeMutablePointer<Float>, rows: Int, vocabSize v: Int,
        targets: UnsafePointer<Int>, losses: UnsafeMutablePointer<Float>, gradientScale: Float?
    ) {
        Parallel.forEachRange(rows, chunks: rows >= 8 ? 8 : 1) { range in
            let scratch = gradientScale == nil ? FloatBuffer(count: v) : nil
            defer { withExtendedLifetime(scratch) {} }
            for r in range {
                let row = logits + r * v
                let target = targets[r]
                precondition(
                    target >= 0 && target < v,
                    "CrossEntropy: target \(target) outside 0..<\(v)")
                let top = VectorKernels.max(row, count: v)
                let targetLogit = row[target]
                let e = scratch?.pointer ?? row
                for j in 0..<v { e[j] = row[j] - top }
                VectorKernels.exp(e, count: v)
                let total = VectorKernels.sum(e, count: v)
                losses[r] = logf(total) + top - targetLogit
                if let scale = gradientScale {
                    let k = scale / total
                    for j in 0..<v { e[j] *= k }
                    e[target] -= scale
                }
            }
        }
    }

    /// Log-probability of each target under the softmax of its row, `[rows]`; logits are left
    /// unchanged.
    public static func logProbabilities(
        logits: UnsafeMutablePointer<Float>, rows: Int, vocabSize v: Int,
        targets: UnsafePointer<Int>, into out: UnsafeMutablePointer<Float>
    ) {
        forwardBackward(
            logits: logits, rows: rows, vocabSize: v, targets: targets, losses: out,
            gradientScale: nil)
        for r in 0..<rows { out[r] = -out[r] }
    }
}
