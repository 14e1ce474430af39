import FenghuoDomain
import FenghuoSeed
import FenghuoStore
import Foundation
import GRDB
import Testing
import TestSupport

/// The prepared-statement writes of incidents, units and tickets against GRDB's own.
@Suite("Prepared record writes")
struct PreparedRecordTests {
    @Test func every_column_of_the_table_is_written_and_no_other() throws {
        let db = try AppDatabase(DatabaseQueue())
        for (table, columns) in [("incident", Incident.columnNames), ("unit", ResponseUnit.columnNames), ("ticket", Ticket.columnNames)] {
            let stored = try db.writer.read { try Row.fetchAll($0, sql: "PRAGMA table_info(\(table))").map { $0["name"] as String } }
            #expect(Set(columns) == Set(stored), "\(table): the record writes \(columns.sorted()), the table has \(stored.sorted())")
            #expect(columns.first == "id")
        }
    }

    @Test func a_prepared_insert_and_update_read_back_as_grdbs_own_writes_do() throws {
        let prepared = try AppDatabase(DatabaseQueue())
        let plain = try AppDatabase(DatabaseQueue())
        for db in [prepared, plain] { try Seeder(fixtures: DemoCity.fixtures, hasher: DemoCity.testHasher).seed(db, now: DemoCity.now) }
        var incident = Incident(id: "J-TEST-0001", agency: .police, typeCode: "theft", priority: .high, district: "binhu",
                                address: "滨湖区湖心路8号", location: GeoPoint(lat: 31.5, lon: 120.3), callerName: "王",
                                callerPhone: "13800000000", narrative: "电动车被盗", createdAt: DemoCity.now)
        var ticket = Ticket(id: "R-TEST-0001", category: "noise_social", district: "binhu", address: "湖心路", summary: "噪声",
                            detail: "", callerName: "李", callerPhone: "139", createdAt: DemoCity.now,
                            deadlineAt: DemoCity.now.addingTimeInterval(86_400), deadlineProvisional: false)
        try prepared.writer.write { db in
            try incident.insertPrepared(db)
            try ticket.insertPrepared(db)
        }
        try plain.writer.write { db in
            try incident.insert(db)
            try ticket.insert(db)
        }
        incident.narrative = "电动车被盗，已找回"
        incident.unitIDs = ["P-01", "P-02"]
        incident.version += 1
        ticket.department = "urban"
        ticket.satisfied = true
        ticket.version += 1
        try prepared.writer.write { db in
            try incident.updatePrepared(db)
            try ticket.updatePrepared(db)
        }
        try plain.writer.write { db in
            try incident.update(db)
            try ticket.update(db)
        }
        for table in ["incident", "ticket"] {
            let a = try prepared.writer.read { try Row.fetchAll($0, sql: "SELECT * FROM \(table) WHERE id LIKE '_-TEST-%'") }
            let b = try plain.writer.read { try Row.fetchAll($0, sql: "SELECT * FROM \(table) WHERE id LIKE '_-TEST-%'") }
            #expect(a.count == 1)
            #expect(a == b)
        }
        #expect(try prepared.writer.read { try Incident.fetchOne($0, key: incident.id) } == incident)
    }

    @Test func updating_a_record_that_is_not_stored_fails_as_grdb_does() throws {
        let db = try AppDatabase(DatabaseQueue())
        let ticket = Ticket(id: "R-none", category: "noise_social", district: "binhu", address: "湖心路", summary: "噪声",
                            detail: "", callerName: "", callerPhone: "", createdAt: DemoCity.now,
                            deadlineAt: DemoCity.now, deadlineProvisional: false)
        #expect(throws: RecordError.self) { try db.writer.write { try ticket.updatePrepared($0) } }
    }
}
