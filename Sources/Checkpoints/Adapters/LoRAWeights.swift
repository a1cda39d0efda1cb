import Tensors

/// The two LoRA factors of one adapted projection, in PyTorch layout.
///
/// With the base weight `W` `[out, in]`, the adapted projection is
/// `y = x Wᵀ + scale · (x Aᵀ) Bᵀ` and the merged weight is `W + scale · B A`, where
/// `scale = alpha / R` (``LoRAAdapterConfiguration/scale``).
public struct LoRAWeights: Sendable, Equatable {
    /// `lora_A.weight`, shape `[R, in]`.
    public var a: Tensor
    /// `lora_B.weight`, shape `[out, R]`.
    public var b: Tensor

    /// Pairs two factors.
    /// - Precondition: both are matrices and `a.shape[0] == b.shape[1]` (the rank).
    public init(a: Tensor, b: Tensor) {
        precondition(
            a.rank == 2 && b.rank == 2 && a.shape[0] == b.shape[1],
            "LoRAWeights: A \(a.shape) and B \(b.shape) must be [R, in] and [out, R]")
        self.a = a
        self.b = b
    }

    /// The rank `R`.
    public var rank: Int { a.shape[0] }
    /// Shape of the base weight these factors fit, `[out, in]`.
    public var baseShape: [Int] { [b.shape[0], a.shape[1]] }
}
