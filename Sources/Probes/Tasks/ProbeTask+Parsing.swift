import Foundation

extension ProbeTask {
    /// The top-level keys a task file may use (lm-eval's names). Anything else, and every
    /// `!function` hook, is refused with `ProbeError.unknownKey` / `.pythonHook`.
    public static let supportedKeys: [String] = [
        "task", "task_alias", "tag", "dataset_path", "dataset_name", "dataset_kwargs",
        "training_split", "validation_split", "test_split", "fewshot_split", "output_type",
        "doc_to_text", "doc_to_target", "doc_to_choice", "target_delimiter", "fewshot_delimiter",
        "num_fewshot", "fewshot_config", "description", "generation_kwargs", "metric_list",
        "metadata", "repeats", "should_decontaminate",
    ]

    /// Metrics each output type supports, with their aggregation and direction (lm-eval's
    /// registry; `rouge*`, `bleu` and `chrf` are ForgetMeNot's, computed by `Metrics`).
    public static let supportedMetrics:
        [ProbeOutputType: [(metric: String, aggregations: [String], higherIsBetter: Bool)]] = [
            .multipleChoice: [
                ("acc", ["mean"], true), ("acc_norm", ["mean"], true),
            ],
            .loglikelihood: [
                ("perplexity", ["perplexity"], false), ("acc", ["mean"], true),
            ],
            .loglikelihoodRolling: [
                ("word_perplexity", ["weighted_perplexity"], false),
                ("byte_perplexity", ["weighted_perplexity"], false),
                ("bits_per_byte", ["bits_per_byte"], false),
            ],
            .generateUntil: [
                ("exact_match", ["mean"], true), ("rouge1", ["mean"], true),
                ("rouge2", ["mean"], true), ("rougeL", ["mean"], true),
                ("rougeLsum", ["mean"], true), ("bleu", ["bleu", "mean"], true),
                ("chrf", ["chrf", "mean"], true),
            ],
        ]

    /// lm-eval's default metrics when `metric_list` is absent.
    static let defaultMetrics: [ProbeOutputType: [String]] = [
        .multipleChoice: ["acc", "acc_norm"],
        .loglikelihood: ["perplexity", "acc"],
        .loglikelihoodRolling: ["word_perplexity", "byte_perplexity", "bits_per_byte"],
        .generateUntil: ["exact_match"],
    ]

    /// Reads and validates a task file.
    /// - Throws: `ProbeError` naming the file (and key) for unreadable files, YAML errors,
    ///   unknown keys, Python hooks, missing or malformed values, unknown output types or
    ///   metrics, and templates outside the supported Jinja subset.
    public static func load(contentsOf url: URL) throws(ProbeError) -> ProbeTask {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw .unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        return try ProbeTask(mapping: YAMLMapping.parse(text, path: url.path))
    }

    /// Parses YAML text of a task definition; `path` is used in error messages.
    public static func parse(_ yaml: String, path: String) throws(ProbeError) -> ProbeTask {
        try ProbeTask(mapping: YAMLMapping.parse(yaml, path: path))
    }

    init(mapping m: YAMLMapping) throws(ProbeError) {
        let path = m.path
        try m.requireKnownKeys(Self.supportedKeys)

        name = try m.string("task", required: true)!
        alias = try m.string("task_alias")

        let datasetPath = try m.string("dataset_path", required: true)!
        guard let format = ProbeDataFormat(rawValue: datasetPath) else {
            throw .invalidValue(
                path: path, key: "dataset_path",
                reason: "'\(datasetPath)' is not supported; use json (JSON Lines) or csv with"
                    + " dataset_kwargs.data_files (no downloads, no Hugging Face hub names)")
        }
        dataFormat = format
        if let datasetName = m["dataset_name"], datasetName != .none {
            throw .invalidValue(
                path: path, key: "dataset_name",
                reason: "local json/csv data has no configurations; remove dataset_name")
        }
        guard let kwargs = m["dataset_kwargs"] else {
            throw .missingKey(path: path, key: "dataset_kwargs")
        }
        let kw = try checkedEntries(
            kwargs, path: path, key: "dataset_kwargs", allowed: ["data_files"])
        guard let files = kw["data_files"] else {
            throw .missingKey(path: path, key: "dataset_kwargs.data_files")
        }
        dataFiles = try Self.parseDataFiles(files, path: path)

        trainingSplit = try m.string("training_split")
        validationSplit = try m.string("validation_split")
        testSplit = try m.string("test_split")
        fewshotSplit = try m.string("fewshot_split")
        for split in [trainingSplit, validationSplit, testSplit, fewshotSplit].compactMap({ $0 }) {
            guard dataFiles[split] != nil else {
                throw .missingSplit(path: path, split: split, available: dataFiles.keys.sorted())
            }
        }
        guard testSplit != nil || validationSplit != nil else {
            throw .missingKey(path: path, key: "test_split (or validation_split)")
        }

        let outputName = try m.string("output_type") ?? "generate_until"
        guard let type = ProbeOutputType(rawValue: outputName) else {
            throw .unknownOutputType(path: path, value: outputName)
        }
        outputType = type

        docToText = try Self.templateField(m, "doc_to_text", path: path) ?? .template("")
        guard let target = try Self.templateField(m, "doc_to_target", path: path) else {
            throw .missingKey(path: path, key: "doc_to_target")
        }
        docToTarget = target
        if let choice = m["doc_to_choice"], choice != .none {
            switch choice {
            case .string(let s):
                try Self.checkTemplate(s, path: path, key: "doc_to_choice")
                docToChoice = .template(s)
            case .list(let items):
                var templates: [String] = []
                for item in items {
                    let s = item.pythonString
                    try Self.checkTemplate(s, path: path, key: "doc_to_choice")
                    templates.append(s)
                }
                docToChoice = .templates(templates)
            case .dict(let entries):
                docToChoice = .templates(entries.map { $0.value.pythonString })
            default:
                throw .invalidValue(
                    path: path, key: "doc_to_choice",
                    reason: "expected a template, a field name or a list, got \(choice.pythonRepr)")
            }
        } else {
            docToChoice = nil
        }
        if type == .multipleChoice && docToChoice == nil {
            throw .missingKey(path: path, key: "doc_to_choice")
        }

        targetDelimiter = try m.string("target_delimiter") ?? " "
        fewshotDelimiter = try m.string("fewshot_delimiter") ?? "\n\n"
        numFewshot = try m.int("num_fewshot") ?? 0
        guard numFewshot >= 0 else {
            throw .invalidValue(path: path, key: "num_fewshot", reason: "must be 0 or more")
        }
        fewshotSampler = "default"
        fewshotSeed = 1234
        if let config = m["fewshot_config"], config != .none {
            let c = try checkedEntries(
                config, path: path, key: "fewshot_config", allowed: ["sampler", "seed"])
            if let sampler = c["sampler"] {
                guard case .string(let s) = sampler, s == "default" || s == "first_n" else {
                    throw .invalidValue(
                        path: path, key: "fewshot_config.sampler",
                        reason: "use default or first_n, got \(sampler.pythonRepr)")
                }
                fewshotSampler = s
            }
            if let seed = c["seed"] {
                guard case .int(let s) = seed else {
                    throw .invalidValue(
                        path: path, key: "fewshot_config.seed", reason: "expected an integer")
                }
                fewshotSeed = s
            }
        }
        if numFewshot > 0 && (fewshotSplit ?? trainingSplit ?? validationSplit ?? testSplit) == nil
        {
            throw .missingKey(path: path, key: "fewshot_split")
        }
        description = try m.string("description") ?? ""
        if let repeats = try m.int("repeats"), repeats != 1 {
            throw .invalidValue(
                path: path, key: "repeats", reason: "only 1 is supported (greedy decoding)")
        }
        if try m.bool("should_decontaminate") == true {
            throw .invalidValue(
                path: path, key: "should_decontaminate", reason: "decontamination is not supported")
        }

        if type == .generateUntil {
            var until = [fewshotDelimiter]
            var maxGenTokens = 256
            if let g = m["generation_kwargs"], g != .none {
                let kw = try checkedEntries(
                    g, path: path, key: "generation_kwargs",
                    allowed: ["until", "max_gen_toks", "do_sample", "temperature"])
                if let u = kw["until"] {
                    switch u {
                    case .string(let s): until = [s]
                    case .list(let items):
                        until = []
                        for item in items {
                            guard case .string(let s) = item else {
                                throw .invalidValue(
                                    path: path, key: "generation_kwargs.until",
                                    reason: "expected strings, got \(item.pythonRepr)")
                            }
                            until.append(s)
                        }
                    default:
                        throw .invalidValue(
                            path: path, key: "generation_kwargs.until",
                            reason: "expected a string or a list of strings")
                    }
                }
                if let n = kw["max_gen_toks"] {
                    guard case .int(let i) = n, i > 0 else {
                        throw .invalidValue(
                            path: path, key: "generation_kwargs.max_gen_toks",
                            reason: "expected a positive integer, got \(n.pythonRepr)")
                    }
                    maxGenTokens = i
                }
                if let sample = kw["do_sample"], sample != .bool(false) {
                    throw .invalidValue(
                        path: path, key: "generation_kwargs.do_sample",
                        reason: "only greedy decoding (do_sample: false) is supported")
                }
                if let t = kw["temperature"], JinjaFunctions.number(t) != 0 {
                    throw .invalidValue(
                        path: path, key: "generation_kwargs.temperature",
                        reason: "only greedy decoding (temperature: 0) is supported")
                }
            }
            generation = ProbeGenerationOptions(until: until, maxGenTokens: maxGenTokens)
        } else {
            if let g = m["generation_kwargs"], g != .none {
                throw .invalidValue(
                    path: path, key: "generation_kwargs",
                    reason: "only generate_until tasks generate; remove it for \(outputName)")
            }
            generation = nil
        }

        metrics = try Self.parseMetrics(m["metric_list"], outputType: type, path: path)
        metadata = m["metadata"]
    }

    static func parseDataFiles(_ value: ProbeValue, path: String) throws(ProbeError) -> [String:
        [String]]
    {
        func list(_ v: ProbeValue, _ key: String) throws(ProbeError) -> [String] {
            switch v {
            case .string(let s): return [s]
            case .list(let items):
                var out: [String] = []
                for item in items {
                    guard case .string(let s) = item else {
                        throw .invalidValue(path: path, key: key, reason: "expected file paths")
                    }
                    out.append(s)
                }
                guard !out.isEmpty else {
                    throw .invalidValue(path: path, key: key, reason: "no files")
                }
                return out
            default:
                throw .invalidValue(
                    path: path, key: key, reason: "expected a path or a list of paths")
            }
        }
        switch value {
        case .dict(let entries):
            var out: [String: [String]] = [:]
            for entry in entries {
                out[entry.key] = try list(entry.value, "dataset_kwargs.data_files.\(entry.key)")
            }
            return out
        default:
            return ["train": try list(value, "dataset_kwargs.data_files")]
        }
    }

    static func templateField(_ m: YAMLMapping, _ key: String, path: String) throws(ProbeError)
        -> ProbeTemplateField?
    {
        guard let v = m[key], v != .none else { return nil }
        switch v {
        case .string(let s):
            try checkTemplate(s, path: path, key: key)
            return .template(s)
        case .int, .list:
            return .literal(v)
        default:
            throw .invalidValue(
                path: path, key: key,
                reason: "expected a template, a field name, an integer or a list")
        }
    }

    /// Parses a template once so that syntax errors surface while loading.
    static func checkTemplate(_ s: String, path: String, key: String) throws(ProbeError) {
        do {
            _ = try JinjaTemplate(parsing: s)
        } catch {
            throw .invalidTemplate(path: path, key: key, template: s, reason: describe(error))
        }
    }

    static func parseMetrics(_ value: ProbeValue?, outputType: ProbeOutputType, path: String)
        throws(ProbeError) -> [ProbeMetricSpec]
    {
        let supported = supportedMetrics[outputType]!
        func spec(_ name: String) -> (metric: String, aggregations: [String], higherIsBetter: Bool)?
        {
            supported.first { $0.metric == name }
        }
        guard let value, value != .none else {
            return defaultMetrics[outputType]!.map { name in
                let s = spec(name)!
                return ProbeMetricSpec(
                    metric: name, aggregation: s.aggregations[0], higherIsBetter: s.higherIsBetter)
            }
        }
        guard case .list(let items) = value, !items.isEmpty else {
            throw .invalidValue(path: path, key: "metric_list", reason: "expected a non-empty list")
        }
        var out: [ProbeMetricSpec] = []
        for (i, item) in items.enumerated() {
            let key = "metric_list[\(i)]"
            let e = try checkedEntries(
                item, path: path, key: key,
                allowed: [
                    "metric", "aggregation", "higher_is_better", "use_stemmer", "ignore_case",
                    "ignore_punctuation",
                ])
            guard case .string(let name) = e["metric"] ?? .none else {
                throw .missingKey(path: path, key: key + ".metric")
            }
            guard let s = spec(name) else {
                throw .unknownMetric(
                    path: path, metric: name, outputType: outputType.rawValue,
                    supported: supported.map(\.metric))
            }
            var aggregation = s.aggregations[0]
            if let a = e["aggregation"] {
                guard case .string(let agg) = a, s.aggregations.contains(agg) else {
                    throw .invalidValue(
                        path: path, key: key + ".aggregation",
                        reason: "\(name) aggregates by " + s.aggregations.joined(separator: " or ")
                            + ", got \(a.pythonRepr)")
                }
                aggregation = agg
            }
            func flag(_ k: String, allowedFor: [String]) throws(ProbeError) -> Bool {
                guard let v = e[k] else { return false }
                guard allowedFor.contains(name) else {
                    throw .invalidValue(
                        path: path, key: key + "." + k, reason: "not an option of \(name)")
                }
                guard case .bool(let b) = v else {
                    throw .invalidValue(
                        path: path, key: key + "." + k, reason: "expected true or false")
                }
                return b
            }
            var higher = s.higherIsBetter
            if let h = e["higher_is_better"] {
                guard case .bool(let b) = h else {
                    throw .invalidValue(
                        path: path, key: key + ".higher_is_better", reason: "expected true or false"
                    )
                }
                higher = b
            }
            out.append(
                ProbeMetricSpec(
                    metric: name, aggregation: aggregation, higherIsBetter: higher,
                    useStemmer: try flag(
                        "use_stemmer", allowedFor: ["rouge1", "rouge2", "rougeL", "rougeLsum"]),
                    ignoreCase: try flag("ignore_case", allowedFor: ["exact_match"]),
                    ignorePunctuation: try flag("ignore_punctuation", allowedFor: ["exact_match"])))
        }
        return out
    }
}

/// A readable reason for a template error.
func describe(_ error: JinjaError) -> String {
    switch error {
    case .syntax(let s): return s
    case .undefined(let name): return "'\(name)' is undefined"
    case .type(let s): return s
    }
}
