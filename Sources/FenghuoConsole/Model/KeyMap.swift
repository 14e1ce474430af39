import FenghuoTUI

/// The key bindings, each with its help text: `?` and the status bar are built from these.
public struct KeyMap: Sendable {
    public let quit, help, command, filter, panes, language: KeyBinding
    public let up, down, pageUp, pageDown, top, bottom, open, back, focus: KeyBinding
    /// The intake form of the pane: a new incident on dispatch, a new ticket on the hotline.
    public let new: KeyBinding
    /// The record of the last outcome (`g`), and the queue of commands (`Q`).
    public let goTo, queue: KeyBinding
    /// The password prompt, while the agent waits for a password (hinted only then).
    public let login: KeyBinding
    /// Inside an incident: the recommendation or the board (`r`), send it all (`D`), swap one (`s`).
    public let recommend, dispatchAll, swap: KeyBinding
    /// On the unit board: send the selected unit to the selected incident (`d`).
    public let dispatchUnit: KeyBinding
    /// The dispatch queue's waiting-only (待派) toggle.
    public let waitingOnly: KeyBinding
    /// The alert line's most urgent incident, opened (`!`).
    public let alert: KeyBinding
    /// Hotline: the next (`v`) or previous (`V`) view of the ticket queue.
    public let view: KeyBinding

    public init(_ s: Strings) {
        quit = KeyBinding([.char("q"), .ctrl("c")], label: "q/^C", help: s(.keyQuit), hint: true)
        help = KeyBinding([.char("?")], help: s(.keyHelp), hint: true)
        command = KeyBinding([.char(":")], help: s(.keyCommand), hint: true)
        filter = KeyBinding([.char("/")], help: s(.keyFilter), hint: true)
        panes = KeyBinding([.char("1"), .char("2"), .char("3"), .char("4"), .function(1), .function(2), .function(3),
                            .function(4)], label: "1-4/F1-F4", help: s(.keyPanes), hint: true)
        language = KeyBinding([.char("L")], help: s(.keyLanguage))
        up = KeyBinding([.up, .char("k")], label: "↑/k", help: s(.keyUp))
        down = KeyBinding([.down, .char("j")], label: "↓/j", help: s(.keyDown))
        pageUp = KeyBinding([.pageUp, .ctrl("b")], label: "PgUp/^B", help: s(.keyPageUp))
        pageDown = KeyBinding([.pageDown, .ctrl("f"), .char(" ")], label: "PgDn/^F/Space", help: s(.keyPageDown))
        // `g` is the last outcome's record (the issue asked for it); Home stays the first row.
        top = KeyBinding([.home], label: "Home", help: s(.keyTop))
        bottom = KeyBinding([.char("G"), .end], label: "G/End", help: s(.keyBottom))
        open = KeyBinding([.enter], help: s(.keyOpen), hint: true)
        back = KeyBinding([.escape], help: s(.keyBack), hint: true)
        focus = KeyBinding([.tab, .backTab], label: "Tab", help: s(.keyFocus))
        new = KeyBinding([.char("n")], help: s(.keyNew), hint: true)
        goTo = KeyBinding([.char("g")], help: s.language == .zh ? "转到结果记录" : "go to outcome")
        queue = KeyBinding([.char("Q")], help: s.language == .zh ? "命令队列" : "command queue")
        login = KeyBinding([.char("P")], help: s.keyLogin, hint: true)
        recommend = KeyBinding([.char("r")], help: s.keyRecommend)
        dispatchAll = KeyBinding([.char("D")], help: s.keyDispatchAll)
        swap = KeyBinding([.char("s")], help: s.keySwap)
        dispatchUnit = KeyBinding([.char("d")], help: s.keyDispatchUnit)
        waitingOnly = KeyBinding([.char("w")], help: s(.keyWaitingOnly), hint: true)
        view = KeyBinding([.char("v"), .char("V")], label: "v/V",
                          help: s.language == .zh ? "工单视图" : "ticket views",
                          hint: true)
        alert = KeyBinding([.char("!")], help: s.language == .zh ? "打开告警栏中最紧急的警情" : "open the alert line's most urgent incident")
    }

    public var global: [KeyBinding] { [panes, filter, command, queue, goTo, help, language, quit] }
    public var lists: [KeyBinding] { [up, down, pageUp, pageDown, top, bottom, open, back] }

    /// The bindings that do something on `pane`, after the global ones.
    func paneBindings(_ pane: PaneID) -> [KeyBinding] {
        pane.type.bindings(self)
    }
}

extension KeyMap {
    /// Enter opens the detail of the selected row, Esc closes it. Returns whether the key was
    /// one of those; while a detail is open every other key is left to the caller.
    func toggleDetail(_ key: Key, isOpen: inout Bool, canOpen: Bool) -> Bool {
        if isOpen, back.matches(key) {
            isOpen = false
            return true
        }
        if !isOpen, canOpen, open.matches(key) {
            isOpen = true
            return true
        }
        return false
    }
}

/// Movement keys every list understands, decoded once.
enum ListMove {
    case up, down, pageUp, pageDown, top, bottom

    init?(_ key: Key, _ map: KeyMap) {
        if map.up.matches(key) { self = .up }
        else if map.down.matches(key) { self = .down }
        else if map.pageUp.matches(key) { self = .pageUp }
        else if map.pageDown.matches(key) { self = .pageDown }
        else if map.top.matches(key) { self = .top }
        else if map.bottom.matches(key) { self = .bottom }
        else { return nil }
    }
}

extension ListWindow {
    /// Applies a movement; returns the read it needs, if the window has to move.
    mutating func move(_ move: ListMove) -> ListQuery? {
        switch move {
        case .up: moveUp()
        case .down: moveDown()
        case .pageUp: pageUp()
        case .pageDown: pageDown()
        case .top: top()
        case .bottom: bottom()
        }
    }
}
