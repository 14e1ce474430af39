import FenghuoCentral
import FenghuoSeed
import FenghuoDomain
import FenghuoProtocol
import FenghuoSync
import FenghuoStore
import Foundation
import GRDB
import Testing
import TestSupport

/// Central's exactly-once command log and scoped change feed, on a real SQLite store.
@Suite("Central: commands applied exactly once, changes scoped by role", .ownThread)
struct CommandFeedTests {
    let storage: SQLiteCentralStorage
    let now = DemoCity.now.addingTimeInterval(60)
    static let duty = User(username: "duty1", name: "值班员", role: .duty, department: "cmd")
    static let hotline = User(username: "hotline1", name: "话务员", role: .hotline, department: "hotline")
    static let leader = User(username: "leader1", name: "领导", role: .leader, department: "cmd")

    init() throws {
        storage = try SQLiteCentralStorage.inMemory()
        try Seeder(fixtures: DemoCity.fixtures, hasher: DemoCity.testHasher).seed(storage.database, now: DemoCity.now)
    }

    func count(_ sql: String) throws -> Int {
        try storage.database.writer.read { try Int.fetchOne($0, sql: sql) ?? 0 }
    }

    func createIncident(_ id: Int64, client: String = "c-duty") -> CommandEnvelope {
        CommandEnvelope(clientID: client, mutationID: id, name: "createIncident",
                        args: ["type": "theft", "district": "jiangbei", "address": "江北区人民北路1号", "narrative": "测试警情"])
    }

    @Test func a_changes_row_carries_the_whole_seconds_the_store_keeps() throws {
        // Given a command applied at a fractional instant
        let at = now.addingTimeInterval(0.75)
        #expect(try storage.submit(createIncident(1), by: Self.duty, at: at) == .applied)
        // Then the row in the feed says the same instant as the stored record: whole seconds
        let json = try #require(try storage.database.writer.read {
            try String.fetchOne($0, sql: "SELECT row FROM change_log WHERE entity = 'incident' ORDER BY seq DESC LIMIT 1")
        })
        let record = try JSONDecoder().decode(WireRecord.self, from: Data(json.utf8))
        guard case .integer(let seconds)? = record.rows("incident").first?["created_at"] else {
            Issue.record("no created_at in \(json)")
            return
        }
        let created = Double(seconds)
        #expect(created == at.timeIntervalSince1970.rounded(.down))
        let stored = try storage.database.writer.read {
            try Int64.fetchOne($0, sql: "SELECT created_at FROM incident WHERE narrative = '测试警情' ORDER BY created_at DESC LIMIT 1")
        }
        #expect(stored.map(Double.init) == created)
    }

    @Test func a_command_resent_after_a_lost_answer_is_applied_once() throws {
        // Given a new incident command applied once
        let before = try count("SELECT count(*) FROM incident")
        #expect(try storage.submit(createIncident(1), by: Self.duty, at: now) == .applied)
        // When the same upload arrives again
        #expect(try storage.submit(createIncident(1), by: Self.duty, at: now) == .duplicate)
        // Then one incident and one change exist
        #expect(try count("SELECT count(*) FROM incident") == before + 1)
        #expect(try count("SELECT count(*) FROM change_log") == 1)
    }

    @Test func a_gap_in_mutation_ids_is_refused_and_names_the_id_to_resend() throws {
        #expect(try storage.submit(createIncident(1), by: Self.duty, at: now) == .applied)
        #expect(throws: MutationGap(clientID: "c-duty", expected: 2, got: 3)) {
            try storage.submit(createIncident(3), by: Self.duty, at: now)
        }
        #expect(try storage.submit(createIncident(2), by: Self.duty, at: now) == .applied)
    }

    @Test func a_refused_command_advances_the_id_and_its_reason_reaches_only_its_client() throws {
        // Given a dispatch of a unit from the wrong agency (a fire engine to a police call)
        let open = try storage.database.reader.incidents(PageRequest(limit: 500)).rows
        let police = try #require(open.first { $0.agency == .police && $0.status == .new || $0.agency == .police })
        let engine = try #require(try storage.database.reader.units().first { $0.agency == .fire && $0.status == .available })
        let bad = CommandEnvelope(clientID: "c-duty", mutationID: 1, name: "dispatch",
                                  args: ["incident": police.id, "units": engine.id])
        // When it is pushed
        guard case .rejected(let rejection) = try storage.submit(bad, by: Self.duty, at: now) else {
            Issue.record("expected a rejection")
            return
        }
        // Then nothing changed on the records, and the next command still flows
        #expect(rejection.code == "agency_mismatch" || rejection.code == "illegal_transition")
        #expect(try storage.database.reader.units().first { $0.id == engine.id }?.status == .available)
        #expect(try storage.submit(createIncident(2), by: Self.duty, at: now) == .applied)
        // And the rejection replicates to that client only
        let mine = try storage.changes(after: 0, scopes: Visibility.of(user: Self.duty, clientID: "c-duty"), clientID: "c-duty", limit: 50)
        #expect(mine.changes.contains { $0.entity == "rejection" && $0.id == "c-duty#1" })
        #expect(mine.lastMutationID == 2)
        let other = try storage.changes(after: 0, scopes: Visibility.of(user: Self.duty, clientID: "c-other"), clientID: "c-other", limit: 50)
        #expect(!other.changes.contains { $0.entity == "rejection" })
    }

    @Test func a_change_based_on_a_stale_version_is_rejected_with_the_reason() throws {
        let ticket = try #require(try storage.database.reader.tickets(PageRequest(limit: 2000)).rows.first { $0.status == .assigned || $0.status == .returned })
        let stale = CommandEnvelope(clientID: "c-hot", mutationID: 1, name: "transferTicket",
                                    args: ["ticket": ticket.id, "department": "urban"], baseVersion: ticket.version - 1)
        guard case .rejected(let r) = try storage.submit(stale, by: Self.hotline, at: now) else {
            Issue.record("expected a stale-version rejection")
            return
        }
        #expect(r.code == "stale_version")
        #expect(r.message.contains("reload"))
    }

    @Test func a_ticket_moving_to_another_department_leaves_the_first_departments_replicas() throws {
        // Given a ticket with one department, transferred to another
        let ticket = try #require(try storage.database.reader.tickets(PageRequest(limit: 5000)).rows.first {
            $0.status == .assigned && $0.department != "urban"
        })
        let from = try #require(ticket.department)
        let transfer = CommandEnvelope(clientID: "c-hot", mutationID: 1, name: "transferTicket",
                                       args: ["ticket": ticket.id, "department": "urban"], baseVersion: ticket.version)
        #expect(try storage.submit(transfer, by: Self.hotline, at: now) == .applied)
        // Then the old department sees a REMOVE, the new one and the hotline a PUT
        func seen(_ user: User) throws -> [ChangeRecord] {
            try storage.changes(after: 0, scopes: Visibility.of(user: user, clientID: "x"), clientID: "x", limit: 50).changes
                .filter { $0.id == ticket.id }
        }
        let old = User(username: "s", name: "s", role: .staff, department: from)
        let new = User(username: "u", name: "u", role: .staff, department: "urban")
        #expect(try seen(old).map(\.op) == [.remove])
        #expect(try seen(new).map(\.op) == [.put])
        #expect(try seen(Self.hotline).map(\.op) == [.put])
        #expect(try seen(Self.duty).isEmpty)
    }

    @Test func leaders_read_but_cannot_write() throws {
        guard case .rejected(let r) = try storage.submit(createIncident(1, client: "c-lead"), by: Self.leader, at: now) else {
            Issue.record("expected a refusal")
            return
        }
        #expect(r.code == "forbidden")
    }

    @Test func an_unknown_command_is_rejected_naming_the_known_ones() throws {
        let e = CommandEnvelope(clientID: "c-duty", mutationID: 1, name: "launchRocket", args: [String: String]())
        guard case .rejected(let r) = try storage.submit(e, by: Self.duty, at: now) else {
            Issue.record("expected a refusal")
            return
        }
        #expect(r.code == "unknown_command")
        #expect(r.message.contains("createIncident"))
    }

    @Test func the_cursor_moves_past_changes_the_reader_may_not_see() throws {
        // Given a duty-only change (a unit's status), read by a hotline agent
        let unit = try #require(try storage.database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT id FROM unit WHERE status = 'available' ORDER BY id LIMIT 1")
        })
        let e = CommandEnvelope(clientID: "c-duty", mutationID: 1, name: "updateUnitStatus",
                                args: ["unit": unit, "event": "outOfService"])
        #expect(try storage.submit(e, by: Self.duty, at: now) == .applied)
        let batch = try storage.changes(after: 0, scopes: Visibility.of(user: Self.hotline, clientID: "h"), clientID: "h", limit: 10)
        #expect(batch.changes.isEmpty)
        #expect(batch.cursor == 1)
    }

    @Test func a_dispatch_that_fails_halfway_changes_no_unit() throws {
        // Given an open police incident, a free police car and a busy one
        let units = try storage.database.reader.units()
        let free = try #require(units.first { $0.agency == .police && $0.status == .available })
        let busy = try #require(units.first { $0.agency == .police && $0.status == .onScene })
        let incident = try #require(try storage.database.reader.incidents(PageRequest(limit: 500)).rows.first {
            $0.agency == .police && $0.status.isOpen && $0.status != .resolved
        })
        let e = CommandEnvelope(clientID: "c-duty", mutationID: 1, name: "dispatch",
                                args: ["incident": incident.id, "units": "\(free.id),\(busy.id)"])
        // When the dispatch is refused for the busy car
        guard case .rejected(let r) = try storage.submit(e, by: Self.duty, at: now) else {
            Issue.record("expected a refusal")
            return
        }
        // Then the free car was not assigned either
        #expect(r.code == "illegal_transition")
        #expect(r.message.contains(busy.id))
        #expect(try storage.database.reader.units().first { $0.id == free.id } == free)
        #expect(try count("SELECT count(*) FROM change_log WHERE entity != 'rejection'") == 0)
    }

    @Test func the_first_unit_to_arrive_puts_its_incident_on_scene() throws {
        // Given a new police incident and a free police car dispatched to it
        #expect(try storage.submit(createIncident(1), by: Self.duty, at: now) == .applied)
        let incident = try #require(try storage.database.reader.incidents(PageRequest(limit: 500)).rows.first { $0.narrative == "测试警情" })
        let car = try #require(try storage.database.reader.units().first { $0.agency == .police && $0.status == .available })
        let dispatch = CommandEnvelope(clientID: "c-duty", mutationID: 2, name: "dispatch",
                                       args: ["incident": incident.id, "units": car.id])
        #expect(try storage.submit(dispatch, by: Self.duty, at: now) == .applied)
        // When the car reports arrival
        let arrive = CommandEnvelope(clientID: "c-duty", mutationID: 3, name: "updateUnitStatus",
                                     args: ["unit": car.id, "event": "arrive"])
        #expect(try storage.submit(arrive, by: Self.duty, at: now) == .applied)
        // Then the car and the incident are both on scene, and both changes are in the feed
        #expect(try storage.database.reader.incident(id: incident.id)?.status == .onScene)
        #expect(try storage.database.reader.units().first { $0.id == car.id }?.status == .onScene)
        let feed = try storage.changes(after: 0, scopes: ["role:duty"], clientID: "c-duty", limit: 50).changes
        #expect(feed.filter { $0.id == incident.id }.count == 3)  // created, dispatched, on scene
    }
}
