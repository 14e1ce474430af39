/// A one-line editor shared by the `:` command line and the `/` filter (as k9s shares one
/// buffer between its command and filter prompts). Holds characters, not bytes, so Chinese
/// text edits one character at a time.
public struct TextInput: Hashable, Sendable {
    public private(set) var characters: [Character] = []
    public private(set) var cursor = 0

    public init(_ text: String = "") {
        characters = Array(text)
        cursor = characters.count
    }

    public var text: String { String(characters) }
    public var isEmpty: Bool { characters.isEmpty }

    public enum Outcome: Equatable, Sendable { case edited, moved, submitted, cancelled, ignored }

    /// Applies one key; says whether the text changed, the line was submitted or cancelled.
    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .char(let c):
            characters.insert(c, at: cursor)
            cursor += 1
            return .edited
        case .backspace, .ctrl("h"):
            guard cursor > 0 else { return .ignored }
            characters.remove(at: cursor - 1)
            cursor -= 1
            return .edited
        case .delete, .ctrl("d"):
            guard cursor < characters.count else { return .ignored }
            characters.remove(at: cursor)
            return .edited
        case .ctrl("u"):
            guard cursor > 0 else { return .ignored }
            characters.removeFirst(cursor)
            cursor = 0
            return .edited
        case .ctrl("w"):
            guard cursor > 0 else { return .ignored }
            var start = cursor
            while start > 0, characters[start - 1] == " " { start -= 1 }
            while start > 0, characters[start - 1] != " " { start -= 1 }
            characters.removeSubrange(start..<cursor)
            cursor = start
            return .edited
        case .left, .ctrl("b"):
            cursor = max(0, cursor - 1)
            return .moved
        case .right, .ctrl("f"):
            cursor = min(characters.count, cursor + 1)
            return .moved
        case .home, .ctrl("a"):
            cursor = 0
            return .moved
        case .end, .ctrl("e"):
            cursor = characters.count
            return .moved
        case .enter: return .submitted
        case .escape, .ctrl("c"): return .cancelled
        default: return .ignored
        }
    }

    public mutating func set(_ text: String) {
        characters = Array(text)
        cursor = characters.count
    }

    /// Columns from the start of the text to the cursor.
    public var cursorColumn: Int { DisplayWidth.of(String(characters[..<cursor])) }
}
