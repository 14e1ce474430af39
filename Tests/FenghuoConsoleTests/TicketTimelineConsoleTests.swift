import FenghuoConsole
import FenghuoDomain
import FenghuoStore
import Foundation
import GRDB
import Testing
import TestSupport

/// The ticket's timeline in the hotline pane, and `remark` / `memo` adding to it.
@Suite("Ticket timeline in the console")
struct TicketTimelineConsoleTests {
    @Test func remark_and_memo_send_a_note_and_an_internal_note_on_the_selected_ticket() throws {
        let rig = try WriteRig(pane: .hotline, role: .hotline, operatorLabel: "hotline1")
        rig.press(.char("V"))  // 全部: the seeded city has routed every call
        let ticket = try #require(rig.model.hotline.queue.selectedRow)
        rig.command("remark 来电人补充：周末更吵")
        rig.command("内部备注 该商户去年已被投诉三次")
        #expect(rig.sent.map(\.command) == [
            .noteTicket(.init(ticket.id), text: "来电人补充：周末更吵", internal: false),
            .noteTicket(.init(ticket.id), text: "该商户去年已被投诉三次", internal: true),
        ])
        #expect(rig.sent.allSatisfy { $0.baseVersion == ticket.version })
    }

    @Test func the_detail_lists_the_steps_newest_first_with_who_and_the_internal_note_marked() throws {
        let rig = try WriteRig(pane: .hotline, role: .hotline, operatorLabel: "hotline1")
        rig.press(.char("V"))  // 全部: the seeded city has routed every call
        let selected = try #require(rig.model.hotline.queue.selectedRow)
        // Given the selected ticket as central wrote it after two notes
        try rig.database.writer.write { db in
            var t = try #require(try Ticket.fetchOne(db, key: selected.id))
            try t.apply(.note(text: "来电人补充：周末更吵", isInternal: false), by: "hotline2", at: rig.now.addingTimeInterval(-120))
            try t.apply(.note(text: "该商户去年已被投诉三次", isInternal: true), by: "urban1", at: rig.now.addingTimeInterval(-60))
            try t.updatePrepared(db)
        }
        rig.notice(.changed)
        rig.press(.enter)
        let screen = rig.screen
        #expect(screen.contains("办理记录（新的在上）"), "\(screen)")
        let memo = try #require(screen.range(of: "【内部】备注：该商户去年已被投诉三次 · urban1"), "\(screen)")
        let remark = try #require(screen.range(of: "备注：来电人补充：周末更吵 · hotline2"), "\(screen)")
        #expect(memo.lowerBound < remark.lowerBound, "newest first")
        // And the steps of the seeded history, with their operators
        if let by = selected.registeredBy { #expect(screen.contains("登记 · \(by)"), "\(screen)") }
    }
}
