/// A terminal colour: the terminal's own default, one of the 16 ANSI colours, or an index of
/// the 256-colour palette. Backends with fewer colours degrade with `fitted(toColors:)`.
public enum Color: Hashable, Sendable {
    case `default`
    case ansi(UInt8)      // 0–7 normal, 8–15 bright
    case indexed(UInt8)   // xterm 256-colour palette

    public static let names: [String: UInt8] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "bright-black": 8, "gray": 8, "grey": 8, "bright-red": 9, "bright-green": 10, "bright-yellow": 11,
        "bright-blue": 12, "bright-magenta": 13, "bright-cyan": 14, "bright-white": 15,
    ]

    /// Parses `default`, an ANSI name (`red`, `bright-blue`), or a 0–255 palette index.
    public init?(name: String) {
        if name == "default" { self = .default; return }
        if let code = Color.names[name] { self = .ansi(code); return }
        if let n = Int(name), (0...255).contains(n) { self = .indexed(UInt8(n)); return }
        return nil
    }

    /// The nearest colour a terminal with `colors` colours can show (8, 16 or 256).
    public func fitted(toColors colors: Int) -> Color {
        switch self {
        case .default: return .default
        case .ansi(let c): return colors >= 16 || c < 8 ? self : .ansi(c == 8 ? 7 : c - 8)
        case .indexed(let i):
            if colors >= 256 { return self }
            let basic = Color.nearestANSI(toIndex: i)
            if colors >= 16 { return .ansi(basic) }
            // Grey becomes white, not black: on 8 colours bright black is black, which hides text.
            return .ansi(basic == 8 ? 7 : basic % 8)
        }
    }

    /// Maps a 256-palette index to the nearest of the 16 ANSI colours by RGB distance.
    static func nearestANSI(toIndex i: UInt8) -> UInt8 {
        if i < 16 { return i }
        let rgb = rgbOf(i)
        var best: UInt8 = 0
        var bestDistance = Int.max
        for c in UInt8(0)..<16 {
            let p = rgbOf(c)
            let d = (p.0 - rgb.0) * (p.0 - rgb.0) + (p.1 - rgb.1) * (p.1 - rgb.1) + (p.2 - rgb.2) * (p.2 - rgb.2)
            if d < bestDistance {
                bestDistance = d
                best = c
            }
        }
        return best
    }

    static func rgbOf(_ i: UInt8) -> (Int, Int, Int) {
        let ansi: [(Int, Int, Int)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
            (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
            (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        if i < 16 { return ansi[Int(i)] }
        if i >= 232 {
            let g = 8 + Int(i - 232) * 10
            return (g, g, g)
        }
        let n = Int(i) - 16
        let level = { (v: Int) in v == 0 ? 0 : 55 + v * 40 }
        return (level(n / 36), level((n / 6) % 6), level(n % 6))
    }
}
