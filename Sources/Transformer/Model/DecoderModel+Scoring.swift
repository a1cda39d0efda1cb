import Tensors

/// A token tree of depth one: a shared prefix and branches that each continue it on their own.
///
/// The choices of a multiple-choice item are one: the context is the prefix and each choice's
/// input tokens are a branch. Scoring it as one sequence runs the prefix once instead of once per
/// choice. Tokens are laid out flat (prefix, then each branch in order); a branch's tokens attend
/// to the whole prefix and to the earlier tokens of their own branch, at positions
/// `prefix.count + j`, so every branch sees exactly what it would see as the sequence
/// `prefix + branch`.
public struct BranchedSequence: Sendable, Hashable {
    /// The shared tokens.
    public var prefix: [Int]
    /// The branches (each may be empty).
    public var branches: [[Int]]

    public init(prefix: [Int], branches: [[Int]] = []) {
        self.prefix = prefix
        self.branches = branches
    }

    /// Prefix, then each branch: the order of the flat rows.
    public var flattened: [Int] { prefix + branches.flatMap { $0 } }

    /// The number of flat rows.
    public var flatCount: Int { branches.reduce(prefix.count) { $0 + $1.count } }

    /// Positions the longest path needs: `prefix.count + max(branch.count)`.
    public var span: Int { prefix.count + (branches.map(\.count).max() ?? 0) }

    /// The flat row of token `token` of branch `branch`.
    public func flatIndex(branch: Int, token: Int) -> Int {
        precondition(
            branches.indices.contains(branch) && token >= 0 && token < branches[branch].count,
            "BranchedSequence: no token \(token) in branch \(branch)")
        return branches[..<branch].reduce(prefix.count) { $0 + $1.count } + token
    }

    /// The flat row of position `position` on the path `prefix + branches[branch]`.
    public func flatIndex(branch: Int, position: Int) -> Int {
        position < prefix.count
            ? position : flatIndex(branch: branch, token: position - prefix.count)
    }
}

/// One next-token target: the flat row whose logits predict it, and the token.
public struct ScoredTarget: Sendable, Hashable {
    public var row: Int
    public var token: Int

    public init(row: Int, token: Int) {
        self.row = row
        self.token = token
    }
}

/// The log-probability of a target and whether it was the most likely token.
public struct TargetScore: Sendable, Hashable {
    /// `log_softmax(logits)[token]` in nats (float32 logits, log-sum-exp in float32 lanes).
    public var logProbability: Double
    /// True when `token` is the argmax of the row's logits (the first index on ties).
    public var isArgmax: Bool

    public init(logProbability: Double, isArgmax: Bool) {
        self.logProbability = logProbability
        self.isArgmax = isArgmax
    }
}

extension DecoderModel {
    /// The attention layout of branched sequences laid out flat and right-padded to `length`.
    /// Padding rows see only themselves (their outputs are never read).
    static func layout(of sequences: [BranchedSequence], length: Int) -> AttentionLayout {
        let n = sequences.count * length
        var positions = [Int32](repeating: 0, count: n)
        var sharedEnd = [Int32](repeating: 0, count: n)
        var segmentStart = [Int32](repeating: 0, count: n)
        for (b, sequence) in sequences.enumerated() {
            let base = b * length
            let p = sequence.prefix.count
            for r in 0..<p { positions[base + r] = Int32(r) }
            var row = p
            for branch in sequence.branches {
                for j in 0..<branch.count {
                    positions[base + row + j] = Int32(p + j)
                    sharedEnd[base + row + j] = Int32(p)
                    segmentStart[base + row + j] = Int32(row)
                }
                row += branch.count
            }
            for r in row..<length { segmentStart[base + r] = Int32(r) }
        }
        return AttentionLayout(
            batch: sequences.count, length: length, positions: positions, sharedEnd: sharedEnd,
            segmentStart: segmentStart)
    }

    /// Scores next-token targets of a batch of branched sequences in one inference pass.
    ///
    /// Each sequence is laid out flat (`BranchedSequence.flattened`) and right-padded to the
    /// longest; attention follows the tree (`AttentionLayout`), so a target gets the same
    /// log-probability as in a plain forward pass over its own path `prefix + branch`, up to
    /// float32 rounding. Only the target rows go through the final norm's output and the LM
    /// head. Adapters are applied unmerged, without dropout.
    ///
    /// - Parameters:
    ///   - sequences: B sequences, each with `span ≤ max_position_embeddings` and at least one
    ///     token.
    ///   - targets: per sequence, the targets to score (flat rows of that sequence).
    /// - Returns: per sequence, one score per target, in order.
    /// - Throws: `TransformerError.sequenceTooLong` when a path exceeds the window,
    ///   `.tokenOutOfRange` for an id outside the vocabulary (input or target).
    public func scoreTargets(_ sequences: [BranchedSequence], targets: [[ScoredTarget]]) throws
        -> [[TargetScore]]
    {
        precondition(
            sequences.count == targets.count,
            "DecoderModel.scoreTargets: \(sequences.count) sequences but \(targets.count) target "
                + "lists")
        guard !sequences.isEmpty else { return [] }
        let v = configuration.vocabSize
        let limit = configuration.maxPositionEmbeddings
        let length = sequences.map(\.flatCount).max()!
        precondition(length > 0, "DecoderModel.scoreTargets: every sequence is empty")
        var tokens: [[Int]] = []
        var rows: [Int] = []
        var goals: [Int] = []
        for (b, sequence) in sequences.enumerated() {
            if sequence.span > limit {
                throw TransformerError.sequenceTooLong(length: sequence.span, maximum: limit)
            }
            let flat = sequence.flattened
            if let bad = flat.first(where: { $0 < 0 || $0 >= v }) {
                throw TransformerError.tokenOutOfRange(token: bad, vocabSize: v)
            }
            for target in targets[b] {
                precondition(
                    target.row >= 0 && target.row < flat.count,
                    "DecoderModel.scoreTargets: row \(target.row) outside sequence \(b) of "
                        + "\(flat.count) rows")
                rows.append(b * length + target.row)
                goals.append(target.token)
            }
            tokens.append(flat + [Int](repeating: 0, count: length - flat.count))
        }
        try validateTargets(goals)
        var none: SeededGenerator?
        let cache = forwardUnchecked(
            tokens, batch: sequences.count, length: length, generator: &none, keep: false,
            layout: Self.layout(of: sequences, length: length))
        let scores = targetScores(hidden: cache.hidden, rows: rows, targets: goals)
        var next = 0
        return targets.map { list in
            defer { next += list.count }
            return Array(scores[next..<(next + list.count)])
        }
    }

    /// LM head and log-softmax for the given rows of `hidden` `[·, C]`, chunk by chunk.
    func targetScores(hidden: FloatBuffer, rows: [Int], targets: [Int]) -> [TargetScore] {
        let v = configuration.vocabSize
        var scores: [TargetScore] = []
        scores.reserveCapacity(rows.count)
        forEachHeadChunk(hidden: hidden, rows: rows) { start, m, _, logits, _ in
            for r in 0..<m {
                let (logProbability, isArgmax) = KernelDispatch.logSoftmax(
                    logits + r * v, count: v, at: targets[start + r])
                scores.append(TargetScore(logProbability: logProbability, isArgmax: isArgmax))
            }
        }
        return scores
    }
}
