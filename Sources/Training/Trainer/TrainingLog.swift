import Foundation

/// `training_log.jsonl`: one ``TrainingStepRecord`` per line, keys sorted, in step order.
public enum TrainingLog {
    /// One record as a compact JSON line (no newline).
    public static func line(_ record: TrainingStepRecord) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // A record holds numbers only; encoding cannot fail.
        let data = (try? encoder.encode(record)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Every record, one line each, newline-terminated.
    public static func encode(_ records: [TrainingStepRecord]) -> Data {
        Data(records.map { line($0) + "\n" }.joined().utf8)
    }

    /// Parses a log file's bytes.
    /// - Throws: `TrainingError.invalidResumeState` naming the line that does not decode.
    public static func decode(_ data: Data, path: String) throws -> [TrainingStepRecord] {
        var records: [TrainingStepRecord] = []
        for (index, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() {
            do {
                records.append(try JSONDecoder().decode(TrainingStepRecord.self, from: Data(line)))
            } catch {
                throw TrainingError.invalidResumeState(
                    path: path, reason: "line \(index + 1) is not a training log record")
            }
        }
        return records
    }
}
