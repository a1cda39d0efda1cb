import ArgumentParser
import Foundation
import Tokenizers

/// `fmn tokenize`: encodes text into token ids, or decodes ids into text, with a Hugging Face
/// `tokenizer.json` (ids identical to the Rust `tokenizers` library).
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Encode text into token ids, or decode ids into text.",
        discussion: """
            PATH is a tokenizer.json file or a model folder holding one (tokenizer_config.json \
            and special_tokens_map.json beside it are read too), or a llama2.c tokenizer.bin \
            (encoded as llama2.c's run.c does). Encoding prints the ids on one \
            line, separated by spaces; --json prints {"ids": [...], "tokens": [...]}. Special \
            tokens (BOS/EOS) are added unless --no-special; added-token strings such as <s> or \
            <|endoftext|> inside the text are matched either way.

            With --decode, IDS is a JSON array ("[1, 15043]") or space-separated ids \
            ("1 15043"); the text is printed as decoded, followed by a newline. --skip-special \
            drops special tokens before decoding. Ids outside the vocabulary are dropped, as the \
            Rust library does.

            Examples:
              fmn tokenize --tokenizer ../shared/data/tokenizers/gpt2-hf "Hello world"
              fmn tokenize --tokenizer model/ --json --file prompt.txt
              fmn tokenize --tokenizer model/ --decode --skip-special "[1, 15043, 3186]"
            """)

    @Option(name: .long, help: "A tokenizer.json file or a model folder holding one.")
    var tokenizer: String

    @Flag(name: .long, help: "Do not add BOS/EOS when encoding.")
    var noSpecial = false

    @Flag(
        name: .long, help: "Print JSON: {\"ids\": [...], \"tokens\": [...]} (or {\"text\": ...}).")
    var json = false

    @Option(
        name: .long, help: "Read the text (or, with --decode, the ids) from this file; - is stdin.")
    var file: String?

    @Flag(name: .long, help: "Decode ids into text instead of encoding.")
    var decode = false

    @Flag(name: .long, help: "With --decode: drop special tokens (<s>, </s>, <unk>, ...).")
    var skipSpecial = false

    @Argument(help: "The text to encode, or with --decode the ids.")
    var input: [String] = []

    func validate() throws {
        if file != nil && !input.isEmpty {
            throw ValidationError("give either the text/ids argument or --file, not both")
        }
        if file == nil && input.isEmpty {
            throw ValidationError(
                decode
                    ? "give the ids to decode (e.g. \"[1, 15043]\") or --file"
                    : "give the text to encode (quoted) or --file")
        }
        if !decode && input.count > 1 {
            throw ValidationError(
                "the text must be one argument: quote it (\"\(input.joined(separator: " "))\")")
        }
        if skipSpecial && !decode { throw ValidationError("--skip-special needs --decode") }
        if noSpecial && decode { throw ValidationError("--no-special only applies to encoding") }
    }

    func run() throws {
        let loaded: LoadedTokenizer
        do {
            let url = URL(fileURLWithPath: tokenizer)
            if url.pathExtension == "bin" {
                loaded = .llama2C(try Llama2CTokenizer(contentsOf: url))
            } else {
                loaded = .json(try Tokenizer(contentsOf: url))
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode.failure
        }
        let text: String
        if let file {
            let contents =
                file == "-"
                ? FileHandle.standardInput.readDataToEndOfFile()
                : FileManager.default.contents(atPath: file)
            guard let data = contents else {
                FileHandle.standardError.write(Data("error: cannot read \(file)\n".utf8))
                throw ExitCode.failure
            }
            guard let decoded = String(validating: [UInt8](data), as: UTF8.self) else {
                FileHandle.standardError.write(
                    Data("error: \(file) is not valid UTF-8 text\n".utf8))
                throw ExitCode.failure
            }
            text = decoded
        } else {
            text = input.joined(separator: " ")
        }

        if decode {
            let ids = try Self.parseIds(text, source: file ?? "IDS")
            if case .json(let tokenizer) = loaded,
                let bad = ids.first(where: { tokenizer.token(forId: $0) == nil })
            {
                FileHandle.standardError.write(
                    Data(
                        ("error: id \(bad) is not in the tokenizer's vocabulary "
                            + "(ids 0..<\(tokenizer.vocabularySize))\n").utf8))
                throw ExitCode.failure
            }
            let decoded = loaded.decode(ids, skipSpecialTokens: skipSpecial)
            if json {
                print("{\"text\": \(Self.jsonString(decoded))}")
            } else {
                FileHandle.standardOutput.write(Data((decoded + "\n").utf8))
            }
            return
        }
        let encoded = loaded.encodeWithPieces(text, addSpecialTokens: !noSpecial)
        if json {
            let ids = encoded.ids.map(String.init).joined(separator: ", ")
            let tokens = encoded.tokens.map(Self.jsonString).joined(separator: ", ")
            FileHandle.standardOutput.write(
                Data("{\"ids\": [\(ids)], \"tokens\": [\(tokens)]}\n".utf8))
        } else {
            print(encoded.ids.map(String.init).joined(separator: " "))
        }
    }

    /// Parses `[1, 2, 3]` or `1 2 3` (commas allowed) into ids.
    static func parseIds(_ text: String, source: String) throws -> [Int] {
        var body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if body.hasPrefix("[") {
            guard body.hasSuffix("]") else {
                throw ValidationError("\(source): a JSON array of ids must end with ']'")
            }
            body = String(body.dropFirst().dropLast())
        }
        let parts = body.split(whereSeparator: {
            $0 == "," || $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r"
        })
        var ids: [Int] = []
        for (index, part) in parts.enumerated() {
            guard let id = Int(part) else {
                throw ValidationError(
                    "\(source): item \(index + 1) (\"\(part)\") is not an integer token id")
            }
            ids.append(id)
        }
        return ids
    }

    /// A JSON string literal; non-ASCII scalars are written as UTF-8, never normalized.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// The two tokenizer file kinds `fmn tokenize` reads.
enum LoadedTokenizer {
    case json(Tokenizer)
    case llama2C(Llama2CTokenizer)

    func encodeWithPieces(_ text: String, addSpecialTokens: Bool) -> EncodedText {
        switch self {
        case .json(let tokenizer):
            return tokenizer.encodeWithPieces(text, addSpecialTokens: addSpecialTokens)
        case .llama2C(let tokenizer):
            let ids = tokenizer.encode(text, addBOS: addSpecialTokens)
            return EncodedText(ids: ids, tokens: ids.map { tokenizer.token(forId: $0) ?? "" })
        }
    }

    func decode(_ ids: [Int], skipSpecialTokens: Bool) -> String {
        switch self {
        case .json(let tokenizer):
            return tokenizer.decode(ids, skipSpecialTokens: skipSpecialTokens)
        case .llama2C(let tokenizer):
            return tokenizer.decode(ids, skipSpecialTokens: skipSpecialTokens)
        }
    }
}
