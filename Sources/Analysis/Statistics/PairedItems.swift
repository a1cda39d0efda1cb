/// Per-item values of one task on two checkpoints, aligned by item id.
///
/// Probe runs store one row per item; paired statistics need index `i` to be the same item on
/// both sides. The aligned order is ascending item id (code-point order), so it is the same on
/// every run whatever order the store returned.
public struct PairedItems<Value: Sendable>: Sendable {
    /// Item ids in ascending order, `[N]`.
    public var ids: [String]
    /// Baseline values, `[N]`, aligned with ``ids``.
    public var baseline: [Value]
    /// Candidate values, `[N]`, aligned with ``ids``.
    public var candidate: [Value]

    /// Aligns two runs' items by id.
    /// - Parameters:
    ///   - task: The task's name, for error messages.
    ///   - baseline: `(id, value)` per item of the baseline run.
    ///   - candidate: `(id, value)` per item of the candidate run.
    /// - Throws: ``AnalysisError/duplicateItem(task:id:)`` when an id repeats within a side;
    ///   ``AnalysisError/unpairedItems(task:onlyInBaseline:onlyInCandidate:)`` when the id sets
    ///   differ.
    public init(
        task: String, baseline: [(id: String, value: Value)],
        candidate: [(id: String, value: Value)]
    ) throws {
        func index(_ items: [(id: String, value: Value)]) throws -> [String: Value] {
            var out: [String: Value] = [:]
            out.reserveCapacity(items.count)
            for item in items {
                if out.updateValue(item.value, forKey: item.id) != nil {
                    throw AnalysisError.duplicateItem(task: task, id: item.id)
                }
            }
            return out
        }
        let b = try index(baseline)
        let c = try index(candidate)
        let onlyB = b.keys.filter { c[$0] == nil }.sorted(by: Self.codePointOrder)
        let onlyC = c.keys.filter { b[$0] == nil }.sorted(by: Self.codePointOrder)
        guard onlyB.isEmpty && onlyC.isEmpty else {
            throw AnalysisError.unpairedItems(
                task: task, onlyInBaseline: onlyB, onlyInCandidate: onlyC)
        }
        ids = b.keys.sorted(by: Self.codePointOrder)
        self.baseline = ids.map { b[$0]! }
        self.candidate = ids.map { c[$0]! }
    }

    /// Code-point (not locale, not canonical-equivalence) order of item ids.
    static func codePointOrder(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
    }
}
