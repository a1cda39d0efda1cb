import Foundation

/// How a probe task is scored, lm-eval's `output_type`.
public enum ProbeOutputType: String, Codable, Sendable, CaseIterable {
    /// One log-likelihood request per choice; metrics `acc`, `acc_norm`.
    case multipleChoice = "multiple_choice"
    /// Greedy generation until a stop sequence; metrics `exact_match`, ROUGE, BLEU, chrF.
    case generateUntil = "generate_until"
    /// Rolling-window log-likelihood of a whole text; `word_perplexity`, `byte_perplexity`,
    /// `bits_per_byte`.
    case loglikelihoodRolling = "loglikelihood_rolling"
    /// Log-likelihood of `doc_to_target` after `doc_to_text`; metrics `perplexity`, `acc`
    /// (whether the target is the greedy continuation).
    case loglikelihood
}

/// The file format of a task's data, lm-eval's `dataset_path` for local files.
public enum ProbeDataFormat: String, Codable, Sendable {
    /// JSON Lines: one object per line (Hugging Face `datasets`' `json` builder).
    case json
    /// RFC 4180 CSV with a header row (the `csv` builder; column types inferred as pandas does
    /// for whole-integer and float columns).
    case csv
}

/// A template-valued key (`doc_to_text`, `doc_to_target`): a Jinja template or field name, or a
/// literal value written in the YAML (`doc_to_target: 0`, a list).
public enum ProbeTemplateField: Codable, Sendable, Hashable {
    case template(String)
    case literal(ProbeValue)

    public init(from decoder: Decoder) throws {
        let value = try ProbeValue(from: decoder)
        if case .string(let s) = value { self = .template(s) } else { self = .literal(value) }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .template(let s): try ProbeValue.string(s).encode(to: encoder)
        case .literal(let v): try v.encode(to: encoder)
        }
    }
}

/// One entry of `metric_list`.
public struct ProbeMetricSpec: Codable, Sendable, Hashable {
    /// Metric name: `acc`, `acc_norm`, `exact_match`, `perplexity`, `word_perplexity`,
    /// `byte_perplexity`, `bits_per_byte`, `rouge1`, `rouge2`, `rougeL`, `rougeLsum`, `bleu`,
    /// `chrf`.
    public var metric: String
    /// How item scores become the task score: `mean`, `perplexity`, `weighted_perplexity`,
    /// `bits_per_byte`, or for `bleu`/`chrf` the corpus-level `bleu`/`chrf` (default) or `mean`
    /// of sentence scores.
    public var aggregation: String
    public var higherIsBetter: Bool
    /// ROUGE only: apply the Porter stemmer (rouge-score's `use_stemmer`).
    public var useStemmer: Bool
    /// `exact_match` only: compare lower-cased text.
    public var ignoreCase: Bool
    /// `exact_match` only: remove ASCII punctuation (`string.punctuation`) before comparing.
    public var ignorePunctuation: Bool

    public init(
        metric: String, aggregation: String, higherIsBetter: Bool, useStemmer: Bool = false,
        ignoreCase: Bool = false, ignorePunctuation: Bool = false
    ) {
        self.metric = metric
        self.aggregation = aggregation
        self.higherIsBetter = higherIsBetter
        self.useStemmer = useStemmer
        self.ignoreCase = ignoreCase
        self.ignorePunctuation = ignorePunctuation
    }
}

/// Greedy generation settings, lm-eval's `generation_kwargs`.
public struct ProbeGenerationOptions: Codable, Sendable, Hashable {
    /// Stop strings; the text is cut at the first occurrence of each. The tokenizer's EOS string
    /// is added at run time, as lm-eval does.
    public var until: [String]
    /// Maximum number of new tokens (lm-eval's default 256).
    public var maxGenTokens: Int

    public init(until: [String], maxGenTokens: Int) {
        self.until = until
        self.maxGenTokens = maxGenTokens
    }
}

/// One probe task: an lm-evaluation-harness task file (the subset that needs no Python), parsed
/// and validated.
///
/// Every key lm-eval would read is here with lm-eval's default applied, so two files that differ
/// only in comments, key order, quoting or spelled-out defaults give equal values (and the same
/// suite content hash).
public struct ProbeTask: Codable, Sendable, Hashable {
    /// `task`: the task's name, unique in a suite.
    public var name: String
    /// `task_alias`: a display name, when given.
    public var alias: String?
    public var outputType: ProbeOutputType
    public var dataFormat: ProbeDataFormat
    /// `dataset_kwargs.data_files`: split name → data files, as written (relative to the task
    /// file). A bare string or list is the split `train`, as Hugging Face `datasets` names it.
    public var dataFiles: [String: [String]]
    public var trainingSplit: String?
    public var validationSplit: String?
    public var testSplit: String?
    public var fewshotSplit: String?
    public var docToText: ProbeTemplateField
    public var docToTarget: ProbeTemplateField
    /// `doc_to_choice`: a template or field name giving a list, or a list of templates.
    public var docToChoice: ProbeChoiceSpec?
    /// Put between the context and each choice or target (default `" "`).
    public var targetDelimiter: String
    /// Put between few-shot examples (default `"\n\n"`).
    public var fewshotDelimiter: String
    public var numFewshot: Int
    /// `fewshot_config.sampler`: `default` (seeded random sample, lm-eval's) or `first_n`.
    public var fewshotSampler: String
    /// Seed of the few-shot sampler (lm-eval's default 1234).
    public var fewshotSeed: Int
    /// `description`: text put before the few-shot examples.
    public var description: String
    public var generation: ProbeGenerationOptions?
    public var metrics: [ProbeMetricSpec]
    /// `metadata`, kept verbatim (its `version` is part of the content hash).
    public var metadata: ProbeValue?

    /// The split that is scored: `test_split` when set, else `validation_split`.
    public var evaluationSplit: String? { testSplit ?? validationSplit }
}

/// `doc_to_choice`: a template or field name that gives a list, or a list of templates.
public enum ProbeChoiceSpec: Codable, Sendable, Hashable {
    case template(String)
    case templates([String])

    public init(from decoder: Decoder) throws {
        let value = try ProbeValue(from: decoder)
        switch value {
        case .string(let s): self = .template(s)
        case .list(let items): self = .templates(items.map(\.pythonString))
        default:
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "doc_to_choice"))
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .template(let s): try ProbeValue.string(s).encode(to: encoder)
        case .templates(let l): try ProbeValue.list(l.map { .string($0) }).encode(to: encoder)
        }
    }
}
