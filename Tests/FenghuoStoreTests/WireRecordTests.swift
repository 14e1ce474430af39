import FenghuoDomain
import FenghuoProtocol
import FenghuoStore
import Foundation
import GRDB
import Testing

/// A record's wire form is the protocol: the feed sends it, snapshots send the same columns.
@Suite("Records on the wire: table rows, pinned to the protocol version")
struct WireRecordTests {
    static let at = Date(timeIntervalSince1970: 1_796_090_400)

    static let incident = Incident(id: "J20261201-0001", agency: .fire, typeCode: "fire_home", priority: .critical, district: "binhu",
                                   address: "湖心路8号", location: GeoPoint(lat: 30.5, lon: 114.4), callerName: "张三",
                                   callerPhone: "138", narrative: "三楼冒烟", status: .dispatched, unitIDs: ["F-BH-01", "F-BH-02"],
                                   createdAt: at, version: 2)
    static let approval = ApprovalCase(id: "SP20261201-001", itemCode: "biz", itemName: "企业设立登记", type: .registration,
                                       applicant: "某公司", applicantPhone: "137",
                                       steps: [ApprovalStep(department: "market"), ApprovalStep(department: "urban", state: .approved, opinion: "同意", decidedAt: at)],
                                       acceptedOn: LocalDate(at), deadline: LocalDate(at), updatedAt: at)

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Changing one of these strings changes what every agent reads: bump
    /// `ProtocolVersion.current` with it (central then refuses agents of the old version).
    @Test func the_wire_form_of_each_kind_of_record_is_fixed_for_this_protocol_version() throws {
        #expect(ProtocolVersion.current == 2)
        #expect(try Self.json(EntityRecord.incident(Self.incident).wire()) == #"{"tables":{"incident":[{"address":"湖心路8号","agency":"119","caller_name":"张三","caller_phone":"138","confidential":0,"created_at":1796090400,"district":"binhu","id":"J20261201-0001","is_open":1,"lat":30.5,"lon":114.4,"narrative":"三楼冒烟","priority":1,"status":"dispatched","status_changed_at":1796090400,"type_code":"fire_home","unit_ids":"F-BH-01,F-BH-02","version":2}]}}"#)
        #expect(try Self.json(EntityRecord.approval(Self.approval).wire()) == #"{"tables":{"approval_case":[{"accepted_on":20788,"applicant":"某公司","applicant_phone":"137","completed_on":null,"deadline":20788,"deadline_provisional":0,"id":"SP20261201-001","is_open":1,"item_code":"biz","item_name":"企业设立登记","status":"accepted","type":"登记","updated_at":1796090400,"version":1}],"approval_step":[{"case_id":"SP20261201-001","decided_at":null,"department":"market","opinion":null,"position":0,"state":"pending"},{"case_id":"SP20261201-001","decided_at":1796090400,"department":"urban","opinion":"同意","position":1,"state":"approved"}]}}"#)
    }

    /// A snapshot page carries a table's columns; the feed's row for a record must name exactly those.
    @Test func a_records_wire_row_has_exactly_its_tables_columns() throws {
        let db = try AppDatabase(DatabaseQueue())
        let unit = ResponseUnit(id: "P-1", agency: .police, kind: "car", name: "巡逻车", district: "binhu", station: "s",
                                location: GeoPoint(lat: 0, lon: 0), statusChangedAt: Self.at)
        let ticket = Ticket(id: "R1", category: "noise", district: "binhu", address: "x", summary: "y", detail: "", callerName: "",
                            callerPhone: "", createdAt: Self.at, deadlineAt: Self.at)
        for record in [EntityRecord.incident(Self.incident), .unit(unit), .ticket(ticket), .approval(Self.approval)] {
            for (table, rows) in try record.wire().tables {
                let columns = try db.writer.read { try $0.columns(in: table).map(\.name) }
                for row in rows { #expect(Set(row.keys) == Set(columns), "\(table)") }
            }
        }
    }
}
