/// A token added on top of the model's vocabulary (`added_tokens` in `tokenizer.json`), with
/// the matching flags of `tokenizers`' `AddedToken` (`single_word`, `lstrip`, `rstrip`,
/// `normalized`) and whether decoding with `skipSpecialTokens` drops it (`special`).
struct AddedToken: Sendable {
    var id: Int32
    var content: [UInt8]
    var singleWord: Bool
    var lstrip: Bool
    var rstrip: Bool
    var normalized: Bool
    var special: Bool
}
