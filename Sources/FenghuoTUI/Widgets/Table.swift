/// Rows under a header, columns that flex with the width (see `Table.Column`). The caller hands
/// over only the rows that are visible (the panes page by key), so drawing costs the same at any
/// table size.
public struct Table: Sendable {
    /// A column's title and how it takes part in the width: every column shown gets `min`; what
    /// is left brings the most valuable columns (highest `priority`) up to `ideal` first; what is
    /// left after that is shared by `grow` up to `max`. When even the minimums do not fit, the
    /// least valuable column goes, then the next. So at a narrow width the low-value columns
    /// shrink first and then drop, and at a wide one the growing columns (addresses, names) take
    /// the room instead of every column being padded with blanks.
    public struct Column: Sendable {
        public var title: String
        /// The title where `title` does not fit (`余日` for `剩余工作日`).
        public var shortTitle: String?
        public var min: Int
        public var ideal: Int
        /// nil: no cap.
        public var max: Int?
        /// Higher is kept longer; among equals, the column further left.
        public var priority: Int
        /// Share of the room beyond the ideals; 0 never grows past `ideal`.
        public var grow: Int
        public var alignRight: Bool

        public init(_ title: String, short shortTitle: String? = nil, min: Int, ideal: Int? = nil, max: Int? = nil,
                    priority: Int = 0, grow: Int = 0, alignRight: Bool = false) {
            self.title = title
            self.shortTitle = shortTitle
            let least = Swift.max(1, min), wanted = Swift.max(least, ideal ?? min)
            self.min = least
            self.ideal = wanted
            self.max = max.map { Swift.max($0, wanted) }
            self.priority = priority
            self.grow = Swift.max(0, grow)
            self.alignRight = alignRight
        }

        /// A fixed width.
        public init(_ title: String, width: Int, priority: Int = 0, alignRight: Bool = false) {
            self.init(title, min: width, ideal: width, max: width, priority: priority, alignRight: alignRight)
        }

        /// A column from a layout constraint, all of equal value (the rightmost goes first):
        /// `length(n)` is fixed, `min(n)` starts at n and grows, `max(n)` grows up to n, `fill(w)`
        /// is one cell that grows by weight w.
        public init(_ title: String, _ width: Layout.Constraint, alignRight: Bool = false) {
            switch width {
            case .length(let n): self.init(title, width: n, alignRight: alignRight)
            case .min(let n): self.init(title, min: n, grow: 1, alignRight: alignRight)
            case .max(let n): self.init(title, min: 1, ideal: n, max: n, alignRight: alignRight)
            case .fill(let w): self.init(title, min: 1, grow: Swift.max(1, w), alignRight: alignRight)
            case .percentage, .ratio: self.init(title, min: 1, grow: 1, alignRight: alignRight)
            }
        }
    }

    /// One cell's text in one or more forms, longest first (`Municipal Civil Affairs Bureau`,
    /// `Civil Affairs`). A column shows the same form in every visible row, the longest form at
    /// which they all fit (so `住建` never sits above `市民政局`); where even the shortest does not
    /// fit, it is cut with `…`.
    public struct Cell: Sendable {
        public var forms: [String]
        public var style: Style
        public init(_ text: String, _ style: Style = .plain) {
            forms = [text]
            self.style = style
        }

        public init(forms: [String], _ style: Style = .plain) {
            self.forms = forms.isEmpty ? [""] : forms
            self.style = style
        }

        /// The form at `level` (the shortest if there are fewer), in `width` columns: whole, or
        /// cut so that no wide character is halved.
        public func text(level: Int = 0, fitting width: Int) -> String {
            forms[min(level, forms.count - 1)].truncated(toWidth: width)
        }

        func fits(level: Int, _ width: Int) -> Bool { forms[min(level, forms.count - 1)].displayWidth <= width }
    }

    /// The longest form level at which every cell fits `width`; the shortest when none does.
    static func level(of cells: [Cell], fitting width: Int) -> Int {
        let levels = cells.reduce(1) { max($0, $1.forms.count) }
        if levels == 1 { return 0 }  // one form: nothing to choose, nothing to measure
        return (0..<levels).first { level in cells.allSatisfy { $0.fits(level: level, width) } } ?? levels - 1
    }

    public struct Row: Sendable {
        public var cells: [Cell]
        public init(_ cells: [Span]) { self.cells = cells.map { Cell($0.text, $0.style) } }
        public init(cells: [Cell]) { self.cells = cells }
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

    /// Each column's place on the header row; a dropped column has width 0 (and takes no gap).
    public func columnRects(in area: Rect) -> [Rect] {
        var x = area.x
        return Self.widths(columns, in: area.width).map { width in
            defer { if width > 0 { x += width + 1 } }
            return Rect(x: x, y: area.y, width: width, height: 1)
        }
    }

    public func render(in area: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        let rects = columnRects(in: area)
        buffer.fill(area.row(0), style: theme[.header])
        for (column, rect) in zip(columns, rects) where rect.width > 0 {
            let title = Cell(forms: [column.title] + (column.shortTitle.map { [$0] } ?? []))
            let text = title.text(level: Self.level(of: [title], fitting: rect.width), fitting: rect.width)
            buffer.write(text.padded(toWidth: rect.width, alignRight: column.alignRight),
                         x: rect.x, y: area.y, style: theme[.header], clip: rect)
        }
        if rows.isEmpty, !emptyText.isEmpty, area.height > 1 {
            buffer.write(emptyText, x: area.x + 1, y: area.y + 1, style: theme[.muted], clip: area)
        }
        let visible = rows.prefix(Self.visibleRows(in: area))
        let levels = rects.indices.map { n in
            Self.level(of: visible.compactMap { n < $0.cells.count ? $0.cells[n] : nil }, fitting: rects[n].width)
        }
        for (index, row) in visible.enumerated() {
            let y = area.y + 1 + index
            let isSelected = index == selected
            let rowStyle = isSelected ? theme[focused ? .selected : .selectedUnfocused] : theme[.base]
            buffer.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: rowStyle)
            for (n, (cell, (column, rect))) in zip(row.cells, zip(columns, rects)).enumerated() where rect.width > 0 {
                let style = isSelected ? rowStyle.adding(cell.style.modifiers) : cell.style.over(theme[.base])
                // The cell's blanks, then its text over them: the same cells as writing the text
                // padded with spaces, without building and walking the padding each frame.
                let line = Rect(x: rect.x, y: y, width: rect.width, height: 1)
                let text = cell.text(level: levels[n], fitting: rect.width)
                buffer.fill(line, style: style)
                let x = column.alignRight ? rect.x + max(0, rect.width - text.displayWidth) : rect.x
                buffer.write(text, x: x, y: y, style: style, clip: line)
            }
        }
    }
}
