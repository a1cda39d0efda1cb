import Tensors

/// Which keys each query row of a batch may see, and the RoPE position of each row: the
/// attention pattern of inference passes that pack several sequences sharing a prefix into one
/// row of the batch (`DecoderModel.scoreTargets`).
///
/// Row `r` of a sequence (0-based within its sequence) sees the keys `[0, sharedEnd[r])` and
/// `[segmentStart[r], r]`, with `sharedEnd[r] ≤ segmentStart[r] ≤ r`. Plain causal attention is
/// `sharedEnd = 0, segmentStart = 0, position = r`; a branch that continues a shared prefix of
/// length P from row s on has `sharedEnd = P, segmentStart = s` and positions `P + (r − s)`.
public struct AttentionLayout: Sendable, Equatable {
    /// B.
    public let batch: Int
    /// T.
    public let length: Int
    /// RoPE position of each row, `[B·T]`.
    public let positions: [Int32]
    /// End of the shared key range of each row, `[B·T]`.
    public let sharedEnd: [Int32]
    /// Start of the row's own key range, `[B·T]`.
    public let segmentStart: [Int32]

    /// - Precondition: three `[B·T]` arrays with `0 ≤ sharedEnd ≤ segmentStart ≤ r` and
    ///   non-negative positions.
    public init(
        batch: Int, length: Int, positions: [Int32], sharedEnd: [Int32], segmentStart: [Int32]
    ) {
        let n = batch * length
        precondition(
            positions.count == n && sharedEnd.count == n && segmentStart.count == n,
            "AttentionLayout: need \(n) entries per array for B \(batch) T \(length), got "
                + "\(positions.count), \(sharedEnd.count), \(segmentStart.count)")
        for i in 0..<n {
            let r = Int32(i % length)
            precondition(
                positions[i] >= 0 && sharedEnd[i] >= 0 && sharedEnd[i] <= segmentStart[i]
                    && segmentStart[i] <= r,
                "AttentionLayout: row \(r) of sequence \(i / length) has shared end "
                    + "\(sharedEnd[i]), segment start \(segmentStart[i]), position "
                    + "\(positions[i])")
        }
        self.batch = batch
        self.length = length
        self.positions = positions
        self.sharedEnd = sharedEnd
        self.segmentStart = segmentStart
    }

    /// Plain causal attention over `batch` sequences of `length` tokens.
    public static func causal(batch: Int, length: Int) -> AttentionLayout {
        let zeros = [Int32](repeating: 0, count: batch * length)
        return AttentionLayout(
            batch: batch, length: length,
            positions: (0..<(batch * length)).map { Int32($0 % length) }, sharedEnd: zeros,
            segmentStart: zeros)
    }
}

extension Attention {
    /// Inference attention over a batch with a layout: RoPE at the layout's positions, then
    /// `attendGroup` per (sequence, kv head). Nothing is kept for backward.
    func forwardInference(
        _ h: UnsafePointer<Float>, layout: AttentionLayout, into out: UnsafeMutablePointer<Float>,
        rope: RoPE
    ) {
        let batch = layout.batch
        let length = layout.length
        let n = batch * length
        let qWidth = headCount * headDim
        let kvWidth = kvHeads * headDim
        var none: SeededGenerator?
        let (queries, keys, values, _, _, _) = layout.positions.withUnsafeBufferPointer {
            positions in
            projectAndRotate(h, rows: n, rope: rope, generator: &none) { Int(positions[$0]) }
        }
        let context = FloatBuffer(count: n * qWidth)
        defer { withExtendedLifetime((queries, keys, values, context)) {} }
        let group = headCount / kvHeads
        let d = headDim
        let kv = kvHeads
        layout.sharedEnd.withUnsafeBufferPointer { sharedEnd in
            layout.segmentStart.withUnsafeBufferPointer { segmentStart in
                Parallel.forEach(batch * kv) { unit in
                    let b = unit / kv
                    let g = unit % kv
                    KernelDispatch.attendGroup(
                        queries: queries.pointer + b * length * qWidth + g * group * d,
                        queryStride: qWidth, heads: group,
                        keys: keys.pointer + b * length * kvWidth + g * d,
                        values: values.pointer + b * length * kvWidth + g * d,
                        keyStride: kvWidth, queryCount: length, past: 0, headDim: d,
                        sharedEnd: sharedEnd.baseAddress! + b * length,
                        segmentStart: segmentStart.baseAddress! + b * length,
                        context: context.pointer + b * length * qWidth + g * group * d,
                        contextStride: qWidth)
                }
            }
        }
        _ = output.forward(context.pointer, rows: n, into: out, generator: &none)
    }
}
