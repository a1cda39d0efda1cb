/// The single-sequence template of a `TemplateProcessing` post-processor: which special ids go
/// before and after the encoded text when special tokens are added.
///
/// `ByteLevel` post-processors add nothing to the ids (they only trim offsets); a `Sequence`
/// of post-processors contributes the template of its `TemplateProcessing` step.
///
/// ### References
/// `tokenizers/src/processors/template.rs`.
struct TemplateProcessing: Sendable, Equatable {
    /// Ids put before the text.
    var prefix: [Int32]
    /// Ids put after the text.
    var suffix: [Int32]

    static let none = TemplateProcessing(prefix: [], suffix: [])

    /// Reads a `post_processor` object (or `null`).
    static func parse(_ json: JSONValue?, path: String) throws(TokenizerError) -> TemplateProcessing
    {
        guard let json, !json.isNull else { return .none }
        let type = json["type"]?.string ?? "(no type)"
        switch type {
        case "ByteLevel":
            return .none
        case "Sequence":
            var result = TemplateProcessing.none
            for item in json["processors"]?.array ?? [] {
                let step = try parse(item, path: path)
                if step != .none { result = step }
            }
            return result
        case "TemplateProcessing":
            guard let single = json["single"]?.array else {
                throw .malformed(path: path, reason: "TemplateProcessing has no \"single\"")
            }
            var specialIds: [[UInt8]: [Int32]] = [:]
            for pair in json["special_tokens"]?.pairs ?? [] {
                let ids = (pair.value["ids"]?.array ?? []).compactMap { $0.int.map(Int32.init) }
                specialIds[pair.key] = ids
            }
            var result = TemplateProcessing.none
            var seenSequence = false
            for piece in single {
                if let special = piece["SpecialToken"] {
                    guard let name = special["id"]?.bytes, let ids = specialIds[name] else {
                        throw .malformed(
                            path: path,
                            reason: "TemplateProcessing names a special token missing from "
                                + "special_tokens")
                    }
                    if seenSequence { result.suffix += ids } else { result.prefix += ids }
                } else if let sequence = piece["Sequence"] {
                    guard sequence["id"]?.string == "A", !seenSequence else {
                        throw .unsupported(
                            path: path, component: "TemplateProcessing single",
                            detail: "the single template must hold $A exactly once")
                    }
                    seenSequence = true
                } else {
                    throw .malformed(path: path, reason: "unknown TemplateProcessing piece")
                }
            }
            return result
        default:
            throw .unsupported(
                path: path, component: "post-processor \(type)",
                detail: "only TemplateProcessing, ByteLevel and Sequence are implemented")
        }
    }
}
