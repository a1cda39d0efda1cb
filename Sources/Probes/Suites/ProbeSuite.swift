import Foundation

/// A probe suite: an ordered list of probe tasks, each with an optional item limit.
///
/// A suite file is YAML:
///
/// ```yaml
/// suite: core                  # name (default: the file name without extension)
/// description: …               # optional
/// tasks:
///   - tasks/sst2.yaml          # a task file, relative to this file
///   - path: tasks/copa.yaml    # the same, with a limit
///     limit: 50
///   - task: my_inline_task     # an inline task definition (task-file keys) …
///     dataset_path: json
///     …
///     limit: 20                # … with an optional limit
/// ```
///
/// A single lm-eval task file is also accepted wherever a suite is: it is a suite of one task.
/// `limit` is lm-eval's: the first N rows, or with a value below 1 that fraction of them.
public struct ProbeSuite: Sendable {
    /// One task of a suite.
    public struct Entry: Sendable {
        public var task: ProbeTask
        /// The file the task is defined in (a task file, or the suite file when inline).
        public var path: String
        /// The folder its `data_files` are relative to.
        public var baseDirectory: URL
        /// lm-eval's `limit`: first N rows (N ≥ 1) or a fraction of them (< 1); nil for all.
        public var limit: Double?
    }

    public var name: String
    public var description: String
    /// The suite file.
    public var path: String
    public var entries: [Entry]

    /// Task names in suite order.
    public var taskNames: [String] { entries.map(\.task.name) }

    /// Keys of a suite file and of one entry of its `tasks` list (besides inline task keys).
    public static let suiteKeys = ["suite", "description", "tasks"]
    public static let entryKeys = ["path", "limit"]

    /// Reads a suite file (or a single task file) and every task file it lists.
    /// - Throws: `ProbeError` naming the file and key for anything malformed: unreadable files,
    ///   unknown keys, Python hooks, duplicate task names, bad limits. Data files are not read
    ///   here; `PreparedTask` reads them.
    public static func load(contentsOf url: URL) throws(ProbeError) -> ProbeSuite {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw .unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        let path = url.path
        let folder = url.deletingLastPathComponent()
        let mapping = try YAMLMapping.parse(text, path: path)
        let defaultName = url.deletingPathExtension().lastPathComponent
        if mapping["task"] != nil && mapping["tasks"] == nil {
            let task = try ProbeTask(mapping: mapping)
            return ProbeSuite(
                name: task.name, description: "", path: path,
                entries: [Entry(task: task, path: path, baseDirectory: folder, limit: nil)])
        }
        try mapping.requireKnownKeys(suiteKeys)
        let name = try mapping.string("suite") ?? defaultName
        let description = try mapping.string("description") ?? ""
        guard case .list(let list) = mapping["tasks"] ?? .none, !list.isEmpty else {
            throw .missingKey(path: path, key: "tasks (a non-empty list)")
        }
        var entries: [Entry] = []
        for (i, item) in list.enumerated() {
            let key = "tasks[\(i)]"
            switch item {
            case .string(let file):
                entries.append(try loadTaskFile(file, folder: folder, limit: nil))
            case .dict(let pairs):
                var limit: Double? = nil
                if let l = pairs.first(where: { $0.key == "limit" })?.value {
                    guard let value = JinjaFunctions.number(l), value > 0, l != .bool(true) else {
                        throw .invalidValue(
                            path: path, key: key + ".limit",
                            reason: "expected a positive number, got \(l.pythonRepr)")
                    }
                    limit = value
                }
                if let p = pairs.first(where: { $0.key == "path" })?.value {
                    guard case .string(let file) = p else {
                        throw .invalidValue(
                            path: path, key: key + ".path", reason: "expected a file path")
                    }
                    for pair in pairs where !entryKeys.contains(pair.key) {
                        throw .unknownKey(
                            path: path, key: key + "." + pair.key, line: nil, allowed: entryKeys)
                    }
                    entries.append(try loadTaskFile(file, folder: folder, limit: limit))
                } else {
                    let inline = pairs.filter { $0.key != "limit" }
                    var m = YAMLMapping(
                        path: path, keys: inline.map(\.key), values: [:], lines: [:])
                    for pair in inline { m.values[pair.key] = pair.value }
                    let task = try ProbeTask(mapping: m)
                    entries.append(
                        Entry(task: task, path: path, baseDirectory: folder, limit: limit))
                }
            default:
                throw .invalidValue(
                    path: path, key: key, reason: "expected a task file path or a task definition")
            }
        }
        var seen = Set<String>()
        for e in entries where !seen.insert(e.task.name).inserted {
            throw .invalidValue(
                path: path, key: "tasks", reason: "task name '\(e.task.name)' appears twice")
        }
        return ProbeSuite(name: name, description: description, path: path, entries: entries)
    }

    private static func loadTaskFile(_ file: String, folder: URL, limit: Double?) throws(ProbeError)
        -> Entry
    {
        let url = ProbeDataLoader.resolve(file, baseDirectory: folder)
        let task = try ProbeTask.load(contentsOf: url)
        return Entry(
            task: task, path: url.path, baseDirectory: url.deletingLastPathComponent(), limit: limit
        )
    }

    /// The suite restricted to `names` (in suite order), with every limit capped at `limit` (a
    /// count), or set to it when it is a fraction below 1 (of each task's items, rounded up).
    /// - Throws: `ProbeError.unknownTask` for a name the suite does not have.
    public func selecting(tasks names: [String]?, limit: Double?) throws(ProbeError) -> ProbeSuite {
        var copy = self
        if let names {
            for n in names where !taskNames.contains(n) {
                throw .unknownTask(name: n, suite: path, available: taskNames)
            }
            copy.entries = entries.filter { names.contains($0.task.name) }
        }
        if let limit {
            for i in copy.entries.indices {
                let current = copy.entries[i].limit
                if limit < 1 {
                    copy.entries[i].limit = limit  // a fraction given here replaces the task's
                } else if let c = current, c < 1 {
                    copy.entries[i].limit = limit  // fraction and cap: the cap wins
                } else {
                    copy.entries[i].limit = min(current ?? limit, limit)
                }
            }
        }
        return copy
    }

    /// Loads the data of every task (before any model work), so data errors surface first.
    public func prepare() throws(ProbeError) -> [PreparedTask] {
        var out: [PreparedTask] = []
        for e in entries {
            out.append(try PreparedTask(task: e.task, path: e.path, baseDirectory: e.baseDirectory))
        }
        return out
    }
}
