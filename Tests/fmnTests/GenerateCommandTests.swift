import Foundation
import TestSupport
import Testing

@Suite struct GenerateCommandTests {
    let model = Fixtures.url("Models/stories260K-hf").path

    @Test func greedyContinuationOfStories260KIsTheLlama2cReference() throws {
        // ../shared/data/README.md §6: run.c's 64 steps print 64 tokens after BOS, the 4 of the
        // prompt and 60 new ones.
        let output = try StoreCLI.run([
            "generate", "--model", model, "--prompt", "Once upon a time", "--max-new-tokens", "60",
        ])
        #expect(output.status == 0, "\(output.stderr)")
        let reference =
            "Once upon a time, there was a little girl named Lily. She loved to play outside in "
            + "the park. One day, she saw a big, red ball. She wanted to play with it, but it was "
            + "too high.\nLily"
        #expect("Once upon a time" + output.stdout == reference + "\n")
    }

    @Test func stopSequenceCutsTheTextAndSamplingIsSeeded() throws {
        let stopped = try StoreCLI.run([
            "generate", "--model", model, "--prompt", "Once upon a time", "--stop", ".", "--json",
        ])
        #expect(stopped.status == 0, "\(stopped.stderr)")
        let json = try stopped.json()
        #expect(json["text"] as? String == ", there was a little girl named Lily")
        #expect(json["finish_reason"] as? String == "stopCondition")
        let arguments = [
            "generate", "--model", model, "--prompt", "Once upon a time", "--temperature", "0.9",
            "--top-p", "0.9", "--seed", "42", "--max-new-tokens", "20", "--json",
        ]
        let first = try StoreCLI.run(arguments)
        let second = try StoreCLI.run(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == second.stdout)
        #expect((try first.json()["tokens"] as? [Int])?.count ?? 0 > 0)
    }

    @Test func badFlagsAndMissingModelAreErrors() throws {
        let flag = try StoreCLI.run(["generate", "--model", model, "--prompt", "x", "--top-p", "0"])
        #expect(flag.status != 0)
        #expect(flag.stderr.contains("--top-p"))
        let missing = try StoreCLI.run(["generate", "--model", "/nonexistent", "--prompt", "x"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent"))
    }
}
