/// A probe suite as the store keeps it: one `probeSuite` row per distinct content hash.
public struct ProbeSuiteRecord: Codable, Equatable, Sendable {
    /// The suite's name, e.g. `"core-5"`.
    public var name: String
    /// The suite's content hash (hex), as computed by the Probes module; two runs are comparable
    /// when their suites' hashes are equal.
    public var contentHash: String
    /// The normalised suite specification (text, e.g. canonical YAML or JSON).
    public var spec: String

    public init(name: String, contentHash: String, spec: String) {
        self.name = name
        self.contentHash = contentHash
        self.spec = spec
    }
}
