import Foundation
import Metrics
import TestSupport
import Testing

/// The reference vectors of `../shared/reference/metrics`, decoded.
enum ReferenceVectors {
    struct Score: Decodable, Sendable {
        var precision: Double
        var recall: Double
        var fmeasure: Double
    }

    struct ROUGE: Decodable, Sendable {
        var rouge1: Score
        var rouge2: Score
        var rougeL: Score
        var rougeLsum: Score

        var named: [(String, Score)] {
            [("rouge1", rouge1), ("rouge2", rouge2), ("rougeL", rougeL), ("rougeLsum", rougeLsum)]
        }
    }

    struct BLEU: Decodable, Sendable {
        var score: Double
        var precisions: [Double]
        var bp: Double
        var sys_len: Int
        var ref_len: Int
        var counts: [Int]
        var totals: [Int]
    }

    struct CHRF: Decodable, Sendable {
        var score: Double
        var stats: [[Int]]?
    }

    struct Debug: Decodable, Sendable {
        struct Sides<T: Decodable & Sendable>: Decodable, Sendable {
            var prediction: T
            var reference: T
        }
        var rouge_tokens: Sides<[String]>
        var rouge_tokens_stemmed: Sides<[String]>
        var bleu_13a: Sides<String>
    }

    struct Sentence: Decodable, Sendable, CustomTestStringConvertible {
        var id: String
        var kind: String
        var prediction: String
        var reference: String
        var rouge_use_stemmer_false: ROUGE
        var rouge_use_stemmer_true: ROUGE
        var sentence_bleu: BLEU
        var chrf: CHRF
        var exact_match: Double
        var debug: Debug

        var testDescription: String { "\(id) (\(kind))" }
    }

    struct RougeMean: Decodable, Sendable {
        var use_stemmer_false: ROUGE
        var use_stemmer_true: ROUGE
    }

    struct Corpus: Decodable, Sendable, CustomTestStringConvertible {
        var id: String
        var kind: String
        var predictions: [String]
        var references: [String]
        var corpus_bleu: BLEU
        var corpus_chrf: CHRF
        var rouge_mean: RougeMean
        var exact_match_mean: Double

        var testDescription: String { "\(id) (\(kind))" }
    }

    struct Stem: Decodable, Sendable, CustomTestStringConvertible {
        var word: String
        var stem: String
        var rouge_token: String

        var testDescription: String { word }
    }

    static func load<T: Decodable>(_ file: String) -> [T] {
        let url = Fixtures.shared("reference/metrics/\(file)")
        do {
            return try Fixtures.jsonLines(T.self, at: url)
        } catch {
            // An empty list would let the parameterized tests pass vacuously; the count tests
            // below catch that and report this path.
            return []
        }
    }

    static let sentences: [Sentence] = load("sentence_vectors.jsonl")
    static let corpora: [Corpus] = load("corpus_vectors.jsonl")
    static let stems: [Stem] = load("porter_stems.jsonl")
}

/// Code points of a string, for comparisons that must not use `String ==`.
func scalars(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }
func scalars(_ texts: [String]) -> [[UInt32]] { texts.map(scalars) }

/// `Fixtures/Metrics/multi_reference.jsonl`: several references per pair, scored by rouge-score's
/// `score_multi` and sacreBLEU with lists of references (made by `make_multi_reference.py`).
enum MultiReferenceVectors {
    struct Pair: Decodable, Sendable, CustomTestStringConvertible {
        var id: String
        var prediction: String
        var references: [String]
        var rouge_use_stemmer_false: ReferenceVectors.ROUGE
        var rouge_use_stemmer_true: ReferenceVectors.ROUGE
        var sentence_bleu: ReferenceVectors.BLEU
        var chrf: ReferenceVectors.CHRF
        var exact_match: Double

        var testDescription: String { id }
    }

    struct Corpus: Decodable, Sendable {
        var corpus_bleu: ReferenceVectors.BLEU
        var corpus_chrf: ReferenceVectors.CHRF
    }

    private static let lines: [String] = {
        let url = Fixtures.url("Metrics/multi_reference.jsonl")
        let text = (try? Fixtures.text(url)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }()

    static let pairs: [Pair] = lines.dropLast().compactMap {
        try? JSONDecoder().decode(Pair.self, from: Data($0.utf8))
    }

    static let corpus: Corpus? = lines.last.flatMap {
        try? JSONDecoder().decode(Corpus.self, from: Data($0.utf8))
    }
}
