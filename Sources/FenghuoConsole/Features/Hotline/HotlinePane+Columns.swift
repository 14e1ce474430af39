import FenghuoDomain
import FenghuoTUI

/// The ticket queue's columns and how they give way (`Table.Column`): the number, the summary
/// and the time left stay longest; the department shows its full name where it fits and its
/// short one (`住建`, `Housing`) where it does not; the district goes first.
extension HotlinePane {
    static func columns(_ c: ConsoleContext) -> [Table.Column] {
        let s = c.strings
        let zh = c.isChinese
        // The summary takes what the capped columns leave (weight 1, no cap); the category and
        // the department grow until their longest names fit.
        return [
            Table.Column(s(.colNumber), width: 14, priority: 100),
            Table.Column(s(.colStatus), width: zh ? 6 : 8, priority: 65),
            Table.Column(s(.colCategory), min: 10, ideal: zh ? 10 : 13, max: zh ? 14 : 36, priority: 70, grow: 2),
            Table.Column(s(.colDistrict), width: zh ? 6 : 8, priority: 30),
            Table.Column(s(.colSummary), min: 16, ideal: 20, priority: 90, grow: 1),
            Table.Column(s(.colDepartment), short: s(.colDepartmentShort), min: zh ? 4 : 13, ideal: zh ? 20 : 14,
                         max: zh ? 22 : 56, priority: 50, grow: 3),
            // The deadline's date gives way before the state and the department: the time left stays.
            Table.Column(s(.colDeadline), min: 11, ideal: 12, priority: 40),
            Table.Column(s(.colTimeLeft), min: zh ? 9 : 7, ideal: 10, priority: 80, alignRight: true),
        ]
    }

    static func statusStyle(_ status: TicketStatus, _ c: ConsoleContext) -> Style {
        switch status {
        case .registered, .returned: c.theme[.danger]    // the call-taker's to route
        case .assigned: c.theme[.warning]
        case .inProgress: c.theme[.info]
        case .replied: c.theme[.accent]                  // a callback due
        case .closed: c.theme[.ok]
        }
    }

    func row(_ t: Ticket, _ c: ConsoleContext) -> Table.Row {
        let overdue = t.isOverdue(at: c.now)
        // Amber from 80 % of the time allowed, as the dispatch desk's step timers.
        let soon = !overdue && t.status.isOpen && t.elapsedShare(at: c.now) >= StepTimer.amberShare
        return Table.Row(cells: [
            Table.Cell(t.id),
            Table.Cell(c.strings.status(t.status), Self.statusStyle(t.status, c)),
            Table.Cell(forms: c.categoryForms(t.category)),
            Table.Cell(c.districtName(t.district)),
            Table.Cell(t.summary),
            Table.Cell(forms: c.departmentForms(t.department), c.theme[.muted]),
            Table.Cell((t.deadlineProvisional ? "≈" : "") + c.format.minute(t.deadlineAt)),
            Table.Cell(c.format.timeLeft(until: t.deadlineAt, now: c.now),
                       overdue ? c.theme[.danger] : soon ? c.theme[.warning] : c.theme[.base]),
        ])
    }
}
