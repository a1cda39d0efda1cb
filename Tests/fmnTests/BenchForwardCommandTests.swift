import Foundation
import TestSupport
import Testing

@Suite struct BenchForwardCommandTests {
    @Test func reportsScoringAndDecodingRates() throws {
        let output = try StoreCLI.run([
            "bench", "forward", "--model", Fixtures.url("Models/stories260K-hf").path,
            "--seq", "32", "--new-tokens", "8", "--no-cache-tokens", "4", "--repeat", "1", "--json",
        ])
        #expect(output.status == 0, "\(output.stderr)")
        let json = try output.json()
        // 264,128 floats of stories260K.bin minus its 4,096 RoPE table entries.
        #expect(json["parameters"] as? Int == 260_032)
        let score = try #require(json["score"] as? [String: Any])
        #expect(score["seq"] as? Int == 32)
        #expect((score["tokens_per_s"] as? Double ?? 0) > 0)
        let decode = try #require(json["decode_kv_cache"] as? [String: Any])
        #expect(decode["new_tokens"] as? Int == 8)
        #expect((json["decode_no_cache"] as? [String: Any])?["new_tokens"] as? Int == 4)
    }

    @Test func needsExactlyOneOfModelAndPreset() throws {
        let output = try StoreCLI.run(["bench", "forward"])
        #expect(output.status != 0)
        #expect(output.stderr.contains("--model"))
    }
}
