import FenghuoDomain
import Foundation
import Testing

/// A ticket's timeline: every step stamped with who and when, notes (internal ones marked) that
/// do not change the status, and a colleague's note that does not make the user's step stale.
@Suite("Ticket timeline and notes")
struct TicketTimelineTests {
    static let now = Date(timeIntervalSince1970: 1_796_090_400)  // 2026-12-01 10:00 +08:00
    static let reference = ReferenceTables(
        calendar: WorkingDayCalendar(years: [], entries: []), incidentTypes: [:],
        districts: ["binhu": District(code: "binhu", name: "滨湖区", nameEN: "Binhu", location: GeoPoint(lat: 30.49, lon: 114.39), population: 1)],
        ticketCategories: ["noise": TicketCategory(code: "noise", name: "噪声", nameEN: "Noise", department: "urban", serviceLevel: .hours(24))],
        departments: ["urban": Department(code: "urban", name: "市城市管理局", shortName: "城管", nameEN: "Urban", kind: .bureau, phone: ""),
                      "water": Department(code: "water", name: "水务集团", shortName: "水务", nameEN: "Water", kind: .utility, phone: "")],
        approvalItems: [:])
    static let agent = User(username: "hotline1", name: "话务员", role: .hotline, department: "hotline")
    static let agent2 = User(username: "hotline2", name: "话务员二", role: .hotline, department: "hotline")
    static let urban = User(username: "urban1", name: "城管", role: .staff, department: "urban")
    static let water = User(username: "water1", name: "水务", role: .staff, department: "water")

    var records = RecordsInMemory(reference: TicketTimelineTests.reference)
    var minute = 0.0

    mutating func run(_ command: Command, by user: User, base: Int? = nil) throws(CommandRejection) -> [RecordChange] {
        minute += 1
        let changes = try Deciders.decide(command, by: user, at: Self.now.addingTimeInterval(minute * 60), reading: records, baseVersion: base)
        records.store(changes)
        return changes
    }

    mutating func register() throws -> Ticket.ID {
        let changes = try run(.createTicket(NewTicket(category: "noise", district: "binhu", address: "湖心路8号", summary: "楼下KTV噪声",
                                                      detail: "每晚十一点后仍很吵", caller: "李四", phone: "13900000000")), by: Self.agent)
        return .init(changes[0].record.id)
    }

    @Test mutating func each_step_is_stamped_with_who_and_when_and_what_it_carried() throws {
        let id = try register()
        _ = try run(.transferTicket(id, department: "water"), by: Self.agent)
        _ = try run(.returnTicket(id, reason: "非供水问题"), by: Self.water)
        _ = try run(.transferTicket(id, department: "urban"), by: Self.agent)
        _ = try run(.acceptTicket(id), by: Self.urban)
        _ = try run(.replyTicket(id, text: "已责令KTV整改"), by: Self.urban)
        _ = try run(.recordCallback(id, satisfied: false), by: Self.agent2)
        let t = try #require(records.tickets[id.rawValue])
        #expect(t.timeline.map(\.kind) == [.created, .routed, .returned, .routed, .accepted, .replied, .callback])
        #expect(t.timeline.map(\.by) == ["hotline1", "hotline1", "water1", "hotline1", "urban1", "urban1", "hotline2"])
        #expect(t.timeline.map(\.ref) == [nil, "water", "water", "urban", nil, nil, "unsatisfied"])
        #expect(t.timeline[2].text == "非供水问题")
        #expect(t.timeline[5].text == "已责令KTV整改")
        #expect(t.timeline.map(\.status) == [.registered, .assigned, .returned, .assigned, .inProgress, .replied, .inProgress])
        #expect(t.timeline.map(\.version) == Array(1...7))
        #expect(t.timeline.map(\.at) == (1...7).map { Self.now.addingTimeInterval(Double($0) * 60) })
        #expect(t.registeredBy == "hotline1")
    }

    @Test mutating func a_note_keeps_the_status_and_an_internal_one_is_marked() throws {
        let id = try register()
        _ = try run(.transferTicket(id, department: "urban"), by: Self.agent)
        _ = try run(.noteTicket(id, text: "来电人补充：周末更吵", internal: false), by: Self.agent2)
        _ = try run(.noteTicket(id, text: "该商户去年已被投诉三次", internal: true), by: Self.urban)
        let t = try #require(records.tickets[id.rawValue])
        #expect(t.status == .assigned)
        #expect(t.version == 4)
        let notes = t.timeline.filter { $0.kind == .note }
        #expect(notes.map(\.text) == ["来电人补充：周末更吵", "该商户去年已被投诉三次"])
        #expect(notes.map(\.isInternal) == [false, true])
        #expect(notes.map(\.by) == ["hotline2", "urban1"])
        #expect(notes.allSatisfy { $0.status == .assigned })
    }

    @Test mutating func a_colleagues_note_does_not_make_a_step_stale_but_a_step_does() throws {
        let id = try register()
        _ = try run(.transferTicket(id, department: "urban"), by: Self.agent)
        let seen = records.tickets[id.rawValue]!.version
        _ = try run(.noteTicket(id, text: "已电话联系商户", internal: true), by: Self.agent2)
        _ = try run(.acceptTicket(id), by: Self.urban, base: seen)
        #expect(records.tickets[id.rawValue]!.status == .inProgress)
        do {
            _ = try run(.returnTicket(id, reason: "不归我们"), by: Self.urban, base: seen)
            Issue.record("a return based on a version before the acceptance was taken")
        } catch {
            #expect(error.code == "stale_version")
        }
    }

    @Test mutating func staff_note_only_their_departments_tickets_and_a_note_needs_text() throws {
        let id = try register()
        _ = try run(.transferTicket(id, department: "urban"), by: Self.agent)
        do {
            _ = try run(.noteTicket(id, text: "看看", internal: true), by: Self.water)
            Issue.record("another department noted the ticket")
        } catch {
            #expect(error.code == "other_department")
        }
        let blank = CommandPayload(name: .noteTicket, args: ["ticket": .text(id.rawValue), "text": .text("   ")])
        #expect(throws: CommandRejection.self) { _ = try Command(blank) }
        let long = CommandPayload(name: .noteTicket, args: ["ticket": .text(id.rawValue), "text": .text(String(repeating: "噪", count: 1001))])
        #expect(throws: CommandRejection.self) { _ = try Command(long) }
        let leader = User(username: "leader1", name: "领导", role: .leader, department: "gov")
        #expect(throws: CommandRejection.self) { _ = try run(.noteTicket(id, text: "阅", internal: false), by: leader) }
    }

    @Test mutating func a_full_timeline_refuses_more_notes() throws {
        let id = try register()
        var t = try #require(records.tickets[id.rawValue])
        for i in t.timeline.count..<Ticket.maxTimeline {
            try t.apply(.note(text: "第\(i)条", isInternal: false), by: "hotline1", at: Self.now)
        }
        records.tickets[id.rawValue] = t
        #expect(throws: CommandRejection.self) { _ = try run(.noteTicket(id, text: "再来一条", internal: false), by: Self.agent) }
    }
}
