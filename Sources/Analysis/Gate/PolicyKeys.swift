/// Rejects keys a policy object does not know, so a misspelt setting (`delt: 3`) is an error
/// rather than silently ignored.
struct PolicyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }

    /// - Throws: `AnalysisError.invalidPolicy` naming the first unknown key at `field`.
    static func rejectUnknown(in decoder: any Decoder, allowed: [String], field: String) throws {
        let container = try decoder.container(keyedBy: PolicyKey.self)
        for key in container.allKeys where !allowed.contains(key.stringValue) {
            throw AnalysisError.invalidPolicy(
                field: field.isEmpty ? key.stringValue : "\(field).\(key.stringValue)",
                value: "(unknown key)", expected: "one of " + allowed.joined(separator: ", "))
        }
    }
}
