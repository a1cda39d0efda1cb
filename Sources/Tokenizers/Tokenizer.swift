import Foundation

/// A Hugging Face `tokenizer.json` tokenizer that gives the same ids, pieces and decoded text
/// as the Rust `tokenizers` library (0.22/0.23).
///
/// Supported pipelines:
/// - byte-level BPE (GPT-2, SmolLM, Llama 3): ByteLevel pre-tokenizer (alone, after `Digits`,
///   or after the Llama 3 / Qwen2 `Split` regex), `ignore_merges`, the ByteLevel decoder;
/// - SentencePiece-style BPE (Llama-2, TinyLlama, Mistral, stories260K): `Prepend`/`Replace`
///   normalizers or a `Metaspace` pre-tokenizer, `byte_fallback`, `fuse_unk`, and the
///   `Replace`/`ByteFallback`/`Fuse`/`Strip`/`Metaspace` decoders.
///
/// Loading refuses, with `TokenizerError.unsupported`, any component it does not implement
/// (Unicode normalizers such as Qwen2's `NFC`, WordPiece/Unigram models, other regexes), so ids
/// are never silently different from the Rust library's. For llama2.c `tokenizer.bin` files use
/// `Llama2CTokenizer`; for streaming output use `IncrementalDecoder`.
///
/// Encoding runs, for one text:
/// 1. added tokens with `normalized: false` are found in the raw text (leftmost-longest);
/// 2. each text segment between them is normalized, then searched for the other added tokens;
/// 3. each remaining segment is pre-tokenized into words and each word BPE-encoded;
/// 4. with `addSpecialTokens`, the post-processor's template (or `tokenizer_config.json`'s
///    `add_bos_token`/`add_eos_token`) adds BOS/EOS.
///
/// Text is handled as Unicode scalars and UTF-8 bytes, never as `Character`s: NFD input, lone
/// `\r`, U+0000 and U+FEFF are encoded as they are.
///
/// The value is immutable apart from an internal, lock-protected cache of word encodings, so
/// one instance can be shared across tasks and threads.
///
/// ```swift
/// let tokenizer = try Tokenizer(contentsOf: URL(fileURLWithPath: "models/stories260K-hf"))
/// let ids = tokenizer.encode("Hello world")          // [1, ...] with BOS
/// let text = tokenizer.decode(ids, skipSpecialTokens: true)
/// ```
///
/// ### References
/// Hugging Face `tokenizers` (`tokenizer/mod.rs`, `models/bpe`, `pre_tokenizers`, `decoders`);
/// `../shared/reference/tokenizers/README.md` for the behaviours checked by the tests.
public final class Tokenizer: Sendable {
    let model: BPEModel
    let normalizer: Normalizer?
    let preTokenizer: PreTokenizer?
    let decoder: TokenDecoder?
    let template: TemplateProcessing
    let rawAddedTokens: AddedVocabulary
    let normalizedAddedTokens: AddedVocabulary
    /// Id → token bytes (added tokens override model pieces).
    let idToToken: [[UInt8]?]
    /// Id → whether the id is a special added token.
    let isSpecialId: [Bool]
    /// Added token content → id.
    let addedTokenIds: [ByteKey: Int32]

    /// The file the tokenizer was read from.
    public let sourceURL: URL
    /// The beginning-of-sequence id (`bos_token` of `tokenizer_config.json` or
    /// `special_tokens_map.json`, else the template's first special token), if any.
    public let bosTokenId: Int?
    /// The end-of-sequence id (`eos_token` of `tokenizer_config.json` or
    /// `special_tokens_map.json`), if any.
    public let eosTokenId: Int?
    /// The padding id (`pad_token` of `tokenizer_config.json` or `special_tokens_map.json`),
    /// if the configuration names one (GPT-2 and Llama-2 do not).
    public let padTokenId: Int?
    /// The model's unknown-piece id, if it has one.
    public let unknownTokenId: Int?

    /// Whether `encode(_:addSpecialTokens: true)` puts `bosTokenId` first.
    public var addsBOS: Bool {
        guard let bosTokenId, let first = template.prefix.first else { return false }
        return Int(first) == bosTokenId
    }

    /// Whether `encode(_:addSpecialTokens: true)` puts `eosTokenId` last.
    public var addsEOS: Bool {
        guard let eosTokenId, let last = template.suffix.last else { return false }
        return Int(last) == eosTokenId
    }

    /// The special ids added before and after the text when `addSpecialTokens` is true.
    public var specialPrefixIds: [Int] { template.prefix.map(Int.init) }
    /// See `specialPrefixIds`.
    public var specialSuffixIds: [Int] { template.suffix.map(Int.init) }

    /// One more than the largest id of the model or the added tokens (32,000 for Llama-2,
    /// 50,257 for GPT-2).
    public var vocabularySize: Int { idToToken.count }

    init(
        sourceURL: URL, model: BPEModel, normalizer: Normalizer?, preTokenizer: PreTokenizer?,
        decoder: TokenDecoder?, template: TemplateProcessing, addedTokens: [AddedToken],
        bosTokenId: Int?, eosTokenId: Int?, padTokenId: Int? = nil
    ) {
        self.sourceURL = sourceURL
        self.model = model
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
        self.decoder = decoder
        self.template = template
        self.bosTokenId = bosTokenId
        self.eosTokenId = eosTokenId
        self.padTokenId = padTokenId
        self.unknownTokenId = model.unknownId.map(Int.init)

        rawAddedTokens = AddedVocabulary(
            addedTokens.filter { !$0.normalized }.map { .init(bytes: $0.content, token: $0) })
        normalizedAddedTokens = AddedVocabulary(
            addedTokens.filter { $0.normalized }.map { token in
                .init(bytes: normalizer?.apply(token.content) ?? token.content, token: token)
            })

        let maxAdded = addedTokens.map { Int($0.id) }.max() ?? -1
        var table = model.pieces
        if maxAdded >= table.count {
            table += Array(repeating: nil, count: maxAdded + 1 - table.count)
        }
        var special = [Bool](repeating: false, count: table.count)
        var ids: [ByteKey: Int32] = [:]
        let specialContents = Set(addedTokens.filter(\.special).map { ByteKey($0.content) })
        for token in addedTokens {
            // As the Rust library: a `normalized` token's string is its normalized content, and
            // only a string equal to a special token's content counts as special when decoding.
            table[Int(token.id)] =
                token.normalized
                ? (normalizer?.apply(token.content) ?? token.content) : token.content
            ids[ByteKey(token.content)] = token.id
        }
        for (id, bytes) in table.enumerated() {
            if let bytes, specialContents.contains(ByteKey(bytes)) { special[id] = true }
        }
        idToToken = table
        isSpecialId = special
        addedTokenIds = ids
    }

    // MARK: - Vocabulary

    /// The id of a token string (an added token, else a model piece), compared byte for byte.
    public func id(forToken token: String) -> Int? {
        let key = ByteKey(Array(token.utf8))
        if let id = addedTokenIds[key] { return Int(id) }
        return model.vocabulary[key].map(Int.init)
    }

    /// The token string of an id (`"Ġworld"`, `"▁Hello"`, `"<0x0A>"`, `"<s>"`), or `nil` for ids
    /// outside the vocabulary.
    public func token(forId id: Int) -> String? {
        guard id >= 0, id < idToToken.count, let bytes = idToToken[id] else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `id` is an added token marked special (`<s>`, `</s>`, `<unk>`,
    /// `<|endoftext|>`); these are dropped by `decode(_:skipSpecialTokens: true)`.
    public func isSpecialToken(_ id: Int) -> Bool {
        id >= 0 && id < isSpecialId.count && isSpecialId[id]
    }

    // MARK: - Encoding

    /// Encodes text into token ids, exactly as `tokenizers`' `encode(text, add_special_tokens)`.
    ///
    /// Added-token strings in the text (`<s>`, `<unk>`, `<|endoftext|>`) are matched whether or
    /// not `addSpecialTokens` is set.
    /// - Parameters:
    ///   - text: the input, read as Unicode scalars (never normalized).
    ///   - addSpecialTokens: whether to add the template's BOS/EOS (`addsBOS`, `addsEOS`).
    /// - Returns: token ids, each in `0..<vocabularySize`.
    public func encode(_ text: String, addSpecialTokens: Bool = true) -> [Int] {
        encodeRaw(text, addSpecialTokens: addSpecialTokens).map(Int.init)
    }

    /// Encodes text and also returns each id's token string.
    ///
    /// The strings are those of the Rust library's `Encoding.tokens`: the vocabulary piece, or
    /// for an added token the text it matched (including whitespace taken by `lstrip`/`rstrip`).
    /// - Returns: the ids (as `encode`) and their pieces, e.g. `["<s>", "▁Hello"]`.
    public func encodeWithPieces(_ text: String, addSpecialTokens: Bool = true) -> EncodedText {
        var scratch = BPEScratch()
        var ids: [Int32] = []
        var matched: [(index: Int, bytes: [UInt8])]? = []
        encodeInto(
            text, addSpecialTokens: addSpecialTokens, scratch: &scratch, &ids,
            matchedTokens: &matched)
        var tokens = ids.map { token(forId: Int($0)) ?? "" }
        for (index, bytes) in matched ?? [] {
            tokens[index] = String(decoding: bytes, as: UTF8.self)
        }
        return EncodedText(ids: ids.map(Int.init), tokens: tokens)
    }

    /// Encodes many texts (e.g. lines), each on its own, as `encode_batch` does.
    public func encodeBatch(_ texts: [String], addSpecialTokens: Bool = true) -> [[Int]] {
        var scratch = BPEScratch()
        var unused: [(index: Int, bytes: [UInt8])]? = nil
        return texts.map { text in
            var ids: [Int32] = []
            encodeInto(
                text, addSpecialTokens: addSpecialTokens, scratch: &scratch, &ids,
                matchedTokens: &unused)
            return ids.map(Int.init)
        }
    }

    func encodeRaw(_ text: String, addSpecialTokens: Bool) -> [Int32] {
        var scratch = BPEScratch()
        var ids: [Int32] = []
        var unused: [(index: Int, bytes: [UInt8])]? = nil
        encodeInto(
            text, addSpecialTokens: addSpecialTokens, scratch: &scratch, &ids,
            matchedTokens: &unused)
        return ids
    }

    /// Appends the ids of `text` to `ids`; when `matchedTokens` is non-nil, also records the
    /// text each added token matched where it differs from the token's own string.
    func encodeInto(
        _ text: String, addSpecialTokens: Bool, scratch: inout BPEScratch, _ ids: inout [Int32],
        matchedTokens: inout [(index: Int, bytes: [UInt8])]?
    ) {
        let bytes = Array(text.utf8)
        ids.reserveCapacity(ids.count + bytes.count / 3 + 4)
        if addSpecialTokens { ids.append(contentsOf: template.prefix) }
        func appendToken(_ id: Int32, _ source: [UInt8], _ range: Range<Int>) {
            if matchedTokens != nil, idToToken[Int(id)].map({ $0[...] != source[range] }) ?? true {
                matchedTokens?.append((ids.count, Array(source[range])))
            }
            ids.append(id)
        }
        for segment in rawAddedTokens.split(bytes) {
            switch segment {
            case .token(let id, let range):
                appendToken(id, bytes, range)
            case .text(let range):
                let piece = range.count == bytes.count ? bytes : Array(bytes[range])
                let normalized = normalizer?.apply(piece) ?? piece
                for inner in normalizedAddedTokens.split(normalized) {
                    switch inner {
                    case .token(let id, let innerRange):
                        appendToken(id, normalized, innerRange)
                    case .text(let innerRange):
                        let atStart = range.lowerBound == 0 && innerRange.lowerBound == 0
                        let words =
                            innerRange.count == normalized.count
                            ? normalized : Array(normalized[innerRange])
                        encodeSegment(words, atStart: atStart, scratch: &scratch, &ids)
                    }
                }
            }
        }
        if addSpecialTokens { ids.append(contentsOf: template.suffix) }
    }

    private func encodeSegment(
        _ text: [UInt8], atStart: Bool, scratch: inout BPEScratch, _ ids: inout [Int32]
    ) {
        if text.isEmpty { return }
        guard let preTokenizer else {
            text.withUnsafeBufferPointer { model.encode($0, scratch: &scratch, into: &ids) }
            return
        }
        preTokenizer.forEachWord(text, atInputStart: atStart) { word, _ in
            model.encode(word, scratch: &scratch, into: &ids)
        }
    }

    // MARK: - Decoding

    /// Decodes ids into text, exactly as `tokenizers`' `decode(ids, skip_special_tokens)`.
    ///
    /// Ids outside the vocabulary are dropped silently (as the Rust library does). With
    /// `skipSpecialTokens`, special added tokens are dropped **before** the decoder runs, so
    /// Llama's `Strip` then removes the leading space of the remaining text. Invalid UTF-8 is
    /// replaced by U+FFFD (per maximal invalid subsequence for byte-level; per byte piece of an
    /// invalid run for `ByteFallback`).
    /// - Parameters:
    ///   - ids: token ids.
    ///   - skipSpecialTokens: whether to drop special tokens (`<s>`, `</s>`, `<unk>`, ...).
    /// - Returns: the text.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) -> String {
        var tokens: [[UInt8]] = []
        tokens.reserveCapacity(ids.count)
        for id in ids {
            guard id >= 0, id < idToToken.count, let bytes = idToToken[id] else { continue }
            if skipSpecialTokens && isSpecialId[id] { continue }
            tokens.append(bytes)
        }
        guard let decoder else {
            var joined: [UInt8] = []
            for (i, token) in tokens.enumerated() {
                if i > 0 { joined.append(0x20) }
                joined += token
            }
            return String(decoding: joined, as: UTF8.self)
        }
        return String(decoding: decoder.decodeChain(tokens).flatMap { $0 }, as: UTF8.self)
    }
}
