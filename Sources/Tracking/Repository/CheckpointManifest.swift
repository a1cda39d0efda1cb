import Foundation

/// `fmn.json`, committed at the root of every checkpoint: where it came from and how it was made.
///
/// It holds no time stamp and nothing store-specific, so the same checkpoint made twice gives
/// the same tree (and is stored once). JSON with sorted keys, two-space indentation:
/// ```json
/// {
///   "dataFileHashes" : { "train.jsonl" : "9f86d0…" },
///   "formatVersion" : 1,
///   "kind" : "lora",
///   "method" : "lora",
///   "parent" : "3b18e512dba79e4c8300dd08aeb37f8e728b8dad",
///   "toolVersion" : "0.1.0",
///   "trainingConfiguration" : { "learningRate" : 0.0002, "loraRank" : 8 }
/// }
/// ```
public struct CheckpointManifest: Codable, Equatable, Sendable {
    /// The file's name inside a checkpoint.
    public static let fileName = "fmn.json"

    /// Version of this file's layout; 1.
    public var formatVersion: Int
    /// What the folder holds.
    public var kind: CheckpointKind
    /// Commit id (40 hex digits) of the checkpoint this one was trained from; `nil` for a base.
    public var parent: String?
    /// How it was made: `"pretrained"`, `"full"`, `"lora"`, or another method name.
    public var method: String
    /// The training configuration as given to the trainer; `nil` for a base.
    public var trainingConfiguration: JSONValue?
    /// SHA-256 (hex) of each training data file, keyed by file name.
    public var dataFileHashes: [String: String]
    /// The `fmn` version that made it.
    public var toolVersion: String

    public init(
        kind: CheckpointKind, parent: String?, method: String,
        trainingConfiguration: JSONValue? = nil, dataFileHashes: [String: String] = [:],
        toolVersion: String
    ) {
        self.formatVersion = 1
        self.kind = kind
        self.parent = parent
        self.method = method
        self.trainingConfiguration = trainingConfiguration
        self.dataFileHashes = dataFileHashes
        self.toolVersion = toolVersion
    }

    /// The exact bytes committed as `fmn.json` (sorted keys, pretty-printed, final newline).
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }
}
