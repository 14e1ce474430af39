import FenghuoDomain
import FenghuoTUI

/// The incident detail's 联动, 预案 and 上报 lines, and the timeline the linked parts share.
extension DispatchPane {
    /// `联动：119 J…-0043 已派 · 120 J…-0044 到场` on the asking incident; `联动自：J…-0042` on a part.
    func linkLines(_ i: Incident, _ c: ConsoleContext) -> [[Span]] {
        let s = c.strings
        let read = Dictionary(linkedIncidents(of: i).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        func named(_ id: String) -> String {
            guard let other = read[id] else { return id }
            return "\(other.agency.rawValue) \(id) \(s.status(other.status))"
        }
        var lines: [[Span]] = []
        if let primary = i.linkedPrimary { lines.append(c.field(.linkedFrom, named(primary))) }
        if !i.linkedParts.isEmpty { lines.append(c.field(.linkedParts, i.linkedParts.map(named).joined(separator: " · "))) }
        if i.casualties > 0 { lines.append(c.field(.casualtiesLabel, "\(i.casualties)", style: c.theme[.warning])) }
        if let report = i.report {
            lines.append(c.field(.reportLabel, "\(String(c.format.clock(report.at).suffix(8))) · \(report.by)"))
        } else if i.status.isOpen, c.directory.plans.isMajor(i) {
            lines.append([Span("⚠ " + s(.reportNeeded), c.theme[.danger])])
        }
        return lines
    }

    /// The type's plan as a checklist: `[x] 1 通知燃气公司抢修 · 21:05 duty1`. A link item is done
    /// once that agency is linked, a report item once the report is made.
    func planLines(_ i: Incident, _ c: ConsoleContext) -> [[Span]] {
        let plan = c.directory.plans.plan(for: i.typeCode)
        guard !plan.isEmpty else { return [] }
        let checked = i.checkedItems
        let linkedAgencies = Set(i.timeline.filter { $0.kind == .linked }.compactMap { $0.text.flatMap(Agency.init(rawValue:)) })
        var lines: [[Span]] = [[], [Span(c.strings(.planTitle), c.theme[.accent])]]
        for item in plan {
            let done: (at: String, by: String)? = if let entry = checked[item.seq] {
                (String(c.format.clock(entry.at).suffix(8)), entry.by)
            } else {
                switch item.action {
                case .link(let agency, _) where linkedAgencies.contains(agency):
                    i.timeline.last { $0.kind == .linked && $0.text == agency.rawValue }.map { (String(c.format.clock($0.at).suffix(8)), $0.by) }
                case .report: i.report.map { (String(c.format.clock($0.at).suffix(8)), $0.by) }
                default: nil
                }
            }
            let text = c.isChinese ? item.text : item.textEN
            lines.append([Span(done == nil ? "[ ] " : "[x] ", done == nil ? c.theme[.warning] : c.theme[.ok]),
                          Span("\(item.seq) ".padded(toWidth: 3)), Span(text, done == nil ? c.theme[.base] : c.theme[.muted])]
                         + (done.map { [Span(" · \($0.at) \($0.by)", c.theme[.muted])] } ?? []))
        }
        return lines
    }

    /// The timeline of the incident and of every incident linked with it, newest first; another
    /// agency's entries carry that agency's number.
    func sharedTimeline(_ i: Incident) -> [(agency: Agency?, entry: TimelineEntry)] {
        let others = linkedIncidents(of: i)
        let all = i.timeline.map { (agency: nil as Agency?, entry: $0) }
            + others.flatMap { o in o.timeline.map { (agency: Optional(o.agency), entry: $0) } }
        return all.enumerated().sorted { a, b in
            a.element.entry.at != b.element.entry.at ? a.element.entry.at > b.element.entry.at : a.offset > b.offset
        }.map(\.element)
    }
}
