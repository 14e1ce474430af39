import FenghuoDomain
import Foundation
import Testing

/// A small city in memory: the rules run against it exactly as central runs them, with no SQL.
struct Desk {
    static let now = Date(timeIntervalSince1970: 1_796_090_400)  // 2026-12-01 10:00 +08:00
    static let reference = ReferenceTables(
        calendar: WorkingDayCalendar(years: [], entries: []),
        incidentTypes: ["fire_building": IncidentType(code: "fire_building", agency: .fire, name: "建筑火灾", nameEN: "Building fire", priority: .critical),
                        "theft": IncidentType(code: "theft", agency: .police, name: "盗窃", nameEN: "Theft", priority: .normal)],
        districts: ["binhu": District(code: "binhu", name: "滨湖区", nameEN: "Binhu", location: GeoPoint(lat: 30.49, lon: 114.39), population: 1)],
        ticketCategories: ["noise": TicketCategory(code: "noise", name: "噪声", nameEN: "Noise", department: "urban", serviceLevel: .hours(24))],
        departments: ["urban": Department(code: "urban", name: "市城市管理局", shortName: "城管", nameEN: "Urban", kind: .bureau, phone: ""),
                      "water": Department(code: "water", name: "水务集团", shortName: "水务", nameEN: "Water", kind: .utility, phone: "")],
        approvalItems: ["biz": ApprovalItem(code: "biz", name: "企业设立登记", type: .registration, statutoryDays: 5, leadDepartment: "market",
                                            cosigningDepartments: ["urban"])],
        dispositions: ["handled": Disposition(code: "handled", use: .resolve, agencies: [], name: "已处置完毕", nameEN: "Handled"),
                       "extinguished": Disposition(code: "extinguished", use: .resolve, agencies: [.fire], name: "已扑灭", nameEN: "Out"),
                       "false_alarm": Disposition(code: "false_alarm", use: .cancel, agencies: [], name: "误报", nameEN: "False alarm")])

    static let duty = User(username: "duty1", name: "值班员", role: .duty, department: "cmd")
    static let hotline = User(username: "hotline1", name: "话务员", role: .hotline, department: "hotline")
    static let urban = User(username: "urban1", name: "城管", role: .staff, department: "urban")
    static let water = User(username: "water1", name: "水务", role: .staff, department: "water")
    static let leader = User(username: "leader1", name: "领导", role: .leader, department: "cmd")

    var records = RecordsInMemory(reference: Desk.reference)

    init() {
        for (id, agency, status) in [("P-BH-01", Agency.police, UnitStatus.available), ("P-BH-02", .police, .onScene),
                                     ("F-BH-01", .fire, .available)] {
            records.units[id] = ResponseUnit(id: id, agency: agency, kind: "car", name: id, district: "binhu", station: "s",
                                             location: GeoPoint(lat: 0, lon: 0), status: status,
                                             incidentID: status == .available ? nil : "J-OTHER", statusChangedAt: Desk.now)
        }
        records.incidents["J1"] = Incident(id: "J1", agency: .police, typeCode: "theft", priority: .normal, district: "binhu",
                                           address: "湖心路8号", location: GeoPoint(lat: 0, lon: 0), callerName: "张三",
                                           callerPhone: "138", narrative: "电动车被盗", createdAt: Desk.now)
        records.tickets["R1"] = Ticket(id: "R1", category: "noise", district: "binhu", address: "x", summary: "夜间施工", detail: "",
                                       callerName: "", callerPhone: "", department: "urban", status: .assigned,
                                       createdAt: Desk.now, deadlineAt: Desk.now.addingTimeInterval(86_400))
    }

    mutating func run(_ command: Command, by user: User, baseVersion: Int? = nil,
                      at time: Date = Desk.now) throws(CommandRejection) -> [RecordChange] {
        let changes = try Deciders.decide(command, by: user, at: time, reading: records, baseVersion: baseVersion)
        records.store(changes)
        return changes
    }

    mutating func refusal(_ command: Command, by user: User, baseVersion: Int? = nil) -> CommandRejection.Reason? {
        do {
            _ = try run(command, by: user, baseVersion: baseVersion)
            return nil
        } catch {
            return error.reason
        }
    }
}

@Suite("Deciders: each desk's rules on records in memory")
struct DecidersTests {
    @Test func a_new_call_becomes_an_incident_with_the_types_agency_and_priority_and_the_days_next_number() throws {
        var desk = Desk()
        let changes = try desk.run(.createIncident(NewIncident(type: "fire_building", district: "binhu", address: "湖滨路1号",
                                                                narrative: "三楼冒烟")), by: Desk.duty)
        guard case .incident(let made)? = changes.first?.record, changes.count == 1, changes[0].before == nil else {
            Issue.record("\(changes)")
            return
        }
        #expect(made.agency == .fire)
        #expect(made.priority == .critical)
        #expect(made.id == "J20261201-0001")
        #expect(made.location == GeoPoint(lat: 30.49, lon: 114.39))
        let second = try desk.run(.createIncident(NewIncident(type: "theft", district: "binhu", address: "x", narrative: "y")),
                                  by: Desk.duty)
        #expect(second.first?.record.id == "J20261201-0002")
    }

    @Test func dispatch_moves_the_incident_and_every_named_unit_together() throws {
        var desk = Desk()
        let changes = try desk.run(.dispatch(incident: "J1", units: ["P-BH-01"]), by: Desk.duty, baseVersion: 1)
        #expect(changes.map(\.record.id) == ["J1", "P-BH-01"])
        #expect(desk.records.incidents["J1"]?.status == .dispatched)
        #expect(desk.records.units["P-BH-01"]?.status == .dispatched)
        #expect(desk.records.units["P-BH-01"]?.incidentID == "J1")
    }

    @Test func a_busy_unit_or_another_agencys_unit_refuses_the_whole_dispatch() {
        var desk = Desk()
        guard case .illegalTransition("unit", "P-BH-02", "assign", "on_scene", _)? =
                desk.refusal(.dispatch(incident: "J1", units: ["P-BH-01", "P-BH-02"]), by: Desk.duty) else {
            Issue.record("a busy unit was dispatched")
            return
        }
        #expect(desk.records.units["P-BH-01"]?.status == .available)
        #expect(desk.records.incidents["J1"]?.status == .new)
        guard case .agencyMismatch("F-BH-01", .fire, .police)? = desk.refusal(.dispatch(incident: "J1", units: ["F-BH-01"]), by: Desk.duty) else {
            Issue.record("a fire engine was sent to a theft")
            return
        }
    }

    @Test func a_change_based_on_an_old_version_is_refused_with_both_versions() {
        var desk = Desk()
        #expect(desk.refusal(.closeIncident("J1"), by: Desk.duty, baseVersion: 0) == .staleVersion(id: "J1", base: 0, current: 1))
        #expect(desk.refusal(.closeIncident("J404"), by: Desk.duty) == .notFound(entity: .incident, id: "J404"))
    }

    @Test func the_first_unit_to_arrive_puts_its_incident_on_scene() throws {
        var desk = Desk()
        _ = try desk.run(.dispatch(incident: "J1", units: ["P-BH-01"]), by: Desk.duty)
        _ = try desk.run(.updateUnitStatus(unit: "P-BH-01", event: .depart), by: Desk.duty)
        let arrival = try desk.run(.updateUnitStatus(unit: "P-BH-01", event: .arrive), by: Desk.duty)
        #expect(desk.records.incidents["J1"]?.timeline.map(\.kind) == [.dispatched, .departed, .arrived])
        #expect(arrival.map(\.record.id) == ["P-BH-01", "J1"])
        #expect(desk.records.incidents["J1"]?.status == .onScene)
    }

    @Test func closing_an_incident_clears_its_units_still_on_scene_and_releases_those_still_on_the_way() throws {
        // Given an incident resolved with one unit on scene and a reinforcement still en route
        var desk = Desk()
        desk.records.units["P-BH-03"] = ResponseUnit(id: "P-BH-03", agency: .police, kind: "car", name: "P-BH-03", district: "binhu",
                                                     station: "s", location: GeoPoint(lat: 0, lon: 0), statusChangedAt: Desk.now)
        _ = try desk.run(.dispatch(incident: "J1", units: ["P-BH-01"]), by: Desk.duty)
        _ = try desk.run(.updateUnitStatus(unit: "P-BH-01", event: .arrive), by: Desk.duty)
        _ = try desk.run(.dispatch(incident: "J1", units: ["P-BH-03"]), by: Desk.duty)
        _ = try desk.run(.updateUnitStatus(unit: "P-BH-03", event: .depart), by: Desk.duty)
        _ = try desk.run(.resolveIncident("J1", disposition: "handled"), by: Desk.duty)
        #expect(desk.records.units["P-BH-01"]?.status == .onScene, "resolving keeps the units: they may still be clearing")
        // When it is closed without releasing them, Then it is refused, naming both
        #expect(desk.refusal(.closeIncident("J1"), by: Desk.duty) == .unitsCommitted(incident: "J1", units: ["P-BH-01", "P-BH-03"]))
        #expect(desk.records.incidents["J1"]?.status == .resolved)
        // When it is closed releasing them
        let later = Desk.now.addingTimeInterval(600)
        let changes = try desk.run(.closeIncident("J1", release: true), by: Desk.duty, at: later)
        // Then each unit's release is its own change, and none stays committed to it
        #expect(changes.map(\.record.id) == ["J1", "P-BH-01", "P-BH-03"])
        #expect(desk.records.units["P-BH-01"]?.status == .returning)
        #expect(desk.records.units["P-BH-03"]?.status == .available)
        #expect(desk.records.units.values.allSatisfy { $0.incidentID != "J1" })
        #expect(desk.records.units["P-BH-03"]?.statusChangedAt == later)
        guard case .unit(let was)? = changes[1].before else { Issue.record("no record before"); return }
        #expect(was.status == .onScene && was.incidentID == "J1")
        // And each release is a line of the timeline, stamped with the time and the officer
        let tail = desk.records.incidents["J1"]!.timeline.suffix(3)
        #expect(tail.map(\.kind) == [.closed, .cleared, .released])
        #expect(tail.map(\.unit) == [nil, "P-BH-01", "P-BH-03"])
        #expect(tail.allSatisfy { $0.at == later && $0.by == "duty1" })
    }

    @Test func cancelling_an_incident_releases_its_dispatched_units_but_not_one_that_moved_on() throws {
        // Given an incident with two units dispatched, one of which was released and sent elsewhere
        var desk = Desk()
        desk.records.units["P-BH-03"] = ResponseUnit(id: "P-BH-03", agency: .police, kind: "car", name: "P-BH-03", district: "binhu",
                                                     station: "s", location: GeoPoint(lat: 0, lon: 0), statusChangedAt: Desk.now)
        _ = try desk.run(.dispatch(incident: "J1", units: ["P-BH-01", "P-BH-03"]), by: Desk.duty)
        desk.records.units["P-BH-03"]?.incidentID = "J-OTHER"
        // When it is cancelled
        let changes = try desk.run(.cancelIncident("J1", disposition: "false_alarm", reason: "报警人看错"), by: Desk.duty)
        // Then only the unit still committed to it is released
        #expect(changes.map(\.record.id) == ["J1", "P-BH-01"])
        #expect(desk.records.units["P-BH-01"]?.status == .available)
        #expect(desk.records.units["P-BH-01"]?.incidentID == nil)
        #expect(desk.records.units["P-BH-03"]?.incidentID == "J-OTHER")
        #expect(desk.records.incidents["J1"]?.disposition == "false_alarm")
        #expect(desk.records.incidents["J1"]?.timeline.last { $0.kind == .cancelled }?.text == "报警人看错")
    }

    @Test func a_disposition_must_exist_and_fit_the_step_and_the_desk() throws {
        var desk = Desk()
        _ = try desk.run(.dispatch(incident: "J1", units: ["P-BH-01"]), by: Desk.duty)
        _ = try desk.run(.updateUnitStatus(unit: "P-BH-01", event: .arrive), by: Desk.duty)
        #expect(desk.refusal(.resolveIncident("J1", disposition: "nonsense"), by: Desk.duty) == .unknownCode(kind: .disposition, value: "nonsense"))
        // A fire code on a theft, and a cancel code to resolve: both refused, naming what fits
        #expect(desk.refusal(.resolveIncident("J1", disposition: "extinguished"), by: Desk.duty)
                == .wrongDisposition(code: "extinguished", use: .resolve, agency: .police, fitting: ["handled"]))
        #expect(desk.refusal(.resolveIncident("J1", disposition: "false_alarm"), by: Desk.duty)
                == .wrongDisposition(code: "false_alarm", use: .resolve, agency: .police, fitting: ["handled"]))
        _ = try desk.run(.workIncident("J1"), by: Desk.duty)
        _ = try desk.run(.resolveIncident("J1", disposition: "handled"), by: Desk.duty)
        #expect(desk.records.incidents["J1"]?.status == .resolved)
    }

    @Test func unit_reports_go_into_the_incidents_timeline_and_move_its_stage() throws {
        var desk = Desk()
        _ = try desk.run(.dispatch(incident: "J1", units: ["P-BH-01"]), by: Desk.duty)
        let departure = try desk.run(.updateUnitStatus(unit: "P-BH-01", event: .depart), by: Desk.duty)
        #expect(departure.map(\.record.id) == ["P-BH-01", "J1"])
        #expect(desk.records.incidents["J1"]?.status == .enRoute)
        #expect(desk.records.incidents["J1"]?.timeline.last?.kind == .departed)
    }

    @Test func a_note_or_a_unit_report_since_the_users_version_does_not_make_a_step_stale() throws {
        var desk = Desk()
        _ = try desk.run(.dispatch(incident: "J1", units: ["P-BH-01"]), by: Desk.duty)       // v2
        _ = try desk.run(.noteIncident("J1", text: "报警人回电：车是蓝色的"), by: Desk.duty)  // v3
        // A cancel based on v2 goes through: only a note came since
        _ = try desk.run(.cancelIncident("J1", disposition: "false_alarm", reason: "车找到了"), by: Desk.duty, baseVersion: 2)
        #expect(desk.records.incidents["J1"]?.status == .cancelled)
    }

    @Test func a_second_call_registered_with_merge_into_is_kept_as_its_own_record_and_merged_at_once() throws {
        var desk = Desk()
        let changes = try desk.run(.createIncident(NewIncident(type: "theft", district: "binhu", address: "湖心路8号", narrative: "我也看到有人撬车",
                                                                caller: "王五", phone: "137", mergeInto: "J1")), by: Desk.duty)
        #expect(changes.map(\.record.id) == ["J20261201-0001", "J1"])
        #expect(changes[0].before == nil)
        let call = try #require(desk.records.incidents["J20261201-0001"])
        #expect(call.status == .merged && call.timeline.map(\.kind) == [.created, .merged])
        let absorbed = try #require(desk.records.incidents["J1"]?.timeline.last)
        #expect(absorbed.kind == .absorbed && absorbed.ref == call.id && absorbed.text?.contains("王五") == true)
        // Into a closed incident or another desk's: refused, nothing written
        #expect(desk.refusal(.createIncident(NewIncident(type: "fire_building", district: "binhu", address: "x", narrative: "y",
                                                         mergeInto: "J1")), by: Desk.duty) != nil)
    }

    @Test func a_duplicate_merges_into_its_incident_with_its_caller_and_units_and_links_both_ways() throws {
        var desk = Desk()
        desk.records.incidents["J2"] = Incident.received(id: "J2", agency: .police, typeCode: "theft", priority: .normal, district: "binhu",
                                                         address: "湖心路8号", location: GeoPoint(lat: 0, lon: 0), callerName: "李四",
                                                         callerPhone: "139", narrative: "看见有人撬车锁", by: "duty2", at: Desk.now)
        _ = try desk.run(.dispatch(incident: "J2", units: ["P-BH-01"]), by: Desk.duty)
        let changes = try desk.run(.mergeIncident("J2", into: "J1"), by: Desk.duty)
        #expect(changes.map(\.record.id) == ["J2", "J1", "P-BH-01"])
        let merged = try #require(desk.records.incidents["J2"]), kept = try #require(desk.records.incidents["J1"])
        #expect(merged.status == .merged && !merged.status.isOpen)
        #expect(merged.timeline.last?.kind == .merged && merged.timeline.last?.ref == "J1")
        let absorbed = try #require(kept.timeline.first { $0.kind == .absorbed })
        #expect(absorbed.ref == "J2" && absorbed.text?.contains("李四") == true && absorbed.text?.contains("撬车锁") == true)
        #expect(kept.status == .dispatched && kept.unitIDs == ["P-BH-01"])
        #expect(desk.records.units["P-BH-01"]?.incidentID == "J1")
        // Into itself, into a closed one, or across desks: refused
        #expect(desk.refusal(.mergeIncident("J1", into: "J1"), by: Desk.duty) != nil)
        #expect(desk.refusal(.mergeIncident("J1", into: "J2"), by: Desk.duty) != nil)
    }

    @Test func each_role_may_issue_only_its_own_commands() {
        var desk = Desk()
        #expect(desk.refusal(.closeIncident("J1"), by: Desk.hotline) == .forbidden(command: "closeIncident", role: .hotline, allowed: [.duty]))
        #expect(desk.refusal(.acceptTicket("R1"), by: Desk.leader) == .forbidden(command: "acceptTicket", role: .leader, allowed: [.staff]))
    }

    @Test func a_department_works_only_its_own_tickets() throws {
        var desk = Desk()
        #expect(desk.refusal(.acceptTicket("R1"), by: Desk.water) == .otherDepartment(id: "R1", department: "urban", yours: "water"))
        _ = try desk.run(.acceptTicket("R1"), by: Desk.urban)
        #expect(desk.records.tickets["R1"]?.status == .inProgress)
    }

    @Test func a_ticket_goes_only_to_a_department_that_exists() {
        var desk = Desk()
        #expect(desk.refusal(.transferTicket("R1", department: "nasa"), by: Desk.hotline) == .unknownCode(kind: .department, value: "nasa"))
    }

    @Test func an_application_is_accepted_only_by_its_lead_department() {
        var desk = Desk()
        #expect(desk.refusal(.createApproval(item: "biz", applicant: "某公司", phone: ""), by: Desk.urban)
                == .otherDepartment(id: "biz", department: "market", yours: "urban"))
    }
}

@Suite("Visibility: the feed's scopes and the snapshot's access are one rule")
struct VisibilityAgreementTests {
    static let users = [Desk.duty, Desk.hotline, Desk.urban, Desk.water, Desk.leader,
                        User(username: "cmd-staff", name: "", role: .staff, department: "cmd")]

    static var records: [EntityRecord] {
        let desk = Desk()
        var incidents = Array(desk.records.incidents.values)
        var secret = incidents[0]
        secret = Incident(id: "J2", agency: secret.agency, typeCode: secret.typeCode, priority: secret.priority, district: secret.district,
                          address: secret.address, location: secret.location, callerName: "李四", callerPhone: "139",
                          narrative: "涉密内容", confidential: true, createdAt: secret.createdAt)
        incidents.append(secret)
        var tickets = Array(desk.records.tickets.values)
        for department in [nil, "cmd", "water"] as [String?] {
            var t = tickets[0]
            t.department = department
            tickets.append(t)
        }
        let approval = ApprovalCase(id: "SP1", itemCode: "biz", itemName: "企业设立登记", type: .registration, applicant: "a",
                                    applicantPhone: "", steps: [ApprovalStep(department: "market"), ApprovalStep(department: "urban")],
                                    acceptedOn: LocalDate(Desk.now), deadline: LocalDate(Desk.now), updatedAt: Desk.now)
        return incidents.map { .incident($0) } + desk.records.units.values.map { .unit($0) } + tickets.map { .ticket($0) } + [.approval(approval)]
    }

    /// What the snapshot rule lets `user` read of `record`: nothing, all of it, or its redacted copy.
    static func snapshot(_ user: User, _ record: EntityRecord) -> EntityRecord? {
        switch Visibility.access(user.role, to: record.kind) {
        case .none: return nil
        case .all: return record
        case .redacted: return Visibility.redacted(record)?.record ?? record
        case .department:
            switch record {
            case .ticket(let t): return t.department == user.department ? record : nil
            case .approval(let a): return a.steps.contains { $0.department == user.department } ? record : nil
            default: return nil
            }
        }
    }

    /// What the feed sends `user` of a change to `record`.
    static func feed(_ user: User, _ record: EntityRecord) -> EntityRecord? {
        let mine = Set(Visibility.of(user: user, clientID: "c"))
        if !mine.isDisjoint(with: Visibility.scopes(of: record)) { return record }
        if let redacted = Visibility.redacted(record), !mine.isDisjoint(with: redacted.scopes) { return redacted.record }
        return nil
    }

    @Test func every_reader_gets_the_same_from_the_feed_as_from_a_snapshot() {
        for user in Self.users {
            for record in Self.records {
                #expect(Self.feed(user, record) == Self.snapshot(user, record), "\(user.username) \(record.kind) \(record.id)")
            }
        }
    }

    @Test func a_ticket_routed_to_the_command_centre_reaches_no_duty_officer() {
        var ticket = Desk().records.tickets["R1"]!
        ticket.department = "cmd"
        #expect(Self.feed(Desk.duty, .ticket(ticket)) == nil)
        #expect(Self.feed(Desk.leader, .ticket(ticket)) != nil)
    }

    @Test func a_hotline_agent_reads_a_confidential_incident_without_its_narrative_or_caller() throws {
        let secret = try #require(Self.records.first { $0.id == "J2" })
        guard case .incident(let shown)? = Self.feed(Desk.hotline, secret) else {
            Issue.record("the hotline does not see the incident at all")
            return
        }
        #expect(shown.narrative == Incident.redactedText)
        #expect(shown.callerName.isEmpty && shown.callerPhone.isEmpty)
    }
}
