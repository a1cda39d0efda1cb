/// The paired statistics of one task and metric between a baseline and a candidate checkpoint:
/// both scores, the difference with its bootstrap interval, and for binary items the exact
/// McNemar test and Wilson intervals.
///
/// `delta = candidate − baseline` in the metric's units (raw, not direction-adjusted);
/// ``drop`` is the direction-adjusted loss (`> 0` means the candidate is worse).
public struct PairedComparison: Codable, Sendable, Equatable {
    /// The probe task.
    public var task: String
    /// The metric.
    public var metric: String
    /// Whether larger or smaller is better.
    public var direction: MetricDirection
    /// Number of paired items `N`.
    public var itemCount: Int
    /// The baseline's task score on all items.
    public var baselineScore: Double
    /// The candidate's task score on all items.
    public var candidateScore: Double
    /// `candidateScore − baselineScore`.
    public var delta: Double
    /// Lower end of the two-sided bootstrap percentile interval of `delta` at `1 − alpha`.
    public var lower: Double
    /// Upper end of that interval.
    public var upper: Double
    /// The interval's `α` (confidence `1 − α`).
    public var alpha: Double
    /// Bootstrap standard error of `delta`.
    public var standardError: Double
    /// Exact McNemar test, for binary items.
    public var mcNemar: McNemarTest?
    /// Wilson interval of the baseline's proportion, for binary items.
    public var baselineInterval: WilsonInterval?
    /// Wilson interval of the candidate's proportion, for binary items.
    public var candidateInterval: WilsonInterval?

    /// Creates a comparison from its parts (for tests and for values read back from a store).
    public init(
        task: String, metric: String, direction: MetricDirection, itemCount: Int,
        baselineScore: Double, candidateScore: Double, lower: Double, upper: Double,
        alpha: Double = 0.05, standardError: Double = 0, mcNemar: McNemarTest? = nil,
        baselineInterval: WilsonInterval? = nil, candidateInterval: WilsonInterval? = nil
    ) {
        self.task = task
        self.metric = metric
        self.direction = direction
        self.itemCount = itemCount
        self.baselineScore = baselineScore
        self.candidateScore = candidateScore
        self.delta = candidateScore - baselineScore
        self.lower = lower
        self.upper = upper
        self.alpha = alpha
        self.standardError = standardError
        self.mcNemar = mcNemar
        self.baselineInterval = baselineInterval
        self.candidateInterval = candidateInterval
    }

    /// Computes the paired statistics of one comparison.
    /// - Parameters:
    ///   - task: Task name; with `metric` it names the bootstrap stream (`task/metric`).
    ///   - metric: Metric name.
    ///   - direction: Whether larger is better.
    ///   - data: Aligned per-item data, `N ≥ 1`.
    ///   - alpha: Interval level (`0.05` → 95 % interval).
    ///   - bootstrap: Resamples and seed.
    public init(
        task: String, metric: String, direction: MetricDirection, data: PairedData,
        alpha: Double = 0.05, bootstrap: PairedBootstrap = PairedBootstrap()
    ) {
        let distribution = bootstrap.run(data, key: "\(task)/\(metric)")
        self.init(
            task: task, metric: metric, direction: direction, data: data, alpha: alpha,
            distribution: distribution)
    }

    init(
        task: String, metric: String, direction: MetricDirection, data: PairedData,
        alpha: Double, distribution: BootstrapDistribution
    ) {
        let interval = distribution.interval(alpha: alpha)
        var mcNemar: McNemarTest?
        var baselineInterval: WilsonInterval?
        var candidateInterval: WilsonInterval?
        if case .binary(let b, let c) = data {
            mcNemar = McNemarTest(baseline: b, candidate: c)
            baselineInterval = WilsonInterval(
                successes: b.filter { $0 >= 0.5 }.count, trials: b.count, alpha: alpha)
            candidateInterval = WilsonInterval(
                successes: c.filter { $0 >= 0.5 }.count, trials: c.count, alpha: alpha)
        }
        self.init(
            task: task, metric: metric, direction: direction, itemCount: data.itemCount,
            baselineScore: distribution.baselineScore, candidateScore: distribution.candidateScore,
            lower: interval.lower, upper: interval.upper, alpha: alpha,
            standardError: distribution.standardError, mcNemar: mcNemar,
            baselineInterval: baselineInterval, candidateInterval: candidateInterval)
    }

    /// The direction-adjusted drop `−sign · delta`: positive when the candidate is worse.
    public var drop: Double { -direction.sign * delta }
}
