import Foundation

/// One item of a task, ready to score: the strings lm-eval would build for its requests.
public struct ProbeItem: Sendable, Hashable {
    /// lm-eval's `doc_id`: the row's position in the evaluated split.
    public var id: Int
    public var document: ProbeDocument
    /// The full context: description, few-shot examples and `doc_to_text`.
    public var context: String
    /// Multiple choice: the choice texts, without the target delimiter.
    public var choices: [String]
    /// Multiple choice: the gold choice indices (usually one).
    public var gold: [Int]
    /// Generation: the reference texts. Log-likelihood: the continuation. Rolling: the text.
    public var targets: [String]
}

/// A task with its data loaded and its templates compiled: turns rows into `ProbeItem`s
/// following lm-eval's `ConfigurableTask` (`doc_to_text`, `doc_to_target`, `doc_to_choice`,
/// `fewshot_context`).
public struct PreparedTask: Sendable {
    public let task: ProbeTask
    /// The task file (or the suite file for an inline task), for error messages.
    public let path: String
    /// The rows of the evaluated split, in file order.
    public let documents: [ProbeDocument]
    /// The rows few-shot examples are drawn from (empty when `num_fewshot` is 0).
    public let fewshotDocuments: [ProbeDocument]
    /// Column names (the union of all rows' keys): a template equal to one of these is the
    /// field itself, as lm-eval treats `doc_to_text: sentence`.
    let features: Set<String>
    let text: CompiledField
    let target: CompiledField
    let choice: CompiledChoice?
    /// `description`, compiled: lm-eval resolves it per item like the other fields.
    let description: JinjaTemplate?

    enum CompiledField: Sendable {
        case template(JinjaTemplate)
        case literal(ProbeValue)
    }

    enum CompiledChoice: Sendable {
        case template(JinjaTemplate)
        case templates([JinjaTemplate])
    }

    /// Loads the data of `task`, whose data paths are relative to `baseDirectory`.
    /// - Throws: `ProbeError` for missing or malformed data files.
    public init(task: ProbeTask, path: String, baseDirectory: URL) throws(ProbeError) {
        self.task = task
        self.path = path
        guard let split = task.evaluationSplit, let files = task.dataFiles[split] else {
            throw .missingSplit(
                path: path, split: task.evaluationSplit ?? "test",
                available: task.dataFiles.keys.sorted())
        }
        documents = try ProbeDataLoader.load(
            files: files, format: task.dataFormat, baseDirectory: baseDirectory, taskPath: path)
        if documents.isEmpty {
            throw .emptySplit(path: path, split: split, dataFiles: files)
        }
        if task.numFewshot > 0 {
            let fewshotSplit =
                task.fewshotSplit ?? task.trainingSplit ?? task.validationSplit ?? split
            if fewshotSplit == split {
                fewshotDocuments = documents
            } else {
                fewshotDocuments = try ProbeDataLoader.load(
                    files: task.dataFiles[fewshotSplit] ?? [], format: task.dataFormat,
                    baseDirectory: baseDirectory, taskPath: path)
            }
            guard fewshotDocuments.count >= task.numFewshot else {
                throw .invalidValue(
                    path: path, key: "num_fewshot",
                    reason:
                        "\(task.numFewshot) examples requested, the few-shot split has \(fewshotDocuments.count) rows"
                )
            }
        } else {
            fewshotDocuments = []
        }
        var names = Set<String>()
        for d in documents { names.formUnion(d.fields.keys) }
        features = names
        func compile(_ field: ProbeTemplateField, _ key: String) throws(ProbeError) -> CompiledField
        {
            switch field {
            case .literal(let v): return .literal(v)
            case .template(let s):
                do { return .template(try JinjaTemplate(parsing: s)) } catch {
                    throw .invalidTemplate(
                        path: path, key: key, template: s, reason: describe(error))
                }
            }
        }
        if task.description.isEmpty {
            description = nil
        } else {
            do { description = try JinjaTemplate(parsing: task.description) } catch {
                throw .invalidTemplate(
                    path: path, key: "description", template: task.description,
                    reason: describe(error))
            }
        }
        text = try compile(task.docToText, "doc_to_text")
        target = try compile(task.docToTarget, "doc_to_target")
        switch task.docToChoice {
        case nil: choice = nil
        case .template(let s):
            do { choice = .template(try JinjaTemplate(parsing: s)) } catch {
                throw .invalidTemplate(
                    path: path, key: "doc_to_choice", template: s, reason: describe(error))
            }
        case .templates(let list):
            var compiled: [JinjaTemplate] = []
            for s in list {
                do { compiled.append(try JinjaTemplate(parsing: s)) } catch {
                    throw .invalidTemplate(
                        path: path, key: "doc_to_choice", template: s, reason: describe(error))
                }
            }
            choice = .templates(compiled)
        }
    }

    // MARK: - lm-eval's doc_to_* rules

    private func fail(_ error: JinjaError, _ doc: ProbeDocument, _ key: String) -> ProbeError {
        if case .undefined(let name) = error {
            return .missingField(path: doc.path, line: doc.line, field: name, key: key)
        }
        return .templateFailed(path: doc.path, line: doc.line, key: key, reason: describe(error))
    }

    /// `apply_template`, or the field itself when the template is a column name.
    private func apply(_ template: JinjaTemplate, _ doc: ProbeDocument, _ key: String)
        throws(ProbeError)
        -> ProbeValue
    {
        if features.contains(template.source) {
            guard let v = doc.fields[template.source] else {
                throw .missingField(
                    path: doc.path, line: doc.line, field: template.source, key: key)
            }
            return v
        }
        do { return .string(try template.render(doc.fields)) } catch { throw fail(error, doc, key) }
    }

    /// `description` for one item, as lm-eval's `resolve_field`: a column's value when it names
    /// a column, else the template rendered on the row ("" when there is none).
    func resolvedDescription(_ doc: ProbeDocument) throws(ProbeError) -> String {
        guard let description else { return "" }
        return try apply(description, doc, "description").pythonString
    }

    /// `doc_to_text`: a string (a rendered template, or a field's value printed with `str`).
    func docToText(_ doc: ProbeDocument) throws(ProbeError) -> String {
        switch text {
        case .literal(let v): return v.pythonString
        case .template(let t): return try apply(t, doc, "doc_to_text").pythonString
        }
    }

    /// `doc_to_target`: a field's raw value; or the rendered text, turned into an int when it
    /// is all digits and the task has choices, into a list when it looks like `[…]` and parses.
    func docToTarget(_ doc: ProbeDocument) throws(ProbeError) -> ProbeValue {
        switch target {
        case .literal(let v): return v
        case .template(let t):
            if features.contains(t.source) { return try apply(t, doc, "doc_to_target") }
            let rendered = try apply(t, doc, "doc_to_target").pythonString
            let scalars = Array(rendered.unicodeScalars)
            if choice != nil, !scalars.isEmpty, scalars.allSatisfy({ ("0"..."9").contains($0) }) {
                return .int(Int(rendered) ?? 0)
            }
            if scalars.count >= 2, scalars.first == "[", scalars.last == "]",
                let list = try? JinjaTemplate.literalEval(rendered)
            {
                return list
            }
            return .string(rendered)
        }
    }

    /// `doc_to_choice`: a field's list, a template's value parsed as a Python literal, or each
    /// template of a list rendered.
    func docToChoice(_ doc: ProbeDocument) throws(ProbeError) -> [String] {
        guard let choice else { return [] }
        let value: ProbeValue
        switch choice {
        case .templates(let list):
            var out: [String] = []
            for t in list { out.append(try apply(t, doc, "doc_to_choice").pythonString) }
            return out
        case .template(let t):
            if features.contains(t.source) {
                value = try apply(t, doc, "doc_to_choice")
            } else if let e = t.singleExpression {
                // Rendering a list and literal_eval-ing it gives the list back; skip the trip.
                do { value = try JinjaEvaluator(variables: doc.fields).evaluate(e) } catch {
                    throw fail(error, doc, "doc_to_choice")
                }
            } else {
                let rendered = try apply(t, doc, "doc_to_choice").pythonString
                do { value = try JinjaTemplate.literalEval(rendered) } catch {
                    throw .templateFailed(
                        path: doc.path, line: doc.line, key: "doc_to_choice",
                        reason:
                            "the rendered text \(ProbeValue.pythonStringRepr(rendered)) is not a Python list"
                    )
                }
            }
        }
        switch value {
        case .list(let items): return items.map(\.pythonString)
        case .dict(let entries): return entries.map { $0.value.pythonString }
        default:
            throw .templateFailed(
                path: doc.path, line: doc.line, key: "doc_to_choice",
                reason: "expected a list of choices, got \(value.typeName) \(value.pythonRepr)")
        }
    }

    /// The target as text for a few-shot example (lm-eval's `get_context`).
    private func fewshotTarget(_ doc: ProbeDocument) throws(ProbeError) -> String {
        let t = try docToTarget(doc)
        switch t {
        case .list(let items): return items.first?.pythonString ?? ""
        case .string(let s): return s
        case .int(let i) where choice != nil:
            let choices = try docToChoice(doc)
            guard i >= 0 && i < choices.count else {
                throw .goldOutOfRange(
                    path: doc.path, line: doc.line, task: task.name, gold: "\(i)",
                    choiceCount: choices.count)
            }
            return choices[i]
        default: return t.pythonString
        }
    }

    /// Builds the items of the first `limit` rows (all when nil; a fraction below 1 takes
    /// `ceil(count × limit)` rows, as lm-eval).
    /// - Throws: `ProbeError` for a missing field (file and line), empty choices, a gold label
    ///   out of range, or a template failing on a row.
    public func items(limit: Double? = nil) throws(ProbeError) -> [ProbeItem] {
        var count = documents.count
        if let limit {
            count =
                limit < 1
                ? Int((Double(documents.count) * limit).rounded(.up)) : min(Int(limit), count)
        }
        var rng = PythonRandom(seed: task.fewshotSeed)
        var items: [ProbeItem] = []
        items.reserveCapacity(count)
        for (id, doc) in documents.prefix(count).enumerated() {
            var context = try resolvedDescription(doc)
            if task.numFewshot > 0 {
                context += try fewshotExamples(for: doc, rng: &rng)
            }
            let text = try docToText(doc)
            // lm-eval treats an all-digit doc_to_text with choices as an index into them
            // ("multiple input" tasks); that mode is not supported, so refuse it openly.
            if choice != nil, !text.isEmpty,
                text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) })
            {
                throw .templateFailed(
                    path: doc.path, line: doc.line, key: "doc_to_text",
                    reason: "it gave the number \(text), which lm-eval reads as a choice index"
                        + " (a multiple-input task); such tasks are not supported")
            }
            context += text
            var item = ProbeItem(
                id: id, document: doc, context: context, choices: [], gold: [], targets: [])
            let target = try docToTarget(doc)
            switch task.outputType {
            case .multipleChoice:
                let choices = try docToChoice(doc)
                guard !choices.isEmpty else {
                    throw .emptyChoices(path: doc.path, line: doc.line, task: task.name)
                }
                item.choices = choices
                item.gold = try goldIndices(target, choices: choices, doc: doc)
            case .generateUntil:
                switch target {
                case .list(let refs): item.targets = refs.map(\.pythonString)
                case .int(let i) where choice != nil:
                    let choices = try docToChoice(doc)
                    guard i >= 0 && i < choices.count else {
                        throw .goldOutOfRange(
                            path: doc.path, line: doc.line, task: task.name, gold: "\(i)",
                            choiceCount: choices.count)
                    }
                    item.targets = [choices[i]]
                default: item.targets = [target.pythonString]
                }
            case .loglikelihood, .loglikelihoodRolling:
                item.targets = [target.pythonString]
            }
            items.append(item)
        }
        return items
    }

    private func goldIndices(_ target: ProbeValue, choices: [String], doc: ProbeDocument)
        throws(ProbeError) -> [Int]
    {
        func index(_ v: ProbeValue) throws(ProbeError) -> Int {
            switch v {
            case .int(let i) where i >= 0 && i < choices.count: return i
            case .string(let s):
                if let i = choices.firstIndex(where: {
                    Array($0.unicodeScalars) == Array(s.unicodeScalars)
                }) {
                    return i
                }
            default: break
            }
            throw .goldOutOfRange(
                path: doc.path, line: doc.line, task: task.name, gold: v.pythonRepr,
                choiceCount: choices.count)
        }
        if case .list(let items) = target {
            var out: [Int] = []
            for item in items { out.append(try index(item)) }
            return out
        }
        return [try index(target)]
    }

    /// lm-eval's `ContextSampler.get_context`: sampled examples, each `text + delimiter +
    /// target`, joined and followed by `fewshot_delimiter`.
    private func fewshotExamples(for doc: ProbeDocument, rng: inout PythonRandom) throws(ProbeError)
        -> String
    {
        let k = task.numFewshot
        // lm-eval leaves the item itself out only when fewshot_split equals test_split as
        // configured (both unset counts as equal); otherwise it samples k rows as they come.
        let excludeItem = task.fewshotSplit == task.testSplit
        let selected: [ProbeDocument]
        if task.fewshotSampler == "first_n" {
            let pool =
                excludeItem ? fewshotDocuments.filter { $0.fields != doc.fields } : fewshotDocuments
            selected = Array(pool.prefix(k))
        } else if !excludeItem {
            let count = fewshotDocuments.count
            selected = rng.sample(count: count, k: min(k, count)).map { fewshotDocuments[$0] }
        } else {
            // Sample k + 1 and drop the item; when copies of it leave fewer than k, sample
            // again from the rows that differ from it (lm-eval's ContextSampler.sample).
            let count = fewshotDocuments.count
            let drawn = rng.sample(count: count, k: min(k + 1, count)).map { fewshotDocuments[$0] }
            var kept = Array(drawn.filter { $0.fields != doc.fields }.prefix(k))
            if kept.count < k {
                let pool = fewshotDocuments.filter { $0.fields != doc.fields }
                kept = rng.sample(count: pool.count, k: min(k, pool.count)).map { pool[$0] }
            }
            selected = kept
        }
        var out = ""
        for example in selected {
            out += try docToText(example)
            let target = try fewshotTarget(example)
            if !target.isEmpty {
                let delimiterIsSpace =
                    !task.targetDelimiter.isEmpty
                    && task.targetDelimiter.unicodeScalars.allSatisfy(PythonStrings.isSpace)
                if !(delimiterIsSpace
                    && target.unicodeScalars.first.map(PythonStrings.isSpace) == true)
                {
                    out += task.targetDelimiter
                }
                out += target
                out += task.fewshotDelimiter
            }
        }
        return out
    }
}
