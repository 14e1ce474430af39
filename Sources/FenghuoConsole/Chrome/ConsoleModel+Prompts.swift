import FenghuoDomain
import FenghuoTUI

/// The lines that say what a write will do before it is sent: the pinned record above the
/// `:` line, and the `y` question that replaces the status bar.
extension ConsoleModel {
    /// Above the `:` line, the record a verb typed there acts on: `关闭 J20261202-0138 火灾
    /// 江北区 …` once the verb is typed, `对象 …` before. Returns the row to draw above it.
    func renderTarget(_ target: Target?, typed: String, above line: Rect, into buffer: inout Buffer) -> Rect {
        // A read-only role's line sends nothing: no record to name.
        guard let target, line.y > 0, !isReadOnly else { return line }
        let c = context
        let first = typed.split(separator: " ").first.map(String.init) ?? ""
        let verb = Verb.named(first).flatMap { $0.pane == target.ref.pane ? $0 : nil }
        let label = verb?.title(c.strings.language) ?? c.strings.targetLabel
        let row = Rect(x: 0, y: line.y - 1, width: line.width, height: 1)
        let style = c.theme[verb?.confirms == true ? .statusOffline : .statusWarning]
        buffer.fill(row, style: style)
        let text = " \(label) \(target.summary(c))".truncated(toWidth: row.width - 1)
        buffer.write(text, x: 0, y: row.y, style: style, clip: row)
        return row
    }

    /// The question a dangerous or changed write waits on, in the status bar's place.
    func renderConfirm(_ write: PendingWrite, in row: Rect, into buffer: inout Buffer) {
        renderQuestion(context.strings.confirm(promptText(write), changed: write.changed), in: row, into: &buffer)
    }

    /// A question waiting for `y`, in the status bar's place and the lines above when long.
    func renderQuestion(_ question: String, in row: Rect, into buffer: inout Buffer) {
        let c = context
        let style = c.theme[.statusOffline]
        let text = Paragraph([[Span(question, style)]])
        // A long question takes the lines above the bar (up to three), like a long message.
        let rows = min(3, max(1, text.wrapped(toWidth: row.width - 2).count))
        let box = Rect(x: 0, y: row.maxY - rows, width: row.width, height: rows)
        buffer.fill(box, style: style)
        _ = text.render(in: box.inset(horizontal: 1), into: &buffer)
    }
}
