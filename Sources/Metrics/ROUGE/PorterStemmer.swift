/// The Porter stemmer exactly as NLTK 3.10.4's `PorterStemmer()` in its default mode,
/// `NLTK_EXTENSIONS` — the stemmer rouge-score 0.1.2 uses with `use_stemmer=True`.
///
/// This is neither Martin Porter's original algorithm nor the Perl stemmer of ROUGE-1.5.5.
/// NLTK's extensions give, for example, enjoy → `enjoy` (original `enjoi`), news → `news`,
/// dies → `die`, lying → `lie`, skies → `sky`, hopefully → `hope`, geology → `geolog`,
/// says → `say`. Steps: an irregular-form table, then 1a, 1b, 1c, 2, 3, 4, 5a, 5b; in every rule
/// list the first suffix that matches decides (if its condition fails the word is returned
/// unchanged, later rules are not tried). Letters other than a, e, i, o, u and a `y` after a
/// consonant are consonants, digits included. Words of one or two letters are returned as they
/// are.
///
/// Worked example (checked by a test): `stem("hopefully")` is `"hope"` (step 2 rewrites
/// "fulli" → "ful", step 3 deletes "ful"); `stem("generously")` is `"gener"`.
///
/// ### References
/// M. F. Porter, "An algorithm for suffix stripping", Program 14(3), 1980; NLTK
/// `nltk/stem/porter.py` (mode `NLTK_EXTENSIONS`).
public struct PorterStemmer: Sendable {
    /// Creates the stemmer (NLTK_EXTENSIONS mode, the only mode implemented).
    public init() {}

    /// The stem of one word.
    ///
    /// The word is lower-cased first (as NLTK does); rouge-score only ever passes lower-case
    /// ASCII tokens of more than three characters.
    /// - Parameter word: One word, e.g. `"running"`.
    /// - Returns: Its stem, e.g. `"run"`.
    public func stem(_ word: String) -> String {
        var letters = PythonText.scalars(word.lowercased())
        stem(&letters)
        var out = String.UnicodeScalarView()
        for value in letters { if let scalar = Unicode.Scalar(value) { out.append(scalar) } }
        return String(out)
    }

    /// Stems a lower-case word held as code points, in place.
    func stem(_ word: inout [UInt32]) {
        if word.count >= 3 && word.count <= 8 {
            for (form, stem) in Self.irregularForms where form == word {
                word = stem
                return
            }
        }
        if word.count <= 2 { return }
        step1a(&word)
        step1b(&word)
        step1c(&word)
        step2(&word)
        step3(&word)
        step4(&word)
        step5a(&word)
        step5b(&word)
    }

    // MARK: - Letter classes and measures (on the prefix word[0..<length])

    @inline(__always)
    private static func isVowelLetter(_ c: UInt32) -> Bool {
        c == 0x61 || c == 0x65 || c == 0x69 || c == 0x6F || c == 0x75
    }

    /// Whether `word[index]` is a consonant: not a vowel letter, and a `y` only when it is first
    /// or follows a vowel.
    private static func isConsonant(_ word: [UInt32], _ index: Int) -> Bool {
        var i = index
        // A run of y's alternates; walk back to the first non-y (or the start).
        var yRun = 0
        while i >= 0 && word[i] == 0x79 {
            yRun += 1
            i -= 1
        }
        if yRun == 0 { return !isVowelLetter(word[index]) }
        // word[i+1] is the first y of the run.
        let firstYIsConsonant: Bool
        if i < 0 {
            firstYIsConsonant = true
        } else {
            firstYIsConsonant = !isConsonant(word, i)
        }
        // Within the run the classes alternate starting from the first y.
        return (yRun % 2 == 1) == firstYIsConsonant
    }

    /// m: the number of vowel → consonant transitions in `word[0..<length]`.
    private static func measure(_ word: [UInt32], _ length: Int) -> Int {
        var count = 0
        var previousIsVowel = false
        var previousIsConsonant = false
        for i in 0..<length {
            // Consonant-ness of i depends on i-1 only through y; compute incrementally.
            let c = word[i]
            let consonant: Bool
            if isVowelLetter(c) {
                consonant = false
            } else if c == 0x79 {
                consonant = i == 0 ? true : !previousIsConsonant
            } else {
                consonant = true
            }
            if consonant && previousIsVowel { count += 1 }
            previousIsVowel = !consonant
            previousIsConsonant = consonant
        }
        return count
    }

    private static func containsVowel(_ word: [UInt32], _ length: Int) -> Bool {
        var previousIsConsonant = false
        for i in 0..<length {
            let c = word[i]
            let consonant: Bool
            if isVowelLetter(c) {
                consonant = false
            } else if c == 0x79 {
                consonant = i == 0 ? true : !previousIsConsonant
            } else {
                consonant = true
            }
            if !consonant { return true }
            previousIsConsonant = consonant
        }
        return false
    }

    /// *d: the prefix ends in two equal letters and the last is a consonant.
    private static func endsDoubleConsonant(_ word: [UInt32], _ length: Int) -> Bool {
        length >= 2 && word[length - 1] == word[length - 2] && isConsonant(word, length - 1)
    }

    /// *o: consonant-vowel-consonant, the last not w, x or y; or (NLTK extension) exactly two
    /// letters, vowel then consonant.
    private static func endsCVC(_ word: [UInt32], _ length: Int) -> Bool {
        if length >= 3 && isConsonant(word, length - 3) && !isConsonant(word, length - 2)
            && isConsonant(word, length - 1)
        {
            let last = word[length - 1]
            if last != 0x77 && last != 0x78 && last != 0x79 { return true }
        }
        return length == 2 && !isConsonant(word, 0) && isConsonant(word, 1)
    }

    private static func endsWith(_ word: [UInt32], _ suffix: [UInt32]) -> Bool {
        if suffix.count > word.count { return false }
        let offset = word.count - suffix.count
        for i in 0..<suffix.count where word[offset + i] != suffix[i] { return false }
        return true
    }

    @inline(__always)
    private static func replaceSuffix(_ word: inout [UInt32], _ count: Int, _ replacement: [UInt32])
    {
        word.removeLast(count)
        word.append(contentsOf: replacement)
    }

    // MARK: - Rule lists

    /// The condition of a rule, evaluated on the word and the length of its stem.
    private enum Condition {
        case none
        case measurePositive
        case measureAboveOne
        /// Step 4 "ion": m > 1 and the stem ends in s or t.
        case ionStem
        /// Step 2 "logi": m > 0 of the word minus its last three letters.
        case logiStem
        /// Step 1c: the stem has more than one letter and ends in a consonant.
        case yStem
        /// Step 5b: m > 1 of the word minus its last letter.
        case doubleL

        func holds(_ word: [UInt32], stemLength: Int) -> Bool {
            switch self {
            case .none: return true
            case .measurePositive: return PorterStemmer.measure(word, stemLength) > 0
            case .measureAboveOne: return PorterStemmer.measure(word, stemLength) > 1
            case .ionStem:
                guard PorterStemmer.measure(word, stemLength) > 1 else { return false }
                let last = word[stemLength - 1]
                return last == 0x73 || last == 0x74
            case .logiStem: return PorterStemmer.measure(word, word.count - 3) > 0
            case .yStem: return stemLength > 1 && PorterStemmer.isConsonant(word, stemLength - 1)
            case .doubleL: return PorterStemmer.measure(word, word.count - 1) > 1
            }
        }
    }

    private struct Rule {
        var suffix: [UInt32]
        var replacement: [UInt32]
        var condition: Condition

        init(_ suffix: String, _ replacement: String, _ condition: Condition) {
            self.suffix = suffix.unicodeScalars.map(\.value)
            self.replacement = replacement.unicodeScalars.map(\.value)
            self.condition = condition
        }
    }

    /// Applies the first rule whose suffix matches; returns whether a suffix matched.
    @discardableResult
    private static func applyRules(_ word: inout [UInt32], _ rules: [Rule]) -> Bool {
        for rule in rules where endsWith(word, rule.suffix) {
            let stemLength = word.count - rule.suffix.count
            if rule.condition.holds(word, stemLength: stemLength) {
                replaceSuffix(&word, rule.suffix.count, rule.replacement)
            }
            return true
        }
        return false
    }

    private static func codes(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }

    /// NLTK's irregular forms (word → stem), checked before every rule.
    private static let irregularForms: [([UInt32], [UInt32])] = {
        let table: [(String, [String])] = [
            ("sky", ["sky", "skies"]), ("die", ["dying"]), ("lie", ["lying"]),
            ("tie", ["tying"]), ("news", ["news"]), ("inning", ["innings", "inning"]),
            ("outing", ["outings", "outing"]), ("canning", ["cannings", "canning"]),
            ("howe", ["howe"]), ("proceed", ["proceed"]), ("exceed", ["exceed"]),
            ("succeed", ["succeed"]),
        ]
        return table.flatMap { stem, words in words.map { (codes($0), codes(stem)) } }
    }()

    private static let step1aRules = [
        Rule("sses", "ss", .none), Rule("ies", "i", .none), Rule("ss", "ss", .none),
        Rule("s", "", .none),
    ]
    private static let step2Rules = [
        Rule("ational", "ate", .measurePositive), Rule("tional", "tion", .measurePositive),
        Rule("enci", "ence", .measurePositive), Rule("anci", "ance", .measurePositive),
        Rule("izer", "ize", .measurePositive), Rule("bli", "ble", .measurePositive),
        Rule("alli", "al", .measurePositive), Rule("entli", "ent", .measurePositive),
        Rule("eli", "e", .measurePositive), Rule("ousli", "ous", .measurePositive),
        Rule("ization", "ize", .measurePositive), Rule("ation", "ate", .measurePositive),
        Rule("ator", "ate", .measurePositive), Rule("alism", "al", .measurePositive),
        Rule("iveness", "ive", .measurePositive), Rule("fulness", "ful", .measurePositive),
        Rule("ousness", "ous", .measurePositive), Rule("aliti", "al", .measurePositive),
        Rule("iviti", "ive", .measurePositive), Rule("biliti", "ble", .measurePositive),
        Rule("fulli", "ful", .measurePositive), Rule("logi", "log", .logiStem),
    ]
    private static let step3Rules = [
        Rule("icate", "ic", .measurePositive), Rule("ative", "", .measurePositive),
        Rule("alize", "al", .measurePositive), Rule("iciti", "ic", .measurePositive),
        Rule("ical", "ic", .measurePositive), Rule("ful", "", .measurePositive),
        Rule("ness", "", .measurePositive),
    ]
    private static let step4Rules = [
        Rule("al", "", .measureAboveOne), Rule("ance", "", .measureAboveOne),
        Rule("ence", "", .measureAboveOne), Rule("er", "", .measureAboveOne),
        Rule("ic", "", .measureAboveOne), Rule("able", "", .measureAboveOne),
        Rule("ible", "", .measureAboveOne), Rule("ant", "", .measureAboveOne),
        Rule("ement", "", .measureAboveOne), Rule("ment", "", .measureAboveOne),
        Rule("ent", "", .measureAboveOne), Rule("ion", "", .ionStem),
        Rule("ou", "", .measureAboveOne), Rule("ism", "", .measureAboveOne),
        Rule("ate", "", .measureAboveOne), Rule("iti", "", .measureAboveOne),
        Rule("ous", "", .measureAboveOne), Rule("ive", "", .measureAboveOne),
        Rule("ize", "", .measureAboveOne),
    ]
    private static let step1bFixups = [
        Rule("at", "ate", .none), Rule("bl", "ble", .none), Rule("iz", "ize", .none),
    ]
    private static let ies = codes("ies")
    private static let ied = codes("ied")
    private static let eed = codes("eed")
    private static let ed = codes("ed")
    private static let ing = codes("ing")
    private static let alli = codes("alli")
    private static let ll = codes("ll")

    // MARK: - Steps

    private func step1a(_ word: inout [UInt32]) {
        if word.count == 4 && Self.endsWith(word, Self.ies) {
            Self.replaceSuffix(&word, 3, [0x69, 0x65])  // ties → tie
            return
        }
        Self.applyRules(&word, Self.step1aRules)
    }

    private func step1b(_ word: inout [UInt32]) {
        if Self.endsWith(word, Self.ied) {
            Self.replaceSuffix(&word, 3, word.count == 4 ? [0x69, 0x65] : [0x69])
            return
        }
        if Self.endsWith(word, Self.eed) {
            if Self.measure(word, word.count - 3) > 0 { word.removeLast(1) }  // eed → ee
            return
        }
        var removed = 0
        if Self.endsWith(word, Self.ed) && Self.containsVowel(word, word.count - 2) {
            removed = 2
        } else if Self.endsWith(word, Self.ing) && Self.containsVowel(word, word.count - 3) {
            removed = 3
        }
        if removed == 0 { return }
        word.removeLast(removed)
        if Self.applyRules(&word, Self.step1bFixups) { return }
        if Self.endsDoubleConsonant(word, word.count) {
            let last = word[word.count - 1]
            // l, s, z: leave the stem as it is and stop.
            if last != 0x6C && last != 0x73 && last != 0x7A { word.removeLast(1) }
            return
        }
        if Self.measure(word, word.count) == 1 && Self.endsCVC(word, word.count) {
            word.append(0x65)
        }
    }

    private func step1c(_ word: inout [UInt32]) {
        guard word.last == 0x79 else { return }
        if Condition.yStem.holds(word, stemLength: word.count - 1) {
            word[word.count - 1] = 0x69
        }
    }

    private func step2(_ word: inout [UInt32]) {
        // NLTK extension: "alli" → "al" first, then step 2 again on the result.
        if Self.endsWith(word, Self.alli) && Self.measure(word, word.count - 4) > 0 {
            Self.replaceSuffix(&word, 4, [0x61, 0x6C])
            step2(&word)
            return
        }
        Self.applyRules(&word, Self.step2Rules)
    }

    private func step3(_ word: inout [UInt32]) { Self.applyRules(&word, Self.step3Rules) }

    private func step4(_ word: inout [UInt32]) { Self.applyRules(&word, Self.step4Rules) }

    private func step5a(_ word: inout [UInt32]) {
        guard word.last == 0x65 else { return }
        let stemLength = word.count - 1
        let m = Self.measure(word, stemLength)
        if m > 1 || (m == 1 && !Self.endsCVC(word, stemLength)) { word.removeLast(1) }
    }

    private func step5b(_ word: inout [UInt32]) {
        if Self.endsWith(word, Self.ll) && Self.measure(word, word.count - 1) > 1 {
            word.removeLast(1)
        }
    }
}
