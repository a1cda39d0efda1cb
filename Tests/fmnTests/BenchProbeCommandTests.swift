import Foundation
import TestSupport
import Testing

@Suite struct BenchProbeCommandTests {
    static let copa = Fixtures.shared("reference/probes/tasks/copa.yaml").path

    @Test func timesEachTaskAndComparesWithLmEvalTimings() throws {
        let directory = try Fixtures.temporaryDirectory("bench-probe")
        let reference = directory.appendingPathComponent("lm_eval.jsonl")
        try Data(#"{"task": "fmn_copa", "seconds": 2.5, "items_per_s": 4.0}"#.utf8).write(
            to: reference)
        let output = try runFMN([
            "bench", "probe", "--model", Fixtures.url("Models/stories260K-hf").path,
            "--suite", Self.copa, "--limit", "10", "--runs", "2", "--reference", reference.path,
            "--json",
        ])
        #expect(output.status == 0, "\(output.stderr)")
        let line = try #require(output.stdout.split(separator: "\n").first)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(json["task"] as? String == "fmn_copa")
        #expect(json["items"] as? Int == 10)
        #expect((json["all_seconds"] as? [Double])?.count == 2)
        let seconds = try #require(json["seconds"] as? Double)
        #expect(seconds > 0)
        expectClose(try #require(json["speedup"] as? Double), 2.5 / seconds, rtol: 1e-9)
        // The table names the reference column and the speed-up.
        let table = try runFMN([
            "bench", "probe", "--model", Fixtures.url("Models/stories260K-hf").path,
            "--suite", Self.copa, "--limit", "5", "--runs", "1", "--reference", reference.path,
        ])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("lm-eval s") && table.stdout.contains("fmn_copa"))
    }

    @Test func aMalformedReferenceFileNamesTheFileAndLine() throws {
        let directory = try Fixtures.temporaryDirectory("bench-probe")
        let reference = directory.appendingPathComponent("bad.jsonl")
        try Data("{\"task\": \"fmn_copa\", \"seconds\": 1}\nnot json\n".utf8).write(to: reference)
        let output = try runFMN([
            "bench", "probe", "--model", Fixtures.url("Models/stories260K-hf").path,
            "--suite", Self.copa, "--reference", reference.path,
        ])
        #expect(output.status == 1)
        #expect(output.stderr.contains("bad.jsonl line 2"))
    }
}
