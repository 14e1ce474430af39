/// A key press as the program sees it, decoded from whatever the terminal sent.
public enum Key: Hashable, Sendable, CustomStringConvertible {
    case char(Character)
    case ctrl(Character)
    case up, down, left, right, home, end, pageUp, pageDown
    case enter, escape, backspace, delete, insert, tab, backTab
    case function(Int)

    public var description: String {
        switch self {
        case .char(" "): "Space"
        case .char(let c): String(c)
        case .ctrl(let c): "Ctrl-\(c.uppercased())"
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .home: "Home"
        case .end: "End"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .enter: "Enter"
        case .escape: "Esc"
        case .backspace: "Backspace"
        case .delete: "Del"
        case .insert: "Ins"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .function(let n): "F\(n)"
        }
    }
}

/// What reaches the program from the terminal and the clock.
public enum TerminalEvent: Hashable, Sendable {
    case key(Key)
    case resize(Size)
}

/// A key binding that carries its own help, so `?` and the status bar are built from the map.
public struct KeyBinding: Hashable, Sendable {
    public let keys: [Key]
    /// How the keys are shown, e.g. `↑/k`.
    public let label: String
    public let help: String
    /// Shown in the status bar's short hints (all bindings appear in the full help).
    public let isHint: Bool

    public init(_ keys: [Key], label: String? = nil, help: String, hint: Bool = false) {
        self.keys = keys
        self.label = label ?? keys.map(\.description).joined(separator: "/")
        self.help = help
        isHint = hint
    }

    public func matches(_ key: Key) -> Bool { keys.contains(key) }
}
