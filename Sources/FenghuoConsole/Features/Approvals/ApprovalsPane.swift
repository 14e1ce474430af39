import FenghuoDomain
import FenghuoTUI
import Foundation

/// 审批: one-stop approval cases by statutory deadline, each department's sign-off at a glance.
public struct ApprovalsPane: Sendable {
    public internal(set) var queue = ListWindow<ApprovalCase>(list: .approvals, key: { $0.sortKey }, id: { $0.id })
    public internal(set) var showingDetail = false
    /// The case `g` asked for: its detail opens once the window holds it.
    var opening: String?

    public init() {}

    mutating func layout(body: Rect) {
        queue.capacity = max(1, Table.visibleRows(in: Block.inner(body)))
    }

    func refreshEffects() -> [ConsoleEffect] { [.load(.list(queue.refreshQuery))] }
    func reloadEffects() -> [ConsoleEffect] { [.load(.list(queue.reloadQuery))] }

    mutating func handle(_ key: Key, map: KeyMap) -> [ConsoleEffect]? {
        if map.toggleDetail(key, isOpen: &showingDetail, canOpen: queue.selectedRow != nil) { return [] }
        if showingDetail { return nil }
        guard let move = ListMove(key, map) else { return nil }
        return queue.move(move).map { [.load(.list($0))] } ?? []
    }

    static func mark(_ state: SignOffState) -> String {
        switch state {
        case .pending: "○"
        case .approved: "✓"
        case .refused: "✗"
        }
    }

    func daysLeft(_ a: ApprovalCase, _ c: ConsoleContext) -> (text: String, style: Style) {
        // While the applicant supplements documents the statutory clock stands still.
        if a.status == .suspended { return (c.strings(.clockStopped), c.theme[.muted]) }
        let left = c.calendar.reckonWorkingDays(from: LocalDate(c.now), to: a.deadline)
        let days = left.value < 0 ? c.strings.overdueWorkingDays(-left.value) : c.strings.workingDays(left.value)
        let text = (left.provisional || a.deadlineProvisional ? "≈" : "") + days
        let style = left.value < 0 ? c.theme[.danger] : left.value <= 3 ? c.theme[.warning] : c.theme[.base]
        return (text, style)
    }

    func render(in body: Rect, into buffer: inout Buffer, context c: ConsoleContext) {
        if showingDetail, let a = queue.selectedRow {
            renderDetail(a, in: body, into: &buffer, context: c)
            return
        }
        let s = c.strings
        let heading = c.listHeading(.approvalQueue, queue)
        let inner = c.panel(heading.title, right: "\(s(.signOffLegend))  \(heading.right)",
                            focused: true, in: body, into: &buffer)
        Table(columns: Self.columns(c), rows: queue.rows.map { row($0, c) }, selected: queue.selected, focused: true,
              emptyText: s(queue.filter.isEmpty ? .noRows : .noMatches)).render(in: inner, into: &buffer, theme: c.theme)
    }

    private func renderDetail(_ a: ApprovalCase, in area: Rect, into buffer: inout Buffer, context c: ConsoleContext) {
        let s = c.strings
        let inner = c.panel("\(s(.approvalDetail)) \(a.id)", right: s(.keyBack) + " Esc", focused: true, in: area,
                            into: &buffer)
        let left = daysLeft(a, c)
        var lines: [[Span]] = [
            c.field(.item, a.itemName + c.parenthesized(s.approvalType(a.type))),
            c.field(.applicant, "\(a.applicant)  \(a.applicantPhone)"),
            c.field(.colStatus, s.status(a.status)),
            c.field(.accepted, c.format.day(a.acceptedOn)),
            c.field(.deadline, c.format.day(a.deadline) + c.parenthesized(left.text), style: left.style),
        ]
        if a.deadlineProvisional { lines.append([Span(s(.provisionalNote), c.theme[.warning])]) }
        lines.append([])
        lines.append([Span(s(.steps), c.theme[.accent])])
        for step in a.steps {
            let style: Style = switch step.state {
            case .approved: c.theme[.ok]
            case .refused: c.theme[.danger]
            case .pending: c.theme[.warning]
            }
            var line = [Span(" \(Self.mark(step.state)) ", style), Span(c.departmentName(step.department))]
            if let at = step.decidedAt { line.append(Span("  \(c.format.minute(at))", c.theme[.muted])) }
            if let opinion = step.opinion { line.append(Span("  \(s(.opinion))\(c.colon)\(opinion)", c.theme[.muted])) }
            lines.append(line)
        }
        c.detail(lines, in: inner, into: &buffer)
    }
}

extension ApprovalsPane: Pane {
    static let id = PaneID.approvals

    func refreshEffects(now: Date) -> [ConsoleEffect] { refreshEffects() }

    mutating func apply(_ response: DataResponse) -> [ConsoleEffect]? {
        guard case .approvals(let q, let page) = response else { return nil }
        let merged = queue.merge(page, for: q, ref: RecordRef.approval)
        if merged.departed { showingDetail = false }
        if q.intent == .top { arrived() }
        return merged.effects
    }

    var filterText: String? { showingDetail ? nil : queue.filter }

    mutating func setFilter(_ text: String) -> [ConsoleEffect] {
        queue.filter = text
        return [.load(.list(queue.reloadQuery))]
    }

    static func bindings(_ map: KeyMap) -> [KeyBinding] { map.lists }
}
