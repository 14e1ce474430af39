import CNcursesw
import FenghuoTUI
import Foundation

/// The terminal through ncursesw: the only type in Fenghuo that talks to curses.
public final class NcursesBackend: TerminalBackend {
    public let colors: Int
    private var pairs: [PairKey: Int16] = [:]
    private var nextPair: Int16 = 1
    private var isOpen = true

    private struct PairKey: Hashable {
        let fg: Int16
        let bg: Int16
    }

    /// Takes over the terminal. `colorEnabled: false` (e.g. for NO_COLOR) draws without colour.
    public init(colorEnabled: Bool = true) {
        // Wide characters need a UTF-8 locale; fall back to C.UTF-8 when the environment has none.
        setlocale(LC_ALL, "")
        if String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" { setlocale(LC_ALL, "C.UTF-8") }
        fh_install_termination_handlers()
        fh_install_crash_handlers()
        initscr()
        raw()
        noecho()
        nonl()
        keypad(fh_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        if colorEnabled, has_colors() {
            start_color()
            use_default_colors()
            colors = Int(fh_colors())
        } else {
            colors = 0
        }
    }

    deinit { restore() }

    /// Gives the terminal back as it was; safe to call more than once.
    public func restore() {
        guard isOpen else { return }
        isOpen = false
        // Terminals without an alternate screen (linux, vt100) would keep the last frame.
        erase()
        refresh()
        endwin()
    }

    public var size: Size { Size(width: Int(fh_cols()), height: Int(fh_lines())) }

    public var pendingTermination: Int32? {
        let signal = fh_pending_termination()
        return signal == 0 ? nil : signal
    }

    public func bell() { beep() }

    public func draw(_ buffer: Buffer, cursor: (x: Int, y: Int)?) {
        let area = buffer.area
        for y in 0..<min(area.height, Int(fh_lines())) {
            var x = 0
            while x < min(area.width, Int(fh_cols())) {
                // One run of cells with the same style is one call.
                let style = buffer[x, y].style
                var text = ""
                let start = x
                while x < area.width, buffer[x, y].style == style {
                    let cell = buffer[x, y]
                    if !cell.isContinuation { text += cell.symbol.isEmpty ? " " : cell.symbol }
                    x += 1
                }
                let (attrs, pair) = attributes(for: style)
                _ = fh_draw(Int32(y), Int32(start), text, attrs, pair)
            }
        }
        if let cursor {
            curs_set(1)
            move(Int32(cursor.y), Int32(cursor.x))
        } else {
            curs_set(0)
        }
        refresh()
    }

    public func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent? {
        timeout(Int32(timeoutMilliseconds))
        var code: wint_t = 0
        let result = get_wch(&code)
        if result == ERR { return nil }
        if result == KEY_CODE_YES {
            let key = Int32(code)
            if key == KEY_RESIZE { return .resize(size) }
            return functionKey(key).map(TerminalEvent.key)
        }
        switch code {
        case 27: return escapeSequence()
        case 10, 13: return .key(.enter)
        case 127, 8: return .key(.backspace)
        case 9: return .key(.tab)
        case 1...26:
            let letter = Character(UnicodeScalar(UInt8(code) + 96))
            return .key(.ctrl(letter))
        default:
            guard let scalar = UnicodeScalar(UInt32(code)) else { return nil }
            return .key(.char(Character(scalar)))
        }
    }

    /// How long the rest of one key's sequence may take to arrive once it has begun (ms).
    static let sequenceGap: Int32 = 25

    /// An Esc that curses could not match to a key of this `TERM`: a lone Esc, or the start of a
    /// sequence another terminal sends (`ESC[4~` for End under TERM=xterm), which `KeySequence`
    /// decodes. Curses has already waited ESCDELAY, so the rest of a sequence is in its queue.
    private func escapeSequence() -> TerminalEvent? {
        var code: wint_t = 0
        timeout(0)
        let next = get_wch(&code)
        if next == ERR { return .key(.escape) }
        if next == KEY_CODE_YES {
            ungetch(Int32(code))
            return .key(.escape)
        }
        guard let first = UnicodeScalar(UInt32(code)), KeySequence.starts(with: first) else {
            unget_wch(wchar_t(code))
            return .key(.escape)
        }
        var sequence = KeySequence()
        var reading = sequence.append(first)
        while reading == .incomplete {
            timeout(Self.sequenceGap)
            // A sequence cut short is dropped whole rather than typed as characters.
            guard get_wch(&code) == OK, let scalar = UnicodeScalar(UInt32(code)) else { return nil }
            reading = sequence.append(scalar)
        }
        guard case .complete(let key) = reading, let key else { return nil }
        return .key(key)
    }

    private func functionKey(_ key: Int32) -> Key? {
        switch key {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        // Terminfo names Home and End several ways: the keypad's corners (A1, C1), "beginning"
        // and "home down", and the VT220 keypad's Find and Select, which sit where Home and End
        // sit on a PC keyboard (some entries give those for ESC[1~ and ESC[4~).
        case KEY_HOME, KEY_BEG, KEY_A1, KEY_FIND: return .home
        case KEY_END, KEY_LL, KEY_C1, KEY_SELECT: return .end
        case KEY_PPAGE, KEY_A3: return .pageUp
        case KEY_NPAGE, KEY_C3: return .pageDown
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_IC: return .insert
        case KEY_BTAB: return .backTab
        default:
            for n in 1...12 where key == fh_key_f(Int32(n)) { return .function(n) }
            return modifiedKey(key)
        }
    }

    /// Keys with Shift, Ctrl or Alt come as codes past KEY_MAX whose names say the key
    /// (`kHOM5` is Ctrl-Home); the console does not tell the modifiers apart.
    private func modifiedKey(_ key: Int32) -> Key? {
        guard let name = keyname(key).map({ String(cString: $0) }) else { return nil }
        let base = name.prefix { !$0.isNumber }
        switch base {
        case "kHOM": return .home
        case "kEND": return .end
        case "kPRV": return .pageUp
        case "kNXT": return .pageDown
        case "kDC": return .delete
        case "kIC": return .insert
        case "kUP": return .up
        case "kDN": return .down
        case "kLFT": return .left
        case "kRIT": return .right
        default: return nil
        }
    }

    private func attributes(for style: Style) -> (attr_t, Int16) {
        var attrs = fh_a_normal()
        if style.modifiers.contains(.bold) { attrs |= fh_a_bold() }
        if style.modifiers.contains(.dim) { attrs |= fh_a_dim() }
        if style.modifiers.contains(.underline) { attrs |= fh_a_underline() }
        if style.modifiers.contains(.reverse) { attrs |= fh_a_reverse() }
        if style.modifiers.contains(.italic) { attrs |= fh_a_italic() }
        guard colors > 0 else { return (attrs, 0) }
        let key = PairKey(fg: number(style.fg), bg: number(style.bg))
        if key.fg == -1 && key.bg == -1 { return (attrs, 0) }
        if let pair = pairs[key] { return (attrs, pair) }
        guard Int32(nextPair) < fh_color_pairs() else { return (attrs, 0) }
        init_pair(nextPair, key.fg, key.bg)
        pairs[key] = nextPair
        nextPair += 1
        return (attrs, pairs[key]!)
    }

    private func number(_ color: Color) -> Int16 {
        switch color.fitted(toColors: colors) {
        case .default: -1
        case .ansi(let c): Int16(c)
        case .indexed(let i): Int16(i)
        }
    }
}
