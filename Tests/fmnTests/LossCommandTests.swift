import Foundation
import TestSupport
import Testing

@Suite struct LossCommandTests {
    @Test func preTokenizedParityBatchGivesTransformersLoss() throws {
        // ../shared/reference/parity: base 6.2871537, base + adapter 6.2500420, 48 targets.
        let data = Fixtures.shared("reference/parity/batch.jsonl").path
        let base = Fixtures.shared("reference/parity/base").path
        let output = try StoreCLI.run(["loss", "--model", base, "--data", data, "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        let json = try output.json()
        expectClose(json["loss"] as? Double ?? 0, 6.287_153_7, rtol: 0, atol: 1e-5)
        #expect(json["tokens"] as? Int == 48)
        expectClose(json["perplexity"] as? Double ?? 0, exp(6.287_153_7), rtol: 1e-5)
        let adapter = Fixtures.shared("reference/parity/lora_adapter").path
        let lora = try StoreCLI.run([
            "loss", "--model", base, "--adapter", adapter, "--data", data, "--batch-size", "1",
            "--json",
        ])
        #expect(lora.status == 0, "\(lora.stderr)")
        expectClose(try lora.json()["loss"] as? Double ?? 0, 6.250_042_0, rtol: 0, atol: 1e-5)
    }

    @Test func textAndPromptCompletionLinesFollowTheTRLRule() throws {
        // Fixtures/Transformer/make_loss_reference.py (PyTorch + transformers): 1.5813206 nats
        // over 64 scored tokens: 19 completion tokens with EOS, 35 text tokens, 10 completion tokens.
        let output = try StoreCLI.run([
            "loss", "--model", Fixtures.url("Models/stories260K-hf").path,
            "--data", Fixtures.url("Transformer/loss_sample.jsonl").path, "--batch-size", "2",
            "--json",
        ])
        #expect(output.status == 0, "\(output.stderr)")
        let json = try output.json()
        #expect(json["tokens"] as? Int == 64)
        expectClose(json["loss"] as? Double ?? 0, 1.581_320_58, rtol: 0, atol: 1e-5)
        let plain = try StoreCLI.run([
            "loss", "--model", Fixtures.url("Models/stories260K-hf").path,
            "--data", Fixtures.url("Transformer/loss_sample.jsonl").path,
        ])
        #expect(plain.stdout.hasPrefix("loss 1.58132"))
    }

    @Test func badDataIsAnErrorNamingTheFile() throws {
        let folder = try Fixtures.temporaryDirectory()
        let data = folder.appendingPathComponent("bad.jsonl")
        try Data("{\"input_ids\": [1, 999], \"labels\": [1, 999]}\n".utf8).write(to: data)
        let output = try StoreCLI.run([
            "loss", "--model", Fixtures.shared("reference/parity/base").path, "--data", data.path,
        ])
        #expect(output.status != 0)
        #expect(output.stderr.contains("bad.jsonl"))
        #expect(output.stderr.contains("999"))
    }
}
