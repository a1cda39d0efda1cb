/// The per-item scores of one task and metric on two checkpoints, aligned item by item.
///
/// Index `i` on both sides is the same probe item; build aligned arrays from stored per-item
/// results with ``PairedItems``. The case decides how the paired bootstrap recomputes the score.
public enum PairedData: Sendable {
    /// 0/1 item scores (accuracy, exact match); the task score is their mean. Also gets an exact
    /// McNemar test and Wilson intervals.
    case binary(baseline: [Double], candidate: [Double])
    /// Continuous item scores (sentence ROUGE, sentence chrF); the task score is their mean.
    case continuous(baseline: [Double], candidate: [Double])
    /// Perplexity documents; the task score is recomputed from summed log-likelihoods and
    /// lengths in `unit` (see ``PerplexityUnit``).
    case perplexity(
        baseline: [PerplexityDocument], candidate: [PerplexityDocument], unit: PerplexityUnit)
    /// Per-item sufficient statistics, shape `[N][K]`; the task score is `statistic.score` of
    /// their column sums (corpus BLEU, corpus chrF).
    case corpus(baseline: [[Double]], candidate: [[Double]], statistic: CorpusStatistic)

    /// The number of paired items `N`.
    public var itemCount: Int {
        switch self {
        case .binary(let b, _), .continuous(let b, _): b.count
        case .perplexity(let b, _, _): b.count
        case .corpus(let b, _, _): b.count
        }
    }

    /// Whether the items are 0/1 scores.
    public var isBinary: Bool {
        if case .binary = self { return true }
        return false
    }

    /// Checks that both sides have the same number of items (and `K` statistics per item).
    func checkShapes(task: String) {
        switch self {
        case .binary(let b, let c), .continuous(let b, let c):
            precondition(
                b.count == c.count,
                "PairedData(\(task)): baseline [\(b.count)] vs candidate [\(c.count)]")
        case .perplexity(let b, let c, _):
            precondition(
                b.count == c.count,
                "PairedData(\(task)): baseline [\(b.count)] vs candidate [\(c.count)] documents")
        case .corpus(let b, let c, let statistic):
            precondition(
                b.count == c.count,
                "PairedData(\(task)): baseline [\(b.count)] vs candidate [\(c.count)] items")
            let k = statistic.statisticCount
            precondition(
                b.allSatisfy { $0.count == k } && c.allSatisfy { $0.count == k },
                "PairedData(\(task)): every item needs \(k) statistics for \(statistic.name)")
        }
    }
}
