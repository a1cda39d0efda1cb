import Foundation

/// Reads a JSONL training data file into examples, one per non-blank line.
///
/// Each line is one JSON object of one of the forms ``TrainingExample`` lists. Blank lines
/// (only spaces) are skipped; any other line that is not valid UTF-8, not a JSON object, or has
/// none of the accepted field sets stops the read with an error naming the file and the
/// 1-based line. Extra fields are ignored (datasets often carry ids or topics).
public enum TrainingDataFile {
    /// Reads and validates every line.
    /// - Returns: the examples in file order.
    /// - Throws: `TrainingError.unreadableData`, `.invalidUTF8`, `.invalidJSON`,
    ///   `.invalidExample` or `.emptyData`.
    public static func read(_ url: URL) throws -> [TrainingExample] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TrainingError.unreadableData(path: url.path, reason: error.localizedDescription)
        }
        return try parse(data, path: url.path)
    }

    /// Parses the bytes of a JSONL file (see ``read(_:)``).
    public static func parse(_ data: Data, path: String) throws -> [TrainingExample] {
        var examples: [TrainingExample] = []
        var lineNumber = 0
        for rawLine in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            var bytes = Data(rawLine)
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            guard String(data: bytes, encoding: .utf8) != nil else {
                throw TrainingError.invalidUTF8(path: path, line: lineNumber)
            }
            let fields: Line
            do {
                fields = try JSONDecoder().decode(Line.self, from: bytes)
            } catch DecodingError.typeMismatch(_, let context) where !context.codingPath.isEmpty {
                let key = context.codingPath.first?.stringValue ?? "?"
                let want =
                    key == "input_ids" || key == "labels" ? "an array of integers" : "a string"
                throw TrainingError.invalidExample(
                    path: path, line: lineNumber, reason: "\"\(key)\" must be \(want)")
            } catch DecodingError.typeMismatch {
                throw TrainingError.invalidJSON(
                    path: path, line: lineNumber, reason: "the line is JSON but not an object")
            } catch {
                throw TrainingError.invalidJSON(
                    path: path, line: lineNumber, reason: "the JSON does not parse")
            }
            examples.append(
                TrainingExample(
                    content: try content(of: fields, path: path, line: lineNumber),
                    line: lineNumber))
        }
        if examples.isEmpty { throw TrainingError.emptyData(path: path) }
        return examples
    }

    /// The fields of one line that matter; others are ignored.
    struct Line: Decodable {
        var prompt: String?
        var completion: String?
        var text: String?
        var inputIds: [Int]?
        var labels: [Int]?

        enum CodingKeys: String, CodingKey {
            case prompt, completion, text, labels
            case inputIds = "input_ids"
        }
    }

    static func content(of fields: Line, path: String, line: Int) throws
        -> TrainingExample.Content
    {
        if fields.prompt != nil || fields.completion != nil {
            guard let prompt = fields.prompt else {
                throw TrainingError.invalidExample(
                    path: path, line: line,
                    reason: "\"completion\" is present but \"prompt\" is missing")
            }
            guard let completion = fields.completion else {
                throw TrainingError.invalidExample(
                    path: path, line: line,
                    reason: "\"prompt\" is present but \"completion\" is missing")
            }
            return .promptCompletion(prompt: prompt, completion: completion)
        }
        if let text = fields.text { return .text(text) }
        if let ids = fields.inputIds {
            guard !ids.isEmpty else {
                throw TrainingError.invalidExample(
                    path: path, line: line, reason: "\"input_ids\" is empty")
            }
            return .tokenized(inputIds: ids, labels: fields.labels ?? ids)
        }
        throw TrainingError.invalidExample(
            path: path, line: line,
            reason: "none of \"prompt\"/\"completion\", \"text\" or \"input_ids\" is present")
    }
}
