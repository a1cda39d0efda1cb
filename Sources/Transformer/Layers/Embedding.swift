import Tensors

/// Token embedding lookup: row `ids[n]` of the table `[V, C]`.
///
/// Backward scatters: `dTable[ids[n]] += dx[n]` (rows of repeated tokens add up).
///
/// ### References
/// PyTorch `nn.Embedding`.
public struct Embedding: Sendable {
    /// `[V, C]`.
    public var table: Tensor

    public struct Gradients: Sendable {
        public var table: Tensor
    }

    public init(table: Tensor) {
        precondition(table.rank == 2, "Embedding: table must be 2-D, got \(table.shape)")
        self.table = table
    }

    public var vocabSize: Int { table.shape[0] }
    public var width: Int { table.shape[1] }

    /// Writes the rows for `ids` into `out` `[N, C]`.
    /// - Precondition: every id is in `0..<V` (callers validate data first).
    public func forward(_ ids: [Int], into out: UnsafeMutablePointer<Float>) {
        let c = width
        let v = vocabSize
        table.scalars.withUnsafeBufferPointer { t in
            for (n, id) in ids.enumerated() {
                precondition(id >= 0 && id < v, "Embedding: token \(id) outside 0..<\(v)")
                (out + n * c).update(from: t.baseAddress! + id * c, count: c)
            }
        }
    }

    /// Adds `dx` `[N, C]` into the rows of `gradients.table` that `ids` selected.
    public func backward(
        _ dx: UnsafePointer<Float>, ids: [Int], gradients: inout Gradients
    ) {
        let c = width
        gradients.table.scalars.withUnsafeMutableBufferPointer { g in
            for (n, id) in ids.enumerated() {
                VectorKernels.add(dx + n * c, into: g.baseAddress! + id * c, count: c)
            }
        }
    }
}
