import FenghuoDomain

/// The visible window of a long sorted list: only the rows on screen are held; moving past an
/// edge asks for the next window by key. Selection is an index into `rows`.
public struct ListWindow<Row: Sendable>: Sendable {
    public private(set) var rows: [Row] = []
    public private(set) var selected = 0
    public private(set) var hasMoreBefore = false
    public private(set) var hasMoreAfter = false
    public private(set) var total = 0
    /// List rows before the first row in the window.
    public private(set) var offset = 0
    public private(set) var loaded = false
    public var filter = ""
    /// A condition the pane adds to the typed filter (the dispatch desk's waiting-only `w`).
    public var restriction = ColumnFilter()
    /// Rows that fit on screen; set by the pane from its layout.
    public var capacity = 10
    /// A refresh that lost the selected row, held while the list from that row on is read.
    private var following: (row: Row, refresh: Page<Row>)?

    let list: ListID
    let key: @Sendable (Row) -> SortKey
    let id: @Sendable (Row) -> String
    /// Reads the typed filter: its free text and its column conditions (`状态:待派`).
    let parseFilter: @Sendable (String) -> (text: String, columns: ColumnFilter)

    public init(list: ListID, key: @escaping @Sendable (Row) -> SortKey, id: @escaping @Sendable (Row) -> String) {
        self.init(list: list, key: key, id: id) { ($0, ColumnFilter()) }
    }

    init(list: ListID, key: @escaping @Sendable (Row) -> SortKey, id: @escaping @Sendable (Row) -> String,
         parseFilter: @escaping @Sendable (String) -> (text: String, columns: ColumnFilter)) {
        self.list = list
        self.key = key
        self.id = id
        self.parseFilter = parseFilter
    }

    /// What the store is asked for: the filter's free text, and its conditions with the pane's.
    private var criteria: (text: String, columns: ColumnFilter) {
        let parsed = parseFilter(filter)
        return (parsed.text, parsed.columns.and(restriction))
    }

    /// Whether the list shows only some of its rows (a filter typed, or a toggle on).
    public var isFiltered: Bool { !filter.isEmpty || !restriction.isEmpty }

    public var selectedRow: Row? { rows.indices.contains(selected) ? rows[selected] : nil }

    private func query(_ anchor: PageRequest.Anchor, _ intent: ScrollIntent, limit: Int? = nil) -> ListQuery {
        let criteria = self.criteria
        return ListQuery(list: list, page: PageRequest(anchor: anchor, limit: limit ?? capacity, filter: criteria.text,
                                                       columns: criteria.columns), intent: intent)
    }

    /// The query that refreshes the window in place (same first row), e.g. on a clock tick.
    public var refreshQuery: ListQuery {
        query(rows.first.map { .atOrAfter(key($0)) } ?? .first, .refresh)
    }

    public var reloadQuery: ListQuery { query(.first, .reload) }

    /// Moves the selection by one; returns a query when the window has to move.
    public mutating func moveDown() -> ListQuery? {
        if selected + 1 < rows.count {
            selected += 1
            return nil
        }
        guard hasMoreAfter, let first = rows.first else { return nil }
        return query(.after(key(first)), .lineDown)
    }

    public mutating func moveUp() -> ListQuery? {
        if selected > 0 {
            selected -= 1
            return nil
        }
        guard hasMoreBefore, let first = rows.first else { return nil }
        return query(.before(key(first)), .lineUp, limit: 1)
    }

    public mutating func pageDown() -> ListQuery? {
        guard hasMoreAfter, let last = rows.last else {
            selected = max(0, rows.count - 1)
            return nil
        }
        return query(.after(key(last)), .pageDown)
    }

    public mutating func pageUp() -> ListQuery? {
        guard hasMoreBefore, let first = rows.first else {
            selected = 0
            return nil
        }
        return query(.before(key(first)), .pageUp)
    }

    public func top() -> ListQuery { query(.first, .top) }
    /// The window from `row` on, with it selected (its key is where it sorts).
    public func jump(to row: Row) -> ListQuery { query(.atOrAfter(key(row)), .top) }
    public func bottom() -> ListQuery { query(.last, .bottom) }

    /// What a merged answer means beyond the rows: the selected row has gone from the window
    /// (read on from it, to learn whether it left the list), or it left the list (the cursor is
    /// on `next` now, and the user must be told: the selection never moves silently).
    public enum Change {
        case follow(ListQuery)
        case departed(Row, next: Row?)
    }

    /// Merges an answer into the window according to what asked for it.
    @discardableResult
    public mutating func apply(_ page: Page<Row>, for q: ListQuery) -> Change? {
        // An answer to a filter the user has since changed.
        let criteria = self.criteria
        guard q.page.filter == criteria.text, q.page.columns == criteria.columns else { return nil }
        if q.intent == .follow { return follow(page) }
        // A window moved by the user ends a follow still waiting: the user chose where to look.
        if q.intent != .refresh { following = nil }
        let previous = selectedRow
        let previousID = previous.map(id)
        // The selected row is gone from a refreshed window: before the cursor moves, learn
        // whether the row is further down the list (new rows pushed it out) or left it.
        if q.intent == .refresh, let previous, let previousID, !page.rows.contains(where: { id($0) == previousID }) {
            following = (previous, page)
            return .follow(query(.atOrAfter(key(previous)), .follow))
        }
        loaded = true
        total = page.total
        switch q.intent {
        case .lineDown:
            guard !page.rows.isEmpty else { hasMoreAfter = false; return nil }
            rows = page.rows
            selected = rows.count - 1
        case .lineUp:
            guard let row = page.rows.first else { hasMoreBefore = false; return nil }
            rows = [row] + rows.prefix(max(0, capacity - 1))
            selected = 0
            hasMoreBefore = page.hasMoreBefore
            hasMoreAfter = true
            offset = page.offset
            return nil
        case .pageDown, .pageUp:
            guard !page.rows.isEmpty else { return nil }
            rows = page.rows
            selected = min(selected, rows.count - 1)
        case .top:
            rows = page.rows
            selected = 0
        case .bottom:
            rows = page.rows
            selected = max(0, rows.count - 1)
        case .reload:
            rows = page.rows
            selected = 0
        case .refresh:
            rows = page.rows
            // Keep the same record selected if it is still in view.
            if let previousID, let index = rows.firstIndex(where: { id($0) == previousID }) {
                selected = index
            } else {
                selected = min(selected, max(0, rows.count - 1))
            }
        case .follow:
            return nil
        }
        hasMoreBefore = page.hasMoreBefore
        hasMoreAfter = page.hasMoreAfter
        offset = page.offset
        return nil
    }

    /// The answer to a follow: the row heads it while it is in the list (the window moves to
    /// keep it selected); otherwise the refresh that lost it is applied with the cursor on the
    /// row after it.
    private mutating func follow(_ page: Page<Row>) -> Change? {
        guard let (row, refresh) = following else { return nil }
        following = nil
        let rowID = id(row)
        loaded = true
        total = page.total
        if let first = page.rows.first, id(first) == rowID {
            rows = page.rows
            selected = 0
            hasMoreBefore = page.hasMoreBefore
            hasMoreAfter = page.hasMoreAfter
            offset = page.offset
            return nil
        }
        rows = refresh.rows
        hasMoreBefore = refresh.hasMoreBefore
        hasMoreAfter = refresh.hasMoreAfter
        offset = refresh.offset
        total = refresh.total
        let gone = key(row)
        selected = rows.firstIndex { key($0) > gone } ?? max(0, rows.count - 1)
        return .departed(row, next: selectedRow)
    }

    /// Number of the selected row in the whole list (1-based; 0 when the list is empty).
    public var position: Int { rows.isEmpty ? 0 : offset + selected + 1 }
}

extension ListWindow {
    /// Applies an answer; returns the reads its change needs (the list on from a lost row, or
    /// the departed record, so the status line can say where it went) and whether the selected
    /// row left the list (a detail open on it closes rather than show its neighbour).
    mutating func merge(_ page: Page<Row>, for q: ListQuery,
                        ref: (String) -> RecordRef) -> (effects: [ConsoleEffect], departed: Bool) {
        switch apply(page, for: q) {
        case .follow(let query)?:
            return ([.load(.list(query))], false)
        case .departed(let row, let next)?:
            return ([.load(.record(ref(id(row)), .departed(next: next.map(id))))], true)
        case nil:
            return ([], false)
        }
    }
}
