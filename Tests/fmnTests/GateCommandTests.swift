import Foundation
import TestSupport
import Testing

/// A store set up by driving `fmn` itself, for the gate, merge and report tests: the 260K
/// stories model committed as `base` on `main`, and three candidates made from it on their own
/// lineages — `same` (identical weights, an extra README: scores equal the base's), `other`
/// (the same, another extra file) and `bad` (RoPE θ = 1 and RMSNorm ε = 10 in config.json:
/// perplexity explodes). The probe suite is tiny (6 stories for perplexity, 6 two-way
/// multiple-choice items), written beside the store with three policies.
struct GateStore {
    let root: URL
    let store: String
    /// Commit ids by stage tag.
    let commits: [String: String]

    var suite: String { root.appendingPathComponent("suite.yaml").path }
    /// A second suite (the multiple-choice task alone): a different content hash.
    var otherSuite: String { root.appendingPathComponent("suite-words.yaml").path }
    /// δ = 5 % relative, at least 3 items: identical checkpoints pass, `bad` fails.
    var lenientPolicy: String { root.appendingPathComponent("lenient.yaml").path }
    /// At least 100 items: the 6-item tasks are inconclusive.
    var strictPolicy: String { root.appendingPathComponent("strict.yaml").path }
    /// α = 2: an invalid policy.
    var invalidPolicy: String { root.appendingPathComponent("invalid.yaml").path }

    /// The policies by name, for argument tables.
    enum Policy: String, Sendable {
        case lenient, strict
    }

    func path(_ policy: Policy) -> String {
        root.appendingPathComponent("\(policy.rawValue).yaml").path
    }

    static let stories = [
        "Once upon a time, there was a little girl named Lily. She loved to play outside.",
        "Tom had a red ball. He liked to throw it high in the sky. The ball went over the fence.",
        "The cat sat on the mat. It was a sunny day and the cat was happy and warm.",
        "Sam and his mom went to the park. They saw a big dog. The dog wanted to play with Sam.",
        "There was a small bird in a tree. The bird sang a song every morning for its friends.",
        "Ben found a shiny rock by the river. He showed it to his sister and she smiled.",
    ]

    static let choices: [(String, String, String)] = [
        ("The sun is", "hot", "cold"), ("Lily loved to", "play", "sleep"),
        ("The dog wanted to", "play", "read"), ("The bird sang a", "song", "car"),
        ("Tom had a red", "ball", "sky"), ("The cat was", "happy", "blue"),
    ]

    static let wordsTask = """
          - task: words
            dataset_path: json
            dataset_kwargs:
              data_files:
                test: mc.jsonl
            test_split: test
            output_type: multiple_choice
            doc_to_text: "{{question}}"
            doc_to_choice: "{{choices}}"
            doc_to_target: label
            metric_list:
              - metric: acc

        """

    /// Makes the store and files; nothing is probed yet.
    static func make() throws -> GateStore {
        let root = try Fixtures.temporaryDirectory("fmn-gate")
        let store = root.appendingPathComponent(".fmn").path
        func write(_ text: String, _ name: String) throws {
            try Data(text.utf8).write(to: root.appendingPathComponent(name))
        }
        func jsonLine(_ object: [String: Any]) throws -> String {
            String(
                decoding: try JSONSerialization.data(withJSONObject: object, options: .sortedKeys),
                as: UTF8.self)
        }
        try write(
            try stories.map { try jsonLine(["text": $0]) }.joined(separator: "\n") + "\n",
            "stories.jsonl")
        try write(
            try choices.map {
                try jsonLine(["question": $0.0, "choices": [$0.1, $0.2], "label": 0])
            }
            .joined(separator: "\n") + "\n", "mc.jsonl")
        try write(
            """
            suite: tiny
            tasks:
              - task: stories
                dataset_path: json
                dataset_kwargs:
                  data_files:
                    test: stories.jsonl
                test_split: test
                output_type: loglikelihood_rolling
                doc_to_text: ""
                doc_to_target: text
                metric_list:
                  - metric: word_perplexity

            """ + wordsTask, "suite.yaml")
        try write("suite: words\ntasks:\n" + wordsTask, "suite-words.yaml")
        try write("defaults: {delta: 0.05, min_items: 3}\nresamples: 1000\n", "lenient.yaml")
        try write("defaults: {delta: 0.02, min_items: 100}\nresamples: 1000\n", "strict.yaml")
        try write("defaults: {alpha: 2}\n", "invalid.yaml")

        let model = Fixtures.url("Models/stories260K-hf")
        let fileManager = FileManager.default
        var folders: [String: URL] = ["base": model]
        for name in ["same", "other", "bad"] {
            let folder = root.appendingPathComponent("model-\(name)")
            try fileManager.copyItem(at: model, to: folder)
            folders[name] = folder
        }
        try write("identical weights\n", "model-same/README.md")
        try write("identical weights, another tree\n", "model-other/README.md")
        let configURL = root.appendingPathComponent("model-bad/config.json")
        var config = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as? [String: Any])
        config["rope_theta"] = 1.0
        config["rms_norm_eps"] = 10.0
        try JSONSerialization.data(withJSONObject: config, options: .sortedKeys).write(
            to: configURL)

        #expect(try GateCLI.run(["init", "--store", store]).status == 0)
        var commits: [String: String] = [:]
        for name in ["base", "same", "other", "bad"] {
            var arguments = [
                "debug-store", "--store", store, "--commit", folders[name]!.path, "--stage", name,
            ]
            arguments +=
                name == "base"
                ? ["--kind", "base", "--lineage", "main"]
                : ["--kind", "full", "--parent", "base", "--lineage", "cand-\(name)"]
            let output = try GateCLI.run(arguments)
            #expect(output.status == 0, "\(output.stderr)")
            commits[name] = try #require(try output.json()["commitId"] as? String)
        }
        return GateStore(root: root, store: store, commits: commits)
    }

    /// Every file under `checkpoints/refs` (branches, tags, notes) and `packed-refs`, path →
    /// content: equal snapshots mean no reference moved.
    func referenceSnapshot() throws -> [String: String] {
        let repository = URL(fileURLWithPath: store).appendingPathComponent("checkpoints")
        var snapshot: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(
            atPath: repository.appendingPathComponent("refs").path)
        while let relative = enumerator?.nextObject() as? String {
            let url = repository.appendingPathComponent("refs").appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                snapshot["refs/" + relative] = try String(contentsOf: url, encoding: .utf8)
            }
        }
        let packed = repository.appendingPathComponent("packed-refs")
        if let text = try? String(contentsOf: packed, encoding: .utf8) {
            snapshot["packed-refs"] = text
        }
        return snapshot
    }

    /// The commit a branch points to, read from the loose ref libgit2 writes.
    func branchTip(_ branch: String) throws -> String {
        try referenceSnapshot()["refs/heads/\(branch)"]?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    /// Rows per table, from `fmn fsck --json --dry-run`.
    func rowCounts() throws -> [String: Int] {
        let output = try GateCLI.run(["fsck", "--store", store, "--json", "--dry-run"])
        return try #require(try output.json()["rowCounts"] as? [String: Int], "\(output.stdout)")
    }
}

/// Runs the built `fmn`, optionally in another working directory.
enum GateCLI {
    static func run(_ arguments: [String], in folder: URL? = nil) throws -> StoreCLI.Output {
        let outputFolder = try Fixtures.temporaryDirectory("fmn-gate-output")
        let stdoutURL = outputFolder.appendingPathComponent("stdout")
        let stderrURL = outputFolder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let process = Process()
        process.executableURL = Fixtures.fmnBinary
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = folder }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
        process.waitUntilExit()
        return StoreCLI.Output(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "")
    }
}

/// `fmn gate`, end to end on a store made by `fmn init` and `fmn debug-store`.
@Suite struct GateCommandTests {
    /// One row of the exit-code table.
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var candidate: String
        var policy: GateStore.Policy
        var flags: [String]
        var expected: Int32
        var verdictLine: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "identical scores pass", candidate: "same", policy: .lenient, flags: [],
            expected: 0, verdictLine: "gate: PASS"),
        Case(
            name: "exploded perplexity fails", candidate: "bad", policy: .lenient,
            flags: [], expected: 1, verdictLine: "gate: FAIL"),
        Case(
            name: "too few items is inconclusive", candidate: "same", policy: .strict,
            flags: [], expected: 3, verdictLine: "gate: INCONCLUSIVE"),
        Case(
            name: "--inconclusive pass maps 3 to 0", candidate: "same", policy: .strict,
            flags: ["--inconclusive", "pass"], expected: 0, verdictLine: "gate: INCONCLUSIVE"),
        Case(
            name: "--inconclusive fail maps 3 to 1", candidate: "same", policy: .strict,
            flags: ["--inconclusive", "fail"], expected: 1, verdictLine: "gate: INCONCLUSIVE"),
    ]

    @Test(arguments: cases)
    func exitCodeFollowsTheVerdict(_ row: Case) throws {
        let fixture = try GateStore.make()
        let output = try GateCLI.run(
            [
                "gate", "--store", fixture.store, "--baseline", "base", "--candidate",
                row.candidate, "--suite", fixture.suite, "--policy", fixture.path(row.policy),
            ] + row.flags)
        #expect(output.status == row.expected, "\(output.stdout)\n\(output.stderr)")
        #expect(output.stdout.hasPrefix(row.verdictLine), "\(output.stdout)")
        #expect(output.stdout.contains("exit code \(row.expected)"), "\(output.stdout)")
        // Both checkpoints were probed once and the verdict stored.
        let counts = try fixture.rowCounts()
        #expect(counts["probeRun"] == 2)
        #expect(counts["gateVerdict"] == 1)
    }

    @Test func storedRunsAreReusedAndTheLatestCommonSuiteIsFoundWithoutSuite() throws {
        let fixture = try GateStore.make()
        let first = try GateCLI.run([
            "gate", "--store", fixture.store, "--baseline", "base", "--candidate", "bad",
            "--suite", fixture.suite, "--policy", fixture.lenientPolicy,
        ])
        #expect(first.status == 1, "\(first.stderr)")
        #expect(first.stderr.contains("probing bad"))
        let again = try GateCLI.run([
            "gate", "--store", fixture.store, "--baseline", "base", "--candidate", "bad",
            "--policy", fixture.lenientPolicy, "--format", "json",
        ])
        #expect(again.status == 1, "\(again.stderr)")
        #expect(!again.stderr.contains("probing"), "\(again.stderr)")
        let json = try again.json()
        #expect(json["verdict"] as? String == "fail")
        #expect(json["exitCode"] as? Int == 1)
        let suite = try #require(json["suite"] as? [String: Any])
        #expect(suite["name"] as? String == "tiny")
        let candidate = try #require(json["candidate"] as? [String: Any])
        #expect(candidate["commitId"] as? String == fixture.commits["bad"])
        let counts = try fixture.rowCounts()
        #expect(counts["probeRun"] == 2)
        #expect(counts["gateVerdict"] == 2)
    }

    @Test func markdownIsAPullRequestComment() throws {
        let fixture = try GateStore.make()
        let output = try GateCLI.run([
            "gate", "--store", fixture.store, "--baseline", "base", "--candidate", "bad",
            "--suite", fixture.suite, "--policy", fixture.lenientPolicy, "--format", "md",
        ])
        #expect(output.status == 1, "\(output.stderr)")
        let lines = output.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        #expect(lines.first == "### ForgetMeNot: bad vs base")
        #expect(
            lines.contains {
                $0.hasPrefix("❌ **Gate: FAIL (1 of 2 checks fail: stories/word\\_perplexity)")
            }, "\(output.stdout)")
        #expect(lines.contains { $0.hasPrefix("| task | metric") && $0.hasSuffix("| verdict |") })
        let row = try #require(lines.first { $0.hasPrefix("| stories | word\\_perplexity ↓ |") })
        #expect(row.contains("❌ fail"), "\(row)")
        #expect(row.contains("[+"), "the delta has its interval: \(row)")
        // The worst flipped item: the broken model picks "car" for "The bird sang a".
        #expect(lines.contains("**Worst flipped items**"), "\(output.stdout)")
        #expect(
            lines.contains { $0.hasPrefix("| words | ") && $0.contains("| song | song | car |") },
            "\(output.stdout)")
    }

    @Test func gateWithoutSuiteAndWithoutStoredRunsFailsClosed() throws {
        let fixture = try GateStore.make()
        let output = try GateCLI.run([
            "gate", "--store", fixture.store, "--baseline", "base", "--candidate", "same",
        ])
        #expect(output.status == 2)
        #expect(output.stderr.contains("Pass --suite FILE"), "\(output.stderr)")
        #expect(output.stdout.isEmpty)
        #expect(try fixture.rowCounts()["gateVerdict"] == 0)
    }

    @Test func runsOfDifferentSuitesAreNotCompared() throws {
        let fixture = try GateStore.make()
        // base probed with the two-task suite, same with the one-task suite.
        for (candidate, suite) in [("base", fixture.suite), ("same", fixture.otherSuite)] {
            let probed = try GateCLI.run([
                "gate", "--store", fixture.store, "--baseline", candidate, "--candidate",
                candidate, "--suite", suite, "--policy", fixture.lenientPolicy,
            ])
            #expect(probed.status == 0, "\(probed.stderr)")
        }
        let output = try GateCLI.run([
            "gate", "--store", fixture.store, "--baseline", "base", "--candidate", "same",
            "--policy", fixture.lenientPolicy,
        ])
        #expect(output.status == 2)
        #expect(output.stderr.contains("no finished run of one suite"), "\(output.stderr)")
        #expect(output.stderr.contains("runs of tiny"), "\(output.stderr)")
        #expect(output.stderr.contains("runs of words"), "\(output.stderr)")
    }

    @Test(arguments: [
        (["--policy", "INVALID"], "alpha"),
        (["--candidate", "no-such-stage"], "no-such-stage"),
        (["--format", "xml"], "--format must be text, md or json"),
        (["--inconclusive", "maybe"], "--inconclusive must be pass or fail"),
    ])
    func badInputExitsWithTwo(_ flags: [String], _ message: String) throws {
        let fixture = try GateStore.make()
        var arguments = [
            "gate", "--store", fixture.store, "--baseline", "base", "--candidate", "same",
            "--suite", fixture.suite,
        ]
        arguments += flags.map { $0 == "INVALID" ? fixture.invalidPolicy : $0 }
        let output = try GateCLI.run(arguments)
        #expect(output.status == 2, "\(output.stdout)\n\(output.stderr)")
        #expect(output.stderr.contains(message), "\(output.stderr)")
        #expect(try fixture.rowCounts()["gateVerdict"] == 0)
    }

    @Test func helpListsTheExitCodes() throws {
        let output = try GateCLI.run(["gate", "--help"])
        #expect(output.status == 0)
        for line in [
            "0  pass", "1  fail", "2  error", "3  inconclusive",
            "--inconclusive pass|fail maps 3 to 0|1",
        ] {
            #expect(output.stdout.contains(line), "missing '\(line)' in:\n\(output.stdout)")
        }
    }
}
