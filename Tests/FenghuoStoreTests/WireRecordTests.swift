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
    static let ticket = Ticket(id: "R20261201-0001", category: "noise_social", district: "binhu", address: "湖心路8号", summary: "噪音",
                               detail: "", callerName: "张三", callerPhone: "138", createdAt: at, deadlineAt: at, incidentLink: "J20261201-0001")
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
        #expect(ProtocolVersion.current == 5)
        let incident = try Self.json(EntityRecord.incident(Self.incident).wire())
        let moving = ResponseUnit(id: "F-BH-01", agency: .fire, kind: "水罐车", name: "滨湖一号", district: "binhu", station: "滨湖消防站",
                                  location: GeoPoint(lat: 30.5, lon: 114.4), status: .enRoute, incidentID: "J20261201-0001",
                                  statusChangedAt: Self.at, version: 4, statusVersion: 3, movedAt: Self.at,
                                  tripStart: GeoPoint(lat: 30.49, lon: 114.39))
        let unit = try Self.json(EntityRecord.unit(moving).wire())
        #expect(unit == #"{"tables":[{"columns":["agency","district","id","incident_id","kind","lat","lon","moved_at","name","station","status","status_changed_at","status_version","trip_lat","trip_lon","version"],"name":"unit","rows":[["119","binhu","F-BH-01","J20261201-0001","水罐车",30.5,114.4,1796090400,"滨湖一号","滨湖消防站","en_route",1796090400,3,30.49,114.39,4]],"types":["t","t","t","t","t","r","r","i","t","t","t","i","i","r","r","i"]}]}"#)
        let ticket = try Self.json(EntityRecord.ticket(Self.ticket).wire())
        #expect(ticket == #"{"tables":[{"columns":["address","caller_name","caller_phone","category","created_at","deadline_at","deadline_provisional","department","detail","district","id","incident_link","is_open","reply","satisfied","status","summary","timeline","updated_at","version"],"name":"ticket","rows":[["湖心路8号","张三","138","noise_social",1796090400,1796090400,0,null,"","binhu","R20261201-0001","J20261201-0001",1,null,null,"registered","噪音","[]",1796090400,1]],"types":["t","t","t","t","i","i","i","g","t","t","t","t","i","g","g","t","t","t","i","i"]}]}"#)
        var noted = Self.ticket
        noted.timeline = [TicketEntry(at: Self.at, by: "urban1", kind: .note, text: "内部", isInternal: true, status: .registered, version: 2)]
        let entries = try #require(try EntityRecord.ticket(noted).wire().rows("ticket").first?["timeline"])
        #expect(entries == .text(#"[{"at":817783200,"by":"urban1","isInternal":true,"kind":"note","status":"registered","text":"内部","version":2}]"#))
        let approval = try Self.json(EntityRecord.approval(Self.approval).wire())
        #expect(incident == #"{"tables":[{"columns":["address","agency","caller_name","caller_phone","confidential","created_at","district","id","is_open","lat","lon","narrative","priority","status","status_changed_at","timeline","type_code","unit_ids","version"],"name":"incident","rows":[["湖心路8号","119","张三","138",0,1796090400,"binhu","J20261201-0001",1,30.5,114.4,"三楼冒烟",1,"dispatched",1796090400,"[]","fire_home","F-BH-01,F-BH-02",2]],"types":["t","t","t","t","i","i","t","t","i","r","r","t","i","t","i","t","t","t","i"]}]}"#)
        #expect(approval == #"{"tables":[{"columns":["accepted_on","applicant","applicant_phone","completed_on","deadline","deadline_provisional","id","is_open","item_code","item_name","status","type","updated_at","version"],"name":"approval_case","rows":[[20788,"某公司","137",null,20788,0,"SP20261201-001",1,"biz","企业设立登记","accepted","登记",1796090400,1]],"types":["i","t","t","g","i","i","t","i","t","t","t","t","i","i"]},{"columns":["case_id","decided_at","department","opinion","position","state"],"name":"approval_step","rows":[["SP20261201-001",null,"market",null,0,"pending"],["SP20261201-001",1796090400,"urban","同意",1,"approved"]],"types":["t","i","t","t","i","t"]}]}"#)
    }

    @Test func the_hand_written_json_is_the_text_jsonencoder_writes() throws {
        let hostile = WireRecord(table: "t", row: ["a\"b": .text("引号\"反斜杠\\换行\n制表\t\u{01}"), "n": .null, "i": .integer(-7), "r": .real(0.1)])
        for record in [try EntityRecord.incident(Self.incident).wire(), try EntityRecord.approval(Self.approval).wire(), hostile] {
            #expect(record.jsonText() == (try Self.json(record)))
            #expect(try JSONDecoder().decode(WireRecord.self, from: Data(record.jsonText().utf8)) == record)
        }
    }

    /// A snapshot page carries a table's columns; the feed's row for a record must name exactly those.
    @Test func a_records_wire_row_has_exactly_its_tables_columns() throws {
        let db = try AppDatabase(DatabaseQueue())
        let unit = ResponseUnit(id: "P-1", agency: .police, kind: "car", name: "巡逻车", district: "binhu", station: "s",
                                location: GeoPoint(lat: 0, lon: 0), statusChangedAt: Self.at)
        let ticket = Ticket(id: "R1", category: "noise", district: "binhu", address: "x", summary: "y", detail: "", callerName: "",
                            callerPhone: "", createdAt: Self.at, deadlineAt: Self.at)
        for record in [EntityRecord.incident(Self.incident), .unit(unit), .ticket(ticket), .approval(Self.approval)] {
            let wire = try record.wire()
            for table in wire.tableNames {
                let columns = try db.writer.read { try $0.columns(in: table).map(\.name) }
                for row in wire.rows(table) { #expect(Set(row.keys) == Set(columns), "\(table)") }
            }
        }
    }
}
