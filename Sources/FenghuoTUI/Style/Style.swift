public struct Modifiers: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = Modifiers(rawValue: 1)
    public static let dim = Modifiers(rawValue: 2)
    public static let underline = Modifiers(rawValue: 4)
    public static let reverse = Modifiers(rawValue: 8)
    public static let italic = Modifiers(rawValue: 16)
}

/// How a cell looks: colours and modifiers.
public struct Style: Hashable, Sendable {
    public var fg: Color
    public var bg: Color
    public var modifiers: Modifiers

    public init(fg: Color = .default, bg: Color = .default, modifiers: Modifiers = []) {
        self.fg = fg
        self.bg = bg
        self.modifiers = modifiers
    }

    public static let plain = Style()

    public func adding(_ m: Modifiers) -> Style {
        var s = self
        s.modifiers.formUnion(m)
        return s
    }

    /// This style's foreground over another style's background (for text inside a selection).
    public func over(_ base: Style) -> Style {
        Style(fg: fg == .default ? base.fg : fg, bg: bg == .default ? base.bg : bg,
              modifiers: modifiers.union(base.modifiers))
    }
}
