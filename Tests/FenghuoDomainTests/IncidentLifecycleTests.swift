import Foundation
import Testing
import FenghuoDomain

@Suite("Incident life cycle: new → dispatched → on scene → resolved → closed, or cancelled")
struct IncidentLifecycleTests {
    static let received = Date(timeIntervalSince1970: 1_780_000_000)
    static let later = received.addingTimeInterval(300)

    static func incident(_ status: IncidentStatus = .new, units: [String]? = nil) -> Incident {
        Incident(id: "JJ-20260601-0001", agency: .fire, typeCode: "119-building", priority: .critical,
                 district: "qingyang", address: "锦江路 88 号", location: GeoPoint(lat: 30.66, lon: 104.06),
                 callerName: "王女士", callerPhone: "13800000000", narrative: "三楼冒烟",
                 status: status, unitIDs: units ?? (status == .new ? [] : ["F-01"]), createdAt: received)
    }

    // MARK: Allowed steps

    @Test func a_new_incident_is_dispatched_to_the_named_units() throws {
        // Given a new incident with no units
        var incident = Self.incident()
        // When two units are dispatched
        try incident.apply(.dispatch(unitIDs: ["F-01", "F-02"]), at: Self.later)
        // Then it is dispatched to them, stamped with the time, and the version rises
        #expect(incident.status == .dispatched)
        #expect(incident.unitIDs == ["F-01", "F-02"])
        #expect(incident.statusChangedAt == Self.later)
        #expect(incident.createdAt == Self.received)
        #expect(incident.version == 2)
    }

    @Test func reinforcements_join_a_dispatched_incident_without_changing_its_stage() throws {
        // Given an incident already dispatched to F-01
        var incident = Self.incident(.dispatched)
        // When F-02 is sent as reinforcement
        try incident.apply(.dispatch(unitIDs: ["F-02"]), at: Self.later)
        // Then both units are on it, the stage and its time stay, and the version rises
        #expect(incident.status == .dispatched)
        #expect(incident.unitIDs == ["F-01", "F-02"])
        #expect(incident.statusChangedAt == Self.received)
        #expect(incident.version == 2)
    }

    @Test func reinforcements_join_an_incident_on_scene_without_changing_its_stage() throws {
        var incident = Self.incident(.onScene)
        try incident.apply(.dispatch(unitIDs: ["A-07"]), at: Self.later)
        #expect(incident.status == .onScene)
        #expect(incident.unitIDs == ["F-01", "A-07"])
        #expect(incident.statusChangedAt == Self.received)
        #expect(incident.version == 2)
    }

    @Test func the_full_life_cycle_runs_from_new_to_closed() throws {
        // Given a new incident
        var incident = Self.incident()
        let t = (1...4).map { Self.received.addingTimeInterval(Double($0) * 60) }
        // When it goes through every stage
        try incident.apply(.dispatch(unitIDs: ["F-01"]), at: t[0])
        #expect(incident.status == .dispatched)
        try incident.apply(.arrive, at: t[1])
        #expect(incident.status == .onScene)
        #expect(incident.statusChangedAt == t[1])
        try incident.apply(.resolve, at: t[2])
        #expect(incident.status == .resolved)
        #expect(incident.statusChangedAt == t[2])
        try incident.apply(.close, at: t[3])
        // Then it is closed, no longer open, stamped with the last time, four versions on
        #expect(incident.status == .closed)
        #expect(!incident.status.isOpen)
        #expect(incident.statusChangedAt == t[3])
        #expect(incident.version == 5)
    }

    @Test(arguments: [IncidentStatus.new, .dispatched])
    func an_incident_not_yet_on_scene_can_be_cancelled(_ status: IncidentStatus) throws {
        var incident = Self.incident(status)
        try incident.apply(.cancel, at: Self.later)
        #expect(incident.status == .cancelled)
        #expect(incident.statusChangedAt == Self.later)
        #expect(incident.version == 2)
    }

    // MARK: The whole table

    static let events: [Incident.Event] = [.dispatch(unitIDs: ["T-99"]), .arrive, .resolve, .close, .cancel]

    /// The stage each event leads to from each stage; nil where the rules refuse.
    static func expectedNext(_ event: Incident.Event, from status: IncidentStatus) -> IncidentStatus? {
        switch (event, status) {
        case (.dispatch, .new): .dispatched
        case (.dispatch, .dispatched): .dispatched
        case (.dispatch, .onScene): .onScene
        case (.arrive, .dispatched): .onScene
        case (.resolve, .onScene): .resolved
        case (.close, .resolved): .closed
        case (.cancel, .new), (.cancel, .dispatched): .cancelled
        default: nil
        }
    }

    @Test(arguments: IncidentStatus.allCases, events)
    func every_event_from_every_stage_follows_the_table(_ status: IncidentStatus, _ event: Incident.Event) throws {
        // Given an incident at `status`
        var incident = Self.incident(status)
        let before = incident
        if let next = Self.expectedNext(event, from: status) {
            // When the step is allowed, Then it leads to the expected stage
            try incident.apply(event, at: Self.later)
            #expect(incident.status == next)
            #expect(incident.version == before.version + 1)
            #expect(incident.statusChangedAt == (next == status ? Self.received : Self.later))
        } else {
            // When it is refused, Then the error names the record, the step and the stage
            let error = try #require(refusal { try incident.apply(event, at: Self.later) })
            #expect(error.entity == "incident")
            #expect(error.id == "JJ-20260601-0001")
            #expect(error.event == event.name)
            #expect(error.from == status.rawValue)
            #expect(!error.reason.isEmpty)
            // And nothing changed, not even the version
            #expect(incident == before)
        }
    }

    // MARK: Refusals in detail

    @Test func rejects_dispatch_of_a_closed_incident() throws {
        // Given a closed incident
        var incident = Self.incident(.closed)
        let before = incident
        // When a unit is dispatched
        let error = try #require(refusal { try incident.apply(.dispatch(unitIDs: ["F-02"]), at: Self.later) })
        // Then the refusal says what, which and from where
        #expect(error == TransitionError(entity: "incident", id: "JJ-20260601-0001", event: "dispatch", from: "closed",
                                         reason: "the incident is no longer open for dispatch"))
        #expect(error.description == "incident JJ-20260601-0001: cannot dispatch while closed: the incident is no longer open for dispatch")
        // And the incident is untouched
        #expect(incident == before)
        #expect(incident.unitIDs == ["F-01"])
        #expect(incident.version == 1)
    }

    @Test func rejects_a_dispatch_naming_no_unit() throws {
        var incident = Self.incident()
        let before = incident
        let error = try #require(refusal { try incident.apply(.dispatch(unitIDs: []), at: Self.later) })
        #expect(error.event == "dispatch")
        #expect(error.from == "new")
        #expect(incident == before)
    }

    @Test func rejects_dispatching_a_unit_already_on_the_incident_and_adds_none_of_the_others() throws {
        // Given an incident dispatched to F-01
        var incident = Self.incident(.dispatched)
        let before = incident
        // When F-02 and F-01 are dispatched together
        let error = try #require(refusal { try incident.apply(.dispatch(unitIDs: ["F-02", "F-01"]), at: Self.later) })
        // Then the duplicate is named and F-02 was not added either
        #expect(error.reason.contains("F-01"))
        #expect(error.from == "dispatched")
        #expect(incident.unitIDs == ["F-01"])
        #expect(incident == before)
    }

    @Test
    func rejects_a_dispatch_naming_the_same_unit_twice() throws {
        // Given a new incident
        var incident = Self.incident()
        let before = incident
        // When F-02 is named twice in one dispatch
        let error = try #require(refusal { try incident.apply(.dispatch(unitIDs: ["F-02", "F-02"]), at: Self.later) })
        // Then the dispatch is refused rather than putting F-02 on the incident twice
        #expect(error.reason.contains("F-02"))
        #expect(incident == before)
    }

    @Test func rejects_cancelling_once_units_are_on_scene() throws {
        var incident = Self.incident(.onScene)
        let before = incident
        let error = try #require(refusal { try incident.apply(.cancel, at: Self.later) })
        #expect(error.entity == "incident")
        #expect(error.event == "cancel")
        #expect(error.from == "on_scene")
        #expect(incident == before)
    }

    @Test func rejects_closing_an_incident_that_is_not_resolved() throws {
        var incident = Self.incident(.onScene)
        let before = incident
        let error = try #require(refusal { try incident.apply(.close, at: Self.later) })
        #expect(error.event == "close")
        #expect(error.from == "on_scene")
        #expect(incident.statusChangedAt == Self.received)
        #expect(incident == before)
    }

    @Test func rejects_arrival_before_dispatch() throws {
        var incident = Self.incident()
        let before = incident
        let error = try #require(refusal { try incident.apply(.arrive, at: Self.later) })
        #expect(error.event == "arrive")
        #expect(error.from == "new")
        #expect(incident == before)
    }

    @Test func a_cancelled_incident_accepts_nothing_more() throws {
        var incident = Self.incident(.cancelled)
        let before = incident
        for event in Self.events {
            let error = try #require(refusal { try incident.apply(event, at: Self.later) })
            #expect(error.from == "cancelled")
        }
        #expect(incident == before)
    }

    // MARK: Values

    @Test func only_closed_and_cancelled_incidents_are_no_longer_open() {
        #expect(IncidentStatus.allCases.filter { !$0.isOpen } == [.closed, .cancelled])
    }

    @Test func critical_is_the_most_urgent_priority() {
        #expect(Priority.critical < .high)
        #expect(Priority.high < .normal)
        #expect(Priority.normal < .low)
        #expect([Priority.low, .critical, .normal, .high].sorted() == [.critical, .high, .normal, .low])
    }

    @Test func a_new_incident_changed_status_when_it_was_created() {
        let incident = Self.incident()
        #expect(incident.statusChangedAt == incident.createdAt)
        #expect(incident.version == 1)
    }

    @Test func stage_names_are_stable_for_storage() {
        #expect(IncidentStatus.allCases.map(\.rawValue) == ["new", "dispatched", "on_scene", "resolved", "closed", "cancelled"])
    }
}
