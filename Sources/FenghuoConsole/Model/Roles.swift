import FenghuoDomain
import FenghuoTUI

/// The roles each pane serves: the ones that read its records (`Visibility.access`, the same
/// rule central syncs by; a test keeps the two the same). Another role's replica holds none of
/// them, so its pane would show an empty table that reads like "nothing to do".
extension DispatchPane {
    /// Hotline agents read incidents too (confidential ones redacted), not the unit board.
    static let roles: Set<Role> = [.duty, .hotline, .leader]
}

extension HotlinePane {
    /// Staff see their department's tickets.
    static let roles: Set<Role> = [.hotline, .staff, .leader]
}

extension ApprovalsPane {
    static let roles: Set<Role> = [.staff, .leader]
}

extension DashboardPane {
    /// Every role: each tile says itself whether the role may see its figure.
    static let roles: Set<Role> = Set(Role.allCases)
}

extension PaneID {
    /// The roles the pane serves, as it declares them.
    public var roles: Set<Role> { type.roles }

    /// The kind of record the pane lists (nil: the dashboard, which sums several).
    public var entity: EntityKind? {
        switch self {
        case .dispatch: .incident
        case .hotline: .ticket
        case .approvals: .approval
        case .dashboard: nil
        }
    }

    /// The demo role that opens on this pane (`fenghuo demo --as …`).
    var demoRole: Role {
        switch self {
        case .dispatch: .duty
        case .hotline: .hotline
        case .approvals: .staff
        case .dashboard: .leader
        }
    }
}

extension Role {
    /// A role that may send no command at all: its console only reads (the leader's).
    var isReadOnly: Bool { !Command.Name.allCases.contains { PermissionMatrix.allows(self, $0) } }
}

extension ConsoleModel {
    /// Whether the user's role is served by `pane` (every pane on a local database).
    func serves(_ pane: PaneID) -> Bool { role.map { pane.roles.contains($0) } ?? true }

    /// Whether the role may send `name` (anything on a local database, where nothing is sent).
    func may(_ name: Command.Name?) -> Bool {
        guard let role, let name else { return true }
        return PermissionMatrix.allows(role, name)
    }

    /// The write verbs the role may use.
    var allowedVerbs: [Verb] { Verb.all.filter { may($0.command) } }

    /// The commands the role may send.
    var allowedCommands: [Command.Name] { Command.Name.allCases.filter { may($0) } }

    var isReadOnly: Bool { role?.isReadOnly ?? false }

    /// A command the role may not send, refused here in the console's words, never sent to be
    /// refused by central. Returns whether it was refused.
    mutating func refuseForbidden(_ name: Command.Name) -> Bool {
        guard let role, !PermissionMatrix.allows(role, name) else { return false }
        let rejection = CommandRejection(.forbidden(command: name.rawValue, role: role,
                                                    allowed: name.spec.roles.sorted { $0.rawValue < $1.rawValue }))
        show(context.strings.rejection(rejection, directory: context.directory), error: true)
        return true
    }

    /// In place of a pane the role does not use: what the pane is for, who uses it, why it is
    /// empty here, and how to open it as one of them.
    func renderNotForRole(_ pane: PaneID, in body: Rect, into buffer: inout Buffer) {
        let c = context
        let s = c.strings
        guard let role else { return }
        let inner = c.panel(s(pane.title), right: s.notForRoleTag, focused: false, in: body, into: &buffer)
        let users = pane.type.roles.sorted { $0.rawValue < $1.rawValue }.map(s.role)
        let lines: [[Span]] = [
            [Span(s.paneFor(pane), c.theme[.accent])],
            [],
            [Span(s.paneUsers(users))],
            [Span(s.notYourRole(role: s.role(role), entity: pane.entity))],
            [],
            [Span(s.openAs, c.theme[.muted]), Span("fenghuo demo --as \(pane.demoRole.rawValue)", c.theme[.helpKey])],
        ]
        _ = Paragraph(lines).render(in: inner.inset(horizontal: 2).inset(vertical: 1), into: &buffer)
    }

    /// Inside a pane the role uses, a panel for records it does not read (the hotline's view of
    /// the unit board): what it would show, and that the role is not given it.
    static func renderNoAccess(_ title: String, entity: EntityKind, in area: Rect, into buffer: inout Buffer, context c: ConsoleContext) {
        let inner = c.panel(title, right: c.strings.noAccess, focused: false, in: area, into: &buffer)
        let text = c.strings.noAccessTo(entity, role: c.role.map(c.strings.role) ?? "")
        _ = Paragraph(text.map { [Span($0, c.theme[.muted])] }).render(in: inner.inset(horizontal: 1), into: &buffer)
    }
}

extension ConsoleContext {
    /// What the role reads of `kind` (everything on a local database).
    func access(_ kind: EntityKind) -> Visibility.Access {
        role.map { Visibility.access($0, to: kind) } ?? .all
    }

    func mayRead(_ kind: EntityKind) -> Bool { access(kind) != Visibility.Access.none }
}

extension Strings {
    private var zh: Bool { language == .zh }

    var readOnly: String { zh ? "只读" : "read-only" }
    var noAccess: String { zh ? "无权限" : "no access" }
    var notForRoleTag: String { zh ? "非本角色面板" : "not your role's pane" }
    var openAs: String { zh ? "以该角色打开演示：" : "Open the demo as that role: " }
    var departmentOnly: String { zh ? "本部门" : "your dept" }
    var readOnlyHelp: String { zh ? "只读：本角色不发送命令（看板与各队列可查看）" : "Read-only: this role sends no commands (it reads the queues and the dashboard)" }

    func paneFor(_ pane: PaneID) -> String {
        switch (pane, zh) {
        case (.dispatch, true): "调度：110/119/120/122 警情的接警、派车、处置和结案，以及各警种力量的状态。"
        case (.dispatch, false): "Dispatch: incidents from 110/119/120/122 taken, units sent, resolved and closed, and every unit's state."
        case (.hotline, true): "热线：12345 市民诉求工单的受理、转派、签收、答复和回访。"
        case (.hotline, false): "Hotline: 12345 citizen tickets registered, routed, accepted, answered and called back."
        case (.approvals, true): "审批：一网通办审批件的受理、审查和各部门会签，按法定时限排列。"
        case (.approvals, false): "Approvals: one-stop cases accepted, reviewed and signed off by each department, by statutory deadline."
        case (.dashboard, true): "看板：全市当日的警情、工单和审批数字。"
        case (.dashboard, false): "Dashboard: the city's figures for today."
        }
    }

    func paneUsers(_ roles: [String]) -> String {
        zh ? "使用者：\(roles.joined(separator: "、"))。" : "Used by: \(roles.joined(separator: ", "))."
    }

    func notYourRole(role: String, entity: EntityKind?) -> String {
        let what = entity.map { zh ? $0.label.zh : $0.label.en } ?? (zh ? "记录" : "records")
        return zh ? "你的角色是\(role)：中心不向本终端同步\(what)，所以这里没有数据——不是没有\(what)。"
            : "You are a \(role): central sends this console no \(what) records, so this pane is empty here — not because there are none."
    }

    /// Two lines: who does not see what, and why the panel is empty.
    func noAccessTo(_ entity: EntityKind, role: String) -> [String] {
        zh ? ["\(role)不查看\(entity.label.zh)", "中心不向本终端同步"]
            : ["a \(role) does not see \(entity.label.en) records", "central does not send them here"]
    }
}
