import Tensors

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Adam with decoupled weight decay, step for step as PyTorch's `torch.optim.AdamW`
/// (single-tensor path, `foreach=False`, `fused=False`, `amsgrad=False`).
///
/// For each trainable tensor `p` with gradient `g`, at the 1-based step `t`:
///
/// ```
/// p = p * (1 - lr·wd)                                  // decoupled decay, applied first
/// m = lerp(m, g, 1 - β1)        (= β1·m + (1-β1)·g)
/// v = β2·v + (1-β2)·g·g
/// p = p - (lr / (1 - β1^t)) · m / (sqrt(v) / sqrt(1 - β2^t) + ε)
/// ```
///
/// Conventions that could silently differ, stated:
/// - the moments are bias-corrected (`1 - β^t`), with `t` counted from 1;
/// - `ε` is added *after* dividing `sqrt(v)` by `sqrt(1 - β2^t)` (outside the square root);
/// - the scalars `lr / (1 - β1^t)`, `sqrt(1 - β2^t)` and `1 - lr·wd` are computed in `Double`,
///   then rounded to `Float`; the tensor arithmetic is float32, in PyTorch's operation order, so
///   that the parity fixture's first step is reproduced to the bit from its gradients;
/// - which tensors decay is the caller's choice per tensor (`decays:`); ``WeightDecayPolicy``
///   names the two usual rules (torch's single group decays everything; the Trainer's default
///   decays 2-D weights only).
///
/// Moments are kept per parameter name, created (as zeros) on the first update of that name.
///
/// ### References
/// I. Loshchilov and F. Hutter, "Decoupled Weight Decay Regularization", ICLR 2019;
/// `torch.optim.adamw` / `torch.optim.adam._single_tensor_adam` (PyTorch 2.x).
public struct AdamW: Sendable, Equatable {
    /// The optimizer's constant hyper-parameters.
    public struct Configuration: Codable, Sendable, Equatable {
        /// Decay rate of the first moment (`β1`).
        public var beta1: Double
        /// Decay rate of the second moment (`β2`).
        public var beta2: Double
        /// Added to the bias-corrected root second moment (`ε`).
        public var epsilon: Double
        /// Decoupled weight decay coefficient (`wd`); the step multiplies a decaying tensor by
        /// `1 - lr·wd`.
        public var weightDecay: Double

        /// PyTorch's defaults are `β = (0.9, 0.999)`, `ε = 1e-8`, `wd = 0.01`.
        public init(
            beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
            weightDecay: Double = 0.01
        ) {
            self.beta1 = beta1
            self.beta2 = beta2
            self.epsilon = epsilon
            self.weightDecay = weightDecay
        }
    }

    /// The first and second moment of one parameter tensor, same shape as the parameter.
    public struct Moments: Sendable, Equatable {
        /// Exponential moving average of the gradient (`m`, `exp_avg`).
        public var first: Tensor
        /// Exponential moving average of the squared gradient (`v`, `exp_avg_sq`).
        public var second: Tensor

        public init(first: Tensor, second: Tensor) {
            precondition(
                first.shape == second.shape,
                "AdamW.Moments: shapes differ: \(first.shape) and \(second.shape)")
            self.first = first
            self.second = second
        }
    }

    /// Tensors with at least this many elements are updated on every core.
    static let parallelThreshold = 1 << 16

    /// The hyper-parameters.
    public var configuration: Configuration
    /// Completed steps (`t` of the last step; 0 before the first).
    public private(set) var stepCount: Int
    /// Moments by parameter name.
    public var moments: [String: Moments]

    /// A fresh optimizer (step 0, no moments).
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.stepCount = 0
        self.moments = [:]
    }

    /// Restores a saved optimizer (for resuming a run).
    /// - Precondition: `stepCount >= 0`.
    public init(configuration: Configuration, stepCount: Int, moments: [String: Moments]) {
        precondition(stepCount >= 0, "AdamW: negative step count \(stepCount)")
        self.configuration = configuration
        self.stepCount = stepCount
        self.moments = moments
    }

    /// Performs one optimizer step on every named parameter that has a gradient.
    ///
    /// - Parameters:
    ///   - parameters: the trainable tensors by name, updated in place.
    ///   - gradients: `d loss / d parameter` by name, each the shape of its parameter; a
    ///     parameter without a gradient is left as it is (and its moments untouched).
    ///   - learningRate: `lr` for this step (after the schedule).
    ///   - decays: whether weight decay applies to the named tensor.
    public mutating func step(
        parameters: inout [String: Tensor], gradients: [String: Tensor], learningRate: Double,
        decays: (String, Tensor) -> Bool
    ) {
        beginStep()
        for name in parameters.keys.sorted() {
            guard let gradient = gradients[name] else { continue }
            let decay = decays(name, parameters[name]!)
            update(
                name, parameter: &parameters[name]!, gradient: gradient,
                learningRate: learningRate, applyWeightDecay: decay)
        }
    }

    /// Starts a step: increments ``stepCount``. Call once per optimizer step, before the
    /// ``update(_:parameter:gradient:learningRate:applyWeightDecay:)`` calls of that step.
    public mutating func beginStep() {
        stepCount += 1
    }

    /// Updates one parameter tensor for the current step (see the type's formula).
    ///
    /// - Parameters:
    ///   - name: the key its moments are kept under.
    ///   - parameter: updated in place, any shape.
    ///   - gradient: same shape as `parameter`.
    ///   - learningRate: `lr` of this step.
    ///   - applyWeightDecay: whether `p *= 1 - lr·wd` is applied first.
    /// - Precondition: ``beginStep()`` was called; shapes agree with each other and with the
    ///   moments kept under `name`.
    public mutating func update(
        _ name: String, parameter: inout Tensor, gradient: Tensor, learningRate: Double,
        applyWeightDecay: Bool
    ) {
        precondition(stepCount > 0, "AdamW.update(\(name)): call beginStep() first")
        precondition(
            parameter.shape == gradient.shape,
            "AdamW.update(\(name)): parameter \(parameter.shape) and gradient \(gradient.shape) differ"
        )
        var state =
            moments.removeValue(forKey: name)
            ?? Moments(
                first: Tensor(shape: parameter.shape), second: Tensor(shape: parameter.shape))
        precondition(
            state.first.shape == parameter.shape,
            "AdamW.update(\(name)): moments \(state.first.shape) and parameter \(parameter.shape) differ"
        )
        let c = configuration
        let t = Double(stepCount)
        let decayFactor = Float(1 - learningRate * c.weightDecay)
        let firstWeight = Float(1 - c.beta1)
        let beta2 = Float(c.beta2)
        let oneMinusBeta2 = Float(1 - c.beta2)
        let stepSize = Float(learningRate / (1 - pow(c.beta1, t)))
        let correction2Root = Float((1 - pow(c.beta2, t)).squareRoot())
        let epsilon = Float(c.epsilon)
        let n = parameter.count
        let decay = applyWeightDecay ? decayFactor : 1
        parameter.scalars.withUnsafeMutableBufferPointer { pBuffer in
            gradient.scalars.withUnsafeBufferPointer { gBuffer in
                state.first.scalars.withUnsafeMutableBufferPointer { mBuffer in
                    state.second.scalars.withUnsafeMutableBufferPointer { vBuffer in
                        let p = pBuffer.baseAddress!
                        let g = gBuffer.baseAddress!
                        let m = mBuffer.baseAddress!
                        let v = vBuffer.baseAddress!
                        // Elementwise only, so splitting over cores changes no bit.
                        func run(_ range: Range<Int>) {
                            for i in range {
                                let pi = p[i] * decay
                                let gi = g[i]
                                // torch.lerp for a weight below 0.5: fma(w, end - start, start).
                                let mi = m[i].addingProduct(firstWeight, gi - m[i])
                                let vi = v[i] * beta2 + oneMinusBeta2 * gi * gi
                                m[i] = mi
                                v[i] = vi
                                let denominator = vi.squareRoot() / correction2Root + epsilon
                                p[i] = pi + (-stepSize * mi) / denominator
                            }
                        }
                        if n >= Self.parallelThreshold {
                            Parallel.forEachRange(n, chunks: 2 * Parallel.coreCount, run)
                        } else {
                            run(0..<n)
                        }
                    }
                }
            }
        }
        moments[name] = state
    }
}
