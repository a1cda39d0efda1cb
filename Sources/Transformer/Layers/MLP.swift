import Tensors

/// The SwiGLU feed-forward block of Llama: `out = down(silu(gate(h)) ⊙ up(h))`.
///
/// `silu(z) = z·σ(z)`. Backward, with `a = silu(g) ⊙ u`:
/// `da = dOut Wdown`, `dg = da ⊙ u ⊙ σ(g)(1 + g(1 − σ(g)))`, `du = da ⊙ silu(g)`,
/// `dh = dg Wgate + du Wup`.
///
/// ### References
/// N. Shazeer, "GLU Variants Improve Transformer", 2020; transformers `LlamaMLP`.
public struct MLP: Sendable {
    public var gate: LoRALinear
    public var up: LoRALinear
    public var down: LoRALinear

    /// Activations kept for backward: gate and up outputs `[N, F]` and their gated product
    /// `[N, F]` (the input of down_proj).
    public struct Cache: Sendable {
        public var gateOut: FloatBuffer
        public var upOut: FloatBuffer
        public var activation: FloatBuffer
        public var gateCache: LoRALinear.Cache
        public var upCache: LoRALinear.Cache
        public var downCache: LoRALinear.Cache
    }

    public struct Gradients: Sendable {
        public var gate: LoRALinear.Gradients
        public var up: LoRALinear.Gradients
        public var down: LoRALinear.Gradients
    }

    public init(gate: LoRALinear, up: LoRALinear, down: LoRALinear) {
        precondition(
            gate.weight.shape == up.weight.shape
                && down.inFeatures == gate.outFeatures && down.outFeatures == gate.inFeatures,
            "MLP: gate \(gate.weight.shape) up \(up.weight.shape) down \(down.weight.shape) "
                + "do not fit together")
        self.gate = gate
        self.up = up
        self.down = down
    }

    public func zeroGradients(_ trainable: TrainableParameters) -> Gradients {
        Gradients(
            gate: gate.zeroGradients(trainable), up: up.zeroGradients(trainable),
            down: down.zeroGradients(trainable))
    }

    /// - Parameters:
    ///   - h: `[N, C]`.
    ///   - out: receives `[N, C]` (overwritten).
    /// - Returns: the cache for `backward`.
    public func forward(
        _ h: UnsafePointer<Float>, rows: Int, into out: UnsafeMutablePointer<Float>,
        generator: inout SeededGenerator?
    ) -> Cache {
        let f = gate.outFeatures
        let g = FloatBuffer(count: rows * f)
        let u = FloatBuffer(count: rows * f)
        let a = FloatBuffer(count: rows * f)
        let gc = gate.forward(h, rows: rows, into: g.pointer, generator: &generator)
        let uc = up.forward(h, rows: rows, into: u.pointer, generator: &generator)
        Parallel.forEachRange(rows * f, chunks: rows * f >= 65536 ? 4 : 1) { range in
            let count = range.count
            let start = range.lowerBound
            // a = g·σ(g)·u with σ(g) = 1/(1+exp(-g)), exp vectorised.
            KernelDispatch.siluProduct(
                gate: g.pointer + start, up: u.pointer + start, into: a.pointer + start,
                count: count)
        }
        let dc = down.forward(a.pointer, rows: rows, into: out, generator: &generator)
        return Cache(
            gateOut: g, upOut: u, activation: a, gateCache: gc, upCache: uc, downCache: dc)
    }

    /// Back-propagates `dOut` `[N, C]`.
    /// - Parameters:
    ///   - h: the forward input `[N, C]`.
    ///   - dh: receives `[N, C]` (overwritten).
    public func backward(
        _ dOut: UnsafePointer<Float>, input h: UnsafePointer<Float>, rows: Int, cache: Cache,
        dh: UnsafeMutablePointer<Float>, gradients: inout Gradients
    ) {
        let f = gate.outFeatures
        let da = FloatBuffer(count: rows * f)
        down.backward(
            dOut, input: cache.activation.pointer, rows: rows, cache: cache.downCache,
            dx: da.pointer, accumulate: false, gradients: &gradients.down)
        let dg = FloatBuffer(count: rows * f)
        defer { withExtendedLifetime((da, dg)) {} }
        let du = da  // overwritten in place below: du[j] needs da[j] only at j
        Parallel.forEachRange(rows * f, chunks: rows * f >= 65536 ? 4 : 1) { range in
            let count = range.count
            let start = range.lowerBound
            let e = dg.pointer + start
            for j in 0..<count { e[j] = -cache.gateOut.pointer[start + j] }
            VectorKernels.exp(e, count: count)
            for j in 0..<count {
                let z = cache.gateOut.pointer[start + j]
                let sigma = 1 / (1 + e[j])
                let silu = z * sigma
                let upValue = cache.upOut.pointer[start + j]
                let gradA = da.pointer[start + j]
                e[j] = gradA * upValue * sigma * (1 + z * (1 - sigma))
                du.pointer[start + j] = gradA * silu
            }
        }
        gate.backward(
            dg.pointer, input: h, rows: rows, cache: cache.gateCache, dx: dh, accumulate: false,
            gradients: &gradients.gate)
        up.backward(
            du.pointer, input: h, rows: rows, cache: cache.upCache, dx: dh, accumulate: true,
            gradients: &gradients.up)
    }
}
