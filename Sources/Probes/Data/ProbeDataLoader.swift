import Foundation

/// Reads a task's data files into rows, as Hugging Face `datasets`' `json` and `csv` builders
/// would for local files.
///
/// - JSON Lines: one object per non-blank line; JSON types map to Python's (`true` → `True`,
///   `1` → `int`, `1.0` and `1.5` → `float`), key order kept (`PythonJSON`); a top-level field
///   with integers in some rows and floats in others is float throughout (Arrow's column type).
/// - CSV: RFC 4180 (quoted fields may hold commas, quotes `""` and newlines), a header row,
///   `\n` or `\r\n` line ends. Types as pandas' `read_csv` infers them: empty cells and
///   pandas' missing-value spellings (`NA`, `N/A`, `NaN`, `null`, …) are `None`; a column of
///   `True`/`true`/`TRUE`/`False`/… only is `bool`; one of integers only is `int` (`float` when
///   a cell is missing); one of numbers only (spaces around them allowed) is `float`; any other
///   is `str`.
enum ProbeDataLoader {
    /// Loads the rows of `files` (resolved against `baseDirectory`) in order.
    /// - Throws: `ProbeError.missingDataFile`, `.unreadableFile`, `.malformedRow`.
    static func load(files: [String], format: ProbeDataFormat, baseDirectory: URL, taskPath: String)
        throws(ProbeError) -> [ProbeDocument]
    {
        var rows: [ProbeDocument] = []
        for file in files {
            let url = resolve(file, baseDirectory: baseDirectory)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw .missingDataFile(path: taskPath, dataFile: url.path)
            }
            let data: Data
            do {
                data = try Data(contentsOf: url)
            } catch {
                throw .unreadableFile(path: url.path, reason: error.localizedDescription)
            }
            switch format {
            case .json: rows += try jsonLines(data, path: url.path)
            case .csv: rows += try csv(data, path: url.path)
            }
        }
        if format == .json { unifyNumberColumns(&rows) }
        return rows
    }

    /// A top-level JSON field holding integers in some rows and floats in others becomes float
    /// in every row, as `datasets` (Arrow) unifies a column's type: `3` then prints as `3.0`.
    static func unifyNumberColumns(_ rows: inout [ProbeDocument]) {
        var hasInt = Set<String>()
        var hasDouble = Set<String>()
        for row in rows {
            for (key, value) in row.fields {
                switch value {
                case .int: hasInt.insert(key)
                case .double: hasDouble.insert(key)
                default: break
                }
            }
        }
        let mixed = hasInt.intersection(hasDouble)
        guard !mixed.isEmpty else { return }
        for r in rows.indices {
            for key in mixed {
                if case .int(let i) = rows[r].fields[key] {
                    rows[r].fields[key] = .double(Double(i))
                }
            }
        }
    }

    static func resolve(_ file: String, baseDirectory: URL) -> URL {
        file.hasPrefix("/")
            ? URL(fileURLWithPath: file)
            : baseDirectory.appendingPathComponent(file).standardizedFileURL
    }

    static func jsonLines(_ data: Data, path: String) throws(ProbeError) -> [ProbeDocument] {
        var rows: [ProbeDocument] = []
        var line = 0
        var start = data.startIndex
        let newline = UInt8(ascii: "\n")
        while start < data.endIndex {
            line += 1
            let end = data[start...].firstIndex(of: newline) ?? data.endIndex
            let slice = data[start..<end]
            start = end < data.endIndex ? data.index(after: end) : end
            if slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            guard let value = PythonJSON.parse(slice) else {
                throw .malformedRow(path: path, line: line, reason: "not valid JSON")
            }
            guard case .dict(let entries) = value else {
                throw .malformedRow(path: path, line: line, reason: "expected a JSON object")
            }
            var fields: [String: ProbeValue] = [:]
            for e in entries { fields[e.key] = e.value }
            rows.append(ProbeDocument(fields: fields, path: path, line: line))
        }
        return rows
    }

    static func csv(_ data: Data, path: String) throws(ProbeError) -> [ProbeDocument] {
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadableFile(path: path, reason: "not UTF-8 text")
        }
        let records = try CSVRecords.parse(text, path: path)
        guard let header = records.first else { return [] }
        let columns = header.fields
        let body = records.dropFirst()
        for r in body where r.fields.count != columns.count {
            throw .malformedRow(
                path: path, line: r.line,
                reason: "\(r.fields.count) fields, the header has \(columns.count)")
        }
        // Column types as pandas' read_csv infers them (then Arrow: missing values are None).
        enum Kind { case int, float, bool, string }
        func isMissing(_ cell: String) -> Bool { Self.csvMissingValues.contains(cell) }
        func number(_ cell: String) -> String { cell.trimmingCharacters(in: .whitespaces) }
        var kinds: [Kind] = []
        for c in columns.indices {
            let cells = body.map { $0.fields[c] }.filter { !isMissing($0) }
            let hasMissing = cells.count < body.count
            if !cells.isEmpty, cells.allSatisfy(Self.csvBooleans.keys.contains) {
                kinds.append(.bool)
            } else if cells.allSatisfy({ Int(number($0)) != nil }) {
                // An integer column with a missing cell becomes float64 in pandas.
                kinds.append(hasMissing || cells.isEmpty ? .float : .int)
            } else if cells.allSatisfy({
                Double(number($0)) != nil && !$0.lowercased().contains("n")
            }) {
                kinds.append(.float)
            } else {
                kinds.append(.string)
            }
        }
        return body.map { r in
            var fields: [String: ProbeValue] = [:]
            for (c, name) in columns.enumerated() {
                let cell = r.fields[c]
                if isMissing(cell) {
                    fields[name] = ProbeValue.none
                    continue
                }
                switch kinds[c] {
                case .int: fields[name] = .int(Int(number(cell))!)
                case .float: fields[name] = .double(Double(number(cell))!)
                case .bool: fields[name] = .bool(Self.csvBooleans[cell]!)
                case .string: fields[name] = .string(cell)
                }
            }
            return ProbeDocument(fields: fields, path: path, line: r.line)
        }
    }

    /// pandas' default `na_values` (and the empty cell): such cells are missing.
    static let csvMissingValues: Set<String> = [
        "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
        "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
    ]

    /// pandas' default boolean spellings: a column holding only these is `bool`.
    static let csvBooleans: [String: Bool] = [
        "True": true, "TRUE": true, "true": true, "False": false, "FALSE": false, "false": false,
    ]
}

/// RFC 4180 records with the line each starts on.
enum CSVRecords {
    struct Record {
        var fields: [String]
        var line: Int
    }

    static func parse(_ text: String, path: String) throws(ProbeError) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var i = 0
        var fieldStarted = false
        func endRecord() {
            fields.append(String(field))
            field = String.UnicodeScalarView()
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(Record(fields: fields, line: recordLine))
            }
            fields = []
            fieldStarted = false
        }
        while i < scalars.count {
            let c = scalars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < scalars.count, scalars[i + 1] == "\"" {
                        field.append("\"")
                        i += 2
                        continue
                    }
                    inQuotes = false
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                }
                i += 1
                continue
            }
            switch c {
            case "\"" where field.isEmpty:
                inQuotes = true
                fieldStarted = true
            case ",":
                fields.append(String(field))
                field = String.UnicodeScalarView()
                fieldStarted = true
            case "\r" where i + 1 < scalars.count && scalars[i + 1] == "\n":
                break
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            default:
                field.append(c)
                fieldStarted = true
            }
            i += 1
        }
        if inQuotes {
            throw .malformedRow(path: path, line: recordLine, reason: "unterminated quoted field")
        }
        if fieldStarted || !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }
}
