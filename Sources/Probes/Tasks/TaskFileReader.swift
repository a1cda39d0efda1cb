import Foundation
import Yams

/// A YAML mapping read from a task or suite file, with the line of each key, Python hooks
/// (`!function`) detected and keys checked against an allowed list.
struct YAMLMapping {
    let path: String
    /// Keys in file order.
    var keys: [String]
    var values: [String: ProbeValue]
    var lines: [String: Int]

    init(path: String, keys: [String], values: [String: ProbeValue], lines: [String: Int]) {
        self.path = path
        self.keys = keys
        self.values = values
        self.lines = lines
    }

    /// Parses YAML text whose top level must be a mapping.
    static func parse(_ text: String, path: String) throws(ProbeError) -> YAMLMapping {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw .invalidYAML(path: path, reason: "\(error)")
        }
        guard let node, case .mapping = node else {
            throw .invalidYAML(path: path, reason: "the top level must be a mapping of keys")
        }
        return try YAMLMapping(node: node, path: path, keyPath: "")
    }

    init(node: Node, path: String, keyPath: String) throws(ProbeError) {
        self.path = path
        keys = []
        values = [:]
        lines = [:]
        guard case .mapping(let mapping) = node else {
            throw .invalidValue(path: path, key: keyPath, reason: "expected a mapping")
        }
        for (keyNode, valueNode) in mapping {
            let key = keyNode.string ?? "\(keyNode)"
            let fullKey = keyPath.isEmpty ? key : keyPath + "." + key
            keys.append(key)
            lines[key] = keyNode.mark.map { $0.line }
            values[key] = try Self.value(valueNode, path: path, key: fullKey)
        }
    }

    /// Converts a node to a value with YAML 1.1 core-schema scalar types; a `!function` (or any
    /// other non-standard) tag anywhere below is a Python hook and is refused.
    static func value(_ node: Node, path: String, key: String) throws(ProbeError) -> ProbeValue {
        let tag = node.tag.rawValue
        if tag.hasPrefix("!") && !tag.hasPrefix("!!") {
            if tag == "!function" {
                throw .pythonHook(path: path, key: key, line: node.mark?.line)
            }
            throw .invalidValue(
                path: path, key: key, reason: "custom YAML tag \(tag) is not supported")
        }
        switch node {
        case .scalar(let scalar):
            switch tag {
            case Tag.Name.null.rawValue: return .none
            case Tag.Name.bool.rawValue:
                return node.bool.map { .bool($0) } ?? .string(scalar.string)
            case Tag.Name.int.rawValue: return node.int.map { .int($0) } ?? .string(scalar.string)
            case Tag.Name.float.rawValue:
                return node.float.map { .double($0) } ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .sequence(let sequence):
            var items: [ProbeValue] = []
            for (i, child) in sequence.enumerated() {
                items.append(try value(child, path: path, key: "\(key)[\(i)]"))
            }
            return .list(items)
        case .mapping(let mapping):
            var entries: [ProbeValueEntry] = []
            for (k, v) in mapping {
                let name = k.string ?? "\(k)"
                entries.append(
                    ProbeValueEntry(
                        key: name, value: try value(v, path: path, key: key + "." + name)))
            }
            return .dict(entries)
        case .alias:
            return .none
        }
    }

    /// Throws `unknownKey` for the first key not in `allowed`.
    func requireKnownKeys(_ allowed: [String], prefix: String = "") throws(ProbeError) {
        for key in keys where !allowed.contains(key) {
            throw .unknownKey(path: path, key: prefix + key, line: lines[key], allowed: allowed)
        }
    }

    subscript(key: String) -> ProbeValue? { values[key] }

    func string(_ key: String, required: Bool = false) throws(ProbeError) -> String? {
        guard let v = values[key], v != .none else {
            if required { throw .missingKey(path: path, key: key) }
            return nil
        }
        guard case .string(let s) = v else {
            throw .invalidValue(
                path: path, key: key, reason: "expected a string, got \(v.pythonRepr)")
        }
        return s
    }

    func int(_ key: String) throws(ProbeError) -> Int? {
        guard let v = values[key], v != .none else { return nil }
        guard case .int(let i) = v else {
            throw .invalidValue(
                path: path, key: key, reason: "expected an integer, got \(v.pythonRepr)")
        }
        return i
    }

    func bool(_ key: String) throws(ProbeError) -> Bool? {
        guard let v = values[key], v != .none else { return nil }
        guard case .bool(let b) = v else {
            throw .invalidValue(
                path: path, key: key, reason: "expected true or false, got \(v.pythonRepr)")
        }
        return b
    }
}

/// Checks the keys of a nested mapping value (`dataset_kwargs`, `generation_kwargs`, one
/// `metric_list` entry) and returns its entries.
func checkedEntries(
    _ value: ProbeValue, path: String, key: String, allowed: [String]
) throws(ProbeError) -> [String: ProbeValue] {
    guard case .dict(let entries) = value else {
        throw .invalidValue(
            path: path, key: key, reason: "expected a mapping, got \(value.pythonRepr)")
    }
    var out: [String: ProbeValue] = [:]
    for entry in entries {
        guard allowed.contains(entry.key) else {
            throw .unknownKey(path: path, key: key + "." + entry.key, line: nil, allowed: allowed)
        }
        out[entry.key] = entry.value
    }
    return out
}
