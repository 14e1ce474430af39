/// The escape sequences terminals send for keys, decoded without terminfo.
///
/// ncurses decodes only the sequences the `TERM` entry names, and terminals disagree: under
/// `TERM=xterm` tmux, screen, PuTTY and the Linux console send `ESC[1~`/`ESC[4~` for Home/End,
/// rxvt `ESC[7~`/`ESC[8~`, xterm itself `ESC[H`/`ESC[F` or `ESCOH`/`ESCOF`. A sequence curses
/// does not know reaches the program as Esc followed by plain characters (`[`, `4`, `~`), which
/// the console would read as "back" and "pane 4". The backend hands everything after such an
/// Esc to a `KeySequence` instead, so every common encoding means the same key.
public struct KeySequence: Sendable {
    /// What the bytes after Esc amount to so far.
    public enum Reading: Equatable, Sendable {
        /// Not yet a whole sequence: read another character.
        case incomplete
        /// A whole sequence, and the key it stands for (nil: a sequence, but no key we use,
        /// such as a mouse report or bracketed paste; it is dropped, never typed).
        case complete(Key?)
    }

    /// The characters after the Esc, in order.
    public private(set) var body: [Unicode.Scalar] = []

    /// A sequence longer than this is not a key; reading stops and it is dropped.
    static let longest = 16

    public init() {}

    /// Whether a character after a lone Esc starts a sequence (CSI `[` or SS3 `O`); any other
    /// character is a key of its own and goes back to the input.
    public static func starts(with scalar: Unicode.Scalar) -> Bool { scalar == "[" || scalar == "O" }

    /// Adds the next character and says whether the sequence is whole.
    public mutating func append(_ scalar: Unicode.Scalar) -> Reading {
        body.append(scalar)
        return reading
    }

    /// The key for a whole sequence given at once (`"[4~"`, `"OH"`); nil when it is not whole or
    /// not a key. The backend reads one character at a time; tests use this.
    public static func key(afterEscape text: String) -> Key? {
        var sequence = KeySequence()
        for scalar in text.unicodeScalars {
            if case .complete(let key) = sequence.append(scalar) { return key }
        }
        return nil
    }

    public var reading: Reading {
        guard let first = body.first else { return .incomplete }
        if body.count > Self.longest { return .complete(nil) }
        switch first {
        case "O": return body.count < 2 ? .incomplete : .complete(Self.ss3(body[1]))
        case "[": return csi
        default: return .complete(nil)
        }
    }

    /// SS3: xterm's application cursor and function keys, `ESC O` and one letter.
    private static func ss3(_ final: Unicode.Scalar) -> Key? {
        switch final {
        case "A": .up
        case "B": .down
        case "C": .right
        case "D": .left
        case "H": .home
        case "F": .end
        case "M": .enter
        case "P": .function(1)
        case "Q": .function(2)
        case "R": .function(3)
        case "S": .function(4)
        default: nil
        }
    }

    /// CSI: `ESC [`, parameters (digits and `;`), then a final character. The Linux console's
    /// F1–F5 are `ESC [ [ A`–`E`; rxvt ends shifted and controlled keys with `$`, `^` or `@`.
    private var csi: Reading {
        let rest = body.dropFirst()
        guard let last = rest.last else { return .incomplete }
        if rest.first == "[" {
            guard rest.count == 2 else { return .incomplete }
            let n = Int(last.value) - Int(("A" as Unicode.Scalar).value)
            return .complete((0..<5).contains(n) ? .function(n + 1) : nil)
        }
        let isParameter = (0x30...0x3F).contains(last.value)
        let isIntermediate = (0x20...0x2F).contains(last.value) && last != "$"
        if isParameter || isIntermediate { return .incomplete }
        // The first parameter names the key in `ESC[n~`; later ones are modifiers (`ESC[1;5H`
        // is Ctrl-Home), which the console does not tell apart.
        let parameters = String(String.UnicodeScalarView(rest.dropLast()))
        let number = parameters.split(separator: ";", omittingEmptySubsequences: false).first.flatMap { Int($0) }
        switch last {
        case "~", "$", "^", "@": return .complete(number.flatMap(Self.tilde))
        case "A": return .complete(.up)
        case "B": return .complete(.down)
        case "C": return .complete(.right)
        case "D": return .complete(.left)
        case "H": return .complete(.home)
        case "F": return .complete(.end)
        case "Z": return .complete(.backTab)
        // xterm's modified F1–F4: `ESC[1;2P`.
        case "P": return .complete(.function(1))
        case "Q": return .complete(.function(2))
        case "R": return .complete(parameters.isEmpty ? nil : .function(3))  // bare `ESC[R` is a cursor report
        case "S": return .complete(.function(4))
        default: return .complete(nil)
        }
    }

    /// `ESC[n~`: the VT220 editing keys (as tmux, screen, PuTTY and rxvt number them) and F5–F12.
    private static func tilde(_ n: Int) -> Key? {
        switch n {
        case 1, 7: .home
        case 2: .insert
        case 3: .delete
        case 4, 8: .end
        case 5: .pageUp
        case 6: .pageDown
        case 11...15: .function(n - 10)
        case 17...21: .function(n - 11)
        case 23, 24: .function(n - 12)
        default: nil
        }
    }
}
