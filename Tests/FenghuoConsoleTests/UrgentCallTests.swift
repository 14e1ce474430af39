import FenghuoConsole
import FenghuoDomain
import FenghuoProtocol
import FenghuoTUI
import Foundation
import GRDB
import Testing
import TestSupport

@Suite("A new P1 call rings the bell")
struct UrgentCallTests {
    /// Another console takes a call: a waiting incident newer than anything in the queue.
    static func call(_ rig: WriteRig, id: String, priority: Int) throws {
        try rig.database.writer.write { db in
            try db.execute(sql: "DROP TABLE IF EXISTS temp.copy")
            try db.execute(sql: "CREATE TEMP TABLE copy AS SELECT * FROM incident WHERE is_open = 1 LIMIT 1")
            try db.execute(sql: """
                UPDATE copy SET id = ?, type_code = 'fire_home', agency = '119', priority = ?, status = 'new', unit_ids = '',
                created_at = (SELECT max(created_at) + 1 FROM incident), version = 1
                """, arguments: [id, priority])
            try db.execute(sql: "INSERT INTO incident SELECT * FROM copy")
        }
        rig.notice(.changed)
    }

    /// A second later: the console reads again (held calls are announced now).
    static func later(_ rig: WriteRig, _ seconds: Double = 2) {
        rig.program.send(.tick(rig.now.addingTimeInterval(seconds)))
        rig.notice(.changed)
    }

    @Test func a_waiting_p1_called_in_after_the_first_look_rings_once_and_is_named_on_the_status_line() throws {
        let rig = try WriteRig(pane: .dispatch)
        #expect(rig.model.bells == 0, "the queue as it was at start rang the bell")
        try Self.call(rig, id: "J20261201-9101", priority: 1)
        Self.later(rig)
        #expect(rig.model.bells == 1)
        #expect(rig.screen.contains("新特急警情：J20261201-9101 住宅火灾"), "\(rig.screen)")
        rig.notice(.changed)
        #expect(rig.model.bells == 1, "the same call rang twice")
        try Self.call(rig, id: "J20261201-9102", priority: 3)
        Self.later(rig, 4)
        #expect(rig.model.bells == 1, "a P3 call rang the bell")
    }

    @Test func the_program_rings_the_terminal_once_for_each_bell_the_model_asks_for() throws {
        let rig = try WriteRig(pane: .dispatch)
        try Self.call(rig, id: "J20261201-9103", priority: 1)
        Self.later(rig)
        #expect(rig.backend.bellsRung == 1)
    }

    @Test func a_p1_this_console_created_is_not_announced_over_its_own_outcome() throws {
        let rig = try WriteRig(pane: .dispatch)
        rig.notice(.queued(id: 7, label: "新建警情", command: .createIncident(NewIncident(type: "fire_home", district: "binhu",
                                                                                     address: "滨湖区湖心路8号", narrative: "厨房起火"))))
        try Self.call(rig, id: "J20261201-9104", priority: 1)
        rig.notice(.applied(id: 7, subject: CommandSubject(command: "createIncident", record: "J20261201-9104")))
        Self.later(rig)
        #expect(rig.model.bells == 0)
        #expect(!rig.screen.contains("新特急警情"), "\(rig.screen)")
    }
}
