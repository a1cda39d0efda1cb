import Foundation

/// A `probeRun` row as read back, with its checkpoint's commit and its suite.
public struct StoredProbeRun: Codable, Equatable, Sendable {
    /// Row id (`probeRunId` in `taskScore` and `itemScore`).
    public var id: Int64
    /// The probed checkpoint's commit id.
    public var checkpointCommitId: String
    /// The suite's name.
    public var suiteName: String
    /// The suite's content hash.
    public var suiteHash: String
    /// Where the run stands.
    public var status: RunStatus
    /// When it started.
    public var started: Date
    /// When it finished (or failed); `nil` while running.
    public var finished: Date?
    /// The `fmn` version that ran it.
    public var toolVersion: String
    /// Seed of the run's random choices.
    public var seed: Int
    /// Wall-clock duration, seconds; `nil` until finished.
    public var seconds: Double?
    /// Host and process id that wrote the `running` row (for `fsck`).
    public var ownerHost: String
    public var ownerPid: Int
}
