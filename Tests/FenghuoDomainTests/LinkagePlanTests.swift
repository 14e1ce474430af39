import FenghuoDomain
import Foundation
import Testing

/// 联动, 预案 and 上报, 转警 and 转 12345: the rules in memory, as central runs them.
@Suite("Linked incidents, plans, reports and hand-overs between 110 and 12345")
struct LinkagePlanTests {
    static let now = Date(timeIntervalSince1970: 1_796_090_400)  // 2026-12-01 10:00 +08:00
    static let today = IDFormat.stem(.incident, LocalDate(now))

    static func type(_ code: String, _ agency: Agency, _ priority: Priority) -> (String, IncidentType) {
        (code, IncidentType(code: code, agency: agency, name: code, nameEN: code, priority: priority))
    }

    static let plans = Plans([
        PlanItem(type: "*", seq: 1, action: .link(.police, type: "cordon"), text: "联动 110", textEN: "Link 110"),
        PlanItem(type: "*", seq: 2, action: .link(.ambulance, type: "first_aid"), text: "联动 120", textEN: "Link 120"),
        PlanItem(type: "gas_leak", seq: 1, action: .check, text: "通知燃气公司抢修", textEN: "Call the gas company"),
        PlanItem(type: "gas_leak", seq: 2, action: .link(.ambulance, type: "trauma"), text: "联动 120", textEN: "Link 120"),
        PlanItem(type: "gas_leak", seq: 3, action: .report, text: "上报应急办", textEN: "Report"),
    ])

    static let reference = ReferenceTables(
        calendar: WorkingDayCalendar(years: [], entries: []),
        incidentTypes: Dictionary(uniqueKeysWithValues: [
            type("gas_leak", .fire, .critical), type("theft", .police, .normal), type("cordon", .police, .high),
            type("first_aid", .ambulance, .high), type("trauma", .ambulance, .high),
        ]),
        districts: ["binhu": District(code: "binhu", name: "滨湖区", nameEN: "Binhu", location: GeoPoint(lat: 30.49, lon: 114.39), population: 1)],
        ticketCategories: ["noise": TicketCategory(code: "noise", name: "噪声", nameEN: "Noise", department: "urban", serviceLevel: .hours(24))],
        departments: [:], approvalItems: [:],
        dispositions: ["handled": Disposition(code: "handled", use: .resolve, agencies: [], name: "已处置完毕", nameEN: "Handled"),
                       "handoff": Disposition(code: "handoff", use: .cancel, agencies: [], name: "转12345热线", nameEN: "Handed to 12345")],
        plans: plans)

    static let duty = User(username: "duty1", name: "值班员", role: .duty, department: "cmd")
    static let duty2 = User(username: "duty2", name: "值班员二", role: .duty, department: "cmd")
    static let hotline = User(username: "hotline1", name: "话务员", role: .hotline, department: "hotline")

    var records = RecordsInMemory(reference: LinkagePlanTests.reference)
    let fire = LinkagePlanTests.today + "0001"

    init() {
        let gas = Incident.received(id: fire, agency: .fire, typeCode: "gas_leak", priority: .critical, district: "binhu",
                                    address: "湖心路8号", location: GeoPoint(lat: 30.5, lon: 114.4), callerName: "张三",
                                    callerPhone: "13800000000", narrative: "楼道里燃气味很重", by: "duty1", at: Self.now)
        records.incidents[gas.id] = gas
        records.units["A-1"] = ResponseUnit(id: "A-1", agency: .ambulance, kind: "救护车", name: "A-1", district: "binhu", station: "s",
                                            location: GeoPoint(lat: 30.5, lon: 114.4), statusChangedAt: Self.now)
        records.tickets["R1"] = Ticket(id: "R1", category: "noise", district: "binhu", address: "湖心路9号", summary: "楼下有燃气味",
                                       detail: "越来越浓", callerName: "李四", callerPhone: "13900000000", createdAt: Self.now,
                                       deadlineAt: Self.now.addingTimeInterval(86_400))
    }

    mutating func run(_ command: Command, by user: User = LinkagePlanTests.duty, base: Int? = nil) throws(CommandRejection) -> [RecordChange] {
        let changes = try Deciders.decide(command, by: user, at: Self.now.addingTimeInterval(60), reading: records, baseVersion: base)
        records.store(changes)
        return changes
    }

    mutating func refusal(_ command: Command, by user: User = LinkagePlanTests.duty) -> CommandRejection.Reason? {
        do { _ = try run(command, by: user); return nil } catch { return error.reason }
    }

    func incident(_ id: String) throws -> Incident { try #require(records.incidents[id]) }

    // MARK: 联动

    @Test mutating func a_link_makes_the_other_agencys_part_at_the_same_place_with_the_same_caller_and_links_both_ways() throws {
        let changes = try run(.linkIncident(.init(fire), agency: .ambulance, type: nil), base: 1)
        #expect(changes.count == 2)
        let part = try incident(Self.today + "0002")
        // The plan of a gas leak names the 120 part's type (trauma), not the agency's default (first_aid).
        #expect(part.agency == .ambulance && part.typeCode == "trauma")
        #expect(part.location == GeoPoint(lat: 30.5, lon: 114.4) && part.address == "湖心路8号")
        #expect(part.callerName == "张三" && part.callerPhone == "13800000000" && part.narrative.contains("楼道里燃气味很重"))
        #expect(part.priority == .critical, "the part is as urgent as the emergency it serves")
        #expect(part.status == .new && part.linkedPrimary == fire)
        let primary = try incident(fire)
        #expect(primary.linkedParts == [part.id])
        #expect(primary.timeline.last?.kind == .linked && primary.timeline.last?.text == "120" && primary.timeline.last?.by == "duty1")
        #expect(primary.status == .new, "a link is no step of the life cycle")
    }

    @Test mutating func without_a_plan_line_the_agencys_default_type_is_used_and_a_named_type_must_be_that_agencys() throws {
        _ = try run(.linkIncident(.init(fire), agency: .police, type: nil))
        #expect(try incident(Self.today + "0002").typeCode == "cordon")
        #expect(refusal(.linkIncident(.init(fire), agency: .ambulance, type: "cordon"))
                == .badValue(command: "linkIncident", key: "type", value: "cordon", expected: "an incident type of 120"))
        #expect(refusal(.linkIncident(.init(fire), agency: .ambulance, type: "nonsense")) == .unknownCode(kind: .incidentType, value: "nonsense"))
    }

    @Test mutating func one_open_part_per_agency_never_its_own_agency_and_never_from_a_part() throws {
        _ = try run(.linkIncident(.init(fire), agency: .ambulance, type: nil))
        guard case .illegalTransition(_, _, "link", _, let why)? = refusal(.linkIncident(.init(fire), agency: .ambulance, type: "first_aid")) else {
            Issue.record("a second open 120 part was made"); return
        }
        #expect(why.contains("120 is already linked"))
        #expect(refusal(.linkIncident(.init(fire), agency: .fire, type: nil)) != nil)
        guard case .illegalTransition(_, _, "link", _, let fromPart)? = refusal(.linkIncident(.init(Self.today + "0002"), agency: .police, type: nil)) else {
            Issue.record("a part asked for links of its own"); return
        }
        #expect(fromPart.contains("link from there"))
    }

    @Test mutating func the_asking_incident_closes_only_once_its_parts_are_closed_or_released_and_each_release_is_recorded() throws {
        _ = try run(.linkIncident(.init(fire), agency: .ambulance, type: nil))
        let part = Self.today + "0002"
        // Bring the fire incident to 已结束 with no unit left on it.
        var primary = try incident(fire)
        try primary.apply(.dispatch(unitIDs: ["F-1"]), by: "duty1", at: Self.now)
        try primary.apply(.unitArrived("F-1"), by: "duty1", at: Self.now)
        try primary.apply(.resolve(disposition: "handled"), by: "duty1", at: Self.now)
        records.incidents[fire] = primary
        #expect(refusal(.closeIncident(.init(fire))) == .linksOpen(incident: fire, parts: [part]))
        #expect(try incident(fire).status == .resolved, "a refused close changes nothing")
        // Released: both sides record it, and the part goes on alone.
        _ = try run(.closeIncident(.init(fire), unlink: true))
        #expect(try incident(fire).status == .closed && incident(fire).linkedParts.isEmpty)
        #expect(try incident(part).status == .new && incident(part).linkedPrimary == nil)
        #expect(try incident(part).timeline.last?.kind == .unlinked && incident(part).timeline.last?.ref == fire)
        #expect(try incident(fire).timeline.contains { $0.kind == .unlinked && $0.ref == part })
    }

    @Test mutating func a_closed_part_needs_no_release_and_a_part_may_close_on_its_own() throws {
        _ = try run(.linkIncident(.init(fire), agency: .ambulance, type: nil))
        let part = Self.today + "0002"
        var p = try incident(part)
        try p.apply(.dispatch(unitIDs: ["A-9"]), by: "duty2", at: Self.now)
        try p.apply(.unitArrived("A-9"), by: "duty2", at: Self.now)
        try p.apply(.resolve(disposition: "handled"), by: "duty2", at: Self.now)
        records.incidents[part] = p
        _ = try run(.closeIncident(.init(part)), by: Self.duty2)
        #expect(try incident(part).status == .closed && incident(part).linkedPrimary == fire, "the part closes and stays linked for the record")
        var primary = try incident(fire)
        try primary.apply(.dispatch(unitIDs: ["F-1"]), by: "duty1", at: Self.now)
        try primary.apply(.unitArrived("F-1"), by: "duty1", at: Self.now)
        try primary.apply(.resolve(disposition: "handled"), by: "duty1", at: Self.now)
        records.incidents[fire] = primary
        _ = try run(.closeIncident(.init(fire)))
        #expect(try incident(fire).status == .closed && incident(fire).linkedParts == [part])
    }

    @Test mutating func a_linked_incident_is_not_merged() throws {
        _ = try run(.linkIncident(.init(fire), agency: .ambulance, type: nil))
        let other = Incident.received(id: Self.today + "0009", agency: .fire, typeCode: "gas_leak", priority: .critical, district: "binhu",
                                      address: "x", location: GeoPoint(lat: 30.5, lon: 114.4), callerName: "", callerPhone: "",
                                      narrative: "y", by: "duty1", at: Self.now)
        records.incidents[other.id] = other
        guard case .illegalTransition(_, _, "merge", _, let why)? = refusal(.mergeIncident(.init(fire), into: .init(other.id))) else {
            Issue.record("a linked incident was merged"); return
        }
        #expect(why.contains("linked"))
    }

    // MARK: 预案 and 上报

    @Test mutating func checking_a_plan_item_records_who_and_when_once_and_an_item_outside_the_plan_is_refused() throws {
        _ = try run(.checkPlanItem(.init(fire), item: 1), by: Self.duty2)
        let entry = try #require(try incident(fire).checkedItems[1])
        #expect(entry.by == "duty2" && entry.at == Self.now.addingTimeInterval(60) && entry.text == "通知燃气公司抢修")
        #expect(refusal(.checkPlanItem(.init(fire), item: 1)) != nil, "an item is checked once")
        #expect(refusal(.checkPlanItem(.init(fire), item: 4))
                == .badValue(command: "checkPlanItem", key: "item", value: "4", expected: "an item of its plan, 1–3"))
    }

    @Test mutating func a_p1_whose_plan_says_report_is_major_and_so_is_any_incident_with_three_casualties() throws {
        #expect(try Self.plans.isMajor(incident(fire)))
        _ = try run(.prioritizeIncident(.init(fire), priority: .high))
        #expect(try incident(fire).priority == .high && !Self.plans.isMajor(try incident(fire)))
        #expect(try incident(fire).timeline.last?.kind == .prioritized && incident(fire).timeline.last?.ref == "2")
        _ = try run(.countCasualties(.init(fire), count: 2))
        #expect(try !Self.plans.isMajor(incident(fire)))
        _ = try run(.countCasualties(.init(fire), count: Plans.majorCasualties))
        #expect(try Self.plans.isMajor(incident(fire)) && incident(fire).casualties == 3)
        #expect(refusal(.prioritizeIncident(.init(fire), priority: .high)) != nil, "the same priority again is no change")
    }

    @Test mutating func a_major_incident_is_on_the_alert_line_until_it_is_reported() throws {
        func due() throws -> Bool {
            DispatchAlert.alerts(DispatchWatch(incidents: [try incident(fire)]), targets: ResponseTargets(), plans: Self.plans, now: Self.now)
                .contains { $0.subject == .reportDue && $0.incidentID == fire }
        }
        #expect(try due())
        #expect(DispatchAlert.alerts(DispatchWatch(incidents: [try incident(fire)]), targets: ResponseTargets(), now: Self.now).isEmpty,
                "without plans nothing is major")
        _ = try run(.reportIncident(.init(fire), text: ""))
        #expect(try !due())
    }

    @Test mutating func a_report_is_recorded_with_its_words_and_a_priority_change_or_report_never_makes_a_command_stale() throws {
        _ = try run(.reportIncident(.init(fire), text: "已疏散 40 人"), base: 1)
        let report = try #require(try incident(fire).report)
        #expect(report.by == "duty1" && report.ref == Plans.reportRecipient && report.text == "已疏散 40 人")
        _ = try run(.prioritizeIncident(.init(fire), priority: .high), base: 1)
        // Version 1 was seen before both: the status has not changed, so the step is not refused as stale.
        _ = try run(.linkIncident(.init(fire), agency: .police, type: nil), base: 1)
        #expect(try incident(fire).linkedParts.count == 1)
    }

    @Test func a_confidential_incidents_report_text_is_hidden_like_its_notes() throws {
        var i = Incident.received(id: "J1", agency: .police, typeCode: "theft", priority: .normal, district: "binhu", address: "x",
                                  location: GeoPoint(lat: 0, lon: 0), callerName: "a", callerPhone: "1", narrative: "n", confidential: true,
                                  by: "duty1", at: Self.now)
        try i.apply(.report(to: Plans.reportRecipient, text: "涉密内容"), by: "duty1", at: Self.now)
        #expect(i.redacted.report?.text == Incident.redactedText)
    }

    // MARK: 转警 and 转 12345

    @Test mutating func a_ticket_escalated_becomes_a_waiting_incident_and_both_name_each_other() throws {
        let changes = try run(.escalateTicket("R1", type: "gas_leak", priority: nil), by: Self.hotline, base: 1)
        #expect(changes.count == 2)
        let ticket = try #require(records.tickets["R1"])
        let made = try incident(try #require(ticket.incidentLink))
        #expect(ticket.status == .closed)
        #expect(made.agency == .fire && made.status == .new && made.priority == .critical)
        #expect(made.callerPhone == "13900000000" && made.address == "湖心路9号" && made.narrative.contains("楼下有燃气味"))
        #expect(made.timeline.map(\.kind) == [.created, .escalated] && made.timeline.last?.ref == "R1" && made.timeline[0].by == "hotline1")
        #expect(refusal(.escalateTicket("R1", type: "gas_leak", priority: nil), by: Self.hotline) != nil, "an escalated ticket is done")
        #expect(refusal(.escalateTicket("R1", type: "gas_leak", priority: nil), by: Self.duty)
                == .forbidden(command: "escalateTicket", role: .duty, allowed: [.hotline]))
    }

    @Test mutating func an_incident_handed_to_12345_ends_as_cancelled_with_a_ticket_that_names_it() throws {
        let call = Incident.received(id: Self.today + "0005", agency: .police, typeCode: "theft", priority: .normal, district: "binhu",
                                     address: "湖心路8号", location: GeoPoint(lat: 30.5, lon: 114.4), callerName: "王五", callerPhone: "137",
                                     narrative: "邻居装修太吵", by: "duty1", at: Self.now)
        records.incidents[call.id] = call
        let changes = try run(.handoffIncident(.init(call.id), category: "noise"), base: 1)
        let ticket = try #require(changes.compactMap { if case .ticket(let t) = $0.record { t } else { nil } }.first)
        #expect(ticket.incidentLink == call.id && ticket.status == .registered && ticket.callerName == "王五")
        #expect(ticket.timeline.map(\.kind) == [.created] && ticket.registeredBy == "duty1" && ticket.timeline[0].ref == call.id)
        #expect(ticket.deadlineAt == Self.now.addingTimeInterval(60 + 24 * 3600), "the category's clock starts at the hand-over")
        let ended = try incident(call.id)
        #expect(ended.status == .cancelled && ended.disposition == Incident.handoffDisposition)
        #expect(ended.timeline.contains { $0.kind == .handedOff && $0.ref == ticket.id })
        #expect(refusal(.handoffIncident(.init(fire), category: "nonsense")) == .unknownCode(kind: .ticketCategory, value: "nonsense"))
    }

    // MARK: Arguments

    @Test func a_number_argument_takes_ascii_digits_in_its_range_and_nothing_else() throws {
        func payload(_ count: String) -> CommandPayload {
            CommandPayload(name: .countCasualties, args: ["incident": .text("J1"), "count": .text(count)])
        }
        #expect(try Command(payload(" 12 ")) == .countCasualties("J1", count: 12))
        for bad in ["-1", "+3", "１２", "10000", "3.5", "1e3", "0x10", "9999999"] {
            #expect(throws: CommandRejection.self, "\(bad)") { try Command(payload(bad)) }
        }
        #expect(PlanItem.Action(code: "link:120:trauma") == .link(.ambulance, type: "trauma"))
        for bad in ["link", "link:999", "link:120:", "checks", "report:x", ""] {
            #expect(PlanItem.Action(code: bad) == nil, "\(bad)")
        }
    }
}
