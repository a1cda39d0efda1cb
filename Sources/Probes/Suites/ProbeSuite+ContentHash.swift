import Crypto
import Foundation

extension ProbeSuite {
    /// The suite's content hash: runs are comparable only when their hashes are equal.
    ///
    /// SHA-256, lower-case hex, of `"fmn-probe-suite-v1\n"` followed by the canonical JSON
    /// (keys sorted, no whitespace, `JSONEncoder` number formatting) of the list, in suite order,
    /// of `{"definition": task, "limit": limit}` where `task` is the parsed `ProbeTask` with
    /// every data file path replaced by `"sha256:<hex of the file's bytes>:<byte count>"`.
    ///
    /// Normalisation, therefore: comments, key order, quoting and YAML layout do not count;
    /// defaults count as if written (`target_delimiter` omitted equals `" "`); file locations and
    /// names do not count, file contents do (one changed byte changes the hash); the suite's
    /// name, description and path do not count; task order, limits, templates, metrics,
    /// generation settings and `metadata` do.
    /// - Throws: `ProbeError.missingDataFile` / `.unreadableFile` for data files.
    public func contentHash() throws(ProbeError) -> String {
        struct Hashed: Encodable {
            var definition: ProbeTask
            var limit: Double?

            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(definition, forKey: .definition)
                if let limit {
                    try c.encode(limit, forKey: .limit)
                } else {
                    try c.encodeNil(forKey: .limit)
                }
            }
            enum CodingKeys: String, CodingKey { case definition, limit }
        }
        var list: [Hashed] = []
        for entry in entries {
            var task = entry.task
            for (split, files) in task.dataFiles {
                var digests: [String] = []
                for file in files {
                    let url = ProbeDataLoader.resolve(file, baseDirectory: entry.baseDirectory)
                    guard FileManager.default.fileExists(atPath: url.path) else {
                        throw .missingDataFile(path: entry.path, dataFile: url.path)
                    }
                    let data: Data
                    do {
                        data = try Data(contentsOf: url, options: .alwaysMapped)
                    } catch {
                        throw .unreadableFile(path: url.path, reason: error.localizedDescription)
                    }
                    let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
                    digests.append("sha256:\(digest):\(data.count)")
                }
                task.dataFiles[split] = digests
            }
            list.append(Hashed(definition: task, limit: entry.limit))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes = Data("fmn-probe-suite-v1\n".utf8)
        do {
            bytes.append(try encoder.encode(list))
        } catch {
            preconditionFailure("ProbeSuite.contentHash: encoding a parsed task failed: \(error)")
        }
        return SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}
