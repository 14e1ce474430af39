import Foundation
import Testing
import FenghuoDomain

@Suite("Response unit life cycle: available → dispatched → en route → on scene → returning → available")
struct UnitLifecycleTests {
    static let since = Date(timeIntervalSince1970: 1_780_000_000)
    static let later = since.addingTimeInterval(120)

    static func unit(_ status: UnitStatus = .available, incident: String? = nil) -> ResponseUnit {
        let busy: Set<UnitStatus> = [.dispatched, .enRoute, .onScene]
        return ResponseUnit(id: "F-01", agency: .fire, kind: "水罐消防车", name: "青羊一号", district: "qingyang",
                            station: "青羊消防站", location: GeoPoint(lat: 30.67, lon: 104.05), status: status,
                            incidentID: incident ?? (busy.contains(status) ? "JJ-1" : nil), statusChangedAt: since)
    }

    // MARK: Allowed steps

    @Test func an_available_unit_is_assigned_to_an_incident() throws {
        // Given an available unit
        var unit = Self.unit()
        // When it is assigned to JJ-7
        try unit.apply(.assign(incidentID: "JJ-7"), at: Self.later)
        // Then it is dispatched to that incident, stamped, and one version on
        #expect(unit.status == .dispatched)
        #expect(unit.incidentID == "JJ-7")
        #expect(unit.statusChangedAt == Self.later)
        #expect(unit.version == 2)
    }

    @Test func a_returning_unit_can_be_assigned_straight_to_a_new_incident() throws {
        var unit = Self.unit(.returning)
        try unit.apply(.assign(incidentID: "JJ-8"), at: Self.later)
        #expect(unit.status == .dispatched)
        #expect(unit.incidentID == "JJ-8")
        #expect(unit.statusChangedAt == Self.later)
    }

    @Test func the_full_round_trip_returns_the_unit_to_available_with_no_incident() throws {
        var unit = Self.unit()
        let t = (1...5).map { Self.since.addingTimeInterval(Double($0) * 60) }
        try unit.apply(.assign(incidentID: "JJ-7"), at: t[0])
        try unit.apply(.depart, at: t[1])
        #expect(unit.status == .enRoute)
        #expect(unit.incidentID == "JJ-7")
        try unit.apply(.arrive, at: t[2])
        #expect(unit.status == .onScene)
        try unit.apply(.clear, at: t[3])
        #expect(unit.status == .returning)
        #expect(unit.incidentID == nil)
        try unit.apply(.backInStation, at: t[4])
        #expect(unit.status == .available)
        #expect(unit.statusChangedAt == t[4])
        #expect(unit.version == 6)
    }

    @Test func a_dispatched_unit_may_arrive_without_reporting_departure() throws {
        var unit = Self.unit(.dispatched)
        try unit.apply(.arrive, at: Self.later)
        #expect(unit.status == .onScene)
        #expect(unit.incidentID == "JJ-1")
    }

    @Test(arguments: [UnitStatus.dispatched, .enRoute])
    func a_unit_that_has_not_arrived_can_be_released(_ status: UnitStatus) throws {
        var unit = Self.unit(status)
        try unit.apply(.release, at: Self.later)
        #expect(unit.status == .available)
        #expect(unit.incidentID == nil)
        #expect(unit.statusChangedAt == Self.later)
    }

    @Test(arguments: [UnitStatus.available, .returning])
    func an_idle_unit_can_go_out_of_service_and_come_back(_ status: UnitStatus) throws {
        var unit = Self.unit(status)
        try unit.apply(.outOfService, at: Self.later)
        #expect(unit.status == .outOfService)
        #expect(!unit.status.canTakeAssignment)
        let back = Self.later.addingTimeInterval(3600)
        try unit.apply(.backInService, at: back)
        #expect(unit.status == .available)
        #expect(unit.statusChangedAt == back)
        #expect(unit.version == 3)
    }

    // MARK: The whole table

    static let events: [ResponseUnit.Event] = [.assign(incidentID: "JJ-9"), .depart, .arrive, .clear, .release,
                                               .backInStation, .outOfService, .backInService]

    static func expectedNext(_ event: ResponseUnit.Event, from status: UnitStatus) -> UnitStatus? {
        switch (event, status) {
        case (.assign, .available), (.assign, .returning): .dispatched
        case (.depart, .dispatched): .enRoute
        case (.arrive, .dispatched), (.arrive, .enRoute): .onScene
        case (.clear, .onScene): .returning
        case (.release, .dispatched), (.release, .enRoute): .available
        case (.backInStation, .returning): .available
        case (.outOfService, .available), (.outOfService, .returning): .outOfService
        case (.backInService, .outOfService): .available
        default: nil
        }
    }

    @Test(arguments: UnitStatus.allCases, events)
    func every_event_from_every_status_follows_the_table(_ status: UnitStatus, _ event: ResponseUnit.Event) throws {
        var unit = Self.unit(status)
        let before = unit
        if let next = Self.expectedNext(event, from: status) {
            try unit.apply(event, at: Self.later)
            #expect(unit.status == next)
            #expect(unit.statusChangedAt == Self.later)
            #expect(unit.version == before.version + 1)
            // A unit holds an incident exactly while it is dispatched, en route or on scene
            let busy: Set<UnitStatus> = [.dispatched, .enRoute, .onScene]
            #expect((unit.incidentID != nil) == busy.contains(next), "\(next) with \(unit.incidentID ?? "nil")")
        } else {
            let error = try #require(refusal { try unit.apply(event, at: Self.later) })
            #expect(error.entity == "unit")
            #expect(error.id == "F-01")
            #expect(error.event == event.name)
            #expect(error.from == status.rawValue)
            #expect(unit == before)
        }
    }

    // MARK: Refusals in detail

    @Test func rejects_assigning_a_busy_unit_and_names_its_current_incident() throws {
        // Given a unit en route to JJ-1
        var unit = Self.unit(.enRoute)
        let before = unit
        // When it is assigned to JJ-9
        let error = try #require(refusal { try unit.apply(.assign(incidentID: "JJ-9"), at: Self.later) })
        // Then the refusal names JJ-1 and the unit still serves JJ-1
        #expect(error.event == "assign")
        #expect(error.from == "en_route")
        #expect(error.reason.contains("JJ-1"))
        #expect(unit.incidentID == "JJ-1")
        #expect(unit == before)
        #expect(unit.version == 1)
    }

    @Test func rejects_assigning_a_unit_that_is_out_of_service() throws {
        var unit = Self.unit(.outOfService)
        let before = unit
        let error = try #require(refusal { try unit.apply(.assign(incidentID: "JJ-9"), at: Self.later) })
        #expect(error == TransitionError(entity: "unit", id: "F-01", event: "assign", from: "out_of_service",
                                         reason: "the unit is out of service"))
        #expect(unit == before)
    }

    @Test func rejects_taking_a_unit_on_scene_out_of_service() throws {
        var unit = Self.unit(.onScene)
        let before = unit
        let error = try #require(refusal { try unit.apply(.outOfService, at: Self.later) })
        #expect(error.event == "go out of service")
        #expect(error.from == "on_scene")
        #expect(unit == before)
    }

    @Test func rejects_releasing_a_unit_that_has_arrived() throws {
        var unit = Self.unit(.onScene)
        let before = unit
        let error = try #require(refusal { try unit.apply(.release, at: Self.later) })
        #expect(error.event == "release")
        #expect(error.from == "on_scene")
        #expect(unit.incidentID == "JJ-1")
        #expect(unit == before)
    }

    @Test func rejects_back_in_station_for_a_unit_already_available() throws {
        var unit = Self.unit()
        let before = unit
        let error = try #require(refusal { try unit.apply(.backInStation, at: Self.later) })
        #expect(error.event == "back in station")
        #expect(error.from == "available")
        #expect(unit == before)
    }

    // MARK: Values

    @Test func only_available_and_returning_units_can_take_an_assignment() {
        #expect(UnitStatus.allCases.filter(\.canTakeAssignment) == [.available, .returning])
    }

    @Test func status_names_are_stable_for_storage() {
        #expect(UnitStatus.allCases.map(\.rawValue)
                == ["available", "dispatched", "en_route", "on_scene", "returning", "out_of_service"])
    }
}
