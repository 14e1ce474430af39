@testable import FenghuoConsole
import FenghuoDomain
import FenghuoStore
import FenghuoTUI
import Foundation
import Testing
import TestSupport

/// 联动, 预案, 上报 and the hand-overs at the console: the verbs, the detail's lines, the shared timeline.
@Suite("Linkage, plans and reports at the dispatch console")
struct LinkagePlanConsoleTests {
    /// The day's stem of the selected incident's id (`J20261201-`).
    static func day(of id: String) -> String { String(id[...id.lastIndex(of: "-")!]) }

    @Test func the_verbs_send_link_check_report_priority_casualties_and_handoff_on_the_selected_or_numbered_incident() throws {
        let rig = try WriteRig(pane: .dispatch)
        let selected = try #require(rig.model.dispatch.queue.selectedRow)
        let other = selected.agency == .ambulance ? "119" : "120"
        rig.command("link \(other)")
        rig.command("link 42 122 交通管制")
        rig.command("check 2")
        rig.command("report 已疏散 40 人")
        rig.press(.char("y"))
        rig.command("p 1")
        rig.command("p 42 2")
        rig.command("casualties 3")
        rig.command("handoff 社会生活噪声")
        rig.press(.char("y"))
        let today = Self.day(of: selected.id)
        let id = Incident.ID(selected.id)
        #expect(rig.sent.map(\.command) == [
            .linkIncident(id, agency: Agency(rawValue: other)!, type: nil),
            .linkIncident(.init(IDFormat.stem(.incident, LocalDate(rig.now)) + "0042"), agency: .traffic, type: "traffic_control"),
            .checkPlanItem(id, item: 2), .reportIncident(id, text: "已疏散 40 人"),
            .prioritizeIncident(id, priority: .critical),
            .prioritizeIncident(.init(IDFormat.stem(.incident, LocalDate(rig.now)) + "0042"), priority: .high),
            .countCasualties(id, count: 3), .handoffIncident(id, category: "noise_social"),
        ], "\(today)")
        #expect(rig.sent[0].baseVersion == selected.version, "a verb on the selection goes on the version seen")
        // A bad number never leaves the console; the message names the argument.
        rig.command("casualties 三")
        #expect(rig.sent.count == 8)
        rig.command("link 999")
        #expect(rig.screen.contains("用法：link [N] AGENCY [TYPE]"), "\(rig.screen)")
    }

    @Test func tab_after_link_offers_the_agencies_and_then_the_types() throws {
        let rig = try WriteRig(pane: .dispatch)
        rig.press(.char(":"))
        rig.type("link ")
        rig.press(.tab)
        #expect(rig.model.completions.map { String($0.prefix(3)) } == ["110", "119", "120", "122"])
        rig.press(.escape)
        rig.press(.char(":"))
        rig.type("link 120 现场")
        rig.press(.tab)
        #expect(rig.screen.contains("link 120 现场急救"), "\(rig.screen)")
    }

    @Test func escalate_on_the_hotline_sends_the_ticket_to_the_dispatch_desk_after_y() throws {
        let rig = try WriteRig(pane: .hotline, role: .hotline, operatorLabel: "hotline1")
        rig.press(.char("V"))  // 全部: the seeded city has routed every call
        let ticket = try #require(rig.model.hotline.queue.selectedRow)
        rig.command("escalate 燃气泄漏 1")
        #expect(rig.sent.isEmpty, "escalating ends the ticket: it waits for y")
        rig.press(.char("y"))
        #expect(rig.sent.map(\.command) == [.escalateTicket(.init(ticket.id), type: "gas_leak", priority: .critical)])
    }

    /// An open incident made a gas leak with three hurt, linked to another waiting incident as its 120 part.
    static func linkedPair(_ rig: WriteRig) throws -> (primary: Incident, part: Incident) {
        let open = rig.model.dispatch.queue.rows.filter { $0.status.isOpen && $0.status != .resolved }
        let primary = try #require(open.first)
        let part = try #require(open.dropFirst().first)
        let at = Int(rig.now.timeIntervalSince1970) - 60
        try rig.elsewhere("UPDATE incident SET type_code = 'gas_leak', agency = '119' WHERE id = ?", [primary.id])
        try rig.elsewhere("UPDATE incident SET agency = '120', type_code = 'first_aid' WHERE id = ?", [part.id])
        try rig.elsewhere("UPDATE incident SET timeline = json_insert(timeline, '$[#]', json(?)) WHERE id = ?",
                          [#"{"t":\#(at),"by":"duty2","k":"linked","r":"\#(part.id)","x":"120","s":"new","v":\#(primary.version)}"#, primary.id])
        try rig.elsewhere("UPDATE incident SET timeline = json_insert(timeline, '$[#]', json(?)) WHERE id = ?",
                          [#"{"t":\#(at + 30),"by":"duty3","k":"linkedFrom","r":"\#(primary.id)","s":"new","v":\#(part.version)}"#, part.id])
        try rig.elsewhere("UPDATE incident SET timeline = json_insert(timeline, '$[#]', json(?)) WHERE id = ?",
                          [#"{"t":\#(at + 40),"by":"duty1","k":"checked","r":"1","x":"通知燃气公司抢修","s":"new","v":\#(primary.version)}"#, primary.id])
        // Three hurt: a major incident, whatever its priority.
        try rig.elsewhere("UPDATE incident SET timeline = json_insert(timeline, '$[#]', json(?)) WHERE id = ?",
                          [#"{"t":\#(at + 50),"by":"duty1","k":"casualties","r":"3","s":"new","v":\#(primary.version)}"#, primary.id])
        return (try #require(rig.model.dispatch.queue.rows.first { $0.id == primary.id }),
                try #require(rig.model.dispatch.queue.rows.first { $0.id == part.id }))
    }

    @Test func the_detail_shows_the_link_the_plan_as_a_checklist_the_report_due_and_one_timeline_for_both_agencies() throws {
        let rig = try WriteRig(pane: .dispatch, size: Size(width: 140, height: 60))
        let (primary, part) = try Self.linkedPair(rig)
        #expect(primary.linkedParts == [part.id] && part.linkedPrimary == primary.id)
        let index = try #require(rig.model.dispatch.queue.rows.firstIndex { $0.id == primary.id })
        rig.press(.home)
        rig.press(Array(repeating: Key.down, count: index))
        rig.press(.enter)
        let screen = rig.screen
        #expect(screen.contains("联动：120 \(part.id) \(Strings(.zh).status(part.status))"), "\(screen)")
        #expect(screen.contains("⚠ 重大警情，须上报应急办（:report）"), "\(screen)")
        #expect(screen.contains("…\(primary.id.suffix(4)) 待上报"), "the alert line lists it too: \(screen)")
        #expect(screen.contains("处置预案"), "\(screen)")
        #expect(screen.contains("[x] 1  通知燃气公司抢修 · "), "\(screen)")
        #expect(screen.contains("[ ] 2  疏散周边 100 米人员"), "\(screen)")
        // The 120 link of the plan counts as done: the part exists.
        #expect(screen.contains("[x] 5  联动 120 到场待命 · "), "\(screen)")
        // The part's own steps appear in the one timeline, marked with its agency.
        #expect(screen.contains("120 联动自 \(primary.id) · duty3"), "\(screen)")
        #expect(screen.contains("联动 120 急救：\(part.id) · duty2"), "\(screen)")
    }

    @Test func plan_opens_the_selected_or_numbered_incidents_detail_where_its_checklist_is() throws {
        let rig = try WriteRig(pane: .dispatch, size: Size(width: 140, height: 60))
        let (primary, _) = try Self.linkedPair(rig)
        let index = try #require(rig.model.dispatch.queue.rows.firstIndex { $0.id == primary.id })
        rig.press(.home)
        rig.press(Array(repeating: Key.down, count: index))
        rig.command("plan")
        #expect(rig.screen.contains("警情详情 \(primary.id)") && rig.screen.contains("处置预案"), "\(rig.screen)")
        rig.press(.escape)
        let number = Int(primary.id.suffix(4))!
        rig.command("plan \(number)")
        #expect(rig.screen.contains("警情详情 \(primary.id)"), "\(rig.screen)")
        rig.command("plan 一")
        #expect(rig.screen.contains("用法：plan [N]"), "\(rig.screen)")
    }

    @Test func close_on_a_linked_incident_names_the_open_parts_and_releases_the_links_with_y() throws {
        let rig = try WriteRig(pane: .dispatch, size: Size(width: 140, height: 60))
        let (primary, part) = try Self.linkedPair(rig)
        // Resolved, with no unit on it: only the link holds the close.
        try rig.elsewhere("UPDATE incident SET status = 'resolved', unit_ids = '' WHERE id = ?", [primary.id])
        let index = try #require(rig.model.dispatch.queue.rows.firstIndex { $0.id == primary.id })
        rig.press(.home)
        rig.press(Array(repeating: Key.down, count: index))
        rig.press(.enter)
        rig.command("close")
        #expect(rig.flat.contains("解除与\(part.id)的联动"), "\(rig.screen)")
        rig.press(.char("y"))
        #expect(rig.sent.map(\.command) == [.closeIncident(.init(primary.id), release: false, unlink: true)])
    }
}
