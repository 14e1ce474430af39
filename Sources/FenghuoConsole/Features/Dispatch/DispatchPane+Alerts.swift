import FenghuoDomain
import FenghuoTUI
import Foundation

/// The step timers and the alert line (告警栏): what is past its time, most urgent first, on the
/// row above the status bar; `!` opens the first. A waiting P1 is on it from its first second.
extension DispatchPane {
    /// The alert line's entries now.
    func alerts(_ c: ConsoleContext) -> [DispatchAlert] {
        DispatchAlert.alerts(watch, targets: c.directory.responseTargets, plans: c.directory.plans, now: c.now)
    }

    /// The time-in-step cell: amber from 80 % of the step's time, red past it.
    func timerStyle(_ i: Incident, _ c: ConsoleContext) -> Style {
        switch c.directory.responseTargets.timer(for: i, now: c.now)?.level {
        case .red?: c.theme[.danger]
        case .amber?: c.theme[.warning]
        case .ok?, nil: c.theme[.base]
        }
    }

    func renderAlerts(in row: Rect, into buffer: inout Buffer, context c: ConsoleContext) {
        let list = alerts(c)
        guard !list.isEmpty, row.height > 0 else { return }
        let style = c.theme[.statusOffline]
        buffer.fill(row, style: style)
        let s = c.strings
        let head = (c.isChinese ? " ⚠ 告警 \(list.count)  " : " ⚠ alerts \(list.count)  ")
        let tail = c.isChinese ? "  ! 打开首条 " : "  ! opens the first "
        var text = head
        for (n, alert) in list.enumerated() {
            let item = (n == 0 ? "" : " · ") + s.alert(alert, format: c.format)
            if (text + item + tail).displayWidth > row.width { text += " …"; break }
            text += item
        }
        buffer.write(text, x: row.x, y: row.y, style: style, clip: row)
        buffer.write(tail, x: row.maxX - tail.displayWidth, y: row.y, style: style, clip: row)
    }
}

extension Strings {
    /// One alert: `J…0037 待派 3:10/1:00`, `P-BH-01 到场 62分无报告`, `A-LC-01 出动 14:00（预计 8:00）`.
    func alert(_ a: DispatchAlert, format: Format) -> String {
        let zh = language == .zh
        let short = "…" + a.incidentID.suffix(4)
        func clock(_ seconds: Double) -> String { format.elapsed(since: Date(timeIntervalSince1970: 0), now: Date(timeIntervalSince1970: seconds)) }
        switch a.subject {
        case .step(let t):
            let step: String = switch t.step {
            case .dispatch: zh ? "待派" : "waiting"
            case .depart: zh ? "未出动" : "not moving"
            case .arrive: zh ? "未到场" : "not there"
            case .work: zh ? "未报处置" : "no work report"
            }
            return "P\(a.priority.rawValue) \(short) \(step) \(clock(t.elapsed))/\(clock(t.allowed))"
        case .unit(let f):
            switch f.kind {
            case .silentOnScene:
                return zh ? "\(f.unitID) 到场 \(Int(f.elapsed / 60))分无报告" : "\(f.unitID) on scene \(Int(f.elapsed / 60)) min, no report"
            case .lateEnRoute(let eta):
                return zh ? "\(f.unitID) 途中 \(clock(f.elapsed))（预计 \(clock(eta))）" : "\(f.unitID) en route \(clock(f.elapsed)) (ETA \(clock(eta)))"
            }
        case .reportDue:
            return "P\(a.priority.rawValue) \(short) " + (zh ? "待上报" : "report due")
        }
    }
}

extension DispatchPane {
    /// Enter on a unit: what it is, where it is committed now, and its steps of the last week.
    func renderUnitDetail(_ id: String, in area: Rect, into buffer: inout Buffer, context c: ConsoleContext) {
        let s = c.strings
        let zh = c.isChinese
        let inner = c.panel((zh ? "力量详情 " : "Unit ") + id, right: s(.keyBack) + " Esc", focused: true, in: area, into: &buffer)
        guard let h = unitHistory else {
            c.detail([[Span(s(.loading), c.theme[.muted])]], in: inner, into: &buffer)
            return
        }
        let u = h.unit
        var lines: [[Span]] = [
            [Span(u.name, c.theme[.accent])],
            c.field(.colType, "\(u.agency.rawValue) \(s.agency(u.agency)) · \(u.kind)"),
            c.field(.colDistrict, "\(c.districtName(u.district)) · \(u.station)"),
            c.field(.colStatus, "\(s.status(u.status)) · \(c.format.elapsed(since: u.statusChangedAt, now: c.now))"),
        ]
        // Where its locator last put it, and how long ago.
        let fix = TypedCoordinates.text(of: u.location)
        let reported = u.movedAt.map { " · " + (zh ? "\(c.format.elapsed(since: $0, now: c.now))前报告" : "reported \(c.format.elapsed(since: $0, now: c.now)) ago") }
            ?? (zh ? " · 驻地" : " · at its station")
        lines.append([Span((zh ? "位置  " : "Position  "), c.theme[.muted]), Span(fix + reported)])
        if let i = h.current {
            lines.append(c.field(.currentIncident, "\(i.id) \(c.incidentTypeName(i.typeCode)) · \(s.status(i.status))"))
            lines.append([Span("  " + i.address, c.theme[.muted])])
            if u.status == .enRoute, let left = watch.remainingSeconds[u.id] {
                let trip = watch.etaSeconds[u.id].map { zh ? "（出发时预计 \(s.minutes($0))）" : " (at departure \(s.minutes($0)))" } ?? ""
                lines.append([Span(zh ? "  距现场 " : "  to the scene ", c.theme[.muted]), Span(s.minutes(left), c.theme[.accent]), Span(trip, c.theme[.muted])])
            }
        }
        if let flag = UnitFlag.check(u, eta: watch.etaSeconds[u.id], now: c.now) {
            let alert = DispatchAlert(incidentID: flag.incidentID, priority: h.current?.priority ?? .low, subject: .unit(flag), overdue: 1)
            lines.append([Span("! " + s.alert(alert, format: c.format), c.theme[.danger])])
        }
        lines.append([])
        lines.append([Span(zh ? "近 7 天记录（新的在上）" : "Last 7 days (newest first)", c.theme[.accent])])
        if h.steps.isEmpty { lines.append([Span(zh ? "无" : "none", c.theme[.muted])]) }
        for step in h.steps {
            lines.append([Span(c.format.minute(step.entry.at) + " ", c.theme[.muted]),
                          Span("\(step.incidentID.suffix(4)) \(c.incidentTypeName(step.typeCode)) "),
                          Span(c.timelineText(step.entry)), Span(" · " + step.entry.by, c.theme[.muted])])
        }
        c.detail(lines, in: inner, into: &buffer)
    }
}
