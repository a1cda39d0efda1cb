import Tensors

/// Gradient clipping by global norm, as `torch.nn.utils.clip_grad_norm_` (`norm_type = 2`).
///
/// The global norm is `sqrt(Σ_tensors Σ_i g_i²)` (accumulated in `Double`; torch accumulates
/// per-tensor norms in float32, a difference of float32 noise). Every gradient is multiplied by
/// `min(1, maxNorm / (norm + 1e-6))`; the `1e-6` is torch's, so a norm equal to `maxNorm`
/// still scales by slightly less than 1.
///
/// ### References
/// `torch.nn.utils.clip_grad_norm_` (PyTorch 2.x, `_clip_grads_with_norm_`).
public enum GradientClipping {
    /// The L2 norm over all elements of all tensors.
    public static func globalNorm<S: Sequence>(_ gradients: S) -> Double where S.Element == Tensor {
        var total = 0.0
        for gradient in gradients { total += gradient.sumOfSquares }
        return total.squareRoot()
    }

    /// The factor `min(1, maxNorm / (norm + 1e-6))` that clipping multiplies every gradient by.
    public static func coefficient(norm: Double, maxNorm: Double) -> Double {
        min(1, maxNorm / (norm + 1e-6))
    }

    /// Clips gradients in place to a global norm of at most `maxNorm`.
    /// - Parameters:
    ///   - gradients: by name, scaled in place.
    ///   - maxNorm: the largest allowed global norm (> 0).
    /// - Returns: the global norm *before* clipping (what torch returns and what is logged).
    @discardableResult
    public static func clip(_ gradients: inout [String: Tensor], maxNorm: Double) -> Double {
        let norm = globalNorm(gradients.values)
        let factor = coefficient(norm: norm, maxNorm: maxNorm)
        if factor < 1 {
            for name in gradients.keys { gradients[name]!.scale(by: Float(factor)) }
        }
        return norm
    }
}
