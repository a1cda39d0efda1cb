/// Escaping of text that came from data or from a model, for HTML, SVG and Markdown.
enum Escaping {
    /// HTML and XML text and attribute values: `& < > " '` become entities; other characters,
    /// non-Latin text included, pass through (the documents are UTF-8). Control characters other
    /// than tab and newline become U+FFFD so the SVG stays well-formed XML.
    static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// One Markdown table cell: HTML-escaped (GitHub renders inline HTML), `|` and `` ` ``
    /// escaped, line breaks folded into spaces, and at most `limit` characters (then `…`).
    static func markdownCell(_ text: String, limit: Int = 80) -> String {
        var folded = ""
        for character in text {
            folded.append(character.isNewline ? " " : character)
        }
        if folded.count > limit {
            folded = String(folded.prefix(limit - 1)) + "…"
        }
        return html(folded)
            .replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "`", with: "\\`")
            .replacingOccurrences(of: "*", with: "\\*")
            .replacingOccurrences(of: "_", with: "\\_")
    }

    /// Shortens text to at most `limit` characters, ending in `…` when cut.
    static func truncated(_ text: String, limit: Int) -> String {
        text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    }
}
