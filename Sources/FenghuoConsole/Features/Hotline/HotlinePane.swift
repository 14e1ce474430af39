import FenghuoDomain
import FenghuoTUI
import Foundation

/// 热线: the 12345 ticket queue, nearest deadline first, with the selected ticket's detail and
/// the knowledge-base articles an agent can read out.
public struct HotlinePane: Sendable {
    public internal(set) var queue = ListWindow<Ticket>(list: .tickets, key: { $0.sortKey }, id: { $0.id },
                                                                 parseFilter: { FilterText.tickets.parse($0) })
    public internal(set) var detail: Ticket?
    var knowledge: [KnowledgeArticle] = []
    public internal(set) var expanded = false
    /// The ticket `g` asked for: it opens once its detail is read.
    var opening: String?
    /// The view by work shown (`v`), and the user its 我的 is about.
    public internal(set) var view = TicketView.all
    var viewUser = ""

    public init() {}

    static func split(_ body: Rect) -> (queue: Rect, detail: Rect) {
        let parts = Layout.vertical([.percentage(58), .fill(1)]).split(body)
        return (parts[0], parts[1])
    }

    mutating func layout(body: Rect) {
        queue.capacity = max(1, Table.visibleRows(in: Block.inner(Self.split(body).queue)))
    }

    func refreshEffects() -> [ConsoleEffect] { [.load(.list(queue.refreshQuery))] + detailEffect() }
    func reloadEffects() -> [ConsoleEffect] { [.load(.list(queue.reloadQuery))] }

    /// The selected ticket's detail is read whenever the selection lands on another ticket.
    func detailEffect() -> [ConsoleEffect] {
        guard let id = queue.selectedRow?.id else { return [] }
        return [.load(.ticketDetail(id: id))]
    }

    mutating func handle(_ key: Key, map: KeyMap) -> [ConsoleEffect]? {
        if map.toggleDetail(key, isOpen: &expanded, canOpen: queue.selectedRow != nil) { return [] }
        if expanded { return nil }
        guard let move = ListMove(key, map) else { return nil }
        let before = queue.selectedRow?.id
        if let query = queue.move(move) { return [.load(.list(query))] }
        return queue.selectedRow?.id != before ? detailEffect() : []
    }

    /// After the queue moved, follow the selection with the detail panel.
    mutating func queueChanged() -> [ConsoleEffect] {
        if queue.selectedRow == nil {
            detail = nil
            knowledge = []
            return []
        }
        return queue.selectedRow?.id != detail?.id ? detailEffect() : []
    }

    mutating func apply(detail ticket: Ticket?, knowledge: [KnowledgeArticle]) {
        guard ticket?.id == queue.selectedRow?.id else { return }  // the selection has moved on
        detail = ticket
        self.knowledge = knowledge
    }

    // MARK: Render

    func render(in body: Rect, into buffer: inout Buffer, context c: ConsoleContext) {
        if expanded, let t = detail {
            let inner = c.panel("\(c.strings(.ticketDetail)) \(t.id)", right: c.strings(.keyBack) + " Esc", focused: true,
                                in: body, into: &buffer)
            c.detail(detailLines(t, c, withKnowledgeBodies: true), in: inner, into: &buffer)
            return
        }
        let (queueArea, detailArea) = Self.split(body)
        let s = c.strings
        let heading = c.listHeading(.ticketQueue, queue)
        let inner = c.panel(heading.title + " " + viewTabs(role: c.role, language: c.strings.language), right: heading.right,
                            focused: true, in: queueArea, into: &buffer)
        Table(columns: Self.columns(c), rows: queue.rows.map { row($0, c) }, selected: queue.selected, focused: true,
              emptyText: s(queue.filter.isEmpty ? .noRows : .noMatches)).render(in: inner, into: &buffer, theme: c.theme)

        let detailInner = c.panel(s(.ticketDetail) + (detail.map { " \($0.id)" } ?? ""), focused: false,
                                  in: detailArea, into: &buffer)
        if let t = detail {
            c.detail(detailLines(t, c, withKnowledgeBodies: false), in: detailInner, into: &buffer, more: .moreBelow)
        }
    }

    private func detailLines(_ t: Ticket, _ c: ConsoleContext, withKnowledgeBodies: Bool) -> [[Span]] {
        let s = c.strings
        let overdue = t.isOverdue(at: c.now)
        var lines: [[Span]] = [
            c.field(.colStatus, s.status(t.status)) + [Span("   ")]
                + c.field(.colDepartment, c.departmentName(t.department)),
            c.field(.colCategory, c.categoryName(t.category)) + [Span("   ")]
                + c.field(.colDeadline, (t.deadlineProvisional ? "≈" : "") + c.format.minute(t.deadlineAt)
                    + c.parenthesized(c.format.timeLeft(until: t.deadlineAt, now: c.now)),
                    style: overdue ? c.theme[.danger] : nil),
            c.field(.callerHotline, "\(t.callerName)  \(t.callerPhone)") + [Span("   ")] + c.field(.address, t.address),
            [Span(t.summary, c.theme[.accent]), Span("  "), Span(t.detail)],
        ]
        if let reply = t.reply { lines.append(c.field(.reply, reply)) }
        // 转警 / 110 转来: the incident on the other side of the hand-over.
        if let incident = t.incidentLink { lines.append(c.field(.incidentLink, incident, style: c.theme[.info])) }
        if let satisfied = t.satisfied {
            lines.append(c.field(.satisfaction, s(satisfied ? .satisfied : .unsatisfied),
                                 style: satisfied ? c.theme[.ok] : c.theme[.warning]))
        }
        if t.deadlineProvisional { lines.append([Span(s(.provisionalNote), c.theme[.warning])]) }
        if !t.timeline.isEmpty {
            // Newest first; the panel beside the queue shows the latest few, the full view all.
            let shown = withKnowledgeBodies ? t.timeline.count : 6
            lines.append([Span(c.isChinese ? "办理记录（新的在上）" : "Timeline (newest first)", c.theme[.accent])]
                         + (t.timeline.count > shown ? [Span(c.isChinese ? "  Enter 看全部 \(t.timeline.count) 条" : "  Enter: all \(t.timeline.count)",
                                                              c.theme[.muted])] : []))
            for entry in t.timeline.reversed().prefix(shown) {
                lines.append([Span(c.format.minute(entry.at) + " ", c.theme[.muted])] + c.ticketEntrySpans(entry)
                             + [Span(" · " + entry.by, c.theme[.muted])])
            }
        }
        if !knowledge.isEmpty {
            lines.append([Span(s(.knowledge), c.theme[.accent])])
            for a in knowledge {
                lines.append([Span("· \(a.id) ", c.theme[.muted]), Span(a.title)])
                if withKnowledgeBodies { lines.append([Span("  " + a.body, c.theme[.muted])]) }
            }
        }
        return lines
    }
}

extension HotlinePane: Pane {
    static let id = PaneID.hotline

    func refreshEffects(now: Date) -> [ConsoleEffect] { refreshEffects() }

    mutating func apply(_ response: DataResponse) -> [ConsoleEffect]? {
        switch response {
        case .tickets(let q, let page):
            let merged = queue.merge(page, for: q, ref: RecordRef.ticket)
            if merged.departed { expanded = false }
            return merged.effects + queueChanged()
        case .ticketDetail(let ticket, let articles):
            apply(detail: ticket, knowledge: articles)
            arrived()
            return []
        default:
            return nil
        }
    }

    var filterText: String? { expanded ? nil : queue.filter }

    mutating func setFilter(_ text: String) -> [ConsoleEffect] {
        queue.filter = text
        return [.load(.list(queue.reloadQuery))]
    }

    static func bindings(_ map: KeyMap) -> [KeyBinding] { [map.new, map.view] + map.lists }
}

extension ConsoleContext {
    /// One step or note of a ticket in the console's words: `派单 → 市城管局`, `【内部】…`.
    func ticketEntrySpans(_ e: TicketEntry) -> [Span] {
        let zh = isChinese
        let text: String = switch e.kind {
        case .created: e.ref.map { zh ? "登记（\($0) 转来）" : "registered (from \($0))" } ?? (zh ? "登记" : "registered")
        case .routed: (zh ? "派单 → " : "routed to ") + departmentName(e.ref)
        case .accepted: zh ? "签收" : "accepted"
        case .returned: (zh ? "退回：" : "returned: ") + (e.text ?? "")
        case .replied: (zh ? "答复：" : "replied: ") + (e.text ?? "")
        case .callback: e.ref == "satisfied" ? (zh ? "回访：满意" : "callback: satisfied") : (zh ? "回访：不满意，重新办理" : "callback: not satisfied, reopened")
        case .escalated: (zh ? "转警 → " : "escalated to ") + (e.ref ?? "")
        case .note: (zh ? "备注：" : "note: ") + (e.text ?? "")
        }
        guard e.isInternal else { return [Span(text)] }
        return [Span(zh ? "【内部】" : "[internal] ", theme[.warning]), Span(text)]
    }
}
