import FenghuoDomain
import FenghuoTUI
import Foundation

/// A pane of the console as the root model sees it: it lays itself out, asks for its reads,
/// takes the keys the root does not, takes the answers meant for it, filters its list, and
/// draws itself. The root routes by the active pane through this protocol only (as Bubble Tea
/// parents route by focus); a new pane is a type that conforms and a `PaneID` case.
protocol Pane: Sendable {
    static var id: PaneID { get }
    /// The roles whose work it is (`Roles.swift`); to another role it says what it is for and
    /// how to open it, instead of an empty table.
    static var roles: Set<Role> { get }
    mutating func layout(body: Rect)
    /// Reads for a first look (the list from its top).
    func reloadEffects() -> [ConsoleEffect]
    /// Reads that keep what is on screen current.
    func refreshEffects(now: Date) -> [ConsoleEffect]
    /// A key the root did not take; nil when the pane has no use for it either.
    mutating func handle(_ key: Key, map: KeyMap) -> [ConsoleEffect]?
    /// An answer from the loop; nil when it is not this pane's.
    mutating func apply(_ response: DataResponse) -> [ConsoleEffect]?
    /// The text the `/` filter edits; nil where there is no list to filter (or a detail is open).
    var filterText: String? { get }
    mutating func setFilter(_ text: String) -> [ConsoleEffect]
    /// The `/` prompt opened on this pane.
    mutating func startFilter()
    /// The bindings shown for this pane in `?` and the hint bar.
    static func bindings(_ map: KeyMap) -> [KeyBinding]
    func render(in body: Rect, into buffer: inout Buffer, context: ConsoleContext)
}

extension Pane {
    mutating func layout(body: Rect) {}
    func reloadEffects() -> [ConsoleEffect] { refreshEffects(now: Date.distantPast) }
    mutating func handle(_ key: Key, map: KeyMap) -> [ConsoleEffect]? { nil }
    var filterText: String? { nil }
    mutating func setFilter(_ text: String) -> [ConsoleEffect] { [] }
    mutating func startFilter() {}
    static func bindings(_ map: KeyMap) -> [KeyBinding] { [] }
    /// The write verbs that act on this pane's selection.
    var verbs: [Verb] { Verb.all.filter { $0.pane == Self.id } }
}

extension PaneID {
    /// The pane type behind the id: with the subscript below, the only places an id is mapped.
    var type: any Pane.Type {
        switch self {
        case .dispatch: DispatchPane.self
        case .hotline: HotlinePane.self
        case .approvals: ApprovalsPane.self
        case .dashboard: DashboardPane.self
        }
    }
}

extension ConsoleModel {
    /// The pane with `id`: the one place a pane id maps to its state.
    subscript(pane id: PaneID) -> any Pane {
        get {
            switch id {
            case .dispatch: dispatch
            case .hotline: hotline
            case .approvals: approvals
            case .dashboard: dashboard
            }
        }
        set {
            switch newValue {
            case let p as DispatchPane: dispatch = p
            case let p as HotlinePane: hotline = p
            case let p as ApprovalsPane: approvals = p
            case let p as DashboardPane: dashboard = p
            default: preconditionFailure("unknown pane \(type(of: newValue))")
            }
        }
    }
}
