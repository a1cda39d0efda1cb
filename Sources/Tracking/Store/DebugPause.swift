import Foundation

/// Deterministic kill points for crash tests.
///
/// When the environment has `FMN_DEBUG_PAUSE_AT=<point>` and `FMN_DEBUG_PAUSE_FILE=<path>`, the
/// process reaching the named point creates `<path>` and then sleeps until it is killed. The
/// crash tests start `fmn` this way, wait for the file, and `kill -9` it. Points:
///
/// | point | where |
/// | --- | --- |
/// | `probeRun.begun` | a probe run's `running` row is committed, its scores not yet written |
/// | `probeRun.inTransaction` | inside the transaction writing a run's scores, before it commits |
/// | `commit.objectsWritten` | blobs, trees and the commit object written; no ref updated |
/// | `commit.refsUpdated` | branch and tag updated; the `checkpoint` row not yet written |
///
/// Without those variables it does nothing.
enum DebugPause {
    static func at(_ point: String) {
        let environment = ProcessInfo.processInfo.environment
        guard environment["FMN_DEBUG_PAUSE_AT"] == point,
            let file = environment["FMN_DEBUG_PAUSE_FILE"], !file.isEmpty
        else { return }
        _ = FileManager.default.createFile(atPath: file, contents: Data(point.utf8))
        while true { sleep(60) }
    }
}
