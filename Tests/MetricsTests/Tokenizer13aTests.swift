import Metrics
import Testing

@Suite struct Tokenizer13aTests {
    @Test(arguments: ReferenceVectors.sentences)
    func tokenizationMatchesSacreBLEU(_ vector: ReferenceVectors.Sentence) {
        #expect(
            scalars(Tokenizer13a.tokenize(vector.prediction))
                == scalars(vector.debug.bleu_13a.prediction))
        #expect(
            scalars(Tokenizer13a.tokenize(vector.reference))
                == scalars(vector.debug.bleu_13a.reference))
    }

    @Test func workedExample() {
        #expect(
            Tokenizer13a.tokenize("Hello, world... It's 3.14-ish &amp; COVID-19!")
                == "Hello , world . . . It's 3.14 - ish & COVID-19 !")
    }

    @Test(arguments: [
        ("3.14, 2.71.", "3.14 , 2.71 ."),
        (".5", ". 5"),
        ("1,2,3", "1,2,3"),
        ("U.S.A.", "U . S . A ."),
        ("10-20", "10 - 20"),
        ("2-way", "2 - way"),
        ("well-\nknown", "wellknown"),
        ("&amp;lt;", "<"),
        ("&amp;quot;", "& quot ;"),
        ("a\u{1F}b", "a b"),
        ("a\u{200B}b\u{A0}", "a\u{200B}b"),
    ])
    func documentedRules(_ input: String, _ expected: String) {
        #expect(scalars(Tokenizer13a.tokenize(input)) == scalars(expected))
    }
}
