import Metrics
import Testing

@Suite struct PorterStemmerTests {
    @Test func everyReferenceWordIsLoaded() {
        // manifest.json: 1,660 stemmer cases in the shared split.
        #expect(ReferenceVectors.stems.count == 1660, "porter_stems.jsonl missing or unreadable")
    }

    @Test(arguments: ReferenceVectors.stems)
    func stemMatchesNLTKExtensionsMode(_ case_: ReferenceVectors.Stem) {
        let stemmer = PorterStemmer()
        #expect(scalars(stemmer.stem(case_.word)) == scalars(case_.stem))
    }

    @Test(arguments: ReferenceVectors.stems)
    func rougeTokenStemsOnlyWordsLongerThanThree(_ case_: ReferenceVectors.Stem) {
        let tokens = ROUGETokenizer(useStemmer: true).tokenize(case_.word)
        #expect(tokens.map(scalars) == [scalars(case_.rouge_token)])
    }

    @Test func documentedExamples() {
        let stemmer = PorterStemmer()
        // Step 2 rewrites "fulli" → "ful" (NLTK extension), step 3 deletes "ful".
        #expect(stemmer.stem("hopefully") == "hope")
        #expect(stemmer.stem("generously") == "gener")
        // Irregular forms and extensions that differ from the original algorithm.
        #expect(stemmer.stem("enjoy") == "enjoy")
        #expect(stemmer.stem("news") == "news")
        #expect(stemmer.stem("dies") == "die")
        #expect(stemmer.stem("skies") == "sky")
        #expect(stemmer.stem("geology") == "geolog")
        // Two-letter words are returned as they are.
        #expect(stemmer.stem("is") == "is")
    }
}
