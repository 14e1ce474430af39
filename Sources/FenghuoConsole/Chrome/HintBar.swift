import FenghuoTUI

extension ConsoleModel {
    /// Hints first kept, most useful first: `?` leads to everything else, `:` and `/` are the
    /// two prompts, Enter/Esc open and close a record, `n` starts a form, `w` narrows the dispatch queue. The pane switch comes
    /// last: the title bar already shows `1 调度  2 热线 …`. A hint not named here is one a
    /// feature adds for the moment (the password prompt's `P`) and ranks before all of them.
    var hintsByValue: (first: [KeyBinding], last: [KeyBinding]) {
        ([keyMap.help, keyMap.command, keyMap.filter], [keyMap.open, keyMap.back, keyMap.new, keyMap.waitingOnly, keyMap.quit, keyMap.panes])
    }

    /// The status bar's key hints in `room` columns: the most useful that fit, each whole
    /// (`  ? 帮助`), left to right by value; a hint that does not fit gives way to a shorter, less
    /// useful one. Never nothing: with no room for any whole hint, `?` alone stays.
    func hintSpans(_ bindings: [KeyBinding], room: Int) -> [Span] {
        let c = context
        let candidates = bindings.filter(\.isHint)
        let (first, last) = hintsByValue
        func rank(_ b: KeyBinding) -> Int {
            if let i = first.firstIndex(of: b) { return i }
            if let i = last.firstIndex(of: b) { return 1_000 + i }
            return -1_000 + (candidates.firstIndex(of: b) ?? 0)
        }
        var left = room
        var spans: [Span] = []
        for binding in candidates.sorted(by: { rank($0) < rank($1) }) {
            let key = "  \(binding.label)", help = " \(binding.help)"
            let width = key.displayWidth + help.displayWidth
            guard width <= left else { continue }
            left -= width
            spans.append(Span(key, c.theme[.statusKey]))
            spans.append(Span(help, c.theme[.statusBar]))
        }
        if spans.isEmpty { spans = [Span(" \(keyMap.help.label)", c.theme[.statusKey])] }
        return spans
    }
}
