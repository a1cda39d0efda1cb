/// One validated entry of a safetensors header: where a tensor's bytes are and how to read them.
public struct SafetensorsTensorInfo: Sendable, Equatable {
    /// The tensor's name exactly as stored, e.g. `model.layers.0.self_attn.q_proj.weight`.
    public var name: String
    /// Element type.
    public var dtype: SafetensorsDType
    /// Extents, outermost first (PyTorch order; a Linear weight is `[out, in]`).
    public var shape: [Int]
    /// Byte range inside the data section (which starts right after the header), as
    /// `data_offsets` gives it: `[begin, end)`.
    public var dataOffsets: Range<Int>

    /// Number of elements, the product of `shape` (1 for a scalar of shape `[]`).
    public var elementCount: Int { shape.reduce(1, *) }
    /// Number of bytes, `dataOffsets.count`.
    public var byteCount: Int { dataOffsets.count }
}
