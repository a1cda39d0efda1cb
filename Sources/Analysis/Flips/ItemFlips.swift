/// The binary items of one task that changed between two checkpoints.
///
/// An item is "right" when its score is `≥ 0.5` (accuracy and exact match store 0 or 1).
/// `rightToWrong` are the items the candidate forgot, `wrongToRight` those it learned; their
/// counts are McNemar's `b` and `c` (see ``mcNemar``).
public struct ItemFlips: Codable, Sendable, Equatable {
    /// The probe task.
    public var task: String
    /// Ids of items right in the baseline and wrong in the candidate, ascending.
    public var rightToWrong: [String]
    /// Ids of items wrong in the baseline and right in the candidate, ascending.
    public var wrongToRight: [String]
    /// Items right on both sides.
    public var stayedRight: Int
    /// Items wrong on both sides.
    public var stayedWrong: Int

    /// Classifies every paired item.
    /// - Parameters:
    ///   - task: The task's name.
    ///   - items: Binary scores of both checkpoints, aligned by id.
    public init(task: String, items: PairedItems<Double>) {
        self.task = task
        rightToWrong = []
        wrongToRight = []
        stayedRight = 0
        stayedWrong = 0
        for (index, id) in items.ids.enumerated() {
            switch (items.baseline[index] >= 0.5, items.candidate[index] >= 0.5) {
            case (true, false): rightToWrong.append(id)
            case (false, true): wrongToRight.append(id)
            case (true, true): stayedRight += 1
            case (false, false): stayedWrong += 1
            }
        }
    }

    /// The exact McNemar test on the discordant items.
    public var mcNemar: McNemarTest {
        McNemarTest(rightToWrong: rightToWrong.count, wrongToRight: wrongToRight.count)
    }

    /// Items right at row `from` of a lineage and wrong at every later row: forgotten for good.
    ///
    /// - Parameters:
    ///   - lineage: Per row (base first), item id → binary score; only ids present in every row
    ///     from `from` on are considered.
    ///   - from: The row the items were right at (default 0, the base model).
    /// - Returns: Ids in ascending code-point order; empty when `from` is the last row.
    /// - Precondition: `0 ≤ from < lineage.count`.
    public static func forgottenAtEveryLaterStage(
        lineage: [[String: Double]], from: Int = 0
    ) -> [String] {
        precondition(
            lineage.indices.contains(from),
            "forgottenAtEveryLaterStage: row \(from) outside 0..<\(lineage.count)")
        let later = lineage[(from + 1)...]
        guard !later.isEmpty else { return [] }
        return lineage[from].compactMap { id, score -> String? in
            guard score >= 0.5 else { return nil }
            for row in later {
                guard let value = row[id], value < 0.5 else { return nil }
            }
            return id
        }.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
    }
}
