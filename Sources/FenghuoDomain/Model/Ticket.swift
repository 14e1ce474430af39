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

/// One step in a ticket's life, who took it and when: routing, acceptance, return, reply,
/// callback, and the notes people add (an internal note is for the hotline and the department,
/// never for the caller or a public channel).
public struct TicketEntry: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case created    // registered by the call-taker (`ref`: the incident it came from, for 110 转来)
        case routed     // sent to department `ref` (派单 / 转办)
        case accepted   // 签收
        case returned   // sent back by department `ref`; `text`: why
        case replied    // `text`: the department's answer to the caller
        case callback   // 回访: `ref` satisfied | unsatisfied; an unsatisfied one reopens the ticket
        case escalated  // an emergency after all: incident `ref` took it over (转警)
        case note       // `text`; internal when `isInternal`
    }

    public let at: Date
    public let by: String
    public let kind: Kind
    public let ref: String?
    public let text: String?
    /// A note for the hotline and the department only (内部备注).
    public let isInternal: Bool
    /// The ticket's status after the step, and its version.
    public let status: TicketStatus
    public let version: Int

    public init(at: Date, by: String, kind: Kind, ref: String? = nil, text: String? = nil, isInternal: Bool = false,
                status: TicketStatus, version: Int) {
        self.at = at
        self.by = by
        self.kind = kind
        self.ref = ref
        self.text = text
        self.isInternal = isInternal
        self.status = status
        self.version = version
    }

    /// A step of the ticket's work (routing, a reply …), not a note beside it.
    public var isStep: Bool { kind != .note }
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
        /// A note in the timeline; the status stays.
        case note(text: String, isInternal: Bool)

        public var name: String {
            switch self {
            case .assign: "assign"
            case .accept: "accept"
            case .sendBack: "send back"
            case .reply: "reply"
            case .callback: "record the callback"
            case .escalate: "escalate to an incident"
            case .note: "add a note"
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
    /// Every step and note, oldest first.
    public var timeline: [TicketEntry]

    /// At most this many entries: a ticket is a few dozen steps; a note past this is refused.
    public static let maxTimeline = 300

    public init(id: String, category: String, district: String, address: String, summary: String, detail: String,
                callerName: String, callerPhone: String, department: String? = nil,
                status: TicketStatus = .registered, reply: String? = nil, satisfied: Bool? = nil,
                createdAt: Date, deadlineAt: Date, deadlineProvisional: Bool = false, updatedAt: Date? = nil,
                version: Int = 1, incidentLink: String? = nil, timeline: [TicketEntry] = []) {
        self.incidentLink = incidentLink
        self.timeline = timeline
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

    /// A ticket just registered by `by`, its first timeline entry saying so.
    public static func registered(id: String, category: String, district: String, address: String, summary: String, detail: String,
                                  callerName: String, callerPhone: String, createdAt: Date, deadlineAt: Date,
                                  deadlineProvisional: Bool = false, incidentLink: String? = nil, by: String) -> Ticket {
        var ticket = Ticket(id: id, category: category, district: district, address: address, summary: summary, detail: detail,
                            callerName: callerName, callerPhone: callerPhone, createdAt: createdAt, deadlineAt: deadlineAt,
                            deadlineProvisional: deadlineProvisional, incidentLink: incidentLink)
        ticket.timeline = [TicketEntry(at: createdAt, by: by, kind: .created, ref: incidentLink, status: .registered, version: 1)]
        return ticket
    }

    public func isOverdue(at now: Date) -> Bool { status.isOpen && now > deadlineAt }

    /// The share of the time allowed (registration to deadline) gone by `now`.
    public func elapsedShare(at now: Date) -> Double {
        let allowed = deadlineAt.timeIntervalSince(createdAt)
        return allowed > 0 ? now.timeIntervalSince(createdAt) / allowed : 1
    }

    /// Who registered it (nil for a ticket from before timelines were kept).
    public var registeredBy: String? { timeline.first { $0.kind == .created }?.by }

    /// Whether a change based on version `base` is out of date: only a step since then counts
    /// (a colleague's note does not make the user's view wrong), or a version it never had.
    public func hasMovedOn(since base: Int) -> Bool {
        guard base != version else { return false }
        guard base < version else { return true }
        // Entries are kept only since timelines exist: an older base with none to judge by is stale.
        guard timeline.contains(where: { $0.version <= base }) else { return true }
        return timeline.contains { $0.version > base && $0.isStep }
    }

    public mutating func apply(_ event: Event, by user: String, at time: Date) throws(TransitionError) {
        guard timeline.count < Self.maxTimeline else { throw refusal(event, "its timeline is full (\(Self.maxTimeline) entries)") }
        if case .note(let text, let isInternal) = event {
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw refusal(event, "a note needs text") }
            updatedAt = time
            version += 1
            timeline.append(TicketEntry(at: time, by: user, kind: .note, text: text, isInternal: isInternal, status: status, version: version))
            return
        }
        let wasDepartment = department
        try step(event, at: time)
        let entry: (TicketEntry.Kind, String?, String?) = switch event {
        case .assign(let department): (.routed, department, nil)
        case .accept: (.accepted, nil, nil)
        case .sendBack(let reason): (.returned, wasDepartment, reason)
        case .reply(let text): (.replied, nil, text)
        case .callback(let satisfied): (.callback, satisfied ? "satisfied" : "unsatisfied", nil)
        case .escalate(let incident): (.escalated, incident, nil)
        case .note: (.note, nil, nil)
        }
        timeline.append(TicketEntry(at: time, by: user, kind: entry.0, ref: entry.1, text: entry.2, status: status, version: version))
    }

    private mutating func step(_ event: Event, at time: Date) throws(TransitionError) {
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
        case (.note, _): preconditionFailure("a note is not a step")
        }
        updatedAt = time
        version += 1
    }

    private func refusal(_ event: Event, _ reason: String) -> TransitionError {
        TransitionError(entity: "ticket", id: id, event: event.name, from: status.rawValue, reason: reason)
    }
}
