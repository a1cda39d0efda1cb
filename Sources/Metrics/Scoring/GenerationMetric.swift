/// The metric families scored for generated text; raw values are the names used by
/// `fmn score --metrics` and in JSON output.
public enum GenerationMetric: String, CaseIterable, Sendable, Hashable, Codable {
    /// ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum (``ROUGEScorer``).
    case rouge
    /// sacreBLEU BLEU (``BLEUScore``).
    case bleu
    /// sacreBLEU chrF (``CHRFScore``).
    case chrf
    /// Code-point exact match (``ExactMatch``).
    case exactMatch = "exact_match"
}
