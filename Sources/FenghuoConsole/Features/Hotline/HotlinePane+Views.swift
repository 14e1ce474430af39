import FenghuoDomain
import Foundation

/// The ticket queue's views by the work to do (`v` / `V` step through them): what the
/// call-taker must route, what passed through the user's hands, the callbacks due, what is
/// overdue, everything. Each is a condition on top of any typed filter.
public enum TicketView: String, CaseIterable, Sendable {
    case toRoute     // 待派单: registered or sent back, waiting to be routed
    case toAccept    // 待签收: routed to the department, not yet accepted (staff)
    case mine        // 我的: a step or note by the user in its timeline
    case callbacks   // 待回访: answered by the department, waiting for the callback
    case overdue     // 超期: past the deadline
    case all

    /// The views a role works with, the first one it opens on.
    public static func views(for role: Role?) -> [TicketView] {
        switch role {
        case .staff?: [.toAccept, .mine, .overdue, .all]
        case .hotline?: [.toRoute, .mine, .callbacks, .overdue, .all]
        default: [.all, .toRoute, .callbacks, .overdue]
        }
    }

    public func title(_ language: Language) -> String {
        let zh = language == .zh
        return switch self {
        case .toRoute: zh ? "待派单" : "To route"
        case .toAccept: zh ? "待签收" : "To accept"
        case .mine: zh ? "我的" : "Mine"
        case .callbacks: zh ? "待回访" : "Callbacks"
        case .overdue: zh ? "超期" : "Overdue"
        case .all: zh ? "全部" : "All"
        }
    }

    /// The condition: `user` for 我的, `now` for 超期 (refreshed by the clock, a minute at a time).
    public func restriction(user: String, now: Date) -> ColumnFilter {
        switch self {
        case .toRoute: ColumnFilter(statuses: [TicketStatus.registered.rawValue, TicketStatus.returned.rawValue])
        case .toAccept: ColumnFilter(statuses: [TicketStatus.assigned.rawValue])
        case .mine: ColumnFilter(touchedBy: user)
        case .callbacks: ColumnFilter(statuses: [TicketStatus.replied.rawValue])
        case .overdue: ColumnFilter(dueBefore: Self.minute(now))
        case .all: ColumnFilter()
        }
    }

    /// `now` to the whole minute: the overdue view's condition changes once a minute, not on
    /// every tick (each change of condition is a new query the answers must match).
    static func minute(_ now: Date) -> Date { Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 60).rounded(.down) * 60) }
}

extension HotlinePane {
    /// Shows `view`, from the top of its list.
    mutating func show(_ view: TicketView, user: String, now: Date) -> [ConsoleEffect] {
        self.view = view
        viewUser = user
        queue.restriction = view.restriction(user: user, now: now)
        expanded = false
        return [.load(.list(queue.reloadQuery))]
    }

    /// The next (or previous) view of the role's.
    mutating func stepView(by step: Int, role: Role?, user: String, now: Date) -> [ConsoleEffect] {
        let views = TicketView.views(for: role)
        let at = views.firstIndex(of: view) ?? 0
        return show(views[(at + step + views.count) % views.count], user: user, now: now)
    }

    /// The clock moved: the overdue view takes in what fell due since the last minute.
    mutating func clock(_ now: Date) -> [ConsoleEffect] {
        guard view == .overdue else { return [] }
        let fresh = view.restriction(user: viewUser, now: now)
        guard fresh != queue.restriction else { return [] }
        queue.restriction = fresh
        return [.load(.list(queue.refreshQuery))]
    }

    /// `待派单 · 我的 · 待回访 …` with the current view marked, for the queue's title.
    func viewTabs(role: Role?, language: Language) -> String {
        TicketView.views(for: role).map { $0 == view ? "[\($0.title(language))]" : $0.title(language) }.joined(separator: " ")
    }
}
