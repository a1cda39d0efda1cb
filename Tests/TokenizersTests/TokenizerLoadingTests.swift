import Foundation
import TestSupport
import Testing

@testable import Tokenizers

/// Loading: configuration files, special-token ids, the published checks, and clear errors for
/// every component the module does not implement.
@Suite struct TokenizerLoadingTests {
    /// Writes a tiny tokenizer.json with one extra top-level field and loads it.
    func load(_ extra: String, model: String? = nil) throws -> Tokenizer {
        let folder = try Fixtures.temporaryDirectory("fmn-tokenizer")
        let modelJSON =
            model ?? #"{"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}"#
        let json =
            #"{"version": "1.0", "added_tokens": [], "model": "# + modelJSON
            + (extra.isEmpty ? "" : ", " + extra) + "}"
        let url = folder.appendingPathComponent("tokenizer.json")
        try Data(json.utf8).write(to: url)
        return try Tokenizer(contentsOf: url)
    }

    func expectUnsupported(_ extra: String, model: String? = nil, naming component: String) {
        do {
            _ = try load(extra, model: model)
            Issue.record("\(component) was accepted")
        } catch let error as TokenizerError {
            guard case .unsupported(let path, let name, _) = error else {
                Issue.record("expected .unsupported, got \(error)")
                return
            }
            #expect(path.hasSuffix("tokenizer.json"))
            #expect(name.contains(component), "component \(name)")
            #expect(error.description.contains(component))
            #expect(error.description.contains("tokenizer.json"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func aMinimalFileLoadsAndMerges() throws {
        let tokenizer = try load("")
        #expect(tokenizer.encode("ab") == [2])
        #expect(tokenizer.decode([2, 0]) == "ab a")  // no decoder: tokens joined by spaces
    }

    @Test func unsupportedComponentsAreRefusedByName() {
        expectUnsupported(#""normalizer": {"type": "NFC"}"#, naming: "normalizer NFC")
        expectUnsupported(
            #""pre_tokenizer": {"type": "Whitespace"}"#, naming: "pre-tokenizer Whitespace")
        expectUnsupported(
            #""decoder": {"type": "WordPiece", "prefix": "@@"}"#, naming: "decoder WordPiece")
        expectUnsupported(
            #""post_processor": {"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 0]}"#,
            naming: "post-processor RobertaProcessing")
        expectUnsupported(
            #""pre_tokenizer": {"type": "Split", "pattern": {"Regex": "\\d+"}, "behavior": "Isolated", "invert": false}"#,
            naming: "pre-tokenizer Split")
        expectUnsupported(
            #""normalizer": {"type": "Replace", "pattern": {"Regex": " +"}, "content": " "}"#,
            naming: "Regex pattern")
        expectUnsupported(
            "", model: #"{"type": "WordPiece", "vocab": {"a": 0}, "unk_token": "[UNK]"}"#,
            naming: "model WordPiece")
        expectUnsupported(
            "", model: #"{"type": "BPE", "dropout": 0.1, "vocab": {"a": 0}, "merges": []}"#,
            naming: "dropout")
    }

    @Test func sentencePieceAndLlama2CFilesPointToTheRightReader() {
        for url in [
            Fixtures.shared("data/tokenizers/llama2"),
            Fixtures.shared("data/models/stories260K/tok512.bin"),
        ] {
            do {
                _ = try Tokenizer(contentsOf: url)
                Issue.record("\(url.path) was accepted")
            } catch {
                guard case .unsupported(let path, _, _) = error else {
                    Issue.record("expected .unsupported, got \(error)")
                    continue
                }
                #expect(path.hasPrefix(url.path))
            }
        }
    }

    @Test func missingFilesAndBrokenJSONAreClearErrors() throws {
        #expect(throws: TokenizerError.self) {
            try Tokenizer(contentsOf: URL(fileURLWithPath: "/nonexistent/tokenizer.json"))
        }
        let folder = try Fixtures.temporaryDirectory("fmn-tokenizer")
        let url = folder.appendingPathComponent("tokenizer.json")
        try Data("{\"model\": [".utf8).write(to: url)
        do {
            _ = try Tokenizer(contentsOf: url)
            Issue.record("broken JSON was accepted")
        } catch {
            guard case .malformed(let path, _) = error else {
                Issue.record("expected .malformed, got \(error)")
                return
            }
            #expect(path == url.path)
        }
    }

    @Test func specialTokenIdsComeFromTheConfiguration() throws {
        let gpt2 = try #require(ReferenceVectors.tokenizers["gpt2-hf"])
        #expect(gpt2.bosTokenId == 50256)
        #expect(gpt2.eosTokenId == 50256)
        #expect(gpt2.padTokenId == nil)
        #expect(!gpt2.addsBOS && !gpt2.addsEOS)
        #expect(gpt2.vocabularySize == 50257)
        #expect(gpt2.id(forToken: "Ġworld") == 995)
        #expect(gpt2.token(forId: 995) == "Ġworld")
        #expect(gpt2.isSpecialToken(50256))

        let llama = try #require(ReferenceVectors.tokenizers["llama2-hf"])
        #expect(llama.bosTokenId == 1)
        #expect(llama.eosTokenId == 2)
        #expect(llama.unknownTokenId == 0)
        #expect(llama.addsBOS && !llama.addsEOS)
        #expect(llama.vocabularySize == 32000)
        #expect(llama.token(forId: 13) == "<0x0A>")
        #expect(llama.token(forId: 32000) == nil)

        let stories = try #require(ReferenceVectors.tokenizers["stories260K-hf"])
        #expect(stories.vocabularySize == 512)
        #expect(stories.addsBOS)
    }

    @Test func addEOSTokenInTheConfigurationAddsEOS() throws {
        let folder = try Fixtures.temporaryDirectory("fmn-tokenizer")
        let source = Fixtures.shared("data/models/stories260K-hf/tokenizer.json")
        try FileManager.default.copyItem(
            at: source, to: folder.appendingPathComponent("tokenizer.json"))
        let config =
            #"{"bos_token": "<s>", "eos_token": "</s>", "add_bos_token": false, "add_eos_token": true, "pad_token": {"content": "</s>"}}"#
        try Data(config.utf8).write(to: folder.appendingPathComponent("tokenizer_config.json"))
        let tokenizer = try Tokenizer(contentsOf: folder)
        #expect(!tokenizer.addsBOS && tokenizer.addsEOS)
        #expect(tokenizer.padTokenId == 2)
        let ids = tokenizer.encode("Hello")
        #expect(ids.last == 2 && ids.first != 1)
        #expect(tokenizer.encode("Hello", addSpecialTokens: false) == Array(ids.dropLast()))
    }

    /// `public_checks.jsonl`: encodings published in tiktoken's and transformers' tests.
    @Test func publishedChecksPass() throws {
        let lines = try ReferenceVectors.lines("public_checks.jsonl")
        #expect(lines.count == 51)
        for line in lines {
            let name = try #require(line["tokenizer"]?.string)
            let tokenizer = try #require(ReferenceVectors.tokenizers[name])
            let text = String(decoding: line["text"]?.bytes ?? [], as: UTF8.self)
            let add = line["add_special_tokens"]?.bool ?? true
            #expect(
                tokenizer.encode(text, addSpecialTokens: add) == ReferenceVectors.ints(line["ids"]),
                "\(name): \(ReferenceVectors.show(Array(text.utf8)))")
        }
    }

    @Test func vocabularyKeysAreNotUnicodeNormalized() throws {
        // "Å" as U+00C5 and as U+212B are canonically equivalent: Swift's String == says equal.
        let model = #"{"type": "BPE", "vocab": {"\u00c5": 0, "\u212b": 1}, "merges": []}"#
        let tokenizer = try load("", model: model)
        #expect(tokenizer.encode("\u{212B}\u{00C5}") == [1, 0])
        #expect(tokenizer.token(forId: 1)?.unicodeScalars.first?.value == 0x212B)
    }
}
