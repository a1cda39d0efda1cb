import Foundation

/// One row of a task's data: its fields and where it came from.
public struct ProbeDocument: Sendable, Hashable {
    /// The row's fields (JSON object keys or CSV columns).
    public var fields: [String: ProbeValue]
    /// The data file the row was read from.
    public var path: String
    /// 1-based line of the row in that file (for CSV, the line where the record starts).
    public var line: Int

    public init(fields: [String: ProbeValue], path: String, line: Int) {
        self.fields = fields
        self.path = path
        self.line = line
    }
}
