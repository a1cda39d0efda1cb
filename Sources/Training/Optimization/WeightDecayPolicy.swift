import Tensors

/// Which trainable tensors AdamW's decoupled weight decay applies to.
public enum WeightDecayPolicy: String, Codable, Sendable, CaseIterable {
    /// Only tensors of rank 2 (weight matrices, embeddings, LoRA A and B); norm weights and
    /// biases are not decayed. The Trainer's default, close to Hugging Face Trainer's rule of no
    /// decay for biases and LayerNorm/RMSNorm weights.
    case matricesOnly = "matrices"
    /// Every trainable tensor: `torch.optim.AdamW` with a single parameter group (what the
    /// parity fixtures use).
    case all

    /// Whether the tensor named `name` decays under this policy.
    public func decays(_ name: String, _ tensor: Tensor) -> Bool {
        switch self {
        case .matricesOnly: return tensor.rank == 2
        case .all: return true
        }
    }
}
