/// A dense, row-major `Float` tensor: the value every layer, optimizer and checkpoint exchanges.
///
/// Storage is one contiguous `[Float]` in row-major (C) order; `shape` lists the extents from the
/// outermost dimension inwards, e.g. `[B, T, C]` or a PyTorch `nn.Linear.weight` `[out, in]`.
/// A scalar has shape `[]` and one element.
public struct Tensor: Sendable, Equatable {
    /// Extents, outermost first.
    public var shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
    public var scalars: [Float]

    /// Wraps existing storage.
    /// - Precondition: `scalars.count` equals the product of `shape`, and no extent is negative.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative extent in shape \(shape)")
        precondition(
            shape.reduce(1, *) == scalars.count,
            "Tensor: shape \(shape) needs \(shape.reduce(1, *)) elements, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor of the given shape filled with `value` (zero by default).
    public init(shape: [Int], repeating value: Float = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative extent in shape \(shape)")
        self.shape = shape
        self.scalars = [Float](repeating: value, count: shape.reduce(1, *))
    }

    /// Number of elements (the product of `shape`).
    public var count: Int { scalars.count }

    /// Number of dimensions.
    public var rank: Int { shape.count }
}
