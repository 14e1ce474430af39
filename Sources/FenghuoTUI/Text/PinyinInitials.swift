/// Pinyin initials for type-ahead: "江北区" → "jbq", "12345热线" → "12345rx". The letters
/// come from GB2312 level 1 (3755 common hanzi), which is ordered by pinyin, so the table
/// (PinyinInitialsTable.swift) is generated from the code points alone, with no dictionary.
///
/// Polyphones take the one reading GB2312 files them under: 重 z(hong), 长 c(hang), 行 x(ing),
/// 会 h(ui), 乐 l(e), 朝 c(hao), 调 d(iao), so 银行 is "yx"; a caller whose names need the other
/// reading adds it as a search key. Hanzi outside level 1 and not in `extra` pass through
/// unchanged (one output character per input character, so a Latin query never matches them).
public enum PinyinInitials {
    /// One character per character of `text`: the initial letter of each known hanzi, every
    /// other character lowercased.
    public static func of(_ text: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            if let letter = initial(of: character) {
                out.append(letter)
            } else {
                out += character.lowercased()
            }
        }
        return out
    }

    /// The initial letter (a–z) of a hanzi the table knows, nil for anything else.
    public static func initial(of character: Character) -> Character? {
        let scalars = character.unicodeScalars
        guard let scalar = scalars.first, scalar.value >= 0x3400, scalars.count == 1 else { return nil }
        return letters[scalar]
    }

    /// Level-2 hanzi (ordered by radical, so not derivable) seen in the demo city's names,
    /// entered by hand: without them 梓, 鑫 or 婷 would end a person's initials.
    static let extra: [(letter: Character, hanzi: String)] = [
        ("h", "昊泓皓"), ("k", "髋"), ("l", "璐"), ("m", "沐"), ("n", "楠"), ("q", "倩琪覃"), ("r", "睿"),
        ("s", "厮搡讪"), ("t", "婷"), ("w", "薇诿"), ("x", "曦萱鑫馨"), ("y", "奕嫣怡檐闫"), ("z", "梓蜇"),
    ]

    /// Built once from the generated strings (whitespace in them is line wrapping).
    static let letters: [Unicode.Scalar: Character] = {
        var table: [Unicode.Scalar: Character] = [:]
        table.reserveCapacity(3800)
        for (letter, hanzi) in level1 + extra {
            for scalar in hanzi.unicodeScalars where !scalar.properties.isWhitespace { table[scalar] = letter }
        }
        return table
    }()
}
