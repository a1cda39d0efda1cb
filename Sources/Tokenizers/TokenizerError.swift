/// Why a tokenizer could not be loaded.
///
/// Every case names the file; `description` says what happened and how to fix it. A tokenizer
/// file that asks for a component this module does not implement is refused with
/// `.unsupported` rather than encoded differently from the Hugging Face `tokenizers` library.
public enum TokenizerError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The file or folder does not exist or cannot be read.
    case unreadable(path: String, reason: String)
    /// The file is not valid JSON (or not the expected binary layout).
    case malformed(path: String, reason: String)
    /// The file asks for a component (model type, normalizer, pre-tokenizer, post-processor,
    /// decoder) or an option this module does not implement.
    case unsupported(path: String, component: String, detail: String)
    /// The file is well-formed but inconsistent, e.g. a merge names a piece missing from the
    /// vocabulary.
    case invalid(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read tokenizer at \(path): \(reason). "
                + "Pass a tokenizer.json file or a model folder that contains one."
        case .malformed(let path, let reason):
            return "\(path) is not a valid tokenizer file: \(reason)."
        case .unsupported(let path, let component, let detail):
            return "\(path): unsupported \(component): \(detail). "
                + "ForgetMeNot implements byte-level BPE (GPT-2 style) and SentencePiece-style "
                + "BPE (Llama style); convert the tokenizer or use a supported model."
        case .invalid(let path, let reason):
            return "\(path) is inconsistent: \(reason)."
        }
    }
}
