/// A `gateVerdict` row as read back.
public struct StoredGateVerdict: Codable, Equatable, Sendable {
    public var id: Int64
    public var record: GateVerdictRecord
}
