import Foundation
import Yams

/// An experiment: a tree of fine-tuning stages from one base model, probed with one suite and
/// judged by one gate, as written in `Experiments/<name>.yaml`.
///
/// ```yaml
/// name: dialogsum-forgetting
/// base: ../Fixtures/Models/stories260K-hf      # a Hugging Face model folder
/// suite: probes/core.yaml                      # a probe suite
/// seed: 0
/// stages:
///   - name: sentiment
///     parent: base                             # `base` or an earlier stage
///     method: full                             # full | lora
///     data: ../Fixtures/Training/sst2-train.jsonl
///     targets: [sst2]                          # the probe tasks this stage is meant to learn
///     hyperparameters: {learning-rate: 0.001, max-steps: 200, batch-size: 16}
///   - name: dialogsum-lora
///     parent: sentiment
///     method: lora
///     lora: {rank: 8, alpha: 16, dropout: 0.0, target-modules: [q_proj, v_proj]}
///     data: ../Fixtures/Training/dialogsum-train.jsonl
/// gate:
///   baseline: sentiment
///   candidates: [dialogsum-lora]
///   policy: gate-policy.yaml                   # optional; the default policy otherwise
/// ```
///
/// Paths are relative to the experiment file. `hyperparameters` keys are the long names of
/// `fmn train`'s options without the dashes. Unknown keys anywhere are errors, and every check
/// runs before any work starts.
public struct ExperimentFile: Sendable, Equatable {
    /// The experiment's name: also the report folder `Reports/<name>/`.
    public var name: String
    /// The base model folder (absolute).
    public var base: URL
    /// The probe suite file (absolute).
    public var suite: URL
    /// Seed for training, sampling and statistics.
    public var seed: UInt64
    /// Stages in file order (parents always come before their children after validation).
    public var stages: [ExperimentStage]
    /// Which candidates are gated against which baseline, if any.
    public var gate: ExperimentGate?
    /// Where the file was read from.
    public var fileURL: URL

    /// Reads and validates an experiment file.
    /// - Throws: `PipelineError.unreadableFile`, `.invalidYAML`, `.invalidExperiment` (naming
    ///   the field and the file), before any model work.
    public init(contentsOf url: URL) throws {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw PipelineError.unreadableFile(
                path: url.path,
                reason: error.localizedDescription + " Check the path of the experiment file")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw PipelineError.invalidYAML(path: url.path, reason: "\(error)")
        }
        guard let node, let mapping = node.mapping else {
            throw PipelineError.invalidExperiment(
                path: url.path, field: "(top level)",
                reason: "the file must be a YAML mapping with name, base, suite and stages")
        }
        let folder = url.deletingLastPathComponent()
        let fields = FieldReader(mapping: mapping, path: url.path, prefix: "")
        try fields.rejectUnknown(["name", "base", "suite", "seed", "stages", "gate"])
        self.fileURL = url
        self.name = try fields.string("name")
        guard name.range(of: #"^[A-Za-z0-9][A-Za-z0-9._-]*$"#, options: .regularExpression) != nil
        else {
            throw PipelineError.invalidExperiment(
                path: url.path, field: "name",
                reason: "\"\(name)\" must be letters, digits, '.', '_' or '-' (it names a folder)")
        }
        self.base = resolve(try fields.string("base"), in: folder)
        self.suite = resolve(try fields.string("suite"), in: folder)
        self.seed = try fields.optionalInteger("seed").map { UInt64($0) } ?? 0
        guard let stageNodes = mapping["stages"]?.sequence, !stageNodes.isEmpty else {
            throw PipelineError.invalidExperiment(
                path: url.path, field: "stages", reason: "a non-empty list of stages is required")
        }
        self.stages = try stageNodes.enumerated().map { index, node in
            try ExperimentStage(node: node, index: index, folder: folder, path: url.path)
        }
        if let gateNode = mapping["gate"] {
            self.gate = try ExperimentGate(node: gateNode, folder: folder, path: url.path)
        }
        try validate()
    }

    /// Checks the stage tree and the gate against each other and the files on disk.
    private func validate() throws {
        let path = fileURL.path
        var seen: Set<String> = ["base"]
        for (index, stage) in stages.enumerated() {
            let field = "stages[\(index)]"
            guard stage.name != "base" else {
                throw PipelineError.invalidExperiment(
                    path: path, field: "\(field).name",
                    reason: "\"base\" is reserved for the base model")
            }
            guard !seen.contains(stage.name) || stage.name == "base" else {
                throw PipelineError.invalidExperiment(
                    path: path, field: "\(field).name",
                    reason: "stage \"\(stage.name)\" is defined twice")
            }
            guard seen.contains(stage.parent) else {
                let known = stages.contains { $0.name == stage.parent }
                throw PipelineError.invalidExperiment(
                    path: path, field: "\(field).parent",
                    reason: known
                        ? "parent \"\(stage.parent)\" must be defined before \"\(stage.name)\""
                        : "no stage named \"\(stage.parent)\" (use base or an earlier stage)")
            }
            seen.insert(stage.name)
        }
        if let gate {
            for (field, stageName) in [("gate.baseline", gate.baseline)]
                + gate.candidates.map({ ("gate.candidates", $0) })
            where !seen.contains(stageName) {
                throw PipelineError.invalidExperiment(
                    path: path, field: field, reason: "no stage named \"\(stageName)\"")
            }
        }
        let files: [(String, URL, Bool)] =
            [("base", base, true), ("suite", suite, false)]
            + stages.enumerated().map { ("stages[\($0.offset)].data", $0.element.data, false) }
            + (gate?.policy.map { [("gate.policy", $0, false)] } ?? [])
        for (field, url, isFolder) in files {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
            guard exists, isDirectory.boolValue == isFolder else {
                throw PipelineError.invalidExperiment(
                    path: path, field: field,
                    reason: "\(url.path) is not \(isFolder ? "a folder" : "a file")"
                        + " (paths are relative to the experiment file)")
            }
        }
    }

    /// Stages in an order where every parent precedes its children (file order, validated).
    public var stagesInDependencyOrder: [ExperimentStage] { stages }
}

/// One fine-tune: parent checkpoint + data + method + hyper-parameters → new checkpoint.
public struct ExperimentStage: Sendable, Equatable {
    /// The stage's name: its checkpoint's tag in the repository.
    public var name: String
    /// `base` or the name of an earlier stage.
    public var parent: String
    /// `full` or `lora`.
    public var method: FineTuneMethod
    /// LoRA settings (only for `method: lora`).
    public var lora: LoRASettings?
    /// Training data (JSONL), absolute.
    public var data: URL
    /// Probe task names this stage is meant to learn (for learning-vs-forgetting).
    public var targets: [String]
    /// `fmn train` options by long name without dashes, e.g. `learning-rate: 0.001`.
    public var hyperparameters: [String: String]

    /// The `fmn train` options an experiment may set, by long name.
    public static let knownHyperparameters: Set<String> = [
        "learning-rate", "weight-decay", "batch-size", "grad-accum", "max-steps", "epochs",
        "warmup-steps", "schedule", "max-grad-norm", "max-seq-len", "no-shuffle", "save-every",
    ]

    init(node: Node, index: Int, folder: URL, path: String) throws {
        let field = "stages[\(index)]"
        guard let mapping = node.mapping else {
            throw PipelineError.invalidExperiment(
                path: path, field: field, reason: "each stage must be a mapping")
        }
        let fields = FieldReader(mapping: mapping, path: path, prefix: "\(field).")
        try fields.rejectUnknown([
            "name", "parent", "method", "lora", "data", "targets", "hyperparameters",
        ])
        name = try fields.string("name")
        parent = try fields.optionalString("parent") ?? "base"
        let methodText = try fields.string("method")
        guard let method = FineTuneMethod(rawValue: methodText) else {
            throw PipelineError.invalidExperiment(
                path: path, field: "\(field).method",
                reason: "\"\(methodText)\" is not a method (full | lora)")
        }
        self.method = method
        if let loraNode = mapping["lora"] {
            guard method == .lora else {
                throw PipelineError.invalidExperiment(
                    path: path, field: "\(field).lora", reason: "lora settings need method: lora")
            }
            lora = try LoRASettings(node: loraNode, field: "\(field).lora", path: path)
        } else {
            lora = method == .lora ? LoRASettings() : nil
        }
        data = resolve(try fields.string("data"), in: folder)
        targets = try fields.optionalStringList("targets") ?? []
        var hyperparameters: [String: String] = [:]
        if let node = mapping["hyperparameters"] {
            guard let hyper = node.mapping else {
                throw PipelineError.invalidExperiment(
                    path: path, field: "\(field).hyperparameters", reason: "must be a mapping")
            }
            for (key, value) in hyper {
                let keyText = key.string ?? ""
                guard Self.knownHyperparameters.contains(keyText) else {
                    throw PipelineError.invalidExperiment(
                        path: path, field: "\(field).hyperparameters.\(keyText)",
                        reason: "unknown option; known: "
                            + Self.knownHyperparameters.sorted().joined(separator: ", "))
                }
                guard let scalar = value.scalar?.string else {
                    throw PipelineError.invalidExperiment(
                        path: path, field: "\(field).hyperparameters.\(keyText)",
                        reason: "must be a single value")
                }
                hyperparameters[keyText] = scalar
            }
        }
        self.hyperparameters = hyperparameters
    }
}

/// The fine-tuning method of a stage.
public enum FineTuneMethod: String, Sendable, Codable, Equatable {
    case full, lora
}

/// LoRA settings of a stage (PEFT semantics: scale `alpha / rank`).
public struct LoRASettings: Sendable, Equatable {
    public var rank = 8
    public var alpha = 16.0
    public var dropout = 0.0
    public var targetModules = ["q_proj", "v_proj"]

    public init() {}

    init(node: Node, field: String, path: String) throws {
        guard let mapping = node.mapping else {
            throw PipelineError.invalidExperiment(
                path: path, field: field, reason: "must be a mapping")
        }
        let fields = FieldReader(mapping: mapping, path: path, prefix: "\(field).")
        try fields.rejectUnknown(["rank", "alpha", "dropout", "target-modules"])
        if let rank = try fields.optionalInteger("rank") {
            guard rank > 0 else {
                throw PipelineError.invalidExperiment(
                    path: path, field: "\(field).rank", reason: "must be > 0")
            }
            self.rank = rank
        }
        if let alpha = try fields.optionalDouble("alpha") { self.alpha = alpha }
        if let dropout = try fields.optionalDouble("dropout") {
            guard (0..<1).contains(dropout) else {
                throw PipelineError.invalidExperiment(
                    path: path, field: "\(field).dropout", reason: "must be in [0, 1)")
            }
            self.dropout = dropout
        }
        if let modules = try fields.optionalStringList("target-modules") {
            let known: Set = [
                "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj",
            ]
            if let unknown = modules.first(where: { !known.contains($0) }) {
                throw PipelineError.invalidExperiment(
                    path: path, field: "\(field).target-modules",
                    reason: "\"\(unknown)\" is not one of " + known.sorted().joined(separator: ", ")
                )
            }
            targetModules = modules
        }
    }
}

/// Which candidate stages are gated against which baseline stage.
public struct ExperimentGate: Sendable, Equatable {
    public var baseline: String
    public var candidates: [String]
    /// A gate policy file (absolute), or `nil` for the default policy.
    public var policy: URL?

    init(node: Node, folder: URL, path: String) throws {
        guard let mapping = node.mapping else {
            throw PipelineError.invalidExperiment(
                path: path, field: "gate", reason: "must be a mapping")
        }
        let fields = FieldReader(mapping: mapping, path: path, prefix: "gate.")
        try fields.rejectUnknown(["baseline", "candidates", "policy"])
        baseline = try fields.string("baseline")
        candidates = try fields.optionalStringList("candidates") ?? []
        guard !candidates.isEmpty else {
            throw PipelineError.invalidExperiment(
                path: path, field: "gate.candidates", reason: "name at least one candidate stage")
        }
        policy = try fields.optionalString("policy").map { resolve($0, in: folder) }
    }
}

/// A path from an experiment file: absolute as written, or relative to the file's folder.
func resolve(_ path: String, in folder: URL) -> URL {
    let expanded = (path as NSString).expandingTildeInPath
    return URL(fileURLWithPath: expanded, relativeTo: folder).standardizedFileURL
}

/// Reads typed fields from a YAML mapping, with errors naming `prefix + key` and the file.
struct FieldReader {
    var mapping: Node.Mapping
    var path: String
    var prefix: String

    func rejectUnknown(_ allowed: Set<String>) throws {
        for key in mapping.keys {
            let name = key.string ?? "\(key)"
            guard allowed.contains(name) else {
                throw PipelineError.invalidExperiment(
                    path: path, field: prefix + name,
                    reason: "unknown key; allowed here: " + allowed.sorted().joined(separator: ", ")
                )
            }
        }
    }

    func optionalString(_ key: String) throws -> String? {
        guard let node = mapping[key] else { return nil }
        guard let text = node.scalar?.string, !text.isEmpty else {
            throw PipelineError.invalidExperiment(
                path: path, field: prefix + key, reason: "must be a non-empty string")
        }
        return text
    }

    func string(_ key: String) throws -> String {
        guard let text = try optionalString(key) else {
            throw PipelineError.invalidExperiment(
                path: path, field: prefix + key, reason: "is required")
        }
        return text
    }

    func optionalInteger(_ key: String) throws -> Int? {
        guard let node = mapping[key] else { return nil }
        guard let value = node.int else {
            throw PipelineError.invalidExperiment(
                path: path, field: prefix + key, reason: "must be an integer")
        }
        return value
    }

    func optionalDouble(_ key: String) throws -> Double? {
        guard let node = mapping[key] else { return nil }
        guard let value = node.scalar.flatMap({ Double($0.string) }) else {
            throw PipelineError.invalidExperiment(
                path: path, field: prefix + key, reason: "must be a number")
        }
        return value
    }

    func optionalStringList(_ key: String) throws -> [String]? {
        guard let node = mapping[key] else { return nil }
        if let text = node.scalar?.string { return [text] }
        guard let items = node.sequence else {
            throw PipelineError.invalidExperiment(
                path: path, field: prefix + key, reason: "must be a list of strings")
        }
        return try items.map { item in
            guard let text = item.scalar?.string, !text.isEmpty else {
                throw PipelineError.invalidExperiment(
                    path: path, field: prefix + key, reason: "must be a list of strings")
            }
            return text
        }
    }
}
