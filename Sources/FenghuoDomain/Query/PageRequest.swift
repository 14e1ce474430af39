import Foundation
/// One value of a list's sort key; lists page by key (keyset paging), never by offset.
public enum SortValue: Hashable, Sendable, Comparable {
    case int(Int64)
    case text(String)

    public static func < (a: SortValue, b: SortValue) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): x < y
        case (.text(let x), .text(let y)): x < y
        case (.int, .text): true
        case (.text, .int): false
        }
    }
}

/// Where a row sits in its list's order: compared value by value, ending with the row's id.
public struct SortKey: Hashable, Sendable, Comparable {
    public let values: [SortValue]
    public init(_ values: [SortValue]) { self.values = values }
    public static func < (a: SortKey, b: SortKey) -> Bool { a.values.lexicographicallyPrecedes(b.values) }
}

/// A window of a sorted list: `limit` rows next to an anchor, optionally filtered by text.
public struct PageRequest: Hashable, Sendable {
    public enum Anchor: Hashable, Sendable {
        case first
        case last
        case after(SortKey)
        case atOrAfter(SortKey)
        case before(SortKey)
    }

    public var anchor: Anchor
    public var limit: Int
    /// Free text the user typed after `/`; empty means no filter.
    public var filter: String
    /// Conditions on single columns (status, district), besides the free text.
    public var columns: ColumnFilter

    public init(anchor: Anchor = .first, limit: Int, filter: String = "", columns: ColumnFilter = ColumnFilter()) {
        self.anchor = anchor
        self.limit = limit
        self.filter = filter
        self.columns = columns
    }
}

/// A list's conditions on single columns, as codes: the console turns the words on screen
/// (`状态:待派`, `辖区:江北`, a status word in the free text) into them.
public struct ColumnFilter: Hashable, Sendable {
    /// Only rows in one of these statuses (raw values); nil: any status.
    public var statuses: Set<String>?
    /// Only rows whose district's name (Chinese or English) begins with this; nil: any district.
    public var districtPrefix: String?
    /// Statuses whose word on screen contains the free text: the text also finds rows in them.
    public var statusesNamedByText: Set<String>

    /// Only rows whose deadline is before this instant (overdue as of it); nil: any deadline.
    public var dueBefore: Date?
    /// Only rows with a step or note by this user in their timeline (经我手); nil: anyone's.
    public var touchedBy: String?

    public init(statuses: Set<String>? = nil, districtPrefix: String? = nil, statusesNamedByText: Set<String> = [],
                dueBefore: Date? = nil, touchedBy: String? = nil) {
        self.statuses = statuses
        self.districtPrefix = districtPrefix
        self.statusesNamedByText = statusesNamedByText
        self.dueBefore = dueBefore
        self.touchedBy = touchedBy
    }

    /// Both conditions at once: statuses intersect; a district prefix of `other` wins.
    public func and(_ other: ColumnFilter) -> ColumnFilter {
        let statuses: Set<String>? = switch (self.statuses, other.statuses) {
        case (nil, nil): nil
        case (let a?, nil): a
        case (nil, let b?): b
        case (let a?, let b?): a.intersection(b)
        }
        let due: Date? = switch (dueBefore, other.dueBefore) {
        case (nil, nil): nil
        case (let a?, nil), (nil, let a?): a
        case (let a?, let b?): min(a, b)
        }
        return ColumnFilter(statuses: statuses, districtPrefix: other.districtPrefix ?? districtPrefix,
                            statusesNamedByText: statusesNamedByText.union(other.statusesNamedByText),
                            dueBefore: due, touchedBy: other.touchedBy ?? touchedBy)
    }

    public var isEmpty: Bool {
        statuses == nil && districtPrefix == nil && statusesNamedByText.isEmpty && dueBefore == nil && touchedBy == nil
    }
}

/// A page of rows in list order, and whether rows exist beyond each end of it.
public struct Page<Row: Sendable>: Sendable {
    public var rows: [Row]
    public var hasMoreBefore: Bool
    public var hasMoreAfter: Bool
    /// Rows matching the request's filter in the whole list.
    public var total: Int
    /// Matching rows before the first row of this page (its first row is number offset + 1).
    public var offset: Int

    public init(rows: [Row], hasMoreBefore: Bool, hasMoreAfter: Bool, total: Int, offset: Int = 0) {
        self.rows = rows
        self.hasMoreBefore = hasMoreBefore
        self.hasMoreAfter = hasMoreAfter
        self.total = total
        self.offset = offset
    }
}

public extension Incident {
    /// Dispatch queue order: waiting (待派) first, then the open ones, resolved last; within
    /// each, most urgent first, then oldest first.
    var sortKey: SortKey {
        SortKey([.int(Int64(status.queueRank)), .int(Int64(priority.rawValue)),
                 .int(Int64(createdAt.timeIntervalSince1970)), .text(id)])
    }
}

public extension IncidentStatus {
    /// Where incidents in this status sort in the dispatch queue: what still needs a unit comes
    /// first, what only waits for its paperwork last.
    var queueRank: Int {
        switch self {
        case .new: 0
        case .dispatched, .enRoute, .onScene, .working: 1
        case .resolved: 2
        case .closed, .merged, .cancelled: 3
        }
    }
}

public extension Ticket {
    /// Hotline queue order: nearest deadline first.
    var sortKey: SortKey { SortKey([.int(Int64(deadlineAt.timeIntervalSince1970)), .text(id)]) }
}

public extension ApprovalCase {
    /// Approval queue order: nearest statutory deadline first.
    var sortKey: SortKey { SortKey([.int(Int64(deadline.dayNumber)), .text(id)]) }
}
