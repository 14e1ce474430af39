/// Lines of styled text with one selected, scrolled so the selection stays in view. Lines that
/// cannot be selected (group headers) are drawn but skipped by the caller's movement.
public struct ListView: Sendable {
    public struct Item: Sendable {
        public var spans: [Span]
        public var isHeader: Bool
        public init(_ spans: [Span], isHeader: Bool = false) {
            self.spans = spans
            self.isHeader = isHeader
        }
    }

    public var items: [Item]
    /// Index into `items` of the selected line, if any.
    public var selected: Int?
    public var focused: Bool

    public init(items: [Item], selected: Int?, focused: Bool) {
        self.items = items
        self.selected = selected
        self.focused = focused
    }

    /// The first line shown: the selection sits mid-screen where the list allows.
    public func firstVisible(height: Int) -> Int {
        guard let selected, items.count > height else { return 0 }
        return max(0, min(selected - height / 2, items.count - height))
    }

    public func render(in area: Rect, into buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        let first = firstVisible(height: area.height)
        for (row, index) in (first..<min(items.count, first + area.height)).enumerated() {
            let item = items[index]
            let y = area.y + row
            let line = Rect(x: area.x, y: y, width: area.width, height: 1)
            if item.isHeader {
                buffer.fill(line, style: theme[.header])
                buffer.write(item.spans.map { Span($0.text, theme[.header]) }, x: area.x, y: y, clip: line)
                continue
            }
            let isSelected = index == selected && focused
            buffer.fill(line, style: isSelected ? theme[.selected] : theme[.base])
            // What does not fit ends in …, never in a silently cut word.
            var room = area.width
            let spans = item.spans.map { span -> Span in
                let text = span.text.truncated(toWidth: max(0, room))
                room -= text.displayWidth
                return Span(text, isSelected ? theme[.selected] : span.style.over(theme[.base]))
            }
            buffer.write(spans, x: area.x, y: y, clip: line)
        }
    }
}
