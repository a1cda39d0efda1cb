import Foundation
import TestSupport
import Testing

@Suite struct CheckoutCommandTests {
    @Test func checksOutAnAdapterByStageTagAndPrefix() throws {
        let (store, base) = try StoreCLI.storeWithBase()
        let adapter = try StoreCLI.adapter(seed: 1, bytes: 5_000)
        // A threshold under the weights' size: they go to objects/ behind a pointer file.
        let committed = try StoreCLI.run([
            "debug-store", "--store", store, "--commit", adapter.path, "--kind", "lora",
            "--parent", "base", "--lineage", "chats", "--stage", "sft-1",
            "--large-file-threshold", "4000",
        ])
        #expect(committed.status == 0, "\(committed.stderr)")
        let commitId = try #require(try committed.json()["commitId"] as? String)

        for ref in ["sft-1", String(commitId.prefix(10))] {
            let out = try Fixtures.temporaryDirectory().appendingPathComponent("out")
            let output = try StoreCLI.run([
                "checkout", ref, "--store", store, "--out", out.path, "--json",
            ])
            #expect(output.status == 0, "\(output.stderr)")
            #expect(try output.json()["commitId"] as? String == commitId)
            for name in ["adapter_config.json", "adapter_model.safetensors"] {
                #expect(
                    try Data(contentsOf: out.appendingPathComponent(name))
                        == Data(contentsOf: adapter.appendingPathComponent(name)))
            }
            let manifest =
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: out.appendingPathComponent("fmn.json")))
                as? [String: Any]
            #expect(manifest?["parent"] as? String == base)
            #expect(manifest?["kind"] as? String == "lora")
        }
    }

    @Test func unknownReferenceIsAnError() throws {
        let (store, _) = try StoreCLI.storeWithBase()
        let out = try Fixtures.temporaryDirectory().appendingPathComponent("out")
        let output = try StoreCLI.run([
            "checkout", "no-such-stage", "--store", store, "--out", out.path,
        ])
        #expect(output.status == 2)
        #expect(output.stderr.contains("no stage tag, branch or commit matches 'no-such-stage'"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
