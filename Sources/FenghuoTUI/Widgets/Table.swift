/// Rows under a header, columns sized by constraints. The caller hands over only the rows
/// that are visible (the panes page by key), so drawing costs the same at any table size.
public struct Table: Sendable {
    public struct Column: Sendable {
        public var title: String
        public var width: Layout.Constraint
        public var alignRight: Bool
        public init(_ title: String, _ width: Layout.Constraint, alignRight: Bool = false) {
            self.title = title
            self.width = width
            self.alignRight = alignRight
        }
    }

    public struct Row: Sendable {
        public var cells: [Span]
        public init(_ cells: [Span]) { self.cells = cells }
    }

    public var columns: [Column]
    public var rows: [Row]
    public var selected: Int?
    public var focused: Bool
    /// Shown in place of rows when there are none.
    public var emptyText: String

    public init(columns: [Column], rows: [Row], selected: Int? = nil, focused: Bool = true, emptyText: String = "") {
        self.columns = columns
        self.rows = rows
        self.selected = selected
        self.focused = focused
        self.emptyText = emptyText
    }

    /// How many rows fit in `area` below the header.
    public static func visibleRows(in area: Rect) -> Int { max(0, area.height - 1) }

    public func columnRects(in area: Rect) -> [Rect] {
        Layout.horizontal(columns.map(\.width), spacing: 1).split(Rect(x: area.x, y: area.y, width: area.width, height: 1))
    }

    public func render(in area: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        let rects = columnRects(in: area)
        buffer.fill(area.row(0), style: theme[.header])
        for (column, rect) in zip(columns, rects) {
            buffer.write(column.title.padded(toWidth: rect.width, alignRight: column.alignRight),
                         x: rect.x, y: area.y, style: theme[.header], clip: rect)
        }
        if rows.isEmpty, !emptyText.isEmpty, area.height > 1 {
            buffer.write(emptyText, x: area.x + 1, y: area.y + 1, style: theme[.muted], clip: area)
        }
        for (index, row) in rows.prefix(Self.visibleRows(in: area)).enumerated() {
            let y = area.y + 1 + index
            let isSelected = index == selected
            let rowStyle = isSelected ? theme[focused ? .selected : .selectedUnfocused] : theme[.base]
            buffer.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: rowStyle)
            for (cell, (column, rect)) in zip(row.cells, zip(columns, rects)) {
                let style = isSelected ? rowStyle.adding(cell.style.modifiers) : cell.style.over(theme[.base])
                // The cell's blanks, then its text over them: the same cells as writing the text
                // padded with spaces, without building and walking the padding each frame.
                let line = Rect(x: rect.x, y: y, width: rect.width, height: 1)
                let text = cell.text.truncated(toWidth: rect.width)
                buffer.fill(line, style: style)
                let x = column.alignRight ? rect.x + max(0, rect.width - text.displayWidth) : rect.x
                buffer.write(text, x: x, y: y, style: style, clip: line)
            }
        }
    }
}
