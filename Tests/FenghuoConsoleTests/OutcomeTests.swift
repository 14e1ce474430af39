import FenghuoConsole
import FenghuoDomain
import FenghuoProtocol
import FenghuoTUI
import Foundation
import GRDB
import Testing
import TestSupport

/// Outcomes name their object: the record a command acted on or created, whoever sent it;
/// `g` opens that record.
@Suite("Outcomes name their object, and g opens it")
struct OutcomeTests {
    /// Central's side of a create, as the replica receives it: a new open incident.
    func created(_ id: String, in rig: WriteRig) throws {
        let first = try #require(rig.model.dispatch.queue.rows.last)
        try rig.database.writer.write { db in
            try db.execute(sql: "CREATE TEMP TABLE copy AS SELECT * FROM incident WHERE id = ?", arguments: [first.id])
            try db.execute(sql: "UPDATE copy SET id = ?, status = 'new', version = 1", arguments: [id])
            try db.execute(sql: "INSERT INTO incident SELECT * FROM copy")
        }
    }

    @Test func a_create_is_said_with_the_new_records_id_and_g_opens_it() throws {
        let rig = try WriteRig(pane: .dispatch)
        rig.command("submit createIncident type=theft district=jiangbei address=江北区人民北路1号 narrative=测试")
        #expect(rig.screen.contains("已排队 #1 新建警情"), "\(rig.screen)")
        try created("J20261201-0999", in: rig)
        rig.notice(.applied(id: 1, subject: CommandSubject(command: "createIncident", record: "J20261201-0999")))
        #expect(rig.screen.contains("已生效 新建警情 J20261201-0999"), "\(rig.screen)")
        #expect(!rig.screen.contains("createIncident"))
        // Elsewhere, then g: the new incident, selected and open.
        rig.press(.char("2"))
        rig.press(.char("g"))
        #expect(rig.model.active == .dispatch)
        #expect(rig.model.dispatch.queue.selectedRow?.id == "J20261201-0999")
        #expect(rig.model.dispatch.showingDetail)
        #expect(rig.screen.contains("警情详情 J20261201-0999"))
    }

    @Test func a_command_sent_from_elsewhere_is_named_by_its_command_and_record() throws {
        let rig = try WriteRig(pane: .dispatch)
        // `fenghuo submit` on the same agent: the console hears of it queued, then settled.
        rig.notice(.seenQueued(id: 2, subject: CommandSubject(command: "closeIncident", record: "J1")))
        rig.notice(.applied(id: 2, subject: CommandSubject(command: "closeIncident", record: "J1")))
        #expect(rig.screen.contains("已生效 关闭 J1"), "\(rig.screen)")
        // Never seen queued (an older console's command): still named from the outcome.
        rig.notice(.rejected(id: 3, CommandRejection(.notFound(entity: .incident, id: "J2")),
                             subject: CommandSubject(command: "cancelIncident", record: "J2")))
        #expect(rig.screen.contains("被中心拒绝 #3 撤销 J2：找不到警情 J2"), "\(rig.screen)")
        #expect(!rig.screen.contains("#3 #3"))
    }

    @Test func g_before_any_outcome_says_so_and_on_a_closed_record_says_where_it_went() throws {
        let rig = try WriteRig(pane: .dispatch)
        rig.press(.char("g"))
        #expect(rig.screen.contains("还没有已生效或被拒绝的命令"))
        let selected = try #require(rig.model.dispatch.queue.selectedRow)
        rig.command("close")
        rig.press(.char("y"))
        try rig.closeElsewhere(selected.id)
        rig.notice(.applied(id: 1, subject: CommandSubject(command: "closeIncident", record: selected.id)))
        rig.press(.char("g"))
        #expect(rig.screen.contains("\(selected.id) 现为“已关闭”，已不在队列中"), "\(rig.screen)")
    }

    @Test func the_agents_event_lines_carry_the_subject_and_older_lines_still_read() throws {
        let line = AgentEventLine(.applied(mutationID: 4, subject: CommandSubject(command: "createIncident", record: "J20261201-0141")))
        let data = try JSONEncoder().encode(line)
        #expect(try JSONDecoder().decode(AgentEventLine.self, from: data) == line)
        #expect(String(decoding: data, as: UTF8.self).contains(#""record":"J20261201-0141""#))
        let old = try JSONDecoder().decode(AgentEventLine.self, from: Data(#"{"kind":"applied","mutationID":4}"#.utf8))
        #expect(old.event == .applied(mutationID: 4))
    }
}
