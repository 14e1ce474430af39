/// Lines of styled text, wrapped to the width: Chinese breaks between any two characters,
/// Latin text at spaces where it can.
public struct Paragraph: Sendable {
    public var lines: [[Span]]
    public init(_ lines: [[Span]]) { self.lines = lines }

    /// The lines as they wrap at `width`.
    public func wrapped(toWidth width: Int) -> [[Span]] {
        guard width > 0 else { return [] }
        var out: [[Span]] = []
        for line in lines {
            var current: [Span] = []
            var used = 0
            for span in line {
                var pending = ""
                for token in Self.tokens(span.text) {
                    let w = token.displayWidth
                    if used + w > width, used > 0 {
                        if !pending.isEmpty { current.append(Span(pending, span.style)) }
                        out.append(current)
                        current = []
                        pending = ""
                        used = 0
                        if token == " " { continue }
                    }
                    if w > width {
                        // A word longer than the line: break it by characters.
                        for c in token {
                            let cw = DisplayWidth.of(c)
                            if used + cw > width {
                                current.append(Span(pending, span.style))
                                out.append(current)
                                current = []
                                pending = ""
                                used = 0
                            }
                            pending.append(c)
                            used += cw
                        }
                        continue
                    }
                    pending += token
                    used += w
                }
                if !pending.isEmpty { current.append(Span(pending, span.style)) }
            }
            out.append(current)
        }
        return out
    }

    /// Runs of Latin letters and digits stay together; every other character stands alone.
    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var word = ""
        for c in text {
            if c.isASCII, c.isLetter || c.isNumber || c == "-" || c == "." || c == "'" {
                word.append(c)
            } else {
                if !word.isEmpty { tokens.append(word); word = "" }
                tokens.append(String(c))
            }
        }
        if !word.isEmpty { tokens.append(word) }
        return tokens
    }

    /// Draws from line `scroll` of the wrapped text; returns the number of wrapped lines.
    @discardableResult
    public func render(in area: Rect, into buffer: inout Buffer, scroll: Int = 0) -> Int {
        let all = wrapped(toWidth: area.width)
        for (i, line) in all.dropFirst(scroll).prefix(area.height).enumerated() {
            buffer.write(line, x: area.x, y: area.y + i, clip: area)
        }
        return all.count
    }
}
