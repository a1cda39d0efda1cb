import Tensors

/// A linear projection `y = x Wᵀ + b`, optionally with a LoRA adapter beside it:
/// `y = x Wᵀ + b + s · (dropout(x) Aᵀ) Bᵀ`, with `s = alpha / rank`.
///
/// PEFT semantics: `W` `[out, in]` is PyTorch's `nn.Linear.weight`; `A` `[r, in]` is created
/// kaiming-uniform (`a = sqrt(5)`, i.e. uniform in `±1/sqrt(in)`, as `nn.Linear`'s default
/// init) and `B` `[out, r]` zero, so a fresh adapter changes nothing; dropout applies to the
/// adapter's input only (inverted dropout: kept elements scaled by `1/(1-p)`), and only when a
/// random generator is passed (training).
///
/// Backward, with `x̃ = dropout(x)`, `u = x̃ Aᵀ` `[N, r]`:
/// `dB = s · dyᵀ u`, `du = s · dy B`, `dA = duᵀ x̃`, `dx = dy W + (du A) ⊙ mask`,
/// `dW = dyᵀ x`, `db = Σ_rows dy`.
///
/// ### References
/// E. Hu et al., "LoRA: Low-Rank Adaptation of Large Language Models", 2021; peft
/// `lora.Linear` (`scaling = lora_alpha / r`, `lora_B(lora_A(dropout(x))) * scaling`).
public struct LoRALinear: Sendable {
    /// `[out, in]`.
    public var weight: Tensor
    /// `[out]`, or nil.
    public var bias: Tensor?
    /// The low-rank update, when an adapter targets this projection.
    public var adapter: Adapter?

    /// LoRA matrices and their hyper-parameters.
    public struct Adapter: Sendable, Equatable {
        /// `lora_A.weight`, `[r, in]`.
        public var a: Tensor
        /// `lora_B.weight`, `[out, r]`.
        public var b: Tensor
        /// `alpha / r`.
        public var scaling: Float
        /// Dropout probability on the adapter input during training, in `[0, 1)`.
        public var dropout: Float

        public init(a: Tensor, b: Tensor, scaling: Float, dropout: Float = 0) {
            precondition(
                a.rank == 2 && b.rank == 2 && b.shape[1] == a.shape[0],
                "LoRALinear.Adapter: A \(a.shape) and B \(b.shape) do not share a rank")
            precondition(dropout >= 0 && dropout < 1, "LoRALinear.Adapter: dropout \(dropout)")
            self.a = a
            self.b = b
            self.scaling = scaling
            self.dropout = dropout
        }

        /// A fresh adapter as peft creates it: A kaiming-uniform(a = sqrt(5)), B zero.
        /// - Parameters:
        ///   - inFeatures: the projection's input width.
        ///   - outFeatures: its output width.
        ///   - rank: r.
        ///   - alpha: `lora_alpha`; the scaling is `alpha / rank`.
        public init(
            inFeatures: Int, outFeatures: Int, rank: Int, alpha: Float, dropout: Float,
            using generator: inout SeededGenerator
        ) {
            // kaiming_uniform_(a=√5): gain √(2/(1+5)), bound gain·√(3/fan_in) = 1/√fan_in.
            let bound = 1 / Float(inFeatures).squareRoot()
            self.init(
                a: Tensor(uniformIn: bound, shape: [rank, inFeatures], using: &generator),
                b: Tensor(shape: [outFeatures, rank]), scaling: alpha / Float(rank),
                dropout: dropout)
        }

        public var rank: Int { a.shape[0] }

        /// `s · B A`, `[out, in]`: what merging adds to the weight.
        public var delta: Tensor {
            var product = Tensor.matmul(b, a)
            product.scale(by: scaling)
            return product
        }
    }

    /// What backward needs beyond the input: the adapter's hidden `u = x̃ Aᵀ` `[N, r]` and,
    /// with dropout, the mask (`0` or `1/(1-p)`) `[N, in]`.
    public struct Cache: Sendable {
        public var adapterHidden: FloatBuffer?
        public var dropoutMask: FloatBuffer?
    }

    /// Gradients of whichever parameters train; nil entries are not computed.
    public struct Gradients: Sendable {
        public var weight: Tensor?
        public var bias: Tensor?
        public var a: Tensor?
        public var b: Tensor?
    }

    public init(weight: Tensor, bias: Tensor? = nil, adapter: Adapter? = nil) {
        precondition(weight.rank == 2, "LoRALinear: weight must be 2-D, got \(weight.shape)")
        if let bias {
            precondition(
                bias.shape == [weight.shape[0]],
                "LoRALinear: bias \(bias.shape) does not match weight \(weight.shape)")
        }
        if let adapter {
            precondition(
                adapter.a.shape[1] == weight.shape[1]
                    && adapter.b.shape[0] == weight.shape[0],
                "LoRALinear: adapter A \(adapter.a.shape) B \(adapter.b.shape) does not fit "
                    + "weight \(weight.shape)")
        }
        self.weight = weight
        self.bias = bias
        self.adapter = adapter
    }

    public var inFeatures: Int { weight.shape[1] }
    public var outFeatures: Int { weight.shape[0] }

    /// Zero gradients for the parameters that train under `trainable`.
    public func zeroGradients(_ trainable: TrainableParameters) -> Gradients {
        switch trainable {
        case .baseWeights:
            return Gradients(
                weight: Tensor(shape: weight.shape), bias: bias.map { Tensor(shape: $0.shape) })
        case .adapters:
            guard let adapter else { return Gradients() }
            return Gradients(a: Tensor(shape: adapter.a.shape), b: Tensor(shape: adapter.b.shape))
        }
    }

    /// `y = x Wᵀ + b + s·(dropout(x) Aᵀ) Bᵀ` for `rows` rows.
    /// - Parameters:
    ///   - x: `[N, in]`.
    ///   - y: receives `[N, out]` (overwritten).
    ///   - generator: dropout randomness; nil evaluates without dropout.
    /// - Returns: the cache for `backward`.
    public func forward(
        _ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>,
        generator: inout SeededGenerator?
    ) -> Cache {
        let n = rows
        let inF = inFeatures
        let outF = outFeatures
        weight.scalars.withUnsafeBufferPointer { w in
            if n == 1 {
                Matmul.gemv(rows: outF, columns: inF, a: w.baseAddress!, lda: inF, x: x, y: y)
            } else {
                Matmul.gemm(
                    transposeB: true, m: n, n: outF, k: inF, a: x, lda: inF,
                    b: w.baseAddress!, ldb: inF, c: y, ldc: outF)
            }
        }
        if let bias {
            bias.scalars.withUnsafeBufferPointer { b in
                for r in 0..<n {
                    VectorKernels.add(b.baseAddress!, into: y + r * outF, count: outF)
                }
            }
        }
        var cache = Cache()
        guard let adapter else { return cache }
        let rank = adapter.rank
        var input = x
        var dropped: FloatBuffer?
        if adapter.dropout > 0, generator != nil {
            let mask = FloatBuffer(count: n * inF)
            let keep = 1 / (1 - adapter.dropout)
            let buffer = FloatBuffer(count: n * inF)
            for i in 0..<(n * inF) {
                let m: Float = generator!.nextUniform() < adapter.dropout ? 0 : keep
                mask.pointer[i] = m
                buffer.pointer[i] = x[i] * m
            }
            cache.dropoutMask = mask
            dropped = buffer
            input = UnsafePointer(buffer.pointer)
        }
        let hidden = FloatBuffer(count: n * rank)
        adapter.a.scalars.withUnsafeBufferPointer { a in
            Matmul.gemm(
                transposeB: true, m: n, n: rank, k: inF, a: input, lda: inF,
                b: a.baseAddress!, ldb: inF, c: hidden.pointer, ldc: rank)
        }
        adapter.b.scalars.withUnsafeBufferPointer { b in
            Matmul.gemm(
                transposeB: true, m: n, n: outF, k: rank, alpha: adapter.scaling,
                a: hidden.pointer, lda: rank, b: b.baseAddress!, ldb: rank, beta: 1,
                c: y, ldc: outF)
        }
        withExtendedLifetime(dropped) {}
        cache.adapterHidden = hidden
        return cache
    }

    /// Back-propagates `dy` `[N, out]`.
    /// - Parameters:
    ///   - x: the forward input `[N, in]`.
    ///   - dx: receives `[N, in]` (added to when `accumulate`, else overwritten); nil skips it.
    ///   - gradients: entries that are non-nil are added to.
    public func backward(
        _ dy: UnsafePointer<Float>, input x: UnsafePointer<Float>, rows: Int, cache: Cache,
        dx: UnsafeMutablePointer<Float>?, accumulate: Bool, gradients: inout Gradients
    ) {
        let n = rows
        let inF = inFeatures
        let outF = outFeatures
        if let dx {
            weight.scalars.withUnsafeBufferPointer { w in
                Matmul.gemm(
                    m: n, n: inF, k: outF, a: dy, lda: outF, b: w.baseAddress!, ldb: inF,
                    beta: accumulate ? 1 : 0, c: dx, ldc: inF)
            }
        }
        if gradients.weight != nil {
            gradients.weight!.scalars.withUnsafeMutableBufferPointer { dw in
                Matmul.gemm(
                    transposeA: true, m: outF, n: inF, k: n, a: dy, lda: outF, b: x, ldb: inF,
                    beta: 1, c: dw.baseAddress!, ldc: inF)
            }
        }
        if gradients.bias != nil {
            gradients.bias!.scalars.withUnsafeMutableBufferPointer { db in
                for r in 0..<n {
                    VectorKernels.add(dy + r * outF, into: db.baseAddress!, count: outF)
                }
            }
        }
        guard let adapter, let hidden = cache.adapterHidden else { return }
        let rank = adapter.rank
        let s = adapter.scaling
        if gradients.b != nil {
            gradients.b!.scalars.withUnsafeMutableBufferPointer { dB in
                Matmul.gemm(
                    transposeA: true, m: outF, n: rank, k: n, alpha: s, a: dy, lda: outF,
                    b: hidden.pointer, ldb: rank, beta: 1, c: dB.baseAddress!, ldc: rank)
            }
        }
        let needInput = dx != nil
        if gradients.a == nil && !needInput { return }
        // du = s · dy B, [N, r]
        let dHidden = FloatBuffer(count: n * rank)
        defer { withExtendedLifetime(dHidden) {} }
        adapter.b.scalars.withUnsafeBufferPointer { b in
            Matmul.gemm(
                m: n, n: rank, k: outF, alpha: s, a: dy, lda: outF, b: b.baseAddress!, ldb: rank,
                c: dHidden.pointer, ldc: rank)
        }
        if gradients.a != nil {
            // dA = duᵀ x̃
            var dropped: FloatBuffer?
            var input = x
            if let mask = cache.dropoutMask {
                let buffer = FloatBuffer(count: n * inF)
                for i in 0..<(n * inF) { buffer.pointer[i] = x[i] * mask.pointer[i] }
                dropped = buffer
                input = UnsafePointer(buffer.pointer)
            }
            gradients.a!.scalars.withUnsafeMutableBufferPointer { dA in
                Matmul.gemm(
                    transposeA: true, m: rank, n: inF, k: n, a: dHidden.pointer, lda: rank,
                    b: input, ldb: inF, beta: 1, c: dA.baseAddress!, ldc: inF)
            }
            withExtendedLifetime(dropped) {}
        }
        if let dx {
            adapter.a.scalars.withUnsafeBufferPointer { a in
                if let mask = cache.dropoutMask {
                    let scratch = FloatBuffer(count: n * inF)
                    Matmul.gemm(
                        m: n, n: inF, k: rank, a: dHidden.pointer, lda: rank, b: a.baseAddress!,
                        ldb: inF, c: scratch.pointer, ldc: inF)
                    for i in 0..<(n * inF) { dx[i] += scratch.pointer[i] * mask.pointer[i] }
                    withExtendedLifetime(scratch) {}
                } else {
                    Matmul.gemm(
                        m: n, n: inF, k: rank, a: dHidden.pointer, lda: rank, b: a.baseAddress!,
                        ldb: inF, beta: 1, c: dx, ldc: inF)
                }
            }
        }
    }

    /// The projection with its adapter folded in: `W + s·B A`, no adapter.
    public func merged() -> LoRALinear {
        guard let adapter else { return self }
        var w = weight
        w.add(adapter.delta)
        return LoRALinear(weight: w, bias: bias)
    }
}

/// Which parameters a backward pass computes gradients for.
public enum TrainableParameters: String, Sendable, Codable, CaseIterable {
    /// Every base weight (full fine-tune); adapters, if any, stay frozen.
    case baseWeights
    /// The LoRA A and B matrices only; the base stays frozen.
    case adapters
}
