/// Exact match: 1 when the prediction equals a reference code point by code point, else 0.
///
/// Python string equality, as the reference vectors use: no trimming, no case folding, no
/// Unicode normalization. Swift's `==` on `String` is *not* this (it treats NFC "é" and NFD
/// "e\u{301}" as equal), so the comparison runs on `unicodeScalars`. The value is 0 or 1; higher
/// is better; a corpus reports the mean.
///
/// Worked example (checked by a test): `score(prediction: "caf\u{E9}", references:
/// ["cafe\u{301}"])` is 0, `score(prediction: "Yes", references: ["yes", "Yes"])` is 1.
public enum ExactMatch {
    /// 1.0 if `prediction` equals any reference as a sequence of Unicode scalars, else 0.0.
    public static func score(prediction: String, references: [String]) -> Double {
        references.contains { $0.unicodeScalars.elementsEqual(prediction.unicodeScalars) } ? 1 : 0
    }

    /// 1.0 if `prediction` equals `reference` as a sequence of Unicode scalars, else 0.0.
    public static func score(prediction: String, reference: String) -> Double {
        score(prediction: prediction, references: [reference])
    }
}
