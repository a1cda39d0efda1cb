/// One task and metric for the gate to judge: the per-item data of baseline and candidate.
public struct GateComparison: Sendable {
    /// The probe task.
    public var task: String
    /// The metric.
    public var metric: String
    /// Whether larger or smaller is better.
    public var direction: MetricDirection
    /// Aligned per-item data of both checkpoints.
    public var data: PairedData

    /// Creates a comparison.
    public init(task: String, metric: String, direction: MetricDirection, data: PairedData) {
        self.task = task
        self.metric = metric
        self.direction = direction
        self.data = data
    }
}
