import Foundation
import Testing
import FenghuoDomain

@Suite("12345 ticket life cycle: registered → assigned → in progress → replied → closed")
struct TicketLifecycleTests {
    static let registered = Date(timeIntervalSince1970: 1_780_000_000)
    static let deadline = registered.addingTimeInterval(5 * 86_400)
    static let later = registered.addingTimeInterval(600)

    static func ticket(_ status: TicketStatus = .registered, department: String? = nil) -> Ticket {
        Ticket(id: "12345-0001", category: "noise", district: "jinjiang", address: "春熙路 1 号",
               summary: "夜间施工噪音", detail: "工地凌晨仍在施工", callerName: "李先生", callerPhone: "13900000000",
               department: department ?? (status == .registered ? nil : "urban"), status: status,
               reply: status == .replied || status == .closed ? "已责令停工" : nil,
               createdAt: registered, deadlineAt: deadline)
    }

    // MARK: Allowed steps

    @Test func a_registered_ticket_is_routed_to_a_department() throws {
        // Given a registered ticket with no department
        var ticket = Self.ticket()
        #expect(ticket.department == nil)
        // When it is assigned to the urban management bureau
        try ticket.apply(.assign(department: "urban"), by: "agent1", at: Self.later)
        // Then it waits for that department, stamped with the time
        #expect(ticket.status == .assigned)
        #expect(ticket.department == "urban")
        #expect(ticket.updatedAt == Self.later)
        #expect(ticket.createdAt == Self.registered)
        #expect(ticket.version == 2)
    }

    @Test func an_assigned_ticket_can_be_rerouted_to_another_department() throws {
        var ticket = Self.ticket(.assigned, department: "urban")
        try ticket.apply(.assign(department: "env"), by: "agent1", at: Self.later)
        #expect(ticket.status == .assigned)
        #expect(ticket.department == "env")
        #expect(ticket.version == 2)
    }

    @Test func a_returned_ticket_is_routed_again() throws {
        var ticket = Self.ticket(.returned, department: "urban")
        try ticket.apply(.assign(department: "housing"), by: "agent1", at: Self.later)
        #expect(ticket.status == .assigned)
        #expect(ticket.department == "housing")
    }

    @Test func the_happy_path_runs_from_registration_to_a_satisfied_callback() throws {
        var ticket = Self.ticket()
        let t = (1...4).map { Self.registered.addingTimeInterval(Double($0) * 3600) }
        try ticket.apply(.assign(department: "urban"), by: "agent1", at: t[0])
        try ticket.apply(.accept, by: "agent1", at: t[1])
        #expect(ticket.status == .inProgress)
        try ticket.apply(.reply(text: "已责令夜间停工"), by: "agent1", at: t[2])
        #expect(ticket.status == .replied)
        #expect(ticket.reply == "已责令夜间停工")
        try ticket.apply(.callback(satisfied: true), by: "agent1", at: t[3])
        #expect(ticket.status == .closed)
        #expect(ticket.satisfied == true)
        #expect(!ticket.status.isOpen)
        #expect(ticket.updatedAt == t[3])
        #expect(ticket.version == 5)
    }

    @Test(arguments: [TicketStatus.assigned, .inProgress])
    func a_department_can_send_back_a_ticket_that_is_not_its_own(_ status: TicketStatus) throws {
        var ticket = Self.ticket(status)
        try ticket.apply(.sendBack(reason: "属于住建局职责"), by: "agent1", at: Self.later)
        #expect(ticket.status == .returned)
        #expect(ticket.updatedAt == Self.later)
        #expect(ticket.version == 2)
    }

    @Test func an_unsatisfied_caller_reopens_the_work() throws {
        // Given a replied ticket
        var ticket = Self.ticket(.replied)
        // When the caller says they are not satisfied
        try ticket.apply(.callback(satisfied: false), by: "agent1", at: Self.later)
        // Then the department works on it again and the dissatisfaction is recorded
        #expect(ticket.status == .inProgress)
        #expect(ticket.satisfied == false)
        #expect(ticket.updatedAt == Self.later)
    }

    // MARK: The whole table

    static let events: [Ticket.Event] = [.assign(department: "water"), .accept, .sendBack(reason: "非本单位职责"),
                                         .reply(text: "已处理"), .callback(satisfied: true), .callback(satisfied: false)]

    static func expectedNext(_ event: Ticket.Event, from status: TicketStatus) -> TicketStatus? {
        switch (event, status) {
        case (.assign, .registered), (.assign, .assigned), (.assign, .returned): .assigned
        case (.accept, .assigned): .inProgress
        case (.sendBack, .assigned), (.sendBack, .inProgress): .returned
        case (.reply, .inProgress): .replied
        case (.callback(satisfied: true), .replied): .closed
        case (.callback(satisfied: false), .replied): .inProgress
        default: nil
        }
    }

    @Test(arguments: TicketStatus.allCases, events)
    func every_event_from_every_status_follows_the_table(_ status: TicketStatus, _ event: Ticket.Event) throws {
        var ticket = Self.ticket(status)
        let before = ticket
        if let next = Self.expectedNext(event, from: status) {
            try ticket.apply(event, by: "agent1", at: Self.later)
            #expect(ticket.status == next)
            #expect(ticket.updatedAt == Self.later)
            #expect(ticket.version == before.version + 1)
        } else {
            let error = try #require(refusal { try ticket.apply(event, by: "agent1", at: Self.later) })
            #expect(error.entity == "ticket")
            #expect(error.id == "12345-0001")
            #expect(error.event == event.name)
            #expect(error.from == status.rawValue)
            #expect(ticket == before)
        }
    }

    // MARK: Refusals in detail

    @Test func rejects_assigning_a_ticket_to_the_department_that_already_has_it() throws {
        var ticket = Self.ticket(.assigned, department: "urban")
        let before = ticket
        let error = try #require(refusal { try ticket.apply(.assign(department: "urban"), by: "agent1", at: Self.later) })
        #expect(error == TransitionError(entity: "ticket", id: "12345-0001", event: "assign", from: "assigned",
                                         reason: "the ticket is already with urban"))
        #expect(ticket == before)
        #expect(ticket.version == 1)
        #expect(ticket.updatedAt == Self.registered)
    }

    @Test(arguments: ["", "   ", "\t"])
    func rejects_sending_back_without_a_reason(_ reason: String) throws {
        var ticket = Self.ticket(.inProgress)
        let before = ticket
        let error = try #require(refusal { try ticket.apply(.sendBack(reason: reason), by: "agent1", at: Self.later) })
        #expect(error.event == "send back")
        #expect(error.from == "in_progress")
        #expect(ticket == before)
    }

    @Test(arguments: ["\n", " \r\n "])
    func rejects_sending_back_with_a_reason_of_only_line_breaks(_ reason: String) throws {
        var ticket = Self.ticket(.inProgress)
        let before = ticket
        let error = try #require(refusal { try ticket.apply(.sendBack(reason: reason), by: "agent1", at: Self.later) })
        #expect(error.event == "send back")
        #expect(ticket == before)
    }

    @Test(arguments: ["\n", " \r\n "])
    func rejects_a_reply_of_only_line_breaks(_ text: String) throws {
        var ticket = Self.ticket(.inProgress)
        let before = ticket
        let error = try #require(refusal { try ticket.apply(.reply(text: text), by: "agent1", at: Self.later) })
        #expect(error.event == "reply")
        #expect(ticket == before)
    }

    @Test(arguments: ["", "  "])
    func rejects_a_reply_without_text(_ text: String) throws {
        var ticket = Self.ticket(.inProgress)
        let before = ticket
        let error = try #require(refusal { try ticket.apply(.reply(text: text), by: "agent1", at: Self.later) })
        #expect(error.event == "reply")
        #expect(error.from == "in_progress")
        #expect(ticket.reply == nil)
        #expect(ticket == before)
    }

    @Test func rejects_replying_before_the_department_accepts() throws {
        var ticket = Self.ticket(.assigned)
        let before = ticket
        let error = try #require(refusal { try ticket.apply(.reply(text: "已处理"), by: "agent1", at: Self.later) })
        #expect(error.event == "reply")
        #expect(error.from == "assigned")
        #expect(ticket == before)
    }

    @Test func a_closed_ticket_accepts_nothing_more() throws {
        var ticket = Self.ticket(.closed)
        let before = ticket
        for event in Self.events {
            let error = try #require(refusal { try ticket.apply(event, by: "agent1", at: Self.later) })
            #expect(error.from == "closed")
            #expect(error.event == event.name)
        }
        #expect(ticket == before)
    }

    @Test func rejects_a_callback_before_the_reply() throws {
        var ticket = Self.ticket(.inProgress)
        let before = ticket
        let error = try #require(refusal { try ticket.apply(.callback(satisfied: true), by: "agent1", at: Self.later) })
        #expect(error.event == "record the callback")
        #expect(ticket.satisfied == nil)
        #expect(ticket == before)
    }

    // MARK: Overdue

    @Test func an_open_ticket_is_overdue_only_after_its_deadline() {
        let ticket = Self.ticket(.inProgress)
        #expect(!ticket.isOverdue(at: Self.deadline.addingTimeInterval(-1)))
        #expect(!ticket.isOverdue(at: Self.deadline))
        #expect(ticket.isOverdue(at: Self.deadline.addingTimeInterval(1)))
    }

    @Test func a_closed_ticket_is_never_overdue() {
        let ticket = Self.ticket(.closed)
        #expect(!ticket.isOverdue(at: Self.deadline.addingTimeInterval(86_400 * 30)))
    }

    @Test func only_a_closed_ticket_is_no_longer_open() {
        #expect(TicketStatus.allCases.filter { !$0.isOpen } == [.closed])
    }
}
