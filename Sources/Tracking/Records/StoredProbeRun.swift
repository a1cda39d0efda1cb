import Foundation

/// A `probeRun` row as read back, with its checkpoint's commit and its suite.
public struct StoredProbeRun: Codable, Equatable, Sendable {
    public var id: Int64
    public var checkpointCommitId: String
    public var suiteName: String
    public var suiteHash: String
    public var status: RunStatus
    public var started: Date
    public var finished: Date?
    public var toolVersion: String
    public var seed: Int
    /// Wall-clock duration, seconds; `nil` until finished.
    public var seconds: Double?
    /// Host and process id that wrote the `running` row (for `fsck`).
    public var ownerHost: String
    public var ownerPid: Int
}
