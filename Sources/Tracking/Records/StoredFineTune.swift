import Foundation

/// A `fineTune` row as read back.
public struct StoredFineTune: Codable, Equatable, Sendable {
    public var id: Int64
    public var parentCommitId: String
    /// The resulting checkpoint; set only when `status` is `finished`.
    public var resultCommitId: String?
    public var method: String
    /// The training configuration, JSON text.
    public var configuration: String
    public var status: RunStatus
    public var started: Date
    public var finished: Date?
    /// Wall-clock duration, seconds; `nil` until finished.
    public var seconds: Double?
    public var toolVersion: String
    public var ownerHost: String
    public var ownerPid: Int
}
