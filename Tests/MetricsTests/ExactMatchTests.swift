import Metrics
import Testing

@Suite struct ExactMatchTests {
    @Test(arguments: ReferenceVectors.sentences)
    func matchesPythonEquality(_ vector: ReferenceVectors.Sentence) {
        #expect(
            ExactMatch.score(prediction: vector.prediction, reference: vector.reference)
                == vector.exact_match)
    }

    @Test func workedExample() {
        // NFC é vs NFD e + U+0301: equal for Swift's ==, different code points.
        #expect("caf\u{E9}" == "cafe\u{301}")
        #expect(ExactMatch.score(prediction: "caf\u{E9}", references: ["cafe\u{301}"]) == 0)
        #expect(ExactMatch.score(prediction: "Yes", references: ["yes", "Yes"]) == 1)
        #expect(ExactMatch.score(prediction: "yes ", reference: "yes") == 0)
    }
}
