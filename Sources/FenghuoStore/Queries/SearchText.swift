/// How typed text becomes a search: a quoted FTS5 phrase for the trigram index, or a LIKE
/// pattern (with its wildcards escaped) for text too short for trigrams.
enum SearchText {
    /// The trigram tokenizer indexes three characters at a time; shorter text needs LIKE.
    static let trigramLength = 3

    static func usesIndex(_ text: String) -> Bool { text.count >= trigramLength }

    /// `"text"`: FTS5 reads it as one phrase, so operators and quotes in it are just text.
    static func ftsPhrase(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `%text%` with `\`, `%` and `_` escaped; use with `ESCAPE '\'`.
    static func likePattern(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
        return "%\(escaped)%"
    }
}
