import Foundation

extension Tokenizer {
    /// Reads a tokenizer from a `tokenizer.json` file or a model folder that contains one.
    ///
    /// `tokenizer_config.json` and `special_tokens_map.json` beside the file are read when
    /// present: `bos_token`/`eos_token`/`pad_token` name `bosTokenId`/`eosTokenId`/
    /// `padTokenId`, and explicit `add_bos_token`/`add_eos_token` flags decide whether BOS/EOS
    /// are added, replacing the post-processor's template as transformers'
    /// `LlamaTokenizerFast.update_post_processor` does. Without them the `tokenizer.json` post-processor decides, as
    /// `Tokenizer.from_file` does.
    ///
    /// - Parameter url: a `tokenizer.json` file, or a folder holding one.
    /// - Throws: `TokenizerError`: `.unreadable` (missing file), `.malformed` (bad JSON or
    ///   missing fields), `.unsupported` (a model type, normalizer, pre-tokenizer,
    ///   post-processor, decoder or option not implemented), `.invalid` (e.g. a merge naming a
    ///   piece that is not in the vocabulary).
    public convenience init(contentsOf url: URL) throws(TokenizerError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw .unreadable(path: url.path, reason: "no such file or folder")
        }
        let file = isDirectory.boolValue ? url.appendingPathComponent("tokenizer.json") : url
        if isDirectory.boolValue, !FileManager.default.fileExists(atPath: file.path) {
            for other in ["tokenizer.model", "tokenizer.bin"]
            where FileManager.default.fileExists(atPath: url.appendingPathComponent(other).path) {
                throw .unsupported(
                    path: url.appendingPathComponent(other).path,
                    component: "tokenizer file \(other) without tokenizer.json",
                    detail: other == "tokenizer.bin"
                        ? "read llama2.c tokenizer.bin files with Llama2CTokenizer"
                        : "SentencePiece .model files are not read; save a tokenizer.json "
                            + "with transformers (AutoTokenizer.from_pretrained(...)"
                            + ".save_pretrained(...))")
            }
        }
        switch file.pathExtension {
        case "bin":
            throw .unsupported(
                path: file.path, component: "llama2.c tokenizer.bin",
                detail: "read it with Llama2CTokenizer, or pass a tokenizer.json")
        case "model":
            throw .unsupported(
                path: file.path, component: "SentencePiece .model file",
                detail: "save a tokenizer.json with transformers and pass that")
        default:
            break
        }
        let folder = file.deletingLastPathComponent()
        let path = file.path
        let json = try Self.readJSON(file, required: true)!
        let config = try Self.readJSON(folder.appendingPathComponent("tokenizer_config.json"))
        let specialMap = try Self.readJSON(
            folder.appendingPathComponent("special_tokens_map.json"))
        try self.init(
            json: json, path: path, config: config, specialTokensMap: specialMap,
            url: file)
    }

    static func readJSON(_ url: URL, required: Bool = false) throws(TokenizerError) -> JSONValue? {
        guard FileManager.default.fileExists(atPath: url.path) else {
            if required { throw .unreadable(path: url.path, reason: "no such file") }
            return nil
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(path: url.path, reason: "\(error)")
        }
        do {
            return try JSONValue.parse([UInt8](data))
        } catch {
            throw .malformed(path: url.path, reason: error.description)
        }
    }

    convenience init(
        json: JSONValue, path: String, config: JSONValue?, specialTokensMap: JSONValue?, url: URL
    ) throws(TokenizerError) {
        guard let modelJSON = json["model"], case .object = modelJSON else {
            throw .malformed(path: path, reason: "no \"model\" object")
        }
        let modelType = modelJSON["type"]?.string ?? "BPE"
        guard modelType == "BPE" else {
            throw .unsupported(
                path: path, component: "model \(modelType)",
                detail: "only BPE models are implemented")
        }
        if let dropout = modelJSON["dropout"], !dropout.isNull,
            case .number(let p) = dropout, p != 0
        {
            throw .unsupported(
                path: path, component: "BPE dropout \(p)",
                detail: "dropout makes encoding random; only null or 0 is implemented")
        }
        for option in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let value = modelJSON[option]?.bytes, !value.isEmpty {
                throw .unsupported(
                    path: path, component: "BPE \(option)",
                    detail: "\"\(String(decoding: value, as: UTF8.self))\" is not implemented")
            }
        }
        guard let vocabPairs = modelJSON["vocab"]?.pairs else {
            throw .malformed(path: path, reason: "model has no \"vocab\" object")
        }
        var vocabulary: [ByteKey: Int32] = [:]
        vocabulary.reserveCapacity(vocabPairs.count)
        for pair in vocabPairs {
            guard let id = pair.value.int, id >= 0, id < Int(Int32.max) else {
                throw .malformed(
                    path: path,
                    reason: "vocabulary id of "
                        + "\"\(String(decoding: pair.key, as: UTF8.self))\" is not an integer")
            }
            vocabulary[ByteKey(pair.key)] = Int32(id)
        }
        var merges: [([UInt8], [UInt8])] = []
        for (index, item) in (modelJSON["merges"]?.array ?? []).enumerated() {
            if let parts = item.array, parts.count == 2, let a = parts[0].bytes,
                let b = parts[1].bytes
            {
                merges.append((a, b))
            } else if let line = item.bytes, let space = line.firstIndex(of: 0x20),
                !line[(space + 1)...].contains(0x20)
            {
                merges.append((Array(line[..<space]), Array(line[(space + 1)...])))
            } else {
                throw .malformed(
                    path: path,
                    reason: "merge \(index) is neither [\"a\", \"b\"] "
                        + "nor \"a b\"")
            }
        }

        let normalizer: Normalizer? =
            try json["normalizer"].flatMap { $0.isNull ? nil : $0 }
            .map { json throws(TokenizerError) in try Normalizer.parse(json, path: path) }
        let preTokenizer: PreTokenizer? =
            try json["pre_tokenizer"].flatMap { $0.isNull ? nil : $0 }
            .map { json throws(TokenizerError) in try PreTokenizer.parse(json, path: path) }
        if case .sequence(let steps)? = preTokenizer,
            steps.dropLast().contains(where: { $0.isByteLevel })
        {
            throw .unsupported(
                path: path,
                component: "pre-tokenizer Sequence with ByteLevel "
                    + "before other steps", detail: "ByteLevel must be the last step")
        }
        let decoder: TokenDecoder? =
            try json["decoder"].flatMap { $0.isNull ? nil : $0 }
            .map { json throws(TokenizerError) in try TokenDecoder.parse(json, path: path) }
        var template = try TemplateProcessing.parse(json["post_processor"], path: path)

        let model = try BPEModel(
            vocabulary: vocabulary, merges: merges,
            unknownPiece: modelJSON["unk_token"]?.bytes,
            fuseUnknown: modelJSON["fuse_unk"]?.bool ?? false,
            byteFallback: modelJSON["byte_fallback"]?.bool ?? false,
            ignoreMerges: modelJSON["ignore_merges"]?.bool ?? false,
            byteLevel: preTokenizer?.isByteLevel ?? false,
            path: path)

        var addedTokens: [AddedToken] = []
        for item in json["added_tokens"]?.array ?? [] {
            guard let id = item["id"]?.int, id >= 0, let content = item["content"]?.bytes else {
                throw .malformed(path: path, reason: "an added token lacks id or content")
            }
            addedTokens.append(
                AddedToken(
                    id: Int32(id), content: content,
                    singleWord: item["single_word"]?.bool ?? false,
                    lstrip: item["lstrip"]?.bool ?? false,
                    rstrip: item["rstrip"]?.bool ?? false,
                    normalized: item["normalized"]?.bool ?? true,
                    special: item["special"]?.bool ?? false))
        }

        // Special tokens named by the configuration files.
        func tokenContent(_ name: String) -> [UInt8]? {
            for source in [config, specialTokensMap] {
                guard let value = source?[name] else { continue }
                if let bytes = value.bytes { return bytes }
                if let bytes = value["content"]?.bytes { return bytes }
            }
            return nil
        }
        func lookup(_ content: [UInt8]) -> Int32? {
            let key = ByteKey(content)
            if let token = addedTokens.first(where: { ByteKey($0.content) == key }) {
                return token.id
            }
            return vocabulary[key]
        }
        var bosId = tokenContent("bos_token").flatMap(lookup)
        let eosId = tokenContent("eos_token").flatMap(lookup)
        if bosId == nil, tokenContent("bos_token") == nil, let first = template.prefix.first {
            bosId = first
        }
        let configPath = url.deletingLastPathComponent()
            .appendingPathComponent("tokenizer_config.json").path
        let addBOS = config?["add_bos_token"]?.bool
        let addEOS = config?["add_eos_token"]?.bool
        if addBOS != nil || addEOS != nil {
            var rebuilt = TemplateProcessing.none
            if addBOS ?? false {
                guard let bosId else {
                    throw .invalid(
                        path: configPath,
                        reason: "add_bos_token is true but bos_token is missing or unknown")
                }
                rebuilt.prefix = [bosId]
            }
            if addEOS ?? false {
                guard let eosId else {
                    throw .invalid(
                        path: configPath,
                        reason: "add_eos_token is true but eos_token is missing or unknown")
                }
                rebuilt.suffix = [eosId]
            }
            template = rebuilt
        }

        self.init(
            sourceURL: url, model: model, normalizer: normalizer, preTokenizer: preTokenizer,
            decoder: decoder, template: template, addedTokens: addedTokens,
            bosTokenId: bosId.map(Int.init), eosTokenId: eosId.map(Int.init),
            padTokenId: tokenContent("pad_token").flatMap(lookup).map(Int.init))
    }
}
