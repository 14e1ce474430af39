import FenghuoDomain
import FenghuoProtocol
import FenghuoStore
import FenghuoSync
import Foundation
import GRDB
import Testing

/// What the agent does with rows central sends: every table and column checked before SQL.
@Suite("The replica applies only rows its schema has")
struct ReplicaApplyTests {
    static func replica() throws -> ReplicaStore {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("replica-\(UUID().uuidString).sqlite").path
        return try ReplicaStore(path: path)
    }

    static func change(_ row: [String: SQLValue], table: String = "unit", entity: String = "unit", id: String = "P-1") throws -> ChangesResponse {
        let json = String(decoding: try JSONEncoder().encode(WireRecord(table: table, row: row)), as: UTF8.self)
        return ChangesResponse(changes: [ChangeRecord(seq: 1, entity: entity, id: id, op: .put, scopes: [], row: json, version: 1)],
                               cursor: FeedCursor(epoch: "e", seq: 1), lastMutationID: 0, head: 1, scope: "s")
    }

    static let unit: [String: SQLValue] = [
        "id": .text("P-1"), "agency": .text("110"), "kind": .text("car"), "name": .text("巡逻车"), "district": .text("binhu"),
        "station": .text("s"), "lat": .real(0), "lon": .real(0), "status": .text("available"), "incident_id": .null,
        "status_changed_at": .integer(1), "version": .integer(1),
    ]

    @Test func a_row_with_a_column_the_table_lacks_is_refused_and_writes_nothing() throws {
        let replica = try Self.replica()
        var hostile = Self.unit
        hostile["name\" ) ; DROP TABLE unit; --"] = .text("x")
        #expect(throws: ReplicaError.self) { try replica.apply(Self.change(hostile), at: Date()) }
        #expect(throws: ReplicaError.self) { try replica.apply(Self.change(Self.unit, table: "app_user"), at: Date()) }
        #expect(throws: ReplicaError.self) { try replica.apply(Self.change(Self.unit, id: "P-2"), at: Date()) }
        let count = try replica.database.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM unit") }
        #expect(count == 0)
        // The well-formed row applies, and applying it again changes nothing.
        try replica.apply(Self.change(Self.unit), at: Date())
        try replica.apply(Self.change(Self.unit), at: Date())
        let name = try replica.database.writer.read { try String.fetchOne($0, sql: "SELECT name FROM unit WHERE id = 'P-1'") }
        #expect(name == "巡逻车")
    }
}
