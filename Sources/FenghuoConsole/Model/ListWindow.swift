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
    /// Rows that fit on screen; set by the pane from its layout.
    public var capacity = 10

    let list: ListID
    let key: @Sendable (Row) -> SortKey
    let id: @Sendable (Row) -> String

    public init(list: ListID, key: @escaping @Sendable (Row) -> SortKey, id: @escaping @Sendable (Row) -> String) {
        self.list = list
        self.key = key
        self.id = id
    }

    public var selectedRow: Row? { rows.indices.contains(selected) ? rows[selected] : nil }

    private func query(_ anchor: PageRequest.Anchor, _ intent: ScrollIntent, limit: Int? = nil) -> ListQuery {
        ListQuery(list: list, page: PageRequest(anchor: anchor, limit: limit ?? capacity, filter: filter), intent: intent)
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
    public func bottom() -> ListQuery { query(.last, .bottom) }

    /// Merges an answer into the window according to what asked for it.
    public mutating func apply(_ page: Page<Row>, for q: ListQuery) {
        guard q.page.filter == filter else { return }  // an answer to a filter the user has since changed
        let previousID = selectedRow.map(id)
        loaded = true
        total = page.total
        switch q.intent {
        case .lineDown:
            guard !page.rows.isEmpty else { hasMoreAfter = false; return }
            rows = page.rows
            selected = rows.count - 1
        case .lineUp:
            guard let row = page.rows.first else { hasMoreBefore = false; return }
            rows = [row] + rows.prefix(max(0, capacity - 1))
            selected = 0
            hasMoreBefore = page.hasMoreBefore
            hasMoreAfter = true
            offset = page.offset
            return
        case .pageDown, .pageUp:
            guard !page.rows.isEmpty else { return }
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
        }
        hasMoreBefore = page.hasMoreBefore
        hasMoreAfter = page.hasMoreAfter
        offset = page.offset
    }

    /// Number of the selected row in the whole list (1-based; 0 when the list is empty).
    public var position: Int { rows.isEmpty ? 0 : offset + selected + 1 }
}
