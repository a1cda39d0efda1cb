/// The character classes of the GPT-2 pre-tokenizer regex, as Oniguruma in `tokenizers`
/// 0.22/0.23 defines them.
///
/// - `letter`: `\p{L}`, General Category Lu, Ll, Lt, Lm, Lo.
/// - `number`: `\p{N}`, General Category Nd, Nl, No.
/// - `whitespace`: `\s`, exactly the 25 White_Space code points (U+0009–000D, U+0020, U+0085,
///   U+00A0, U+1680, U+2000–200A, U+2028, U+2029, U+202F, U+205F, U+3000).
/// - `other`: everything else, including unassigned scalars.
///
/// The library's tables are **Unicode 16.0**. Swift 6.3's `generalCategory` is Unicode 17.0, so
/// scalars whose `properties.age` is newer than 16.0 are treated as unassigned (`other`).
///
/// ### References
/// `../shared/reference/tokenizers/README.md`, trap 3 (checked over all 1,112,064 scalars).
enum ScalarClass: UInt8, Sendable {
    case other = 0
    case letter = 1
    case number = 2
    case whitespace = 3

    /// The newest Unicode version whose assignments the letter and number classes include.
    static let unicodeVersion: (major: Int, minor: Int) = (16, 0)

    /// Classifies one scalar from its properties (slow; see `of(_:)`).
    static func compute(_ value: UInt32) -> ScalarClass {
        guard let scalar = Unicode.Scalar(value) else { return .other }
        let properties = scalar.properties
        if properties.isWhitespace { return .whitespace }
        if let age = properties.age {
            if age.major > unicodeVersion.major
                || (age.major == unicodeVersion.major && age.minor > unicodeVersion.minor)
            {
                return .other
            }
        } else {
            return .other
        }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return .number
        default:
            return .other
        }
    }

    /// Classes of the Basic Multilingual Plane, computed once.
    static let bmpTable: [ScalarClass] = (0..<0x10000).map { compute(UInt32($0)) }

    /// Classifies one scalar value (table lookup in the BMP).
    @inline(__always)
    static func of(_ value: UInt32) -> ScalarClass {
        if value < 0x10000 { return bmpTable[Int(value)] }
        return compute(value)
    }
}
