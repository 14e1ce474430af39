/// Drawing a form: one row a field, `▸*标签  [值          ]  错误`, the labels in a column as
/// wide as the widest (by display width), the boxes lined up after it, errors beside the
/// boxes, and the bottom line for the hint or the discard question.
extension Form {
    /// Columns kept for errors right of the boxes, so a box never pushes its error off screen.
    static func errorRoom(forWidth width: Int) -> Int { min(24, width / 4) }

    /// Where things go in `area`: the shared columns, each field's top row, the bottom line.
    struct Placement {
        let area: Rect
        let labelWidth: Int
        /// Column of the `[` of every box.
        let boxX: Int
        let fieldRows: Rect
        let footer: Rect?
        /// Row of each field's first line, after scrolling the focused field into view.
        let tops: [Int]
        let innerWidths: [Int]

        init(form: Form, area: Rect) {
            self.area = area
            let widest = form.fields.map(\.label.displayWidth).max() ?? 0
            labelWidth = min(widest, max(0, area.width / 3))
            boxX = area.x + 2 + labelWidth + 2
            let room = area.maxX - (boxX + 1) - 1 - 2 - Form.errorRoom(forWidth: area.width)
            // A picker's box also fits its prompt after the caret cell.
            let prompt = form.texts.pickerPrompt.displayWidth + 1
            innerWidths = form.fields.map { max(1, min($0.kind == .picker ? max($0.width, prompt) : $0.width, room)) }
            footer = area.height >= 2 ? area.row(area.height - 1) : nil
            let rows = Rect(x: area.x, y: area.y, width: area.width, height: area.height - (footer == nil ? 0 : 1))
            fieldRows = rows
            var top = 0
            var tops: [Int] = []
            for field in form.fields {
                tops.append(top)
                top += field.height
            }
            // Scroll only as far as needed to show the whole focused field.
            var shift = 0
            if form.fields.indices.contains(form.focusedIndex) {
                let bottom = tops[form.focusedIndex] + form.fields[form.focusedIndex].height
                shift = max(0, bottom - rows.height)
            }
            self.tops = tops.map { rows.y + $0 - shift }
        }

        func inner(_ index: Int) -> Rect {
            Rect(x: boxX + 1, y: tops[index], width: innerWidths[index], height: 1)
        }
    }

    /// Draws the form into `area`; returns where the terminal cursor belongs (the caret of
    /// the focused field, or the end of the discard question), nil when it is off screen.
    @discardableResult
    public func render(in area: Rect, into buffer: inout Buffer, theme: Theme) -> (x: Int, y: Int)? {
        guard !area.isEmpty else { return nil }
        buffer.fill(area, style: theme[.base])
        let place = Placement(form: self, area: area)
        var caret: (x: Int, y: Int)?
        for index in fields.indices {
            if let at = renderField(index, place, into: &buffer, theme: theme) { caret = at }
        }
        if let picker = focusedField?.picker, picker.isOpen, fields.indices.contains(focusedIndex) {
            renderList(of: picker, under: place.inner(focusedIndex), in: place, into: &buffer, theme: theme)
        } else if let list = openSuggestions {
            renderList(of: list, under: place.inner(focusedIndex), in: place, into: &buffer, theme: theme)
        }
        guard let footer = place.footer else { return caret }
        if isConfirmingDiscard {
            buffer.fill(footer, style: theme[.statusWarning])
            let end = buffer.write(texts.confirmDiscard, x: footer.x + 1, y: footer.y, style: theme[.statusWarning], clip: footer)
            return (min(end, footer.maxX - 1), footer.y)
        }
        buffer.write(texts.hint.truncated(toWidth: footer.width), x: footer.x, y: footer.y,
                     style: theme[.muted].over(theme[.base]), clip: footer)
        return caret
    }

    /// One field's rows; returns the caret position if the field has the focus and is on screen.
    private func renderField(_ index: Int, _ place: Placement, into buffer: inout Buffer,
                             theme: Theme) -> (x: Int, y: Int)? {
        let field = fields[index]
        let y = place.tops[index]
        let clip = place.fieldRows
        guard y >= clip.y, y + field.height <= clip.maxY else { return nil }
        let focused = index == focusedIndex
        let x = place.area.x
        if focused { buffer.write("▸", x: x, y: y, style: theme[.accent], clip: clip) }
        if field.isRequired { buffer.write("*", x: x + 1, y: y, style: theme[.danger], clip: clip) }
        buffer.write(field.label.truncated(toWidth: place.labelWidth), x: x + 2, y: y,
                     style: focused ? theme[.accent] : theme[.base], clip: clip)

        let inner = place.inner(index)
        let bracket = focused ? theme[.borderFocused] : theme[.border]
        let box = theme[.prompt]
        for row in 0..<field.height {
            buffer.write("[", x: place.boxX, y: y + row, style: bracket, clip: clip)
            buffer.fill(Rect(x: inner.x, y: y + row, width: inner.width, height: 1), style: box)
            buffer.write("]", x: inner.maxX, y: y + row, style: bracket, clip: clip)
        }
        if let aside = field.error ?? field.note {
            let errorX = inner.maxX + 2
            let room = place.area.maxX - errorX
            if room > 0 {
                let style = field.error != nil ? theme[.danger] : theme[.muted].over(theme[.base])
                buffer.write(aside.truncated(toWidth: room), x: errorX, y: y, style: style, clip: clip)
            }
        }

        var caret: (x: Int, y: Int)
        switch field.editor {
        case .text(let input):
            let rows = field.height
            caret = rows == 1
                ? Self.drawLine(input, in: inner, into: &buffer, style: box)
                : Self.drawWrapped(input, in: Rect(x: inner.x, y: y, width: inner.width, height: rows),
                                   into: &buffer, style: box)
        case .picker(let picker):
            if picker.isOpen {
                caret = Self.drawLine(picker.query, in: inner, into: &buffer, style: box)
            } else {
                // The chosen label, leaving the focused box a cell for the caret after it.
                let label = picker.displayText.truncated(toWidth: inner.width - (focused ? 1 : 0))
                let end = buffer.write(label, x: inner.x, y: y, style: box, clip: inner)
                caret = (end, y)
            }
            if focused, picker.displayText.isEmpty, !texts.pickerPrompt.isEmpty {
                buffer.write(texts.pickerPrompt, x: inner.x + 1, y: y, style: theme[.muted].over(box), clip: inner)
            }
        }
        guard focused, !isConfirmingDiscard else { return nil }
        // Draw the caret cell too, as the prompt line does, for terminals that hide the cursor.
        let symbol = caret.x < inner.maxX ? buffer[caret.x, caret.y].symbol : ""
        buffer.write(symbol.isEmpty ? " " : symbol, x: caret.x, y: caret.y,
                     style: theme[.promptCursor].over(box), clip: Rect(x: inner.x, y: caret.y, width: inner.width, height: 1))
        return caret
    }

    /// A one-row value, scrolled left just enough to keep the caret inside the box.
    static func drawLine(_ input: TextInput, in inner: Rect, into buffer: inout Buffer, style: Style) -> (x: Int, y: Int) {
        var shift = 0
        var start = 0
        while input.cursorColumn - shift >= inner.width, start < input.characters.count {
            shift += DisplayWidth.of(input.characters[start])
            start += 1
        }
        buffer.write(String(input.characters[start...]), x: inner.x, y: inner.y, style: style, clip: inner)
        return (inner.x + input.cursorColumn - shift, inner.y)
    }

    /// A value wrapped over the rows of `box`, scrolled to keep the caret's row in view.
    static func drawWrapped(_ input: TextInput, in box: Rect, into buffer: inout Buffer, style: Style) -> (x: Int, y: Int) {
        let wrapped = WrappedText(input.characters, cursor: input.cursor, width: box.width)
        let first = max(0, wrapped.caret.row - (box.height - 1))
        for (offset, range) in wrapped.rows.dropFirst(first).prefix(box.height).enumerated() {
            buffer.write(String(input.characters[range]), x: box.x, y: box.y + offset, style: style, clip: box)
        }
        return (box.x + wrapped.caret.column, box.y + wrapped.caret.row - first)
    }

    /// The open list below the field (above it when there is no room below), as wide as the
    /// box or as its widest line, over whatever rows it covers.
    private func renderList(of picker: Picker, under inner: Rect, in place: Placement,
                            into buffer: inout Buffer, theme: Theme) {
        let area = place.area
        guard inner.y >= area.y, inner.y < area.maxY else { return }
        var height = min(max(picker.matches.count, 1), Picker.listRows) + 2
        let below = area.maxY - (inner.y + 1)
        let above = inner.y - area.y
        let y: Int
        if below >= height || below >= above {
            height = min(height, below)
            y = inner.y + 1
        } else {
            height = min(height, above)
            y = inner.y - height
        }
        let count = "\(picker.matches.count)/\(picker.candidates.count)".displayWidth + 4
        let width = min(max(inner.width + 2, picker.widestLine + 2, count), area.width)
        let x = max(area.x, min(place.boxX, area.maxX - width))
        picker.renderList(in: Rect(x: x, y: y, width: width, height: height), into: &buffer, theme: theme,
                          emptyText: texts.noMatches)
    }
}

/// Characters laid out in rows of at most `width` columns, a wide character that does not
/// fit starting the next row; and where the caret falls.
struct WrappedText {
    var rows: [Range<Int>] = []
    var caret = (row: 0, column: 0)

    init(_ characters: [Character], cursor: Int, width: Int) {
        let width = max(width, 2)  // a wide character must fit somewhere
        var start = 0
        var column = 0
        for (index, character) in characters.enumerated() {
            let w = DisplayWidth.of(character)
            if column + w > width, column > 0 {
                rows.append(start..<index)
                start = index
                column = 0
            }
            if index == cursor { caret = (rows.count, column) }
            column += w
        }
        rows.append(start..<characters.count)
        // After the last character: at the end of its row, or at the start of the next when full.
        if cursor >= characters.count {
            if column >= width {
                rows.append(characters.count..<characters.count)
                caret = (rows.count - 1, 0)
            } else {
                caret = (rows.count - 1, column)
            }
        }
    }
}
