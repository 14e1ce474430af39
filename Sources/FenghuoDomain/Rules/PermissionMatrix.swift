/// Who may do what, in one table: every command with the roles that may send it (from its
/// declaration in `Command.all`) and the department it is bound to, and every kind of record
/// with what each role reads of it (from `Visibility.access`). Central enforces both — the
/// deciders refuse a command of another role or department, the feed and the snapshot carry
/// only what `Visibility` grants — and `docs/SECURITY.md` prints this table (a test keeps the
/// two the same).
public enum PermissionMatrix {
    /// The department a command of a permitted role is further bound to; nil when the role
    /// alone decides.
    public static func departmentRule(_ name: Command.Name) -> LocalizedText? {
        switch name {
        case .transferTicket:
            LocalizedText(zh: "只能转派给承办工单的部门（不能是指挥中心或热线）", en: "only to a department that handles tickets (not a centre)")
        case .acceptTicket, .returnTicket, .replyTicket:
            LocalizedText(zh: "工单当前承办部门的人员", en: "staff of the ticket's current department")
        case .noteTicket:
            LocalizedText(zh: "部门人员只能为本部门承办的工单添加备注", en: "staff: only on tickets their department holds")
        case .createApproval:
            LocalizedText(zh: "事项牵头部门的人员", en: "staff of the item's lead department")
        case .startReview:
            LocalizedText(zh: "审批件牵头部门的人员", en: "staff of the case's lead department")
        case .signOff:
            LocalizedText(zh: "在该件中有会签步骤的部门的人员", en: "staff of a department with a step in the case")
        default:
            nil
        }
    }

    /// Whether a role may send a command at all (departments aside).
    public static func allows(_ role: Role, _ name: Command.Name) -> Bool {
        name.spec.roles.contains(role)
    }

    /// The whole table as Markdown, English (the threat model's language).
    public static func markdown() -> String {
        let roles = Role.allCases
        var lines = ["| command | " + roles.map(\.rawValue).joined(separator: " | ") + " | bound to |",
                     "| --- | " + roles.map { _ in "---" }.joined(separator: " | ") + " | --- |"]
        for spec in Command.all {
            let cells = roles.map { allows($0, spec.name) ? "yes" : "—" }
            lines.append("| `\(spec.name.rawValue)` | " + cells.joined(separator: " | ") + " | \(departmentRule(spec.name)?.en ?? "") |")
        }
        lines.append("")
        lines.append("| record | " + roles.map(\.rawValue).joined(separator: " | ") + " |")
        lines.append("| --- | " + roles.map { _ in "---" }.joined(separator: " | ") + " |")
        for kind in EntityKind.allCases {
            let cells = roles.map { role -> String in
                switch Visibility.access(role, to: kind) {
                case .none: "—"
                case .all: "all"
                case .redacted: "all, confidential ones redacted"
                case .department: "their department's"
                }
            }
            lines.append("| \(kind.rawValue) | " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }
}
