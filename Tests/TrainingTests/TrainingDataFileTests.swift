import Foundation
import TestSupport
import Testing

@testable import Training

@Suite struct TrainingDataFileTests {
    func parse(_ text: String) throws -> [TrainingExample] {
        try TrainingDataFile.parse(Data(text.utf8), path: "data.jsonl")
    }

    @Test func readsTheThreeFormsAndSkipsBlankLines() throws {
        let examples = try parse(
            """
            {"prompt": "Q: 2+2?", "completion": " 4", "id": 7}

            {"text": "Once upon a time"}
            {"input_ids": [1, 5, 9], "labels": [-100, 5, 9]}
            {"input_ids": [3, 4]}
            """)
        #expect(examples.map(\.line) == [1, 3, 4, 5])
        #expect(examples[0].content == .promptCompletion(prompt: "Q: 2+2?", completion: " 4"))
        #expect(examples[1].content == .text("Once upon a time"))
        #expect(examples[2].content == .tokenized(inputIds: [1, 5, 9], labels: [-100, 5, 9]))
        #expect(examples[3].content == .tokenized(inputIds: [3, 4], labels: [3, 4]))
    }

    @Test func invalidJSONNamesFileAndLine() throws {
        #expect(
            throws: TrainingError.invalidJSON(
                path: "data.jsonl", line: 2, reason: "the JSON does not parse")
        ) {
            try parse("{\"text\": \"a\"}\n{\"text\": \"b\"\n")
        }
    }

    @Test func nonObjectLineIsRejected() throws {
        #expect(
            throws: TrainingError.invalidJSON(
                path: "data.jsonl", line: 1, reason: "the line is JSON but not an object")
        ) {
            try parse("[1, 2]\n")
        }
    }

    @Test func missingCompletionIsRejected() throws {
        let error = try #require(throws: TrainingError.self) { try parse("{\"prompt\": \"p\"}") }
        #expect(
            error
                == .invalidExample(
                    path: "data.jsonl", line: 1,
                    reason: "\"prompt\" is present but \"completion\" is missing"))
        #expect(error.description.hasPrefix("data.jsonl:1: "))
    }

    @Test func wrongFieldTypeIsRejected() throws {
        #expect(
            throws: TrainingError.invalidExample(
                path: "data.jsonl", line: 1, reason: "\"text\" must be a string")
        ) {
            try parse("{\"text\": 5}")
        }
    }

    @Test func noUsableFieldIsRejected() throws {
        #expect(throws: TrainingError.self) { try parse("{\"question\": \"x\"}") }
    }

    @Test func invalidUTF8NamesTheLine() throws {
        var bytes = Data("{\"text\": \"ok\"}\n{\"text\": \"".utf8)
        bytes.append(contentsOf: [0xC3, 0x28])
        bytes.append(contentsOf: Data("\"}\n".utf8))
        #expect(throws: TrainingError.invalidUTF8(path: "data.jsonl", line: 2)) {
            try TrainingDataFile.parse(bytes, path: "data.jsonl")
        }
    }

    @Test func emptyFileIsRejected() throws {
        #expect(throws: TrainingError.emptyData(path: "data.jsonl")) { try parse("\n  \n") }
    }

    @Test func missingFileIsReported() throws {
        let url = URL(fileURLWithPath: "/nonexistent/data.jsonl")
        let error = try #require(throws: TrainingError.self) { try TrainingDataFile.read(url) }
        guard case .unreadableData(let path, _) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(path == "/nonexistent/data.jsonl")
    }
}
