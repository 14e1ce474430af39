import FenghuoDomain
import FenghuoTUI
import Foundation

/// What every pane needs to draw: language, theme, the clock, and the code-to-name tables.
public struct ConsoleContext: Sendable {
    public var strings: Strings
    public var format: Format
    public var theme: Theme
    public var now: Date
    /// The replica has not heard from central for a while: lists say so in their headings.
    public var stale = false
    public var directory: Directory
    public var calendar: WorkingDayCalendar
    /// The user's role (nil on a local database): what the panes may show of each kind of record.
    public var role: Role?

    public init(language: Language, theme: Theme, now: Date, directory: Directory = Directory(),
                calendar: WorkingDayCalendar = WorkingDayCalendar(years: [], entries: [])) {
        strings = Strings(language)
        format = Format(language)
        self.theme = theme
        self.now = now
        self.directory = directory
        self.calendar = calendar
    }

    var isChinese: Bool { strings.language == .zh }

    func districtName(_ code: String) -> String {
        guard let d = directory.districts[code] else { return code }
        return isChinese ? d.name : d.nameEN
    }

    func departmentShort(_ code: String?) -> String {
        guard let code else { return "—" }
        guard let d = directory.departments[code] else { return code }
        // Four columns either way: 市监 / MARK.
        return isChinese ? d.shortName : String(d.code.uppercased().prefix(4))
    }

    func departmentName(_ code: String?) -> String {
        guard let code else { return "—" }
        guard let d = directory.departments[code] else { return code }
        return isChinese ? d.name : d.nameEN
    }

    func incidentTypeName(_ code: String) -> String {
        guard let t = directory.incidentTypes[code] else { return code }
        return isChinese ? t.name : t.nameEN
    }

    func categoryName(_ code: String) -> String {
        guard let c = directory.ticketCategories[code] else { return code }
        return isChinese ? c.name : c.nameEN
    }

    func priorityStyle(_ p: Priority) -> Style {
        switch p {
        case .critical: theme[.priority1]
        case .high: theme[.priority2]
        case .normal: theme[.priority3]
        case .low: theme[.priority4]
        }
    }

    /// A framed panel: its title in the accent style, the border brighter when focused.
    func panel(_ title: String, right: String = "", focused: Bool, in area: Rect, into buffer: inout Buffer) -> Rect {
        let border = theme[focused ? .borderFocused : .border]
        Block(title: title.isEmpty ? [] : [Span(title, theme[.accent])], titleRight: right.isEmpty ? [] : [Span(right, theme[.muted])],
              borderStyle: border).render(in: area, into: &buffer)
        return Block.inner(area)
    }

    /// A list panel's title (with the filter it shows) and its `12/1,204` position.
    func listHeading<Row>(_ title: Strings.Text, _ list: ListWindow<Row>) -> (title: String, right: String) {
        let heading = strings(title) + (list.filter.isEmpty ? "" : " /\(list.filter)") + (stale ? " · " + strings(.stale) : "")
        let right = list.loaded ? "\(format.count(list.position))/\(format.count(list.total))" : strings(.loading)
        return (heading, right)
    }

    /// Detail text inside a panel's inner area; when it does not all fit, the last line says so.
    func detail(_ lines: [[Span]], in inner: Rect, into buffer: inout Buffer, more: Strings.Text = .moreCut) {
        let area = inner.inset(horizontal: 1)
        let total = Paragraph(lines).render(in: area, into: &buffer)
        if total > area.height, area.height > 0 {
            let more = strings(more)
            let row = Rect(x: area.x, y: area.maxY - 1, width: area.width, height: 1)
            buffer.fill(row, style: theme[.base])
            buffer.write(more, x: area.maxX - more.displayWidth, y: row.y, style: theme[.muted], clip: row)
        }
    }

    /// `（x）` in Chinese text, ` (x)` in English.
    func parenthesized(_ text: String) -> String { isChinese ? "（\(text)）" : " (\(text))" }

    var colon: String { isChinese ? "：" : ": " }

    /// `label：value` lines for detail views.
    func field(_ label: Strings.Text, _ value: String, style: Style? = nil) -> [Span] {
        [Span(strings(label) + colon, theme[.muted]), Span(value, style ?? theme[.base])]
    }
}
