import Foundation
import TestSupport
import Testing
import Tokenizers

@testable import Training

/// Token ids of the stories260K tokenizer (Fixtures/Models/stories260K-hf), checked against the
/// Hugging Face `tokenizers` library: "Once upon a time" → [1, 403, 407, 261, 378] (BOS 1
/// added by the template), "Once upon a time there was a cat." → [1, 403, 407, 261, 378, 383,
/// 286, 261, 280, 294, 426]; EOS is 2.
@Suite struct ExampleEncodingTests {
    static func stories260K() throws -> Tokenizer {
        try Tokenizer(contentsOf: Fixtures.url("Models/stories260K-hf"))
    }

    let promptCompletion = TrainingExample(
        content: .promptCompletion(prompt: "Once upon a time", completion: " there was a cat."),
        line: 3)

    @Test func promptCompletionMasksThePromptAndScoresTheAppendedEOS() throws {
        let encoding = ExampleEncoding(tokenizer: try Self.stories260K())
        let e = try encoding.encode(promptCompletion, path: "d.jsonl")
        // TRL: ids = tokenize(prompt + completion) + [EOS]; the first len(tokenize(prompt)) = 5
        // positions (BOS included) get -100.
        #expect(e.inputIds == [1, 403, 407, 261, 378, 383, 286, 261, 280, 294, 426, 2])
        #expect(e.labels == [-100, -100, -100, -100, -100, 383, 286, 261, 280, 294, 426, 2])
        #expect(e.scoredTokenCount == 7)
        #expect(e.line == 3)
        #expect(!e.wasTruncated)
    }

    @Test func plainTextScoresEveryTokenWithoutEOS() throws {
        let encoding = ExampleEncoding(tokenizer: try Self.stories260K())
        let e = try encoding.encode(.init(content: .text("Once upon a time"), line: 1), path: "d")
        #expect(e.inputIds == [1, 403, 407, 261, 378])
        #expect(e.labels == [1, 403, 407, 261, 378])
        #expect(e.scoredTokenCount == 4)
    }

    @Test func truncationCutsThePromptFromTheLeftKeepingBOS() throws {
        // 12 tokens: BOS + 4 prompt tokens + 7 completion tokens (EOS included).
        // T = 10: 10 - 1 (BOS) - 7 = 2 prompt tokens kept, the last two: 261, 378.
        let encoding = ExampleEncoding(
            tokenizer: try Self.stories260K(), maxSequenceLength: 10)
        let e = try encoding.encode(promptCompletion, path: "d")
        #expect(e.inputIds == [1, 261, 378, 383, 286, 261, 280, 294, 426, 2])
        #expect(e.labels == [-100, -100, -100, 383, 286, 261, 280, 294, 426, 2])
        #expect(e.wasTruncated)
    }

    @Test func truncationDropsThePromptThenCutsTheCompletionFromTheRight() throws {
        let tokenizer = try Self.stories260K()
        let exact = try ExampleEncoding(tokenizer: tokenizer, maxSequenceLength: 8)
            .encode(promptCompletion, path: "d")
        #expect(exact.inputIds == [1, 383, 286, 261, 280, 294, 426, 2])
        #expect(exact.labels == [-100, 383, 286, 261, 280, 294, 426, 2])
        let short = try ExampleEncoding(tokenizer: tokenizer, maxSequenceLength: 6)
            .encode(promptCompletion, path: "d")
        #expect(short.inputIds == [1, 383, 286, 261, 280, 294])
        #expect(short.labels == [-100, 383, 286, 261, 280, 294])
    }

    @Test func plainTextAndTokenizedLinesAreCutFromTheRight() throws {
        let encoding = ExampleEncoding(
            tokenizer: try Self.stories260K(), maxSequenceLength: 3)
        let text = try encoding.encode(
            .init(content: .text("Once upon a time"), line: 1), path: "d")
        #expect(text.inputIds == [1, 403, 407])
        #expect(text.wasTruncated)
        let tokenized = try encoding.encode(
            .init(content: .tokenized(inputIds: [4, 5, 6, 7], labels: [-100, 5, 6, 7]), line: 1),
            path: "d")
        #expect(tokenized.inputIds == [4, 5, 6])
        #expect(tokenized.labels == [-100, 5, 6])
    }

    @Test func textWithoutTokenizerIsAnError() throws {
        #expect(throws: TrainingError.missingTokenizer(path: "d")) {
            try ExampleEncoding(tokenizer: nil).encode(promptCompletion, path: "d")
        }
    }

    @Test func mismatchedLabelsAreAnError() throws {
        let example = TrainingExample(content: .tokenized(inputIds: [1, 2], labels: [1]), line: 4)
        #expect(
            throws: TrainingError.invalidExample(
                path: "d", line: 4, reason: "\"input_ids\" has 2 tokens but \"labels\" 1")
        ) {
            try ExampleEncoding(tokenizer: nil).encode(example, path: "d")
        }
    }

    @Test func datasetRejectsIdsOutsideTheVocabulary() throws {
        let examples = [
            TrainingExample(content: .tokenized(inputIds: [1, 300], labels: [1, 300]), line: 2)
        ]
        #expect(
            throws: TrainingError.tokenOutOfRange(
                path: "d", line: 2, token: 300, vocabularySize: 256)
        ) {
            try TrainingDataset(
                examples: examples, path: "d", encoding: ExampleEncoding(tokenizer: nil),
                vocabularySize: 256)
        }
    }

    @Test func parityBatchFileReadsAsTwoScoredSequences() throws {
        let dataset = try TrainingDataset(
            contentsOf: Fixtures.shared("reference/parity/batch.jsonl"),
            encoding: ExampleEncoding(tokenizer: nil), vocabularySize: 256)
        #expect(dataset.examples.count == 2)
        // 32 tokens each, positions 0..7 unscored: 24 targets each (README: 48 in all).
        #expect(dataset.scoredTokenCount == 48)
        #expect(dataset.truncatedCount == 0)
    }
}
