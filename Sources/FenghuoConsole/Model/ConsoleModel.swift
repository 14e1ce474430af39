import FenghuoDomain
import FenghuoTUI
import Foundation

public enum PaneID: Int, CaseIterable, Sendable {
    case dispatch, hotline, approvals, dashboard

    var title: Strings.Text {
        switch self {
        case .dispatch: .paneDispatch
        case .hotline: .paneHotline
        case .approvals: .paneApprovals
        case .dashboard: .paneDashboard
        }
    }
}

/// The console's root model: routes keys by mode and focus, answers from the loop by kind,
/// and draws the title bar, the active pane and the status bar.
public struct ConsoleModel: ProgramModel, Sendable {
    public typealias Msg = ConsoleMsg
    public typealias Effect = ConsoleEffect

    enum Mode: Sendable {
        case normal
        case filter(TextInput)
        /// The `:` line, with the record selected when it opened: what a verb typed on it acts on.
        case command(TextInput, Target?)
        /// A write waiting for `y`: a dangerous verb, or one whose target changed meanwhile.
        case confirm(PendingWrite)
        /// The command queue (`Q`, `:queue`), its selected row.
        case queue(Int)
        /// Quitting with commands still queued: `y` quits (they are kept for next time).
        case quitting(Int)
        case help
        /// A new-incident or new-ticket form over the body; it has every key.
        case form(IntakeForm)
        /// The password prompt (`P` while the agent waits for one); its text is never drawn.
        case password(TextInput)
    }

    public static let minimumSize = Size(width: 80, height: 24)
    /// Seconds between re-reads of the visible rows while idle.
    static let refreshInterval = 2

    public internal(set) var context: ConsoleContext
    public internal(set) var active: PaneID
    public internal(set) var size: Size
    var mode = Mode.normal
    var keyMap: KeyMap
    var flash: (text: String, isError: Bool, until: Date)?
    /// What Tab offered on the `:` line when several things fit, shown above it.
    var completions: [String] = []
    /// The `:` lines sent this session, oldest first (↑/↓ walk them), and where ↑ has got to.
    var commandHistory: [String] = []
    var historyCursor: Int?
    static let historyLimit = 50
    var started = false
    var ticks = 0
    public internal(set) var isFinished = false
    /// Times the console asked for the terminal bell (a new P1 call).
    public internal(set) var bells = 0
    /// Who is at the console (shown in the status bar).
    public var operatorLabel: String
    /// The user's login name (whose work 我的 shows); empty on a local database.
    public var username = ""
    /// The console runs on an agent's replica (writes go through it); false on a local database.
    public var agentConnected = false
    /// The role of the user the agent logged in as; nil on a local database (every pane and verb).
    public var role: Role? { didSet { context.role = role } }
    /// The agent's socket answered last time it was tried.
    var agentReachable = false
    /// The agent's last report.
    public internal(set) var sync: SyncStatus?
    /// The commands seen queued on the agent, and how they came out.
    public internal(set) var queue = CommandQueue()
    /// Commands not yet settled by central: mutation id → label.
    public var pending: [Int64: String] {
        Dictionary(uniqueKeysWithValues: queue.waiting.map { ($0.id, $0.label) })
    }
    /// Commands queued and settled since the agent's last status, which counted its outbox.
    var sinceStatus = (queued: 0, settled: 0)
    /// The record of the last outcome (a create's new record): where `g` goes.
    public internal(set) var lastOutcome: RecordRef?
    /// The last selected row that left its list, and the row the cursor went to.
    var departure: (id: String, next: String?)?
    /// A write whose target is being read again before it is sent.
    var verifying: PendingWrite?

    public var dispatch = DispatchPane()
    public var hotline = HotlinePane()
    public var approvals = ApprovalsPane()
    public var dashboard = DashboardPane()

    public init(language: Language, theme: Theme, size: Size, now: Date, start: PaneID = .dispatch,
                operatorLabel: String = "") {
        context = ConsoleContext(language: language, theme: theme, now: now)
        keyMap = KeyMap(Strings(language))
        active = start
        self.size = size
        self.operatorLabel = operatorLabel
        layout()
    }

    // MARK: ProgramModel

    public func message(for event: TerminalEvent) -> ConsoleMsg {
        switch event {
        case .key(let k): .key(k)
        case .resize(let s): .resize(s)
        }
    }

    public func tick(_ now: Date) -> ConsoleMsg { .tick(now) }

    public mutating func update(_ msg: ConsoleMsg) -> [ConsoleEffect] {
        switch msg {
        case .tick(let now):
            context.now = now
            context.stale = staleMinutes != nil
            if let f = flash, now >= f.until { flash = nil }
            // The hotline's 超期 view takes in what fell due.
            let clocked = hotline.clock(now)
            if !started {
                started = true
                // The ticket queue opens on the role's first view (待派单 for a call-taker).
                _ = hotline.show(TicketView.views(for: role)[0], user: username, now: now)
                // The dashboard's figures are read when it is shown, not before the first paint.
                return [.load(.directory)] + PaneID.allCases.flatMap(reloadEffects)
                    + (active == .dashboard ? dashboard.refreshEffects(now: now) : [])
            }
            ticks += 1
            return (ticks % Self.refreshInterval == 0 ? refreshEffects(active) : []) + clocked
        case .resize(let newSize):
            size = newSize
            layout()
            return refreshEffects(active)
        case .key(let key):
            return handle(key)
        case .loaded(let response):
            return apply(response)
        case .failed(let text):
            show(text, error: true)
            return []
        case .agent(let notice):
            return apply(notice)
        }
    }

    // MARK: Keys

    private mutating func handle(_ key: Key) -> [ConsoleEffect] {
        switch mode {
        case .help:
            if key == .escape || key == .char("?") || key == .char("q") || key == .enter { mode = .normal }
            return []
        case .filter(var input):
            let outcome = input.handle(key)
            switch outcome {
            case .edited:
                mode = .filter(input)
                return setFilter(input.text)
            case .moved, .ignored:
                mode = .filter(input)
                return []
            case .submitted:
                mode = .normal
                return []
            case .cancelled:
                mode = .normal
                return setFilter("")
            }
        case .confirm(let write):
            mode = .normal
            return answer(key, to: write)
        case .queue(let row):
            return handleQueue(key, row)
        case .quitting:
            mode = .normal
            if key == .char("y") || key == .char("Y") || key == .ctrl("c") { isFinished = true }
            return []
        case .command(var input, let target):
            if key == .tab {
                var directory = context.directory
                // A disposition completes among those that fit the pinned incident's desk and the verb.
                if case .incident(let incident)? = target, let verb = Verb.named(input.text.split(separator: " ").first.map(String.init) ?? ""),
                   let use: Disposition.Use = verb.command == .resolveIncident ? .resolve : verb.command == .cancelIncident ? .cancel : nil {
                    directory.dispositions = directory.dispositions.filter { $0.value.fits(use, incident.agency) }
                }
                let completion = CommandLine.complete(input.text, directory: directory, units: dispatch.units,
                                                      language: context.strings.language, verbs: allowedVerbs,
                                                      commands: allowedCommands)
                completions = completion.candidates
                input.set(completion.text)
                mode = .command(input, target)
                return []
            }
            completions = []
            // ↑/↓: the lines typed before, newest first, and back to an empty line.
            if key == .up || key == .down, !commandHistory.isEmpty {
                let next = key == .up ? max(0, (historyCursor ?? commandHistory.count) - 1)
                    : (historyCursor.map { $0 + 1 } ?? commandHistory.count)
                historyCursor = next < commandHistory.count ? next : nil
                input.set(historyCursor.map { commandHistory[$0] } ?? "")
                mode = .command(input, target)
                return []
            }
            switch input.handle(key) {
            case .submitted:
                mode = .normal
                historyCursor = nil
                let line = input.text.trimmingCharacters(in: .whitespaces)
                if !line.isEmpty, commandHistory.last != line {
                    commandHistory.append(line)
                    if commandHistory.count > Self.historyLimit { commandHistory.removeFirst() }
                }
                return run(command: input.text, target: target)
            case .cancelled:
                mode = .normal
                return []
            default:
                mode = .command(input, target)
                return []
            }
        case .form(let intake):
            return handleForm(key, intake)
        case .password(let input):
            return handlePassword(key, input)
        case .normal:
            break
        }
        if keyMap.quit.matches(key) {
            requestQuit()
            return []
        }
        if keyMap.queue.matches(key) {
            openQueue()
            return []
        }
        if keyMap.help.matches(key) {
            mode = .help
            return []
        }
        if keyMap.command.matches(key) {
            flash = nil
            mode = .command(TextInput(), selectedTarget)
            historyCursor = nil
            return []
        }
        if keyMap.filter.matches(key), let current = filterText {
            flash = nil
            self[pane: active].startFilter()
            mode = .filter(TextInput(current))
            return []
        }
        // Esc on a filtered list (not in a detail view) clears the filter it kept.
        if keyMap.back.matches(key), let current = filterText, !current.isEmpty {
            return setFilter("")
        }
        if keyMap.language.matches(key) {
            setLanguage(context.strings.language == .zh ? .en : .zh)
            return []
        }
        if keyMap.login.matches(key), wantsPassword { return openPasswordPrompt() }
        if keyMap.goTo.matches(key), agentConnected { return goToLastOutcome() }
        if keyMap.new.matches(key), let kind = IntakeForm.Kind(pane: active) { return openForm(kind) }
        if let pane = Self.paneKey(key) { return switchTo(pane) }
        if active == .hotline, keyMap.view.matches(key), !hotline.expanded {
            return hotline.stepView(by: key == .char("V") ? -1 : 1, role: role, user: username, now: context.now)
        }
        if active == .dispatch, keyMap.dispatchAll.matches(key), dispatch.showingDetail { return dispatchRecommended() }
        if active == .dispatch, keyMap.open.matches(key), dispatch.focus == .board, !dispatch.showingDetail, dispatch.unitDetail == nil {
            return dispatch.openUnit(now: context.now)
        }
        if active == .dispatch, keyMap.alert.matches(key) {
            guard let first = dispatch.alerts(context).first else {
                show(context.isChinese ? "告警栏为空：没有超时的环节" : "the alert line is empty: nothing is overdue", error: false)
                return []
            }
            return [.load(.record(.incident(first.incidentID), .open))]
        }
        if active == .dispatch, keyMap.dispatchUnit.matches(key), dispatch.focus == .board, !dispatch.showingDetail {
            return dispatchSelectedUnit()
        }
        return self[pane: active].handle(key, map: keyMap) ?? []
    }

    static func paneKey(_ key: Key) -> PaneID? {
        switch key {
        case .char("1"), .function(1): .dispatch
        case .char("2"), .function(2): .hotline
        case .char("3"), .function(3): .approvals
        case .char("4"), .function(4): .dashboard
        default: nil
        }
    }

    mutating func switchTo(_ pane: PaneID) -> [ConsoleEffect] {
        active = pane
        return refreshEffects(pane)
    }

    mutating func setLanguage(_ language: Language) {
        context.strings = Strings(language)
        context.format = Format(language)
        keyMap = KeyMap(context.strings)
    }

    /// The focused list's filter text; nil where the pane has no list to filter.
    var filterText: String? { self[pane: active].filterText }

    mutating func setFilter(_ text: String) -> [ConsoleEffect] {
        self[pane: active].setFilter(text)
    }

    mutating func run(command text: String, target: Target? = nil) -> [ConsoleEffect] {
        switch CommandLine.parse(text) {
        case .quit:
            requestQuit()
        case .queue:
            openQueue()
        case .plan(let word):
            // The plan is in the incident's detail: the selected one, or the incident named.
            guard let word else {
                guard let incident = dispatch.queue.selectedRow else {
                    show(context.strings(.noIncidentSelected), error: true)
                    return []
                }
                return switchTo(.dispatch) + dispatch.open(incident)
            }
            let id = IDFormat.shortNumber(word).map { IDFormat.stem(.incident, LocalDate(context.now)) + IDFormat.padded($0, IDFormat.digits(.incident)) } ?? word
            return [.load(.record(.incident(id), .open))]
        case .pane(let pane):
            return switchTo(pane)
        case .language(let language):
            setLanguage(language)
        case .help:
            mode = .help
        case .filter(let text):
            return setFilter(text)
        case .empty:
            break
        case .unknown(let verb):
            show(context.strings.unknownCommand(verb, verbs: CommandLine.verbs(allowedVerbs, commands: allowedCommands)), error: true)
        case .usage(let usage):
            show("\(context.strings(.usageLabel))\(context.colon)\(usage)", error: true)
        case .write(let verb, let words):
            return writeEffects(verb, words, target: target)
        case .submit(let words):
            return submitEffects(words)
        case .malformed(let rejection):
            show(context.strings.rejection(rejection), error: true)
        case .describe(let topic):
            if let text = describe(topic) {
                show(text, error: false)
            } else {
                mode = .help
            }
        }
        return []
    }

    mutating func show(_ text: String, error: Bool) {
        flash = (text, error, context.now.addingTimeInterval(6))
    }

    // MARK: Data

    private mutating func apply(_ response: DataResponse) -> [ConsoleEffect] {
        if case .directory(let directory, let calendar) = response {
            context.directory = directory
            context.calendar = calendar
            return []
        }
        if case .record(let ref, let purpose, let found) = response { return apply(record: found, ref, for: purpose) }
        if applyToForm(response) { return [] }
        for id in PaneID.allCases {
            if let effects = self[pane: id].apply(response) {
                announceUrgent()
                return effects
            }
        }
        return []
    }

    func reloadEffects(_ pane: PaneID) -> [ConsoleEffect] { self[pane: pane].reloadEffects() }

    func refreshEffects(_ pane: PaneID) -> [ConsoleEffect] { self[pane: pane].refreshEffects(now: context.now) }

    var bodyArea: Rect { Rect(x: 0, y: 1, width: size.width, height: max(0, size.height - 2)) }

    mutating func layout() {
        for id in PaneID.allCases { self[pane: id].layout(body: bodyArea) }
    }
}
