import FenghuoConsole
import FenghuoDomain
import FenghuoStore
import Foundation
import GRDB
import Testing
import TestSupport

/// The ticket queue's views by work (`v`): each shows exactly the open tickets its condition
/// names, checked against every open ticket of the demo city read whole.
@Suite("Ticket views by work")
struct TicketViewTests {
    /// Every open ticket, as the replica holds it.
    static func openTickets(_ rig: WriteRig) throws -> [Ticket] {
        try rig.database.writer.read { try Ticket.fetchAll($0, sql: "SELECT * FROM ticket WHERE is_open = 1") }
    }

    /// The seeded city routes every call within half an hour: three just taken, not yet routed,
    /// and one a department sent back.
    static func callsToRoute(_ rig: WriteRig) throws {
        try rig.database.writer.write { db in
            try db.execute(sql: """
                UPDATE ticket SET status = 'registered', department = NULL, version = version + 1
                WHERE id IN (SELECT id FROM ticket WHERE is_open = 1 AND status = 'assigned' ORDER BY id LIMIT 3)
                """)
            try db.execute(sql: """
                UPDATE ticket SET status = 'returned', version = version + 1
                WHERE id IN (SELECT id FROM ticket WHERE is_open = 1 AND status = 'in_progress' ORDER BY id LIMIT 1)
                """)
        }
        rig.notice(.changed)
    }

    static func expect(_ rig: WriteRig, _ view: TicketView, _ expected: [Ticket], sourceLocation: SourceLocation = #_sourceLocation) {
        let hotline = rig.model.hotline
        #expect(hotline.view == view, sourceLocation: sourceLocation)
        #expect(hotline.queue.total == expected.count, "\(view): \(hotline.queue.total) shown, \(expected.count) expected", sourceLocation: sourceLocation)
        let ids = Set(expected.map(\.id))
        #expect(hotline.queue.rows.allSatisfy { ids.contains($0.id) }, "\(view)", sourceLocation: sourceLocation)
        #expect(rig.screen.contains("[\(view.title(.zh))]"), "\(rig.screen)", sourceLocation: sourceLocation)
    }

    @Test func a_call_taker_opens_on_the_tickets_to_route_and_v_steps_through_mine_callbacks_overdue_and_all() throws {
        let rig = try WriteRig(pane: .hotline, role: .hotline, operatorLabel: "hotline1")
        try Self.callsToRoute(rig)
        let open = try Self.openTickets(rig)
        let toRoute = open.filter { $0.status == .registered || $0.status == .returned }
        #expect(!toRoute.isEmpty && toRoute.count < open.count)
        Self.expect(rig, .toRoute, toRoute)
        #expect(rig.screen.split(separator: "\n").contains { $0.contains("│R20") && ($0.contains(" 待派单 ") || $0.contains(" 已退回 ")) },
                "the status column names the state: \(rig.screen)")
        rig.press(.char("v"))
        let mine = open.filter { $0.timeline.contains { $0.by == "hotline1" } }
        #expect(!mine.isEmpty)
        Self.expect(rig, .mine, mine)
        rig.press(.char("v"))
        Self.expect(rig, .callbacks, open.filter { $0.status == .replied })
        rig.press(.char("v"))
        let minute = Date(timeIntervalSince1970: (rig.now.timeIntervalSince1970 / 60).rounded(.down) * 60)
        let overdue = open.filter { $0.deadlineAt.epochSecondsDown < minute.epochSecondsDown }
        #expect(!overdue.isEmpty)
        Self.expect(rig, .overdue, overdue)
        rig.press(.char("v"))
        Self.expect(rig, .all, open)
        // V goes back, and round
        rig.press(.char("V"))
        #expect(rig.model.hotline.view == .overdue)
        rig.press(.char("v"), .char("v"))
        #expect(rig.model.hotline.view == .toRoute)
    }

    @Test func a_typed_filter_narrows_the_view_it_is_typed_in() throws {
        let rig = try WriteRig(pane: .hotline, role: .hotline, operatorLabel: "hotline1")
        try Self.callsToRoute(rig)
        let open = try Self.openTickets(rig)
        let district = try #require(open.first(where: { $0.status == .registered })?.district)
        let name = try #require(rig.model.context.directory.districts[district]?.name)
        rig.press(.char("/"))
        rig.type("辖区:\(name)")
        rig.press(.enter)
        Self.expect(rig, .toRoute, open.filter { ($0.status == .registered || $0.status == .returned) && $0.district == district })
    }

    @Test func department_staff_open_on_the_tickets_waiting_for_them_to_accept() throws {
        let rig = try WriteRig(pane: .hotline, role: .staff, operatorLabel: "urban1")
        #expect(rig.model.hotline.view == .toAccept)
        #expect(rig.model.hotline.queue.rows.allSatisfy { $0.status == .assigned })
        #expect(rig.screen.contains("[待签收] 我的 超期 全部"), "\(rig.screen)")
    }
}

extension Date {
    fileprivate var epochSecondsDown: Int64 { Int64(timeIntervalSince1970.rounded(.down)) }
}
