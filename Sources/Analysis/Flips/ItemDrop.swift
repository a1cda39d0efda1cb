/// One item whose score fell between two checkpoints (generation tasks: sentence ROUGE, chrF).
public struct ItemDrop: Codable, Sendable, Equatable {
    /// The item id.
    public var id: String
    /// The baseline's score on the item.
    public var baseline: Double
    /// The candidate's score on the item.
    public var candidate: Double
    /// The direction-adjusted drop `−sign·(candidate − baseline)`, `> 0`.
    public var drop: Double

    /// Creates a record.
    public init(id: String, baseline: Double, candidate: Double, drop: Double) {
        self.id = id
        self.baseline = baseline
        self.candidate = candidate
        self.drop = drop
    }

    /// The items with the largest drops, largest first (ties by ascending id).
    /// - Parameters:
    ///   - items: Per-item scores of both checkpoints, aligned by id.
    ///   - direction: Whether larger scores are better.
    ///   - limit: How many to return at most.
    /// - Returns: Up to `limit` items with a drop `> 0`.
    public static func largest(
        in items: PairedItems<Double>, direction: MetricDirection = .higherIsBetter, limit: Int = 10
    ) -> [ItemDrop] {
        var drops: [ItemDrop] = []
        for (index, id) in items.ids.enumerated() {
            let b = items.baseline[index]
            let c = items.candidate[index]
            let drop = -direction.improvement(from: b, to: c)
            if drop > 0 { drops.append(ItemDrop(id: id, baseline: b, candidate: c, drop: drop)) }
        }
        drops.sort {
            $0.drop != $1.drop
                ? $0.drop > $1.drop
                : $0.id.unicodeScalars.lexicographicallyPrecedes($1.id.unicodeScalars)
        }
        return Array(drops.prefix(max(0, limit)))
    }
}
