import FenghuoDomain
import FenghuoTUI
import Foundation

/// 调度: the open-incident queue beside the unit board; Enter opens the incident.
public struct DispatchPane: Sendable {
    enum Focus: Sendable { case queue, board }

    public internal(set) var queue = ListWindow<Incident>(list: .incidents, key: { $0.sortKey }, id: { $0.id },
                                                          parseFilter: { FilterText.incidents.parse($0) })
    public internal(set) var units: [ResponseUnit] = []
    var boardSelected = 0
    var focus = Focus.queue
    public internal(set) var showingDetail = false
    /// The incident `g` asked for: its detail opens once the window holds it.
    var opening: String?
    /// The recommendation beside the open incident.
    var advice = IncidentAdvice()
    /// Urgent calls: waiting P1 incidents called in after the console's first look at the queue,
    /// each announced once (the bell and the status line).
    private var urgentSince: Date?
    private var urgentSeen: Set<String> = []
    /// Calls not yet announced, with when the console first saw them (stamped by the root).
    var arrivedUrgent: [(incident: Incident, seen: Date?)] = []
    /// What the alert line watches, read with the queue.
    var watch = DispatchWatch()
    /// The unit whose detail is open (Enter on the board), and its history once read.
    var unitDetail: String?
    var unitHistory: UnitHistory?
    /// The open incident's linked incidents (联动), as last read.
    var linked: (id: String, incidents: [Incident])?

    public init() {}

    // MARK: Layout

    mutating func layout(body: Rect) {
        // One row is kept for the alert line, shown or not, so the queue never jumps.
        queue.capacity = max(1, Table.visibleRows(in: Block.inner(Self.split(Self.aboveAlerts(body)).queue)))
    }

    /// The body less its last row, the alert line's.
    static func aboveAlerts(_ body: Rect) -> Rect {
        Rect(x: body.x, y: body.y, width: body.width, height: max(0, body.height - 1))
    }

    // MARK: Update

    func refreshEffects() -> [ConsoleEffect] {
        [.load(.list(queue.refreshQuery)), .load(.units), .load(.urgentCalls), .load(.watch)] + adviceEffects()
    }

    /// Enter on the board: the selected unit's detail, its history read at `now`.
    mutating func openUnit(now: Date) -> [ConsoleEffect] {
        guard units.indices.contains(boardSelected) else { return [] }
        unitDetail = units[boardSelected].id
        unitHistory = nil
        return [.load(.unitHistory(id: units[boardSelected].id, now: now))]
    }

    /// The open incident's recommendation, read again (units move, others get sent).
    func adviceEffects() -> [ConsoleEffect] {
        guard showingDetail, let incident = queue.selectedRow else { return [] }
        let links: [ConsoleEffect] = incident.linkedParts.isEmpty && incident.linkedPrimary == nil ? []
            : [.load(.linkedIncidents(of: incident.id))]
        return (incident.status.isOpen ? [.load(.recommendation(incidentID: incident.id))] : []) + links
    }

    /// What a verb is given on this pane: the board's units, and the pinned incident's linked
    /// incidents when they were read for it.
    func verbInput(words: [String], target: Target?, today: LocalDate) -> VerbInput {
        var input = VerbInput(words: words, target: target, units: units, today: today)
        input.openIncidents = watch.incidents.map(\.id) + queue.rows.filter(\.status.isOpen).map(\.id)
        if let linked, case .incident(let i)? = target, linked.id == i.id { input.linked = linked.incidents }
        return input
    }

    /// The linked incidents of `incident`, when they were read for it.
    func linkedIncidents(of incident: Incident) -> [Incident] {
        guard let linked, linked.id == incident.id else { return [] }
        return linked.incidents
    }

    func reloadEffects() -> [ConsoleEffect] {
        [.load(.list(queue.reloadQuery)), .load(.units), .load(.urgentCalls), .load(.watch)]
    }

    mutating func handle(_ key: Key, map: KeyMap) -> [ConsoleEffect]? {
        if unitDetail != nil {
            guard map.back.matches(key) else { return nil }
            unitDetail = nil
            unitHistory = nil
            return []
        }
        if map.toggleDetail(key, isOpen: &showingDetail, canOpen: focus == .queue && queue.selectedRow != nil) {
            return openedDetail()
        }
        if showingDetail { return handleDetail(key, map: map) }
        if map.waitingOnly.matches(key) { return toggleWaitingOnly() }
        if map.focus.matches(key) {
            focus = focus == .queue ? .board : .queue
            return []
        }
        guard let move = ListMove(key, map) else { return nil }
        switch focus {
        case .queue:
            return queue.move(move).map { [.load(.list($0))] } ?? []
        case .board:
            let last = max(0, units.count - 1)
            switch move {
            case .up: boardSelected = max(0, boardSelected - 1)
            case .down: boardSelected = min(last, boardSelected + 1)
            case .pageUp: boardSelected = max(0, boardSelected - 10)
            case .pageDown: boardSelected = min(last, boardSelected + 10)
            case .top: boardSelected = 0
            case .bottom: boardSelected = last
            }
            return []
        }
    }

    mutating func focusQueue() { focus = .queue }

    /// Waiting P1 incidents newer than the first look, not yet announced, go to `arrivedUrgent`.
    private mutating func noticeUrgent(_ rows: [Incident]) {
        guard let since = urgentSince else {
            urgentSince = rows.map(\.createdAt).max() ?? .distantPast
            urgentSeen = Set(rows.map(\.id))
            return
        }
        for incident in rows where incident.priority == .critical && incident.status == .new
            && incident.createdAt > since && urgentSeen.insert(incident.id).inserted {
            arrivedUrgent.append((incident, nil))
        }
    }

    /// The detail just opened (or closed): its recommendation is read at once.
    mutating func openedDetail() -> [ConsoleEffect] {
        guard showingDetail, let incident = queue.selectedRow else { return [] }
        advice.show(incident.id, waiting: incident.status == .new)
        return adviceEffects()
    }

    /// Keys inside an open incident: `r` switches recommendation and board, ↑/↓ pick, `s` swaps.
    private mutating func handleDetail(_ key: Key, map: KeyMap) -> [ConsoleEffect]? {
        if map.recommend.matches(key) {
            advice.showBoard.toggle()
            return adviceEffects()
        }
        guard !advice.showBoard else { return nil }
        if map.swap.matches(key) {
            _ = advice.swapSelected()
            return []
        }
        guard let move = ListMove(key, map) else { return nil }
        advice.move(move)
        return []
    }

    mutating func apply(units: [ResponseUnit]) {
        self.units = units
        boardSelected = min(boardSelected, max(0, units.count - 1))
    }

    // MARK: Render

    func render(in whole: Rect, into buffer: inout Buffer, context c: ConsoleContext) {
        let body = Self.aboveAlerts(whole)
        renderAlerts(in: Rect(x: whole.x, y: whole.maxY - 1, width: whole.width, height: 1), into: &buffer, context: c)
        if showingDetail, let incident = queue.selectedRow {
            renderDetail(incident, in: body, into: &buffer, context: c)
            return
        }
        if let id = unitDetail {
            let (left, boardArea) = Self.split(body)
            renderUnitDetail(id, in: left, into: &buffer, context: c)
            renderBoard(in: boardArea, into: &buffer, context: c)
            return
        }
        let (queueArea, boardArea) = Self.split(body)
        let s = c.strings
        let heading = c.listHeading(.incidentQueue, queue)
        let inner = c.panel(heading.title + (waitingOnly ? " · " + s(.waitingOnlyTag) : ""), right: heading.right,
                            focused: focus == .queue, in: queueArea, into: &buffer)
        Table(columns: Self.columns(c), rows: queue.rows.map { row($0, c) }, selected: queue.selected, focused: focus == .queue,
              emptyText: s(queue.isFiltered ? .noMatches : .noRows)).render(in: inner, into: &buffer, theme: c.theme)
        // The unit board is the duty officer's (and the leader's): a hotline agent is not sent it.
        if c.mayRead(.unit) {
            renderBoard(in: boardArea, into: &buffer, context: c)
        } else {
            ConsoleModel.renderNoAccess(s(.unitBoard), entity: .unit, in: boardArea, into: &buffer, context: c)
        }
    }

    func statusStyle(_ status: IncidentStatus, _ c: ConsoleContext) -> Style {
        switch status {
        case .new: c.theme[.danger]
        case .dispatched, .enRoute: c.theme[.warning]
        case .onScene, .working: c.theme[.info]
        case .resolved, .closed, .merged, .cancelled: c.theme[.ok]
        }
    }

    private func unitStyle(_ status: UnitStatus, _ c: ConsoleContext) -> Style {
        switch status {
        case .available: c.theme[.ok]
        case .dispatched, .enRoute: c.theme[.warning]
        case .onScene: c.theme[.info]
        case .returning: c.theme[.base]
        case .outOfService: c.theme[.muted]
        }
    }

    func renderBoard(in area: Rect, into buffer: inout Buffer, context c: ConsoleContext) {
        let s = c.strings
        let free = units.count { $0.status == .available }
        let inner = c.panel(s(.unitBoard), right: "\(s.status(UnitStatus.available)) \(free)/\(units.count)",
                            focused: focus == .board, in: area,
                            into: &buffer)
        // One header per agency, then its units.
        var items: [ListView.Item] = []
        var selectedItem: Int?
        for agency in Agency.allCases {
            let members = units.indices.filter { units[$0].agency == agency }
            guard !members.isEmpty else { continue }
            let free = members.count { units[$0].status == .available }
            items.append(ListView.Item([Span("\(agency.rawValue) \(s.agency(agency)) · \(s.status(UnitStatus.available)) \(free)/\(members.count)")],
                                       isHeader: true))
            for index in members {
                let u = units[index]
                if index == boardSelected { selectedItem = items.count }
                // On the way: what is left of its road time, from where it last reported.
                let left = u.status == .enRoute ? watch.remainingSeconds[u.id].map { s.minutesLeft($0) + " " } ?? "" : ""
                let label = (u.incidentID.map { "→\($0.suffix(4)) " } ?? "") + left
                // A unit gone quiet on scene or late on the way is marked where the eye is.
                let flagged = UnitFlag.check(u, eta: watch.etaSeconds[u.id], now: c.now) != nil
                items.append(ListView.Item([
                    Span(u.id.padded(toWidth: 8), flagged ? c.theme[.danger] : c.theme[.base]),
                    Span(s.status(u.status).padded(toWidth: flagged ? 5 : 6), flagged ? c.theme[.danger] : unitStyle(u.status, c)),
                ] + (flagged ? [Span("!", c.theme[.danger])] : []) + [
                    Span(label + u.name, c.theme[.muted]),
                ]))
            }
        }
        // The selection stays in view even while the queue has the focus.
        ListView(items: items, selected: selectedItem, focused: focus == .board).render(in: inner, into: &buffer, theme: c.theme)
    }

    private func renderDetail(_ i: Incident, in body: Rect, into buffer: inout Buffer, context c: ConsoleContext) {
        let s = c.strings
        // The board (or the recommendation) stays beside the incident.
        let (area, side) = Self.split(body)
        if !c.mayRead(.unit) {
            ConsoleModel.renderNoAccess(s(.unitBoard), entity: .unit, in: side, into: &buffer, context: c)
        } else if advice.showBoard || !i.status.isOpen || advice.incidentID != i.id {
            renderBoard(in: side, into: &buffer, context: c)
        } else {
            advice.render(in: side, into: &buffer, context: c)
        }
        let inner = c.panel("\(s(.incidentDetail)) \(i.id)", right: s(.keyBack) + " Esc", focused: true, in: area,
                            into: &buffer)
        let crew = i.unitIDs.map { id -> String in
            guard let u = units.first(where: { $0.id == id }) else { return id }
            // A unit that has moved on reports where it is now, not a state at this scene.
            let left = u.status == .enRoute ? watch.remainingSeconds[u.id].map { " " + s.minutesLeft($0) } ?? "" : ""
            let state = u.incidentID == i.id ? s.status(u.status) + left
                : s(.unitLeft) + (u.incidentID.map { " →\($0.suffix(4))" } ?? "")
            return "\(u.id) \(u.name)" + c.parenthesized(state)
        }
        var lines: [[Span]] = [
            c.field(.colType, "\(i.agency.rawValue) \(s.agency(i.agency)) · \(c.incidentTypeName(i.typeCode))"),
            c.field(.priorityLabel, s.priority(i.priority), style: c.priorityStyle(i.priority)),
            c.field(.colStatus, "\(s.status(i.status)) · \(c.format.elapsed(since: i.statusChangedAt, now: c.now))",
                    style: statusStyle(i.status, c)),
            c.field(.colDistrict, c.districtName(i.district)),
            c.field(.address, i.address),
            c.field(.caller, "\(i.callerName)  \(i.callerPhone)"),
            c.field(.created, c.format.clock(i.createdAt)),
            c.field(.statusChanged, c.format.clock(i.statusChangedAt)),
            c.field(.assignedUnits, crew.isEmpty ? "—" : crew.joined(separator: c.isChinese ? "，" : ", ")),
            [],
            [Span(s(.narrative), c.theme[.accent])] + (i.confidential ? [Span(" " + s(.confidentialNote), c.theme[.danger])] : []),
            [Span(i.narrative)],
        ]
        lines.insert(contentsOf: c.premiseLines(for: i.address), at: 5)
        lines.insert(contentsOf: linkLines(i, c), at: lines.firstIndex { $0.isEmpty } ?? lines.count)
        lines.append(contentsOf: planLines(i, c))
        if !i.timeline.isEmpty {
            lines.append([])
            lines.append([Span(s(.timeline), c.theme[.accent])])
            for (agency, entry) in sharedTimeline(i) {
                lines.append([Span(String(c.format.clock(entry.at).suffix(8)) + " ", c.theme[.muted])]
                             + (agency.map { [Span("\($0.rawValue) ", c.theme[.info])] } ?? [])
                             + [Span(c.timelineText(entry)), Span(" · " + entry.by, c.theme[.muted])])
            }
        }
        lines.append([])
        c.detail(lines, in: inner, into: &buffer)
    }
}

extension ConsoleContext {
    /// One timeline entry in the console's words: `F-LC-01 到场`, `处置完毕：已扑灭`.
    func timelineText(_ e: TimelineEntry) -> String {
        let zh = isChinese
        let unit = e.unit ?? ""
        let ref = e.ref ?? ""
        func disposition() -> String {
            directory.dispositions[ref].map { zh ? $0.name : $0.nameEN } ?? ref
        }
        switch e.kind {
        case .created: return zh ? "接警登记" : "call taken"
        case .dispatched: return zh ? "派遣 \(unit)" : "\(unit) dispatched"
        case .departed: return zh ? "\(unit) 出动" : "\(unit) en route"
        case .arrived: return zh ? "\(unit) 到场" : "\(unit) on scene"
        case .cleared: return zh ? "\(unit) 撤离现场" : "\(unit) cleared"
        case .released: return zh ? "\(unit) 释放" : "\(unit) released"
        case .working: return zh ? "开始处置" : "work under way"
        case .resolved: return (zh ? "处置完毕：" : "resolved: ") + disposition()
        case .closed: return zh ? "关闭" : "closed"
        case .cancelled:
            return (zh ? "撤销：" : "cancelled: ") + disposition() + (e.text.map { parenthesized($0) } ?? "")
        case .merged: return zh ? "并入 \(ref)" : "merged into \(ref)"
        case .absorbed: return (zh ? "并入重复报警 \(ref)：" : "duplicate \(ref) joined: ") + (e.text ?? "")
        case .transferred: return zh ? "\(unit) 由 \(ref) 转来" : "\(unit) came over from \(ref)"
        case .note: return (zh ? "备注：" : "note: ") + (e.text ?? "")
        case .linked:
            let agency = e.text.flatMap(Agency.init(rawValue:)).map { "\($0.rawValue) \(strings.agency($0))" } ?? (e.text ?? "")
            return zh ? "联动 \(agency)：\(ref)" : "linked \(agency): \(ref)"
        case .linkedFrom: return zh ? "联动自 \(ref)" : "linked part of \(ref)"
        case .unlinked: return zh ? "解除与 \(ref) 的联动" : "link with \(ref) released"
        case .checked: return (zh ? "预案第 \(ref) 项已落实：" : "plan item \(ref) done: ") + (e.text ?? "")
        case .reported: return (zh ? "已上报应急办" : "reported to the emergency office") + (e.text.map { (zh ? "：" : ": ") + $0 } ?? "")
        case .prioritized: return zh ? "等级调整为 P\(ref)" : "priority set to P\(ref)"
        case .casualties: return zh ? "伤亡 \(ref) 人" : "\(ref) casualties"
        case .escalated: return zh ? "由 12345 工单 \(ref) 转警" : "escalated from 12345 ticket \(ref)"
        case .handedOff: return zh ? "转 12345 热线，工单 \(ref)" : "handed to 12345 as ticket \(ref)"
        }
    }
}

extension DispatchPane: Pane {
    static let id = PaneID.dispatch

    func refreshEffects(now: Date) -> [ConsoleEffect] { refreshEffects() }

    mutating func apply(_ response: DataResponse) -> [ConsoleEffect]? {
        switch response {
        case .incidents(let q, let page):
            let merged = queue.merge(page, for: q, ref: RecordRef.incident)
            if merged.departed { showingDetail = false }
            if q.intent == .top { arrived() }
            return merged.effects + openedDetail()
        case .units(let units): apply(units: units)
        case .recommendation(let id, let recommendation): advice.apply(recommendation, for: id)
        case .urgentCalls(let rows): noticeUrgent(rows)
        case .watch(let watch): self.watch = watch
        case .unitHistory(let id, let history) where id == unitDetail: unitHistory = history
        case .linkedIncidents(let id, let incidents): linked = (id, incidents)
        default: return nil
        }
        return []
    }

    var filterText: String? { showingDetail ? nil : queue.filter }

    /// The filter applies to the incident queue, so the queue is shown focused.
    mutating func startFilter() { focusQueue() }

    mutating func setFilter(_ text: String) -> [ConsoleEffect] {
        queue.filter = text
        return [.load(.list(queue.reloadQuery))]
    }

    static func bindings(_ map: KeyMap) -> [KeyBinding] {
        [map.new, map.waitingOnly, map.alert] + map.lists + [map.focus, map.dispatchUnit, map.recommend, map.dispatchAll, map.swap]
    }
}
