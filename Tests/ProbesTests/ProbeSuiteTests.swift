import Foundation
import TestSupport
import Testing

@testable import Probes

/// The default suite `Experiments/probes/core.yaml` loads, builds every item, and its templates
/// reproduce the reference prompts where the same task exists in `../shared/reference/probes`.
@Suite struct ProbeSuiteTests {
    static let core = Fixtures.repositoryRoot.appendingPathComponent("Experiments/probes/core.yaml")

    @Test func coreSuiteBuildsEveryItem() throws {
        let suite = try ProbeSuite.load(contentsOf: Self.core)
        #expect(suite.name == "core")
        #expect(
            suite.taskNames == [
                "sst2", "boolq", "rte", "copa", "arc_easy", "piqa", "hellaswag", "dialogsum",
                "samsum",
                "tinystories", "wikitext2",
            ])
        let prepared = try suite.prepare()
        let counts = try zip(suite.entries, prepared).map { try $1.items(limit: $0.limit).count }
        #expect(counts == [400, 100, 150, 100, 200, 200, 150, 50, 30, 100, 40])
        #expect(try suite.contentHash() == suite.contentHash())
    }

    @Test func copaFromOriginalFieldsEqualsTheReferencePrompts() throws {
        // core's copa builds context and choices with Jinja from premise/choice1/choice2; the
        // reference task reads precomputed strings. Both must give lm-eval's strings.
        let suite = try ProbeSuite.load(contentsOf: Self.core).selecting(
            tasks: ["copa"], limit: nil)
        let items = try suite.prepare()[0].items()
        let reference = try ReferenceProbeFile.load("copa")
        #expect(items.map(\.context) == reference.items.map { $0.context! })
        #expect(items.map(\.choices) == reference.items.map { $0.choices! })
        #expect(items.map(\.gold) == reference.items.map { [$0.gold!] })
    }

    @Test func arcEasyFromTheAI2LayoutEqualsTheReferencePrompts() throws {
        let suite = try ProbeSuite.load(contentsOf: Self.core).selecting(
            tasks: ["arc_easy"], limit: nil)
        let items = try suite.prepare()[0].items()
        let reference = try ReferenceProbeFile.load("arc_easy")
        // The reference dropped src_index 146; compare the 146 items before it.
        #expect(items.prefix(146).map(\.context) == reference.items.prefix(146).map { $0.context! })
        #expect(items.prefix(146).map(\.choices) == reference.items.prefix(146).map { $0.choices! })
        #expect(items.prefix(146).map(\.gold) == reference.items.prefix(146).map { [$0.gold!] })
    }

    @Test func sst2ProbePartIsTheFirst400DevRows() throws {
        let suite = try ProbeSuite.load(contentsOf: Self.core).selecting(
            tasks: ["sst2"], limit: nil)
        let items = try suite.prepare()[0].items()
        let reference = try ReferenceProbeFile.load("sst2")
        #expect(items.count == 400)
        #expect(items.map(\.context) == reference.items.prefix(400).map { $0.context! })
    }
}
