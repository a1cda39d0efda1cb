import Tensors

/// One pre-norm Llama decoder block acting on the residual stream `x` `[N, C]`:
/// `x += attention(rmsnorm(x, w_in))`, then `x += mlp(rmsnorm(x, w_post))`.
///
/// Backward, with `dx` the gradient of the block output:
/// `dx_mid = dx + norm_post'(mlp'(dx))`, `dx_in = dx_mid + norm_in'(attention'(dx_mid))`.
///
/// ### References
/// transformers `LlamaDecoderLayer`; llm.c's block structure.
public struct DecoderLayer: Sendable {
    public var inputNorm: RMSNorm
    public var attention: Attention
    public var postAttentionNorm: RMSNorm
    public var mlp: MLP

    /// Activations kept for backward.
    public struct Cache: Sendable {
        /// The residual stream entering the block, `[N, C]`.
        public var input: FloatBuffer
        public var inputNorm: RMSNorm.Cache
        /// `rmsnorm(input)`, the attention input, `[N, C]`.
        public var attentionInput: FloatBuffer
        public var attention: Attention.Cache
        /// The residual stream after attention, `[N, C]`.
        public var middle: FloatBuffer
        public var postAttentionNorm: RMSNorm.Cache
        /// `rmsnorm(middle)`, the MLP input, `[N, C]`.
        public var mlpInput: FloatBuffer
        public var mlp: MLP.Cache
    }

    public struct Gradients: Sendable {
        public var inputNorm: RMSNorm.Gradients?
        public var attention: Attention.Gradients
        public var postAttentionNorm: RMSNorm.Gradients?
        public var mlp: MLP.Gradients
    }

    public init(inputNorm: RMSNorm, attention: Attention, postAttentionNorm: RMSNorm, mlp: MLP) {
        self.inputNorm = inputNorm
        self.attention = attention
        self.postAttentionNorm = postAttentionNorm
        self.mlp = mlp
    }

    public func zeroGradients(_ trainable: TrainableParameters) -> Gradients {
        let norms = trainable == .baseWeights
        return Gradients(
            inputNorm: norms
                ? RMSNorm.Gradients(weight: Tensor(shape: inputNorm.weight.shape)) : nil,
            attention: attention.zeroGradients(trainable),
            postAttentionNorm: norms
                ? RMSNorm.Gradients(weight: Tensor(shape: postAttentionNorm.weight.shape)) : nil,
            mlp: mlp.zeroGradients(trainable))
    }

    /// Runs the block on `x` `[B·T, C]` in place.
    /// - Parameter forBackward: keep everything `backward` needs (false for inference: the
    ///   attention weights are then not kept).
    /// - Returns: the cache for `backward`.
    public func forward(
        _ x: UnsafeMutablePointer<Float>, batch: Int, length: Int, rope: RoPE,
        generator: inout SeededGenerator?, forBackward: Bool = true
    ) -> Cache {
        let n = batch * length
        let c = inputNorm.width
        let input = FloatBuffer(copying: x, count: n * c)
        let h1 = FloatBuffer(count: n * c)
        let n1 = inputNorm.forward(input.pointer, rows: n, into: h1.pointer)
        let attended = FloatBuffer(count: n * c)
        defer { withExtendedLifetime(attended) {} }
        let ac = attention.forward(
            h1.pointer, batch: batch, length: length, into: attended.pointer, rope: rope,
            generator: &generator, keepProbabilities: forBackward)
        VectorKernels.add(attended.pointer, into: x, count: n * c)
        let middle = FloatBuffer(copying: x, count: n * c)
        let h2 = FloatBuffer(count: n * c)
        let n2 = postAttentionNorm.forward(middle.pointer, rows: n, into: h2.pointer)
        let mlpOut = attended  // reuse: the attention output is no longer needed
        let mc = mlp.forward(h2.pointer, rows: n, into: mlpOut.pointer, generator: &generator)
        VectorKernels.add(mlpOut.pointer, into: x, count: n * c)
        return Cache(
            input: input, inputNorm: n1, attentionInput: h1, attention: ac, middle: middle,
            postAttentionNorm: n2, mlpInput: h2, mlp: mc)
    }

    /// Turns `dx` `[B·T, C]`, the gradient of the block output, into the gradient of its input,
    /// in place, adding parameter gradients to `gradients`.
    /// The inference pass: updates the residual stream `x` `[B·T, C]` in place, attending as
    /// `layout` says, and keeps nothing for backward. Adapters are applied without dropout.
    func forwardInference(_ x: UnsafeMutablePointer<Float>, layout: AttentionLayout, rope: RoPE) {
        let n = layout.batch * layout.length
        let c = inputNorm.width
        let h = FloatBuffer(count: n * c)
        let out = FloatBuffer(count: n * c)
        defer { withExtendedLifetime((h, out)) {} }
        _ = inputNorm.forward(x, rows: n, into: h.pointer)
        attention.forwardInference(h.pointer, layout: layout, into: out.pointer, rope: rope)
        VectorKernels.add(out.pointer, into: x, count: n * c)
        _ = postAttentionNorm.forward(x, rows: n, into: h.pointer)
        var none: SeededGenerator?
        _ = mlp.forward(h.pointer, rows: n, into: out.pointer, generator: &none)
        VectorKernels.add(out.pointer, into: x, count: n * c)
    }

    public func backward(
        _ dx: UnsafeMutablePointer<Float>, batch: Int, length: Int, cache: Cache, rope: RoPE,
        gradients: inout Gradients
    ) {
        let n = batch * length
        let c = inputNorm.width
        let dh = FloatBuffer(count: n * c)
        defer { withExtendedLifetime(dh) {} }
        mlp.backward(
            dx, input: cache.mlpInput.pointer, rows: n, cache: cache.mlp, dh: dh.pointer,
            gradients: &gradients.mlp)
        postAttentionNorm.backward(
            dh.pointer, input: cache.middle.pointer, rows: n, cache: cache.postAttentionNorm,
            dx: dx, accumulate: true, gradients: &gradients.postAttentionNorm)
        attention.backward(
            dx, input: cache.attentionInput.pointer, batch: batch, length: length,
            cache: cache.attention, rope: rope, dh: dh.pointer, gradients: &gradients.attention)
        inputNorm.backward(
            dh.pointer, input: cache.input.pointer, rows: n, cache: cache.inputNorm, dx: dx,
            accumulate: true, gradients: &gradients.inputNorm)
    }
}
