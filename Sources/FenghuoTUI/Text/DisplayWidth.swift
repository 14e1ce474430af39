/// Terminal column widths, as glibc's `wcwidth` and tmux count them: East Asian Wide and
/// Fullwidth characters take two columns, combining marks none, everything else one.
/// Ambiguous characters (box drawing, ·, ●) count one, as they do in a UTF-8 locale.
public enum DisplayWidth {
    public static func of(_ character: Character) -> Int {
        var width = 0
        for (index, scalar) in character.unicodeScalars.enumerated() {
            let w = of(scalar)
            // A grapheme is as wide as its base; later scalars (marks, joiners) add nothing,
            // except that an emoji presentation selector makes the base wide.
            if index == 0 { width = w } else if scalar.value == 0xFE0F { width = 2 }
        }
        return width
    }

    public static func of(_ text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        if v < 0x300 { return 1 }
        // The blocks most of a Chinese screen is made of hold no marks: wide without asking
        // for the general category (a table lookup that was a seventh of a frame).
        if (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0xFF01...0xFF60).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0x20000...0x2FFFD).contains(v)
            || (0x3001...0x3029).contains(v) {
            return 2
        }
        // Box drawing, blocks and most geometric shapes (the frames and bars): one column, no marks.
        if (0x2500...0x25FC).contains(v) { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        // Hangul medial and final jamo join the syllable before them, as in glibc.
        if v == 0x200B || (0x1160...0x11FF).contains(v) || (0xD7B0...0xD7FF).contains(v) { return 0 }
        return isWide(v) ? 2 : 1
    }

    private static func isWide(_ v: UInt32) -> Bool {
        // Ranges of East Asian Width W and F (Unicode 15), merged where adjacent.
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
             0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB,
             0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA, 0x26FD,
             0x2705, 0x270A...0x270B, 0x2728, 0x274C, 0x274E, 0x2753...0x2755, 0x2757, 0x2795...0x2797, 0x27B0,
             0x27BF, 0x2B1B...0x2B1C, 0x2B50, 0x2B55,
             0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DFF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x16FE0...0x16FE4, 0x16FF0...0x16FF1, 0x17000...0x18D08, 0x1AFF0...0x1AFFE, 0x1B000...0x1B2FF, 0x1F004, 0x1F0CF, 0x1F18E,
             0x1F191...0x1F19A, 0x1F200...0x1F251, 0x1F260...0x1F265, 0x1F300...0x1F320, 0x1F32D...0x1F335,
             0x1F337...0x1F37C, 0x1F37E...0x1F393, 0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0,
             0x1F3F4, 0x1F3F8...0x1F43E, 0x1F440, 0x1F442...0x1F4FC, 0x1F4FF...0x1F53D, 0x1F54B...0x1F54E,
             0x1F550...0x1F567, 0x1F57A, 0x1F595...0x1F596, 0x1F5A4, 0x1F5FB...0x1F64F, 0x1F680...0x1F6C5,
             0x1F6CC, 0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6D7, 0x1F6DC...0x1F6DF, 0x1F6EB...0x1F6EC,
             0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7EB, 0x1F7F0, 0x1F90C...0x1F93A, 0x1F93C...0x1F945,
             0x1F947...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}

extension StringProtocol {
    /// Columns this text takes in a terminal.
    public var displayWidth: Int { DisplayWidth.of(self) }
}

extension String {
    /// The longest prefix that fits in `width` columns, with `…` when something was cut.
    public func truncated(toWidth width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        // One pass, stopping as soon as the text is known not to fit (a table cuts long
        // narratives and addresses in every row of every frame).
        let room = width - ellipsis.displayWidth
        var used = 0
        var cut = endIndex
        var index = startIndex
        while index < endIndex {
            let w = DisplayWidth.of(self[index])
            if cut == endIndex, used + w > room { cut = index }
            used += w
            if used > width { break }
            index = self.index(after: index)
        }
        if used <= width { return self }
        guard room >= 0 else { return "" }
        return String(self[..<cut]) + ellipsis
    }

    /// Pads with spaces (or truncates) to exactly `width` columns.
    public func padded(toWidth width: Int, alignRight: Bool = false) -> String {
        let text = truncated(toWidth: width)
        let gap = String(repeating: " ", count: max(0, width - text.displayWidth))
        return alignRight ? gap + text : text + gap
    }
}
