import Foundation

/// One generated text and the reference text(s) it is scored against.
public struct PredictionPair: Sendable, Hashable {
    /// The model's output.
    public var prediction: String
    /// One or more references; multi-reference metrics keep the best (ROUGE per type, chrF) or
    /// pool them (BLEU's clipping and closest length).
    public var references: [String]

    /// A pair with one or more references.
    /// - Precondition: `references` is not empty.
    public init(prediction: String, references: [String]) {
        precondition(
            !references.isEmpty, "PredictionPair: no reference for \(prediction.debugDescription)")
        self.prediction = prediction
        self.references = references
    }

    /// A pair with one reference.
    public init(prediction: String, reference: String) {
        self.init(prediction: prediction, references: [reference])
    }
}

extension PredictionPair {
    /// Reads JSON Lines: one object per line with a string `"prediction"` and either a string
    /// `"reference"` or a non-empty array of strings `"references"`. Blank lines are skipped.
    /// - Parameter url: The `.jsonl` file.
    /// - Returns: The pairs in file order.
    /// - Throws: ``MetricsError`` naming the file and line: unreadable file, invalid UTF-8,
    ///   invalid JSON, a missing or mistyped field, or no pair at all.
    public static func readJSONLines(at url: URL) throws(MetricsError) -> [PredictionPair] {
        let path = url.path
        var pairs: [PredictionPair] = []
        for (number, bytes) in try lines(of: url) {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw .invalidUTF8(path: path, line: number)
            }
            if text.unicodeScalars.allSatisfy({ PythonText.isWhitespace($0.value) }) { continue }
            let object: Any
            do {
                object = try JSONSerialization.jsonObject(with: Data(bytes), options: [])
            } catch {
                throw .invalidJSON(
                    path: path, line: number, reason: "\(error.localizedDescription)")
            }
            guard let fields = object as? [String: Any] else {
                throw .invalidJSON(path: path, line: number, reason: "not a JSON object")
            }
            guard let predictionValue = fields["prediction"] else {
                throw .invalidField(
                    path: path, line: number, field: "prediction", reason: "is missing")
            }
            guard let prediction = predictionValue as? String else {
                throw .invalidField(
                    path: path, line: number, field: "prediction", reason: "is not a string")
            }
            let references: [String]
            if let single = fields["reference"] {
                if fields["references"] != nil {
                    throw .invalidField(
                        path: path, line: number, field: "reference",
                        reason: "is given together with \"references\" (give one of them)")
                }
                guard let reference = single as? String else {
                    throw .invalidField(
                        path: path, line: number, field: "reference", reason: "is not a string")
                }
                references = [reference]
            } else if let many = fields["references"] {
                guard let list = many as? [Any], !list.isEmpty,
                    let strings = list as? [String], strings.count == list.count
                else {
                    throw .invalidField(
                        path: path, line: number, field: "references",
                        reason: "is not a non-empty array of strings")
                }
                references = strings
            } else {
                throw .invalidField(
                    path: path, line: number, field: "reference", reason: "is missing")
            }
            pairs.append(PredictionPair(prediction: prediction, references: references))
        }
        if pairs.isEmpty { throw .noPairs(path: path) }
        return pairs
    }

    /// Reads plain-text files with one text per line: predictions, and one or more reference
    /// files whose line i is a reference of prediction i. Lines end at U+000A; a trailing
    /// U+000D is removed (CRLF files); a final newline does not start an extra line.
    /// - Throws: ``MetricsError``: unreadable file, invalid UTF-8 (file and line), line counts
    ///   that differ, or no line at all.
    public static func readPlainText(predictions: URL, references: [URL]) throws(MetricsError)
        -> [PredictionPair]
    {
        precondition(!references.isEmpty, "readPlainText: no references file given")
        let predictionLines = try textLines(of: predictions)
        if predictionLines.isEmpty { throw .noPairs(path: predictions.path) }
        var referenceColumns: [[String]] = []
        for url in references {
            let column = try textLines(of: url)
            if column.count != predictionLines.count {
                throw .lineCountMismatch(
                    predictionsPath: predictions.path, predictions: predictionLines.count,
                    referencesPath: url.path, references: column.count)
            }
            referenceColumns.append(column)
        }
        return predictionLines.indices.map { i in
            PredictionPair(
                prediction: predictionLines[i], references: referenceColumns.map { $0[i] })
        }
    }

    private static func textLines(of url: URL) throws(MetricsError) -> [String] {
        try lines(of: url).map { (number, bytes) throws(MetricsError) -> String in
            var slice = bytes
            if slice.last == 0x0D { slice = slice.dropLast() }
            guard let text = String(validating: slice, as: UTF8.self) else {
                throw .invalidUTF8(path: url.path, line: number)
            }
            return text
        }
    }

    /// The file's lines (split on byte 0x0A) with their 1-based numbers; no extra empty line
    /// after a final newline.
    private static func lines(of url: URL) throws(MetricsError) -> [(Int, ArraySlice<UInt8>)] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        let bytes = [UInt8](data)
        var result: [(Int, ArraySlice<UInt8>)] = []
        var start = 0
        var number = 1
        for index in bytes.indices where bytes[index] == 0x0A {
            result.append((number, bytes[start..<index]))
            start = index + 1
            number += 1
        }
        if start < bytes.count { result.append((number, bytes[start..<bytes.count])) }
        return result
    }
}
