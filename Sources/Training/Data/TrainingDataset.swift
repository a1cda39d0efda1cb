import Foundation

/// A data file read and tokenized: every example encoded by ``ExampleEncoding``, with the
/// counts a training log reports.
public struct TrainingDataset: Sendable {
    /// The data file.
    public let path: String
    /// The encoded examples, in file order.
    public let examples: [EncodedExample]

    /// Reads and encodes `url`.
    /// - Parameters:
    ///   - encoding: the tokenization and truncation rule.
    ///   - vocabularySize: every id (input and label) must lie in `0..<vocabularySize`.
    /// - Throws: `TrainingError` naming the file and line of the first bad example.
    public init(contentsOf url: URL, encoding: ExampleEncoding, vocabularySize: Int) throws {
        let raw = try TrainingDataFile.read(url)
        try self.init(
            examples: raw, path: url.path, encoding: encoding,
            vocabularySize: vocabularySize)
    }

    /// Encodes examples already read (see ``init(contentsOf:encoding:vocabularySize:)``).
    public init(
        examples raw: [TrainingExample], path: String, encoding: ExampleEncoding,
        vocabularySize: Int
    ) throws {
        var encoded: [EncodedExample] = []
        encoded.reserveCapacity(raw.count)
        for example in raw {
            let e = try encoding.encode(example, path: path)
            for id in e.inputIds where id < 0 || id >= vocabularySize {
                throw TrainingError.tokenOutOfRange(
                    path: path, line: example.line, token: id, vocabularySize: vocabularySize)
            }
            for id in e.labels
            where id != ExampleEncoding.ignoreIndex && (id < 0 || id >= vocabularySize) {
                throw TrainingError.tokenOutOfRange(
                    path: path, line: example.line, token: id, vocabularySize: vocabularySize)
            }
            if e.count < 2 || e.scoredTokenCount == 0 {
                throw TrainingError.invalidExample(
                    path: path, line: example.line,
                    reason: "the example has no scored token after tokenization (\(e.count) tokens)"
                )
            }
            encoded.append(e)
        }
        self.path = path
        self.examples = encoded
    }

    /// Number of examples cut to the maximum sequence length.
    public var truncatedCount: Int { examples.filter(\.wasTruncated).count }
    /// Total tokens over all examples.
    public var tokenCount: Int { examples.reduce(0) { $0 + $1.count } }
    /// Total scored targets over all examples.
    public var scoredTokenCount: Int { examples.reduce(0) { $0 + $1.scoredTokenCount } }
}
