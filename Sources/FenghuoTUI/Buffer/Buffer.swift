/// One terminal cell: a grapheme that takes `width` columns. The cell right of a wide
/// grapheme is its continuation (width 0, empty symbol) and is never drawn on its own.
public struct Cell: Hashable, Sendable {
    public var symbol: String
    public var width: UInt8
    public var style: Style

    public init(symbol: String = " ", width: UInt8 = 1, style: Style = .plain) {
        self.symbol = symbol
        self.width = width
        self.style = style
    }

    public static let blank = Cell()
    public var isContinuation: Bool { width == 0 }
}

/// A styled span of text: the unit widgets lay out.
public struct Span: Hashable, Sendable {
    public var text: String
    public var style: Style
    public init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }
}

/// A grid of cells the widgets draw into; a backend shows it. Writing never splits a wide
/// character: one that does not fit before the clip edge leaves a blank instead, and
/// overwriting half of a wide character blanks its other half.
public struct Buffer: Hashable, Sendable {
    public let area: Rect
    public private(set) var cells: [Cell]

    public init(size: Size, fill: Cell = .blank) {
        area = Rect(size: size)
        cells = Array(repeating: fill, count: size.width * size.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * area.width + x] }
        set { cells[y * area.width + x] = newValue }
    }

    public func contains(x: Int, y: Int) -> Bool { x >= 0 && y >= 0 && x < area.width && y < area.height }

    /// Fills `rect` with blanks in `style`.
    public mutating func fill(_ rect: Rect, style: Style) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { put(Cell(symbol: " ", width: 1, style: style), x: x, y: y) }
        }
    }

    /// Writes `text` from (x, y), clipped at `clip` (default: the buffer's right edge).
    /// Returns the column after the last one written.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: Style, clip: Rect? = nil) -> Int {
        let bounds = (clip ?? area).intersection(area)
        guard y >= bounds.y, y < bounds.maxY else { return x }
        var col = x
        for character in text {
            var symbol = String(character)
            var width = DisplayWidth.of(character)
            if character.isNewline || character == "\t" {
                symbol = " "
                width = 1
            } else if character.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
                // (The control characters, Cc, are exactly C0, DEL and C1: tested by value, not
                // by a category lookup per character drawn.)
                continue  // never let data put escape codes on the terminal
            }
            if width == 0 {
                // A mark with no base of its own joins the cell before it.
                if col - 1 >= bounds.x, col - 1 < bounds.maxX {
                    var base = col - 1
                    if self[base, y].isContinuation, base > 0 { base -= 1 }
                    self[base, y].symbol += symbol
                }
                continue
            }
            if col >= bounds.maxX { break }
            if col < bounds.x {
                col += width
                continue
            }
            if col + width > bounds.maxX {
                put(Cell(symbol: " ", width: 1, style: style), x: col, y: y)  // never half a character
                col = bounds.maxX
                break
            }
            put(Cell(symbol: symbol, width: UInt8(width), style: style), x: col, y: y)
            if width == 2 { put(Cell(symbol: "", width: 0, style: style), x: col + 1, y: y) }
            col += width
        }
        return col
    }

    @discardableResult
    public mutating func write(_ spans: [Span], x: Int, y: Int, clip: Rect? = nil) -> Int {
        var col = x
        for span in spans { col = write(span.text, x: col, y: y, style: span.style, clip: clip) }
        return col
    }

    /// Sets one cell, first blanking any wide character it would cut in half.
    private mutating func put(_ cell: Cell, x: Int, y: Int) {
        guard contains(x: x, y: y) else { return }
        let old = self[x, y]
        if old.isContinuation, x > 0, self[x - 1, y].width == 2 {
            self[x - 1, y] = Cell(symbol: " ", width: 1, style: self[x - 1, y].style)
        }
        if old.width == 2, x + 1 < area.width, self[x + 1, y].isContinuation {
            self[x + 1, y] = Cell(symbol: " ", width: 1, style: old.style)
        }
        self[x, y] = cell
    }

    /// Restyles cells in `rect`, keeping their text (e.g. to mark a selected row).
    public mutating func restyle(_ rect: Rect, _ transform: (Style) -> Style) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { self[x, y].style = transform(self[x, y].style) }
        }
    }

    /// The text of one row, each wide character once (continuations skipped).
    public func line(_ y: Int) -> String {
        var s = ""
        for x in 0..<area.width where !self[x, y].isContinuation { s += self[x, y].symbol }
        return s
    }

    /// All rows as text, trailing spaces kept so columns line up in golden files.
    public var lines: [String] { (0..<area.height).map(line) }
}
