/// A `gateVerdict` row as read back.
public struct StoredGateVerdict: Codable, Equatable, Sendable {
    /// Row id.
    public var id: Int64
    /// The verdict as recorded.
    public var record: GateVerdictRecord
}
