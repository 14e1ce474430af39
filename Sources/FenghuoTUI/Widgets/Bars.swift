/// Pane tabs along the title bar: `1 调度  2 热线 …`, the active one highlighted.
public struct Tabs: Sendable {
    public var titles: [String]
    public var active: Int
    public init(titles: [String], active: Int) {
        self.titles = titles
        self.active = active
    }

    /// Columns the tabs take.
    public var width: Int { titles.enumerated().reduce(0) { $0 + " \($1.offset + 1) \($1.element) ".displayWidth + 1 } }

    @discardableResult
    public func render(at x: Int, y: Int, into buffer: inout Buffer, theme: Theme, clip: Rect) -> Int {
        var col = x
        for (i, title) in titles.enumerated() {
            let style = i == active ? theme[.tabActive] : theme[.tabInactive]
            col = buffer.write(" \(i + 1) \(title) ", x: col, y: y, style: style, clip: clip)
            col = buffer.write(" ", x: col, y: y, style: theme[.title], clip: clip)
        }
        return col
    }
}

/// A one-line bar: spans from the left, spans from the right, background in between.
public struct StatusBar: Sendable {
    public var left: [Span]
    public var right: [Span]
    public var style: Style
    public init(left: [Span], right: [Span] = [], style: Style) {
        self.left = left
        self.right = right
        self.style = style
    }

    public func render(in area: Rect, into buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        let row = area.row(0)
        buffer.fill(row, style: style)
        let rightWidth = right.reduce(0) { $0 + $1.text.displayWidth }
        let rightX = max(area.x, area.maxX - rightWidth)
        buffer.write(left, x: area.x, y: area.y, clip: Rect(x: area.x, y: area.y, width: rightX - area.x, height: 1))
        buffer.write(right, x: rightX, y: area.y, clip: row)
    }
}

/// The `:` and `/` line: a prompt, the text being edited, and a cursor cell.
public struct PromptLine: Sendable {
    public var prompt: String
    public var input: TextInput
    public var hint: String
    public init(prompt: String, input: TextInput, hint: String = "") {
        self.prompt = prompt
        self.input = input
        self.hint = hint
    }

    /// Draws the line; returns the screen column of the cursor.
    @discardableResult
    public func render(in area: Rect, into buffer: inout Buffer, theme: Theme) -> Int {
        let row = area.row(0)
        buffer.fill(row, style: theme[.prompt])
        let textX = buffer.write(prompt, x: area.x, y: area.y, style: theme[.prompt].adding(.bold), clip: row)
        // Keep the cursor in view on a long line by scrolling the text left.
        let room = max(1, area.maxX - textX - 1)
        var visible = input.text
        var shift = 0
        while input.cursorColumn - shift >= room, !visible.isEmpty {
            shift += DisplayWidth.of(visible.removeFirst())
        }
        let end = buffer.write(visible, x: textX, y: area.y, style: theme[.prompt], clip: row)
        let cursorX = textX + input.cursorColumn - shift
        let under = cursorX < end ? buffer[cursorX, area.y].symbol : " "
        buffer.write(under.isEmpty ? " " : under, x: cursorX, y: area.y, style: theme[.promptCursor], clip: row)
        if input.isEmpty, !hint.isEmpty {
            buffer.write(hint, x: cursorX + 2, y: area.y, style: theme[.muted].over(theme[.prompt]), clip: row)
        }
        return cursorX
    }
}

/// Values as a row of block bars, scaled to the largest (▁ … █).
public struct Sparkline: Sendable {
    public var values: [Int]
    static let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    public init(values: [Int]) { self.values = values }

    public func render(in area: Rect, into buffer: inout Buffer, style: Style) {
        guard !area.isEmpty, !values.isEmpty else { return }
        let peak = max(values.max() ?? 0, 1)
        let rows = area.height
        // Every column shows a value: with more columns than values each value spans several;
        // with fewer, the newest values are kept.
        let shown = Array(values.suffix(area.width))
        for col in 0..<area.width {
            let value = shown[col * shown.count / area.width]
            // Height in eighths over all rows of the area.
            let eighths = value == 0 ? 0 : max(1, value * rows * 8 / peak)
            for r in 0..<rows {
                let level = eighths - (rows - 1 - r) * 8
                let symbol: String = level <= 0 ? " " : String(Self.bars[min(level, 8) - 1])
                buffer.write(symbol, x: area.x + col, y: area.y + r, style: style, clip: area)
            }
        }
    }
}
