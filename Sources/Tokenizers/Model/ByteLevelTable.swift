/// GPT-2's byte-to-character table (`bytes_to_unicode`).
///
/// Bytes `0x21–0x7E`, `0xA1–0xAC` and `0xAE–0xFF` stand for themselves; the other 68 bytes,
/// in increasing order, map to U+0100, U+0101, … U+0143 (space → `Ġ` U+0120, `\n` → `Ċ`
/// U+010A, `0xAD` → `Ń` U+0143).
///
/// ### References
/// `tokenizers/src/pre_tokenizers/byte_level.rs` (`bytes_char`); OpenAI GPT-2 `encoder.py`.
enum ByteLevelTable {
    /// The character standing for each byte.
    static let character: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: "\0", count: 256)
        var n: UInt32 = 0
        for b in 0..<256 {
            let selfStanding =
                (0x21...0x7E).contains(b) || (0xA1...0xAC).contains(b)
                || (0xAE...0xFF).contains(b)
            if selfStanding {
                table[b] = Unicode.Scalar(UInt8(b))
            } else {
                table[b] = Unicode.Scalar(256 + n)!
                n += 1
            }
        }
        return table
    }()

    /// The UTF-8 bytes of each byte's character.
    static let characterUTF8: [[UInt8]] = character.map { Array(String($0).utf8) }

    /// Scalar value → byte, for the 256 characters of the table.
    static let byteOfCharacter: [UInt32: UInt8] = {
        var map: [UInt32: UInt8] = [:]
        for (b, c) in character.enumerated() { map[c.value] = UInt8(b) }
        return map
    }()
}
