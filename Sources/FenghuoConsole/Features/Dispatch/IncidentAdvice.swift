import FenghuoDomain
import FenghuoTUI
import Foundation

/// The recommendation beside an open incident: its run card filled with the nearest free units
/// by road (`r` switches it with the unit board, ↑/↓ pick a unit, `s` swaps it for the line's
/// next alternate, `D` sends them all). Read again with every refresh, so ETAs follow the units;
/// a swap the user made is kept across those reads.
struct IncidentAdvice: Sendable {
    private(set) var incidentID: String?
    private(set) var recommendation: Recommendation?
    /// The replica holds no road graph (an older seeding): there is nothing to recommend.
    private(set) var unavailable = false
    var showBoard = false
    private(set) var selected = 0
    /// Units the user swapped out, in order: taken out again when a fresh reading returns them.
    private var swappedOut: [String] = []

    /// Every pick, in screen order, with where it sits in the recommendation.
    var picks: [(line: Int, index: Int, pick: Recommendation.Pick)] {
        guard let recommendation else { return [] }
        return recommendation.lines.enumerated().flatMap { l, line in
            line.picks.enumerated().map { (l, $0.offset, $0.element) }
        }
    }

    /// Starts over for another incident; keeps what it has for the same one. A waiting
    /// incident opens on its recommendation, one already served on the unit board.
    mutating func show(_ id: String, waiting: Bool) {
        guard id != incidentID else { return }
        self = IncidentAdvice()
        incidentID = id
        showBoard = !waiting
    }

    mutating func apply(_ fresh: Recommendation?, for id: String) {
        guard id == incidentID else { return }
        unavailable = fresh == nil
        guard var fresh else {
            recommendation = nil
            return
        }
        for unit in swappedOut {
            for (l, line) in fresh.lines.enumerated() {
                if let i = line.picks.firstIndex(where: { $0.unitID == unit }) { fresh = fresh.swapping(line: l, pick: i) }
            }
        }
        recommendation = fresh
        selected = min(selected, max(0, picks.count - 1))
    }

    mutating func move(_ move: ListMove) {
        let last = max(0, picks.count - 1)
        switch move {
        case .up: selected = max(0, selected - 1)
        case .down: selected = min(last, selected + 1)
        case .pageUp, .top: selected = 0
        case .pageDown, .bottom: selected = last
        }
    }

    /// Swaps the selected pick for its line's first alternate; false when there is none.
    mutating func swapSelected() -> Bool {
        guard let recommendation, picks.indices.contains(selected) else { return false }
        let at = picks[selected]
        guard !recommendation.lines[at.line].alternates.isEmpty else { return false }
        swappedOut.removeAll { $0 == recommendation.lines[at.line].alternates[0].unitID }
        swappedOut.append(at.pick.unitID)
        self.recommendation = recommendation.swapping(line: at.line, pick: at.index)
        return true
    }

    // MARK: Render

    func render(in area: Rect, into buffer: inout Buffer, context c: ConsoleContext) {
        let s = c.strings
        let shortfall = recommendation?.shortfall ?? 0
        let right = recommendation.map { r in
            shortfall > 0 ? s.adviceShort(shortfall) : r.unitIDs.isEmpty ? "" : s.adviceSend
        } ?? ""
        let inner = c.panel(s.adviceTitle, right: right, focused: true, in: area, into: &buffer)
        guard let recommendation else {
            let text = unavailable ? s.adviceNoRoads : s(.loading)
            Paragraph([[Span(text, c.theme[.muted])]]).render(in: inner, into: &buffer)
            return
        }
        guard recommendation.hasCard else {
            Paragraph([[Span(s.adviceNoCard, c.theme[.muted])]]).render(in: inner, into: &buffer)
            return
        }
        var items: [ListView.Item] = []
        var selectedItem: Int?
        var pickIndex = 0
        for line in recommendation.lines {
            var head = [Span("\(line.kind) ×\(line.wanted)")]
            if !line.committed.isEmpty { head.append(Span("  " + s.adviceCommitted(line.committed.count), c.theme[.info])) }
            if line.shortfall > 0 { head.append(Span("  " + s.adviceShort(line.shortfall), c.theme[.danger])) }
            items.append(ListView.Item(head, isHeader: true))
            for pick in line.picks {
                if pickIndex == selected { selectedItem = items.count }
                pickIndex += 1
                items.append(ListView.Item(row(pick, c, alternate: false)))
            }
            for pick in line.alternates.prefix(line.picks.isEmpty ? 0 : 1) {
                items.append(ListView.Item(row(pick, c, alternate: true)))
            }
        }
        ListView(items: items, selected: selectedItem, focused: true).render(in: inner, into: &buffer, theme: c.theme)
    }

    private func row(_ p: Recommendation.Pick, _ c: ConsoleContext, alternate: Bool) -> [Span] {
        let s = c.strings
        let muted = c.theme[.muted]
        var spans = [
            Span((alternate ? s.adviceAlternate : "").padded(toWidth: 4), muted),
            Span(p.unitID.padded(toWidth: 8), alternate ? muted : c.theme[.base]),
            Span(s.minutes(p.etaSeconds).padded(toWidth: 7), alternate ? muted : c.theme[.accent]),
            Span(s.kilometres(p.roadMeters).padded(toWidth: 7), muted),
        ]
        if p.status != .available { spans.append(Span(s.status(p.status) + " ", c.theme[.warning])) }
        if p.crossDistrict { spans.append(Span(s.adviceCrossDistrict + " ", c.theme[.warning])) }
        spans.append(Span(p.station, muted))
        return spans
    }
}

extension Strings {
    var adviceTitle: String { language == .zh ? "出动建议" : "Recommended" }
    var adviceNoRoads: String {
        language == .zh ? "本机数据没有路网，无法按路程推荐：请用新版重新初始化中心" : "No road graph in this console's data: seed central again"
    }
    var adviceNoCard: String { language == .zh ? "此类警情没有出动方案" : "No run card for this incident type" }
    var adviceAlternate: String { language == .zh ? "备" : "alt" }
    var adviceCrossDistrict: String { language == .zh ? "跨区" : "other district" }
    func adviceShort(_ n: Int) -> String { language == .zh ? "缺 \(n)" : "\(n) short" }
    var adviceSend: String { language == .zh ? "D 派出" : "D sends" }
    func adviceCommitted(_ n: Int) -> String { language == .zh ? "已派 \(n)" : "\(n) sent" }
    var adviceNothingToSend: String { language == .zh ? "没有可派的建议车辆" : "No recommended unit to send" }
    var adviceNoAlternate: String { language == .zh ? "这一项没有备选车辆" : "No alternate for this line" }
    var keyRecommend: String { language == .zh ? "出动建议/力量状态" : "recommendation / unit board" }
    var keyDispatchAll: String { language == .zh ? "派出全部建议车辆" : "dispatch every recommended unit" }
    var keyDispatchUnit: String { language == .zh ? "派出选中车辆" : "send the board's unit to the incident" }
    var keySwap: String { language == .zh ? "换成备选车辆" : "swap for the alternate" }

    func minutes(_ seconds: Double) -> String {
        let m = String(format: "%.1f", seconds / 60)
        return language == .zh ? "\(m)分" : "\(m)m"
    }

    /// Whole minutes, rounded up, for a unit still on its way (`≈5分`): the board's column is narrow.
    func minutesLeft(_ seconds: Double) -> String {
        let m = Int((max(0, seconds) / 60).rounded(.up))
        return language == .zh ? "≈\(m)分" : "≈\(m)m"
    }

    func kilometres(_ meters: Double) -> String { String(format: "%.1fkm", meters / 1000) }
}
