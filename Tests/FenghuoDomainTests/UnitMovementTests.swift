import FenghuoDomain
import Foundation
import Testing

/// Units reporting where they are while they drive (`moveUnit`): the position and its time are
/// kept, the status and what a status report is checked against are not disturbed, and a fix
/// outside the city or from the wrong desk is refused.
@Suite("Unit position reports")
struct UnitMovementTests {
    static let now = Date(timeIntervalSince1970: 1_796_090_400)  // 2026-12-01 10:00 +08:00
    static let seat = GeoPoint(lat: 30.49, lon: 114.39)
    static let reference = ReferenceTables(
        calendar: WorkingDayCalendar(years: [], entries: []),
        incidentTypes: ["fire_home": IncidentType(code: "fire_home", agency: .fire, name: "住宅火灾", nameEN: "House fire", priority: .critical)],
        districts: ["binhu": District(code: "binhu", name: "滨湖区", nameEN: "Binhu", location: seat, population: 1)],
        ticketCategories: [:], departments: [:], approvalItems: [:])
    static let duty = User(username: "duty1", name: "值班员", role: .duty, department: "cmd")

    var records = RecordsInMemory(reference: UnitMovementTests.reference)
    let fire = IDFormat.stem(.incident, LocalDate(UnitMovementTests.now)) + "0001"

    init() {
        records.incidents[fire] = Incident.received(
            id: fire, agency: .fire, typeCode: "fire_home", priority: .critical, district: "binhu", address: "湖心路8号",
            location: GeoPoint(lat: 30.50, lon: 114.40), callerName: "张三", callerPhone: "13800000000", narrative: "三楼冒烟",
            by: "duty1", at: Self.now)
        records.units["F-1"] = ResponseUnit(id: "F-1", agency: .fire, kind: "水罐车", name: "滨湖一号", district: "binhu",
                                            station: "滨湖消防站", location: Self.seat, statusChangedAt: Self.now)
    }

    mutating func run(_ command: Command, by user: User = UnitMovementTests.duty, base: Int? = nil, after seconds: Double = 60)
        throws(CommandRejection) -> [RecordChange] {
        let changes = try Deciders.decide(command, by: user, at: Self.now.addingTimeInterval(seconds), reading: records, baseVersion: base)
        records.store(changes)
        return changes
    }

    func unit() -> ResponseUnit { records.units["F-1"]! }

    @Test mutating func a_position_report_moves_the_unit_and_keeps_its_status() throws {
        // Given a unit sent to the fire and on its way
        _ = try run(.dispatch(incident: .init(fire), units: [.init("F-1")]))
        _ = try run(.updateUnitStatus(unit: .init("F-1"), event: .depart), after: 90)
        let onTheWay = unit()
        #expect(onTheWay.tripStart == Self.seat)
        // When its locator reports a point between the station and the fire
        let fix = GeoPoint(lat: 30.495, lon: 114.395)
        let changes = try run(.moveUnit(unit: .init("F-1"), to: fix), after: 120)
        // Then it is there, stamped, one version on; its status, its status's version and where the trip began stay
        #expect(changes.count == 1)
        let moved = unit()
        #expect(moved.location == fix)
        #expect(moved.movedAt == Self.now.addingTimeInterval(120))
        #expect(moved.version == onTheWay.version + 1)
        #expect(moved.status == .enRoute)
        #expect(moved.statusVersion == onTheWay.statusVersion)
        #expect(moved.statusChangedAt == onTheWay.statusChangedAt)
        #expect(moved.tripStart == Self.seat)
        // And the incident's timeline is not filled with positions
        #expect(records.incidents[fire]!.timeline.count == 3)
    }

    @Test mutating func a_status_report_made_before_position_reports_is_not_stale_but_one_before_a_status_change_is() throws {
        _ = try run(.dispatch(incident: .init(fire), units: [.init("F-1")]))
        _ = try run(.updateUnitStatus(unit: .init("F-1"), event: .depart), after: 90)
        let seen = unit().version
        // Two position reports arrive after the officer's screen showed version `seen`
        _ = try run(.moveUnit(unit: .init("F-1"), to: GeoPoint(lat: 30.495, lon: 114.395)), after: 100)
        _ = try run(.moveUnit(unit: .init("F-1"), to: GeoPoint(lat: 30.499, lon: 114.399)), after: 110)
        // The officer's 到场 based on `seen` is applied
        _ = try run(.updateUnitStatus(unit: .init("F-1"), event: .arrive), base: seen, after: 120)
        #expect(unit().status == .onScene)
        #expect(unit().tripStart == nil)
        // But a second report based on `seen` is stale: the status changed since
        #expect(throws: CommandRejection.self) {
            _ = try run(.updateUnitStatus(unit: .init("F-1"), event: .clear), base: seen, after: 130)
        }
        // And a version the unit never had is refused as stale too
        do {
            _ = try run(.updateUnitStatus(unit: .init("F-1"), event: .clear), base: unit().version + 5, after: 140)
            Issue.record("a future base version was taken")
        } catch {
            #expect(error.code == "stale_version")
        }
    }

    @Test mutating func leaving_a_scene_starts_the_trip_back_and_the_station_ends_it() throws {
        _ = try run(.dispatch(incident: .init(fire), units: [.init("F-1")]))
        _ = try run(.updateUnitStatus(unit: .init("F-1"), event: .arrive), after: 300)
        let scene = GeoPoint(lat: 30.50, lon: 114.40)
        _ = try run(.moveUnit(unit: .init("F-1"), to: scene), after: 310)
        _ = try run(.updateUnitStatus(unit: .init("F-1"), event: .clear), after: 900)
        #expect(unit().tripStart == scene)
        _ = try run(.updateUnitStatus(unit: .init("F-1"), event: .backInStation), after: 1500)
        #expect(unit().tripStart == nil)
        #expect(unit().status == .available)
    }

    @Test(arguments: ["31.5,114.4", "30.49,115.5", "0,0"])
    mutating func a_fix_outside_the_city_is_refused_naming_the_argument(_ text: String) throws {
        guard case .point(let point) = TypedCoordinates(text) else { Issue.record("\(text) did not parse"); return }
        do {
            _ = try run(.moveUnit(unit: .init("F-1"), to: point))
            Issue.record("\(text) was taken")
        } catch {
            #expect(error.code == "bad_value")
            #expect(error.message.contains("at"), "\(error.message)")
        }
        #expect(unit().location == Self.seat)
        #expect(unit().movedAt == nil)
    }

    @Test(arguments: ["NaN,114.4", "30.5,inf", "30.5", "91,114", "30.5,114.4,1", "三十,114", ""])
    func a_position_that_is_not_coordinates_is_refused_before_any_rule(_ text: String) {
        let payload = CommandPayload(name: .moveUnit, args: ["unit": .text("F-1"), "at": .text(text)])
        #expect(throws: CommandRejection.self) { _ = try Command(payload) }
    }

    @Test mutating func only_the_dispatch_desk_reports_positions_and_only_of_units_that_exist() throws {
        let hotline = User(username: "hotline1", name: "话务员", role: .hotline, department: "hotline")
        do {
            _ = try run(.moveUnit(unit: .init("F-1"), to: GeoPoint(lat: 30.495, lon: 114.395)), by: hotline)
            Issue.record("a hotline agent moved a unit")
        } catch {
            #expect(error.code == "forbidden")
        }
        do {
            _ = try run(.moveUnit(unit: .init("F-9"), to: GeoPoint(lat: 30.495, lon: 114.395)))
            Issue.record("a unit that does not exist moved")
        } catch {
            #expect(error.code == "not_found")
        }
    }

    @Test func the_wire_form_round_trips_at_six_decimals() throws {
        let command = Command.moveUnit(unit: .init("F-1"), to: GeoPoint(lat: 30.4951234, lon: 114.3959876))
        #expect(command.payload.args["at"] == .text("30.495123,114.395988"))
        let back = try Command(command.payload)
        guard case .moveUnit(let unit, let point) = back else { Issue.record("\(back)"); return }
        #expect(unit.rawValue == "F-1")
        #expect(abs(point.lat - 30.495123) < 1e-9 && abs(point.lon - 114.395988) < 1e-9)
    }

    @Test func a_unit_held_to_its_trip_is_late_even_while_it_reports_its_way_closer() {
        // Given a unit 15 minutes on the way to a trip the roads put at 8 minutes, 2 minutes from the scene now
        var unit = ResponseUnit(id: "F-1", agency: .fire, kind: "水罐车", name: "滨湖一号", district: "binhu", station: "s",
                                location: Self.seat, status: .enRoute, incidentID: fire, statusChangedAt: Self.now)
        unit.tripStart = Self.seat
        let later = Self.now.addingTimeInterval(15 * 60)
        // Then held to the trip's ETA it is flagged, while held to what is left it would not be
        #expect(UnitFlag.check(unit, eta: 8 * 60, now: later) != nil)
        #expect(UnitFlag.check(unit, eta: 12 * 60, now: later) == nil)
    }
}
