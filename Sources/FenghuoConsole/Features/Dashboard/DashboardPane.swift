import FenghuoDomain
import FenghuoTUI

/// 看板: today's figures for the leaders, a 24-hour trend, and the departments falling behind.
public struct DashboardPane: Sendable {
    public internal(set) var figures: DashboardFigures?

    public init() {}

    func refreshEffects(now: Date) -> [ConsoleEffect] { [.load(.dashboard(at: now))] }

    func render(in body: Rect, into buffer: inout Buffer, context c: ConsoleContext) {
        let s = c.strings
        guard let f = figures else {
            buffer.write(s(.loading), x: body.x + 2, y: body.y + 1, style: c.theme[.muted], clip: body)
            return
        }
        let rows = Layout.vertical([.length(5), .length(5), .fill(1)]).split(body)
        let agencyTiles = Layout.horizontal(Agency.allCases.map { _ in .fill(1) }).split(rows[0])
        for (agency, area) in zip(Agency.allCases, agencyTiles) {
            tile("\(agency.rawValue) \(s.agency(agency))", c.format.count(f.incidentsToday[agency] ?? 0),
                 label: s(.tileIncidentsToday), style: c.theme[.tileValue], of: .incident, in: area, into: &buffer, c)
        }
        let onTime = f.approvalsOnTimePercent.map { "\($0)%" } ?? "—"
        let figureTiles: [(Strings.Text, String, Style, EntityKind)] = [
            (.tileOpenIncidents, c.format.count(f.openIncidents), c.theme[.tileValue], .incident),
            (.tileTicketsOpened, c.format.count(f.ticketsOpened), c.theme[.tileValue], .ticket),
            (.tileTicketsClosed, c.format.count(f.ticketsClosed), c.theme[.ok].adding(.bold), .ticket),
            (.tileTicketsOverdue, c.format.count(f.ticketsOverdue), f.ticketsOverdue > 0 ? c.theme[.danger] : c.theme[.ok], .ticket),
            (.tileApprovalsOnTime, onTime, (f.approvalsOnTimePercent ?? 100) >= 90 ? c.theme[.ok].adding(.bold) : c.theme[.warning],
             .approval),
        ]
        for ((label, value, style, kind), area) in zip(figureTiles, Layout.horizontal(figureTiles.map { _ in .fill(1) }).split(rows[1])) {
            tile("", value, label: s(label), style: style, of: kind, in: area, into: &buffer, c)
        }
        let bottom = Layout.horizontal([.fill(3), .fill(2)]).split(rows[2])
        let trends = Layout.vertical([.fill(1), .fill(1)]).split(bottom[0])
        spark(s(.sparkIncidents), f.incidentsPerHour, of: .incident, in: trends[0], into: &buffer, c)
        spark(s(.sparkTickets), f.ticketsPerHour, of: .ticket, in: trends[1], into: &buffer, c)

        // Departments by overdue tickets: a role not sent tickets sees no ranking, and says so.
        guard c.mayRead(.ticket) else {
            ConsoleModel.renderNoAccess(s(.rankingTitle), entity: .ticket, in: bottom[1], into: &buffer, context: c)
            return
        }
        let inner = c.panel(s(.rankingTitle), focused: false, in: bottom[1], into: &buffer)
        let table = Table(columns: [Table.Column(s(.colDepartment), .fill(1)),
                                    Table.Column(s(.colOverdue), .length(6), alignRight: true),
                                    Table.Column(s(.colOpen), .length(6), alignRight: true)],
                          rows: f.departmentOverdue.map { d in
                              Table.Row(cells: [Table.Cell(forms: c.departmentForms(d.department)),
                                                Table.Cell(c.format.count(d.overdue), d.overdue > 0 ? c.theme[.danger] : c.theme[.ok]),
                                                Table.Cell(c.format.count(d.open))])
                          }, selected: nil, emptyText: s(.noRows))
        table.render(in: inner, into: &buffer, theme: c.theme)
    }

    /// A framed figure: the value centred, its label under it (labels stay whole in narrow tiles).
    /// A figure of records the role is not sent reads `— 无权限`, never 0 (the replica has none
    /// of them, so it would count 0); one of its department's records only says so in its title.
    private func tile(_ title: String, _ value: String, label: String, style: Style, of kind: EntityKind, in area: Rect,
                      into buffer: inout Buffer, _ c: ConsoleContext) {
        let denied = !c.mayRead(kind)
        let value = denied ? "— \(c.strings.noAccess)" : value
        let style = denied ? c.theme[.muted] : style
        let title = !title.isEmpty || c.access(kind) != .department ? title : c.strings.departmentOnly
        let inner = c.panel(title, focused: false, in: area, into: &buffer)
        guard inner.height >= 2 else { return }
        func centred(_ text: String, y: Int, _ style: Style) {
            let t = text.truncated(toWidth: inner.width)
            buffer.write(t, x: inner.x + max(0, (inner.width - t.displayWidth) / 2), y: y, style: style, clip: inner)
        }
        centred(value, y: inner.y + (inner.height - 1) / 2, style)
        centred(label, y: inner.y + (inner.height - 1) / 2 + 1, c.theme[.tileLabel])
    }

    private func spark(_ label: String, _ values: [Int], of kind: EntityKind, in area: Rect, into buffer: inout Buffer,
                       _ c: ConsoleContext) {
        guard c.mayRead(kind) else {
            ConsoleModel.renderNoAccess(label, entity: kind, in: area, into: &buffer, context: c)
            return
        }
        let peak = values.max() ?? 0
        let inner = c.panel(label, right: c.strings.peakPerHour(peak), focused: false, in: area, into: &buffer)
        guard inner.height >= 2 else { return }
        let graph = Rect(x: inner.x, y: inner.y, width: inner.width, height: inner.height - 1)
        Sparkline(values: values).render(in: graph, into: &buffer, style: c.theme[.sparkline])
        // Hour marks under the bars: -24h on the left, now on the right.
        let axis = inner.row(inner.height - 1)
        let (start, middle, end) = c.strings.hourAxis
        buffer.write(start, x: axis.x, y: axis.y, style: c.theme[.muted], clip: axis)
        buffer.write(middle, x: axis.x + (axis.width - middle.displayWidth) / 2, y: axis.y, style: c.theme[.muted], clip: axis)
        buffer.write(end, x: axis.maxX - end.displayWidth, y: axis.y, style: c.theme[.muted], clip: axis)
    }
}

import Foundation

extension DashboardPane: Pane {
    static let id = PaneID.dashboard

    /// The figures are read when the dashboard is shown, not before the first paint.
    func reloadEffects() -> [ConsoleEffect] { [] }

    mutating func apply(_ response: DataResponse) -> [ConsoleEffect]? {
        guard case .dashboard(let figures) = response else { return nil }
        self.figures = figures
        return []
    }
}
