import ArgumentParser
import Foundation
import Metrics

/// `fmn score`: ROUGE, BLEU, chrF and exact match of predictions against references, with the
/// numbers rouge-score 0.1.2 and sacreBLEU 2.6.0 give.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score predictions against references (ROUGE, BLEU, chrF, exact match).",
        discussion: """
            Input is either --pairs FILE.jsonl, one JSON object per line with "prediction" and \
            "reference" (a string) or "references" (an array of strings), or --predictions FILE \
            with one or more --references FILE, plain text with one text per line.

            ROUGE-1/2/L/Lsum match Google's rouge-score 0.1.2 (ASCII tokenizer; --use-stemmer \
            for NLTK's Porter stemmer). ROUGE-Lsum splits on newlines only. BLEU and chrF match \
            sacreBLEU 2.6.0 (13a tokenizer, exp smoothing; chrF: char order 6, beta 2). Exact \
            match compares Unicode code points. With several references ROUGE keeps the best \
            reference per type, BLEU pools them and chrF keeps the best one.

            The summary reports corpus BLEU and chrF (statistics summed over pairs) and the \
            mean ROUGE and exact match. --per-example --json prints JSON Lines, one object per \
            pair in input order, with sentence BLEU and chrF.

            Exit status: 0 on success, 1 when an input file is unreadable or malformed (the \
            message names the file and line), 64 for invalid flags.
            """)

    @Option(
        name: .long,
        help: "JSON Lines file of pairs ({\"prediction\", \"reference\"|\"references\"}).")
    var pairs: String?

    @Option(name: .long, help: "Plain-text file, one prediction per line.")
    var predictions: String?

    @Option(
        name: .long,
        help: "Plain-text file, one reference per line (repeat for several references).")
    var references: [String] = []

    @Option(name: .long, help: "Comma-separated metrics: rouge, bleu, chrf, exact_match.")
    var metrics = "rouge,bleu,chrf,exact_match"

    @Flag(name: .long, help: "Porter-stem ROUGE tokens (rouge-score's use_stemmer=True).")
    var useStemmer = false

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    @Flag(name: .long, help: "Score every pair separately (sentence-level BLEU and chrF).")
    var perExample = false

    func validate() throws {
        if pairs != nil && (predictions != nil || !references.isEmpty) {
            throw ValidationError(
                "give either --pairs or --predictions with --references, not both")
        }
        if pairs == nil {
            guard predictions != nil else {
                throw ValidationError("give --pairs FILE or --predictions FILE --references FILE")
            }
            guard !references.isEmpty else {
                throw ValidationError("--predictions needs at least one --references FILE")
            }
        }
        _ = try selectedMetrics()
    }

    /// The metric families named by `--metrics`.
    func selectedMetrics() throws -> Set<GenerationMetric> {
        var selected = Set<GenerationMetric>()
        for name in metrics.split(separator: ",") {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let metric = GenerationMetric(rawValue: trimmed) else {
                let known = GenerationMetric.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("--metrics: unknown metric \"\(trimmed)\" (known: \(known))")
            }
            selected.insert(metric)
        }
        guard !selected.isEmpty else {
            throw ValidationError("--metrics: name at least one metric")
        }
        return selected
    }

    func run() throws {
        let selected = try selectedMetrics()
        let input: [PredictionPair]
        do {
            if let pairs {
                input = try PredictionPair.readJSONLines(at: URL(fileURLWithPath: pairs))
            } else {
                input = try PredictionPair.readPlainText(
                    predictions: URL(fileURLWithPath: predictions ?? ""),
                    references: references.map { URL(fileURLWithPath: $0) })
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode.failure
        }
        let examples = ExampleScores.scoring(input, metrics: selected, useStemmer: useStemmer)
        var output = ""
        if perExample {
            for (index, example) in examples.enumerated() {
                output += json ? ScoreFormatter.json(example) : ScoreFormatter.line(index, example)
                output += "\n"
            }
        } else {
            let corpus = CorpusScores(aggregating: examples)
            output = json ? ScoreFormatter.json(corpus) + "\n" : ScoreFormatter.table(corpus)
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}

/// Renders scores as JSON (fields `n`, `rouge1`…`rougeLsum`, `bleu`, `chrf`, `exact_match`) and
/// as readable text. Floats are written in Swift's shortest round-trip form, which reads back
/// to the same double.
enum ScoreFormatter {
    static func json(_ corpus: CorpusScores) -> String {
        var fields = ["\"n\": \(corpus.count)"]
        fields += jsonFields(
            rouge: corpus.rouge, bleu: corpus.bleu, chrf: corpus.chrf, exactMatch: corpus.exactMatch
        )
        return "{" + fields.joined(separator: ", ") + "}"
    }

    static func json(_ example: ExampleScores) -> String {
        let fields = jsonFields(
            rouge: example.rouge, bleu: example.bleu, chrf: example.chrf,
            exactMatch: example.exactMatch)
        return "{" + fields.joined(separator: ", ") + "}"
    }

    private static func jsonFields(
        rouge: ROUGEScores?, bleu: BLEUScore?, chrf: CHRFScore?, exactMatch: Double?
    ) -> [String] {
        var fields: [String] = []
        if let rouge {
            for (name, score) in rouge.named {
                fields.append(
                    "\"\(name)\": {\"precision\": \(number(score.precision)), "
                        + "\"recall\": \(number(score.recall)), "
                        + "\"fmeasure\": \(number(score.fmeasure))}")
            }
        }
        if let bleu {
            fields.append(
                "\"bleu\": {\"score\": \(number(bleu.score)), "
                    + "\"precisions\": [\(bleu.precisions.map(number).joined(separator: ", "))], "
                    + "\"bp\": \(number(bleu.brevityPenalty)), "
                    + "\"sys_len\": \(bleu.hypothesisLength), \"ref_len\": \(bleu.referenceLength), "
                    + "\"counts\": [\(bleu.matches.map(String.init).joined(separator: ", "))], "
                    + "\"totals\": [\(bleu.totals.map(String.init).joined(separator: ", "))]}")
        }
        if let chrf { fields.append("\"chrf\": {\"score\": \(number(chrf.score))}") }
        if let exactMatch { fields.append("\"exact_match\": \(number(exactMatch))") }
        return fields
    }

    /// A JSON number that reads back to the same double.
    static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "null"
    }

    static func table(_ corpus: CorpusScores) -> String {
        var lines = ["pairs: \(corpus.count)"]
        if let rouge = corpus.rouge {
            lines.append(pad("metric", 12) + pad("precision", 12) + pad("recall", 12) + "fmeasure")
            for (name, score) in rouge.named {
                lines.append(
                    pad(name, 12) + pad(fixed(score.precision, 4), 12)
                        + pad(fixed(score.recall, 4), 12) + fixed(score.fmeasure, 4))
            }
        }
        if let bleu = corpus.bleu {
            lines.append(
                pad("BLEU", 12) + fixed(bleu.score, 2) + "  ("
                    + bleu.precisions.map { fixed($0, 1) }.joined(separator: "/")
                    + ", bp \(fixed(bleu.brevityPenalty, 3)), sys_len \(bleu.hypothesisLength), "
                    + "ref_len \(bleu.referenceLength))")
        }
        if let chrf = corpus.chrf { lines.append(pad("chrF", 12) + fixed(chrf.score, 2)) }
        if let exactMatch = corpus.exactMatch {
            lines.append(pad("exact_match", 12) + fixed(exactMatch, 4))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func line(_ index: Int, _ example: ExampleScores) -> String {
        var parts = ["#\(index + 1)"]
        if let rouge = example.rouge {
            parts.append(
                "rouge1 \(fixed(rouge.rouge1.fmeasure, 4)) rouge2 \(fixed(rouge.rouge2.fmeasure, 4)) "
                    + "rougeL \(fixed(rouge.rougeL.fmeasure, 4)) "
                    + "rougeLsum \(fixed(rouge.rougeLsum.fmeasure, 4))")
        }
        if let bleu = example.bleu { parts.append("BLEU \(fixed(bleu.score, 2))") }
        if let chrf = example.chrf { parts.append("chrF \(fixed(chrf.score, 2))") }
        if let exactMatch = example.exactMatch { parts.append("exact \(Int(exactMatch))") }
        return parts.joined(separator: "  ")
    }

    private static func fixed(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
