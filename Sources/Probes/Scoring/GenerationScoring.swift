import Foundation
import Metrics

/// Scores generated texts with the `Metrics` module.
///
/// - `rouge1`, `rouge2`, `rougeL`, `rougeLsum`: rouge-score 0.1.2's F-measure (×1, in [0, 1]),
///   Porter stemmer when the metric sets `use_stemmer`; with several references the best F.
/// - `bleu`: sacrebleu 2.6 BLEU (0–100). Item score: `sentence_bleu`; task score:
///   `corpus_bleu` over all items (aggregation `bleu`, lm-eval's) or the mean of sentence
///   scores (aggregation `mean`).
/// - `chrf`: sacrebleu chrF (0–100), item `sentence_chrf`, task `corpus_chrf` or the mean.
/// - `exact_match`: 1 when the prediction equals a reference code point for code point, after
///   lower-casing (`ignore_case`) and removing ASCII punctuation (`ignore_punctuation`), as
///   Hugging Face `evaluate`'s exact_match does; the task score is the mean.
enum GenerationScoring {
    /// The item's score for each metric.
    static func itemScores(prediction: String, references: [String], metrics: [ProbeMetricSpec])
        -> [String: Double]
    {
        var scores: [String: Double] = [:]
        var rouge: [Bool: ROUGEScores] = [:]
        for spec in metrics {
            switch spec.metric {
            case "rouge1", "rouge2", "rougeL", "rougeLsum":
                let r =
                    rouge[spec.useStemmer]
                    ?? ROUGEScorer(useStemmer: spec.useStemmer)
                    .score(prediction: prediction, references: references)
                rouge[spec.useStemmer] = r
                switch spec.metric {
                case "rouge1": scores[spec.metric] = r.rouge1.fmeasure
                case "rouge2": scores[spec.metric] = r.rouge2.fmeasure
                case "rougeL": scores[spec.metric] = r.rougeL.fmeasure
                default: scores[spec.metric] = r.rougeLsum.fmeasure
                }
            case "bleu":
                scores["bleu"] =
                    BLEUScore.sentence(hypothesis: prediction, references: references).score
            case "chrf":
                scores["chrf"] =
                    CHRFScore.sentence(hypothesis: prediction, references: references).score
            case "exact_match":
                let normalize = { (s: String) -> String in
                    var t = spec.ignoreCase ? s.lowercased() : s
                    if spec.ignorePunctuation {
                        t = String(
                            String.UnicodeScalarView(
                                t.unicodeScalars.filter {
                                    !(0x21...0x7E).contains($0.value) || $0.properties.isAlphabetic
                                        || ("0"..."9").contains($0)
                                }))
                    }
                    return t
                }
                scores["exact_match"] = ExactMatch.score(
                    prediction: normalize(prediction), references: references.map(normalize))
            default:
                break
            }
        }
        return scores
    }

    /// The corpus-level score of `bleu` or `chrf` (aggregations `bleu`, `chrf`).
    static func corpusScore(metric: String, predictions: [String], references: [[String]]) -> Double
    {
        switch metric {
        case "bleu": return BLEUScore.corpus(hypotheses: predictions, references: references).score
        default: return CHRFScore.corpus(hypotheses: predictions, references: references).score
        }
    }
}
