/// A frame with a title; widgets draw inside `inner(_:)`.
public struct Block: Sendable {
    public var title: [Span]
    public var borderStyle: Style
    public var titleRight: [Span]

    public init(title: [Span] = [], titleRight: [Span] = [], borderStyle: Style = .plain) {
        self.title = title
        self.titleRight = titleRight
        self.borderStyle = borderStyle
    }

    public static func inner(_ area: Rect) -> Rect { area.inset(by: 1) }

    public func render(in area: Rect, into buffer: inout Buffer) {
        guard area.width >= 2, area.height >= 2 else { return }
        let horizontal = String(repeating: "─", count: area.width - 2)
        buffer.write("┌" + horizontal + "┐", x: area.x, y: area.y, style: borderStyle, clip: area)
        for y in (area.y + 1)..<(area.maxY - 1) {
            buffer.write("│", x: area.x, y: y, style: borderStyle, clip: area)
            buffer.write("│", x: area.maxX - 1, y: y, style: borderStyle, clip: area)
        }
        buffer.write("└" + horizontal + "┘", x: area.x, y: area.maxY - 1, style: borderStyle, clip: area)
        let titleClip = Rect(x: area.x + 1, y: area.y, width: area.width - 2, height: 1)
        if !title.isEmpty {
            buffer.write([Span(" ", borderStyle)] + title + [Span(" ", borderStyle)], x: area.x + 1, y: area.y, clip: titleClip)
        }
        if !titleRight.isEmpty {
            let width = titleRight.reduce(0) { $0 + $1.text.displayWidth } + 2
            let x = max(area.x + 1, area.maxX - 1 - width)
            buffer.write([Span(" ", borderStyle)] + titleRight + [Span(" ", borderStyle)], x: x, y: area.y, clip: titleClip)
        }
    }
}
