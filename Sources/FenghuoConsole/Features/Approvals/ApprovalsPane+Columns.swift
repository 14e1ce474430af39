import FenghuoDomain
import FenghuoTUI

/// The approval queue's columns and how they give way (`Table.Column`): the case, the item, the
/// sign-offs and the days left stay; the applicant is the first to go and the item the first to
/// grow. An English sign-off names departments (`Civil Affairs○ Education✓`) where that fits and
/// falls back to four letters of the code (`CIVI○ EDU✓`).
extension ApprovalsPane {
    static func columns(_ c: ConsoleContext) -> [Table.Column] {
        let s = c.strings
        return [
            Table.Column(s(.colCase), width: 14, priority: 100),
            // The item takes what the capped columns leave; the applicant and the sign-offs grow
            // until their longest fit (`Emergency Mgmt○ Fire & Rescue✓ Environment✓`).
            Table.Column(s(.colItem), min: 12, ideal: 22, priority: 90, grow: 1),
            Table.Column(s(.colKind), width: 4, priority: 40),
            Table.Column(s(.colApplicant), min: 10, ideal: 16, max: 30, priority: 30, grow: 2),
            Table.Column(s(.colSignOff), min: 17, ideal: 23, max: c.isChinese ? 30 : 60, priority: 80, grow: 3),
            Table.Column(s(.colDeadline), width: 10, priority: 70),
            Table.Column(s(.colDaysLeft), short: s(.colDaysLeftShort), min: 6, ideal: 10, priority: 85, alignRight: true),
        ]
    }

    func row(_ a: ApprovalCase, _ c: ConsoleContext) -> Table.Row {
        let s = c.strings
        let left = daysLeft(a, c)
        let signOff: Table.Cell
        if a.status == .suspended {
            signOff = Table.Cell(s.status(a.status), c.theme[.warning])
        } else {
            func steps(_ name: (String) -> String) -> String {
                a.steps.map { "\(name($0.department))\(Self.mark($0.state))" }.joined(separator: " ")
            }
            let brief = steps { c.departmentBrief($0) }, short = steps { c.departmentShort($0) }
            signOff = Table.Cell(forms: brief == short ? [short] : [brief, short], c.theme[.base])
        }
        return Table.Row(cells: [
            Table.Cell(a.id),
            Table.Cell(a.itemName),
            Table.Cell(s.approvalType(a.type), c.theme[.muted]),
            Table.Cell(a.applicant, c.theme[.muted]),
            signOff,
            Table.Cell(c.format.day(a.deadline)),
            Table.Cell(left.text, left.style),
        ])
    }
}
