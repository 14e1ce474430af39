/// How typed text becomes a search: a quoted FTS5 phrase for the trigram index, or a LIKE
/// pattern (with its wildcards escaped) for text too short for trigrams.
enum SearchText {
    /// The trigram tokenizer indexes three characters at a time; shorter text needs LIKE.
    static let trigramLength = 3

    static func usesIndex(_ text: String) -> Bool { text.count >= trigramLength }

    /// What is searched for: the typed text without NULs, trimmed. SQLite is handed text up to
    /// its first NUL (GRDB binds strings NUL-terminated), so a NUL cut a phrase open (an FTS5
    /// syntax error) or a LIKE pattern short (rows that merely end with the text); no stored
    /// text holds one (commands refuse control characters), so dropping it loses nothing.
    /// Looked for among the scalars, not the characters: a NUL followed by a combining mark
    /// (`"\0\u{301}"`) is one character that is not `"\0"`, and slipped through.
    static func normalized(_ text: String) -> String {
        let kept = text.unicodeScalars.contains("\0") ? String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 != "\0" })) : text
        return kept.trimmingCharacters(in: .whitespaces)
    }

    /// `"text"`: FTS5 reads it as one phrase, so operators and quotes in it are just text.
    static func ftsPhrase(_ text: String) -> String {
        // By scalar: a quote followed by a combining mark is one Character, which a String
        // replacement would not see as a quote, and FTS5 would read an unterminated string.
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            scalars.append(scalar)
            if scalar == "\"" { scalars.append(scalar) }
        }
        return "\"" + String(scalars) + "\""
    }

    /// `%text%` with `\`, `%` and `_` escaped; use with `ESCAPE '\'`.
    static func likePattern(_ text: String) -> String { "%\(likeEscaped(text))%" }

    /// `text%`: what begins with the text (a district by the first characters of its name).
    static func likePrefixPattern(_ text: String) -> String { "\(likeEscaped(text))%" }

    private static func likeEscaped(_ text: String) -> String {
        // By scalar, as `ftsPhrase`: `%` with a combining mark after it is still a wildcard to SQLite.
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\\" || scalar == "%" || scalar == "_" { scalars.append("\\") }
            scalars.append(scalar)
        }
        return String(scalars)
    }
}
