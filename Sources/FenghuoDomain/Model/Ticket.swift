import Foundation

public enum TicketStatus: String, CaseIterable, Sendable, Codable {
    case registered    // 已登记: taken by the 12345 agent, not yet routed
    case assigned      // 已派单: routed to a department, waiting for it to accept
    case inProgress = "in_progress"  // 办理中
    case returned      // 已退回: the department says it is not theirs; the center re-routes
    case replied       // 已答复: the department answered; waiting for the callback
    case closed        // 已办结: the caller was called back

    public var isOpen: Bool { self != .closed }
}

/// How long a department has for a ticket: clock hours for outages and hazards, working days
/// for everything else (the 12345 rules count 5 working days for an ordinary request).
public enum ServiceLevel: Hashable, Sendable, Codable, CustomStringConvertible {
    case hours(Int)
    case workingDays(Int)

    /// Parses `4h` or `5wd`.
    public init?(_ text: some StringProtocol) {
        guard text.first.map({ ("0"..."9").contains($0) }) == true else { return nil }
        if text.hasSuffix("wd"), let n = Int(text.dropLast(2)), n > 0 {
            self = .workingDays(n)
        } else if text.hasSuffix("h"), let n = Int(text.dropLast(1)), n > 0 {
            self = .hours(n)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .hours(let n): "\(n)h"
        case .workingDays(let n): "\(n)wd"
        }
    }

    /// The deadline for a ticket registered at `start`: an hour budget runs around the clock;
    /// a working-day budget ends at the close of the nth working day after the start day.
    public func deadline(from start: Date, calendar: WorkingDayCalendar) throws(WorkingDayCalendar.UnknownYear) -> Date {
        switch self {
        case .hours(let n):
            return start.addingTimeInterval(TimeInterval(n * 3600))
        case .workingDays(let n):
            return try calendar.adding(workingDays: n, to: LocalDate(start)).endInstant
        }
    }

    /// Like `deadline(from:calendar:)`, but past the known schedule it answers a provisional
    /// deadline (plain weekends) and says so, instead of failing.
    public func reckonDeadline(from start: Date, calendar: WorkingDayCalendar) -> (deadline: Date, provisional: Bool) {
        switch self {
        case .hours(let n):
            return (start.addingTimeInterval(TimeInterval(n * 3600)), false)
        case .workingDays(let n):
            let r = calendar.reckonDeadline(workingDays: n, after: LocalDate(start))
            return (r.value.endInstant, r.provisional)
        }
    }
}

public struct Ticket: Hashable, Sendable, Codable {
    public enum Event: Hashable, Sendable {
        case assign(department: String)
        case accept
        case sendBack(reason: String)
        case reply(text: String)
        case callback(satisfied: Bool)
        /// An emergency after all: incident `incident` takes it over, and the ticket ends (转警).
        case escalate(incident: String)

        public var name: String {
            switch self {
            case .assign: "assign"
            case .accept: "accept"
            case .sendBack: "send back"
            case .reply: "reply"
            case .callback: "record the callback"
            case .escalate: "escalate to an incident"
            }
        }
    }

    public let id: String
    public var category: String
    public var district: String
    public var address: String
    public var summary: String
    public var detail: String
    public var callerName: String
    public var callerPhone: String
    public var department: String?
    public var status: TicketStatus
    public var reply: String?
    public var satisfied: Bool?
    public var createdAt: Date
    public var deadlineAt: Date
    /// The deadline fell beyond the loaded holiday schedule and assumes plain weekends.
    public var deadlineProvisional: Bool
    public var updatedAt: Date
    public var version: Int
    /// The incident it became (escalated), or the incident that was handed over as it.
    public var incidentLink: String?

    public init(id: String, category: String, district: String, address: String, summary: String, detail: String,
                callerName: String, callerPhone: String, department: String? = nil,
                status: TicketStatus = .registered, reply: String? = nil, satisfied: Bool? = nil,
                createdAt: Date, deadlineAt: Date, deadlineProvisional: Bool = false, updatedAt: Date? = nil,
                version: Int = 1, incidentLink: String? = nil) {
        self.incidentLink = incidentLink
        self.id = id
        self.category = category
        self.district = district
        self.address = address
        self.summary = summary
        self.detail = detail
        self.callerName = callerName
        self.callerPhone = callerPhone
        self.department = department
        self.status = status
        self.reply = reply
        self.satisfied = satisfied
        self.createdAt = createdAt
        self.deadlineAt = deadlineAt
        self.deadlineProvisional = deadlineProvisional
        self.updatedAt = updatedAt ?? createdAt
        self.version = version
    }

    public func isOverdue(at now: Date) -> Bool { status.isOpen && now > deadlineAt }

    public mutating func apply(_ event: Event, at time: Date) throws(TransitionError) {
        switch (event, status) {
        case (.assign(let dept), .registered), (.assign(let dept), .returned), (.assign(let dept), .assigned):
            guard dept != department || status != .assigned else {
                throw refusal(event, "the ticket is already with \(dept)")
            }
            department = dept
            status = .assigned
        case (.accept, .assigned): status = .inProgress
        case (.sendBack(let reason), .assigned), (.sendBack(let reason), .inProgress):
            guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw refusal(event, "say why the ticket is not this department's")
            }
            status = .returned
        case (.reply(let text), .inProgress):
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw refusal(event, "a reply needs text for the caller")
            }
            reply = text
            status = .replied
        case (.callback(let satisfied), .replied):
            self.satisfied = satisfied
            status = satisfied ? .closed : .inProgress  // an unsatisfied caller reopens the work
        case (.escalate(let incident), _) where status.isOpen && status != .replied:
            guard incidentLink == nil else { throw refusal(event, "it is already linked to \(incidentLink!)") }
            incidentLink = incident
            status = .closed
        case (.escalate, _): throw refusal(event, "only an open ticket not yet answered can be escalated")
        case (.assign, _): throw refusal(event, "only a registered, returned or assigned ticket can be routed")
        case (.accept, _): throw refusal(event, "only an assigned ticket can be accepted")
        case (.sendBack, _): throw refusal(event, "only a ticket with a department can be sent back")
        case (.reply, _): throw refusal(event, "accept the ticket before replying")
        case (.callback, _): throw refusal(event, "the callback follows the department's reply")
        }
        updatedAt = time
        version += 1
    }

    private func refusal(_ event: Event, _ reason: String) -> TransitionError {
        TransitionError(entity: "ticket", id: id, event: event.name, from: status.rawValue, reason: reason)
    }
}
