import Foundation
import Testing
import FenghuoDomain

@Suite("Incident life cycle: 待派 → 已派 → 出动 → 到场 → 处置中 → 已结束 → 已关闭, or 合并 / 撤销")
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
        try incident.apply(.dispatch(unitIDs: ["F-01", "F-02"]), by: "duty1", at: Self.later)
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
        try incident.apply(.dispatch(unitIDs: ["F-02"]), by: "duty1", at: Self.later)
        // Then both units are on it, the stage and its time stay, and the version rises
        #expect(incident.status == .dispatched)
        #expect(incident.unitIDs == ["F-01", "F-02"])
        #expect(incident.statusChangedAt == Self.received)
        #expect(incident.version == 2)
    }

    @Test func reinforcements_join_an_incident_on_scene_without_changing_its_stage() throws {
        var incident = Self.incident(.onScene)
        try incident.apply(.dispatch(unitIDs: ["A-07"]), by: "duty1", at: Self.later)
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
        try incident.apply(.dispatch(unitIDs: ["F-01"]), by: "duty1", at: t[0])
        #expect(incident.status == .dispatched)
        try incident.apply(.unitArrived("F-01"), by: "duty1", at: t[1])
        #expect(incident.status == .onScene)
        #expect(incident.statusChangedAt == t[1])
        try incident.apply(.resolve(disposition: "extinguished"), by: "duty1", at: t[2])
        #expect(incident.status == .resolved)
        #expect(incident.statusChangedAt == t[2])
        try incident.apply(.close, by: "duty1", at: t[3])
        // Then it is closed, no longer open, stamped with the last time, four versions on
        #expect(incident.status == .closed)
        #expect(!incident.status.isOpen)
        #expect(incident.statusChangedAt == t[3])
        #expect(incident.version == 5)
    }

    @Test(arguments: [IncidentStatus.new, .dispatched])
    func an_incident_not_yet_on_scene_can_be_cancelled(_ status: IncidentStatus) throws {
        var incident = Self.incident(status)
        try incident.apply(.cancel(disposition: "false_alarm", reason: "误报"), by: "duty1", at: Self.later)
        #expect(incident.status == .cancelled)
        #expect(incident.statusChangedAt == Self.later)
        #expect(incident.version == 2)
    }

    @Test func the_full_life_cycle_is_stamped_step_by_step_in_the_timeline() throws {
        // Given a call just taken by duty1
        var incident = Incident.received(id: "J20260601-0001", agency: .fire, typeCode: "fire_home", priority: .critical,
                                         district: "laocheng", address: "解放路88号", location: GeoPoint(lat: 30.53, lon: 114.3),
                                         callerName: "王女士", callerPhone: "13800000000", narrative: "三楼冒烟", by: "duty1",
                                         at: Self.received)
        let t = (1...8).map { Self.received.addingTimeInterval(Double($0) * 60) }
        // When it goes through every step, reported by two officers
        try incident.apply(.dispatch(unitIDs: ["F-01", "A-07"]), by: "duty1", at: t[0])
        try incident.apply(.unitDeparted("F-01"), by: "duty2", at: t[1])
        #expect(incident.status == .enRoute)
        try incident.apply(.unitArrived("F-01"), by: "duty2", at: t[2])
        try incident.apply(.unitArrived("A-07"), by: "duty2", at: t[3])
        #expect(incident.status == .onScene)
        #expect(incident.statusChangedAt == t[2], "the second arrival does not move the stage")
        try incident.apply(.work, by: "duty1", at: t[4])
        try incident.apply(.note("三楼住户已疏散"), by: "duty1", at: t[5])
        try incident.apply(.resolve(disposition: "extinguished"), by: "duty1", at: t[6])
        try incident.apply(.close, by: "duty1", at: t[7])
        // Then each step is one line with its time, its user, its unit, and the stage it left
        #expect(incident.timeline.map(\.kind) == [.created, .dispatched, .dispatched, .departed, .arrived, .arrived, .working,
                                                  .note, .resolved, .closed])
        #expect(incident.timeline.map(\.by) == ["duty1", "duty1", "duty1", "duty2", "duty2", "duty2", "duty1", "duty1", "duty1", "duty1"])
        #expect(incident.timeline[1].unit == "F-01" && incident.timeline[2].unit == "A-07")
        #expect(incident.timeline[4].at == t[2])
        #expect(incident.timeline.map(\.status) == [.new, .dispatched, .dispatched, .enRoute, .onScene, .onScene, .working,
                                                    .working, .resolved, .closed])
        #expect(incident.disposition == "extinguished")
        #expect(incident.timeline.last?.version == incident.version)
        #expect(incident.version == 9)
    }

    @Test func a_timeline_survives_its_json_and_its_short_keys() throws {
        var incident = Self.incident()
        try incident.apply(.note("现场有浓烟"), by: "duty1", at: Self.later)
        let data = try JSONEncoder().encode(incident.timeline)
        #expect(String(decoding: data, as: UTF8.self).contains(#""k":"note""#))
        #expect(try JSONDecoder().decode([TimelineEntry].self, from: data) == incident.timeline)
    }

    @Test func only_a_change_of_status_since_the_users_version_makes_a_command_stale() throws {
        var incident = Self.incident()
        try incident.apply(.dispatch(unitIDs: ["F-01"]), by: "duty1", at: Self.later)   // v2 dispatched
        try incident.apply(.note("补充：二楼也有烟"), by: "duty2", at: Self.later)          // v3 note
        #expect(!incident.hasMovedOn(since: 2), "a note since is not a reason to refuse")
        try incident.apply(.unitDeparted("F-01"), by: "duty2", at: Self.later)           // v4 en route
        #expect(incident.hasMovedOn(since: 3))
        #expect(!incident.hasMovedOn(since: 4))
        #expect(incident.hasMovedOn(since: 9), "a version from the future is not this record's")
        let old = Self.incident(.dispatched)   // no timeline: any other version counts
        #expect(old.hasMovedOn(since: 0))
    }

    @Test func a_full_timeline_refuses_notes_first_and_then_every_step() throws {
        var incident = Self.incident()
        for n in 0..<Incident.maxNotes { try incident.apply(.note("第\(n)条"), by: "duty1", at: Self.later) }
        let refused = try #require(refusal { try incident.apply(.note("再多一条"), by: "duty1", at: Self.later) })
        #expect(refused.reason.contains("\(Incident.maxNotes)"))
        // Steps still fit after notes are full
        try incident.apply(.dispatch(unitIDs: ["F-01"]), by: "duty1", at: Self.later)
        #expect(incident.status == .dispatched)
    }

    @Test func a_confidential_incidents_notes_and_merged_calls_are_hidden_with_its_narrative() throws {
        var incident = Self.incident()
        incident.confidential = true
        try incident.apply(.note("嫌疑人住址：某小区3栋"), by: "duty1", at: Self.later)
        try incident.apply(.absorb(from: "J2", call: "李先生 139… 同一地点"), by: "duty1", at: Self.later)
        let seen = incident.redacted
        #expect(seen.timeline.filter { $0.kind == .note || $0.kind == .absorbed }.allSatisfy { $0.text == Incident.redactedText })
        #expect(seen.timeline.count == incident.timeline.count)
    }

    // MARK: The whole table

    static let events: [Incident.Event] = [
        .dispatch(unitIDs: ["T-99"]), .unitDeparted("F-01"), .unitArrived("F-01"), .unitCleared("F-01"), .unitReleased("F-01"),
        .work, .resolve(disposition: "handled"), .close, .cancel(disposition: "false_alarm", reason: "误报"),
        .merge(into: "J-OTHER"), .absorb(from: "J-DUP", call: "张三"), .transfer(unit: "T-98", from: "J-DUP"), .note("备注"),
    ]

    /// The stage each event leads to from each stage; nil where the rules refuse.
    static func expectedNext(_ event: Incident.Event, from status: IncidentStatus) -> IncidentStatus? {
        let working: Set<IncidentStatus> = [.dispatched, .enRoute, .onScene, .working]
        switch (event, status) {
        case (.dispatch, .new): return .dispatched
        case (.dispatch, _) where working.contains(status): return status
        case (.unitDeparted, .dispatched): return .enRoute
        case (.unitDeparted, _) where working.contains(status) || status == .resolved: return status
        case (.unitArrived, .dispatched), (.unitArrived, .enRoute): return .onScene
        case (.unitArrived, _) where working.contains(status) || status == .resolved: return status
        case (.unitCleared, _), (.unitReleased, _), (.note, _): return status
        case (.work, .onScene): return .working
        case (.resolve, .onScene), (.resolve, .working): return .resolved
        case (.close, .resolved): return .closed
        case (.cancel, .new), (.cancel, .dispatched), (.cancel, .enRoute): return .cancelled
        case (.merge, .new), (.merge, .dispatched), (.merge, .enRoute): return .merged
        case (.absorb, _) where status.isOpen: return status
        case (.transfer, .new): return .dispatched
        case (.transfer, _) where status.isOpen: return status
        default: return nil
        }
    }

    @Test(arguments: IncidentStatus.allCases, events)
    func every_event_from_every_stage_follows_the_table(_ status: IncidentStatus, _ event: Incident.Event) throws {
        // Given an incident at `status`
        var incident = Self.incident(status)
        let before = incident
        if let next = Self.expectedNext(event, from: status) {
            // When the step is allowed, Then it leads to the expected stage, in the timeline
            try incident.apply(event, by: "duty1", at: Self.later)
            #expect(incident.status == next)
            #expect(incident.version == before.version + 1)
            #expect(incident.statusChangedAt == (next == status ? Self.received : Self.later))
            #expect(incident.timeline.last?.status == next)
            #expect(incident.timeline.last?.by == "duty1")
        } else {
            // When it is refused, Then the error names the record, the step and the stage
            let error = try #require(refusal { try incident.apply(event, by: "duty1", at: Self.later) })
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
        let error = try #require(refusal { try incident.apply(.dispatch(unitIDs: ["F-02"]), by: "duty1", at: Self.later) })
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
        let error = try #require(refusal { try incident.apply(.dispatch(unitIDs: []), by: "duty1", at: Self.later) })
        #expect(error.event == "dispatch")
        #expect(error.from == "new")
        #expect(incident == before)
    }

    @Test func rejects_dispatching_a_unit_already_on_the_incident_and_adds_none_of_the_others() throws {
        // Given an incident dispatched to F-01
        var incident = Self.incident(.dispatched)
        let before = incident
        // When F-02 and F-01 are dispatched together
        let error = try #require(refusal { try incident.apply(.dispatch(unitIDs: ["F-02", "F-01"]), by: "duty1", at: Self.later) })
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
        let error = try #require(refusal { try incident.apply(.dispatch(unitIDs: ["F-02", "F-02"]), by: "duty1", at: Self.later) })
        // Then the dispatch is refused rather than putting F-02 on the incident twice
        #expect(error.reason.contains("F-02"))
        #expect(incident == before)
    }

    @Test func rejects_cancelling_once_units_are_on_scene() throws {
        var incident = Self.incident(.onScene)
        let before = incident
        let error = try #require(refusal { try incident.apply(.cancel(disposition: "false_alarm", reason: "误报"), by: "duty1", at: Self.later) })
        #expect(error.entity == "incident")
        #expect(error.event == "cancel")
        #expect(error.from == "on_scene")
        #expect(incident == before)
    }

    @Test func rejects_closing_an_incident_that_is_not_resolved() throws {
        var incident = Self.incident(.onScene)
        let before = incident
        let error = try #require(refusal { try incident.apply(.close, by: "duty1", at: Self.later) })
        #expect(error.event == "close")
        #expect(error.from == "on_scene")
        #expect(incident.statusChangedAt == Self.received)
        #expect(incident == before)
    }

    @Test func rejects_arrival_before_dispatch() throws {
        var incident = Self.incident()
        let before = incident
        let error = try #require(refusal { try incident.apply(.unitArrived("F-01"), by: "duty1", at: Self.later) })
        #expect(error.event == "unit arrives")
        #expect(error.from == "new")
        #expect(incident == before)
    }

    @Test func a_cancelled_incident_takes_only_reports_and_notes() throws {
        var incident = Self.incident(.cancelled)
        let before = incident
        for event in Self.events where Self.expectedNext(event, from: .cancelled) == nil {
            let error = try #require(refusal { try incident.apply(event, by: "duty1", at: Self.later) })
            #expect(error.from == "cancelled")
        }
        #expect(incident == before)
    }

    // MARK: Values

    @Test func only_closed_merged_and_cancelled_incidents_are_no_longer_open() {
        #expect(IncidentStatus.allCases.filter { !$0.isOpen } == [.closed, .merged, .cancelled])
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
        #expect(IncidentStatus.allCases.map(\.rawValue) == ["new", "dispatched", "en_route", "on_scene", "working", "resolved",
                                                           "closed", "merged", "cancelled"])
    }
}
