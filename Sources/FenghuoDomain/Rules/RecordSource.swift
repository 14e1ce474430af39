import Foundation

/// The reference tables a decision checks arguments against, and the holiday calendar.
public struct ReferenceTables: Sendable {
    public let calendar: WorkingDayCalendar
    public let incidentTypes: [String: IncidentType]
    public let districts: [String: District]
    public let ticketCategories: [String: TicketCategory]
    public let departments: [String: Department]
    public let approvalItems: [String: ApprovalItem]
    public let runCards: RunCards
    public let dispositions: [String: Disposition]
    /// 预案: each type's checklist, and the type each agency's linked part takes.
    public let plans: Plans
    /// Addresses to road positions (nil: no roads; a new incident then lies at its district's seat).
    public let streets: StreetLocator?

    public init(calendar: WorkingDayCalendar, incidentTypes: [String: IncidentType], districts: [String: District],
                ticketCategories: [String: TicketCategory], departments: [String: Department],
                approvalItems: [String: ApprovalItem], runCards: RunCards = RunCards(), streets: StreetLocator? = nil,
                dispositions: [String: Disposition] = [:], plans: Plans = Plans()) {
        self.plans = plans
        self.runCards = runCards
        self.dispositions = dispositions
        self.streets = streets
        self.calendar = calendar
        self.incidentTypes = incidentTypes
        self.districts = districts
        self.ticketCategories = ticketCategories
        self.departments = departments
        self.approvalItems = approvalItems
    }

    /// Where a typed `LAT,LON` may lie: the roads' extent, or around the district seats without roads.
    public var cityBounds: GeoBounds? {
        streets?.bounds ?? GeoBounds(around: districts.values.map(\.location), marginMeters: 15_000)
    }
}

/// What a decider reads: records by id as they stand in the caller's transaction, the reference
/// tables, and new ids. Central reads its store; rule tests use `RecordsInMemory`.
public protocol RecordSource {
    func incident(_ id: Incident.ID) -> Incident?
    func unit(_ id: ResponseUnit.ID) -> ResponseUnit?
    func ticket(_ id: Ticket.ID) -> Ticket?
    func approval(_ id: ApprovalCase.ID) -> ApprovalCase?
    var reference: ReferenceTables { get }
    /// The next id of `kind` for records created on `day` (`J20261201-0042`).
    func nextID(_ kind: EntityKind, on day: LocalDate) -> String
}

/// Any record a command can write.
public enum EntityRecord: Hashable, Sendable {
    case incident(Incident)
    case unit(ResponseUnit)
    case ticket(Ticket)
    case approval(ApprovalCase)

    public var kind: EntityKind {
        switch self {
        case .incident: .incident
        case .unit: .unit
        case .ticket: .ticket
        case .approval: .approval
        }
    }

    public var id: String {
        switch self {
        case .incident(let r): r.id
        case .unit(let r): r.id
        case .ticket(let r): r.id
        case .approval(let r): r.id
        }
    }

    public var version: Int {
        switch self {
        case .incident(let r): r.version
        case .unit(let r): r.version
        case .ticket(let r): r.version
        case .approval(let r): r.version
        }
    }
}

/// One record a decision writes, with the record as it was (nil: a new record).
public struct RecordChange: Hashable, Sendable {
    public let record: EntityRecord
    public let before: EntityRecord?

    public init(_ record: EntityRecord, before: EntityRecord?) {
        self.record = record
        self.before = before
    }
}

/// Records held in memory, for rule tests and tools: the same reads central makes, no SQL.
public struct RecordsInMemory: RecordSource {
    public var incidents: [String: Incident] = [:]
    public var units: [String: ResponseUnit] = [:]
    public var tickets: [String: Ticket] = [:]
    public var approvals: [String: ApprovalCase] = [:]
    public var reference: ReferenceTables
    /// The last number handed out per id stem.
    public private(set) var counters: [String: Int] = [:]

    public init(reference: ReferenceTables) { self.reference = reference }

    public func incident(_ id: Incident.ID) -> Incident? { incidents[id.rawValue] }
    public func unit(_ id: ResponseUnit.ID) -> ResponseUnit? { units[id.rawValue] }
    public func ticket(_ id: Ticket.ID) -> Ticket? { tickets[id.rawValue] }
    public func approval(_ id: ApprovalCase.ID) -> ApprovalCase? { approvals[id.rawValue] }

    public func nextID(_ kind: EntityKind, on day: LocalDate) -> String {
        let stem = IDFormat.stem(kind, day)
        let existing: [String] = switch kind {
        case .incident: Array(incidents.keys)
        case .unit: Array(units.keys)
        case .ticket: Array(tickets.keys)
        case .approval: Array(approvals.keys)
        }
        let used = existing.filter { $0.hasPrefix(stem) }.compactMap { Int($0.dropFirst(stem.count)) }.max() ?? 0
        return stem + IDFormat.padded(used + 1, IDFormat.digits(kind))
    }

    /// Writes a decision's records, as central's storage would.
    public mutating func store(_ changes: [RecordChange]) {
        for change in changes {
            switch change.record {
            case .incident(let r): incidents[r.id] = r
            case .unit(let r): units[r.id] = r
            case .ticket(let r): tickets[r.id] = r
            case .approval(let r): approvals[r.id] = r
            }
        }
    }
}

/// How record ids read: a prefix, the local day, and the day's number.
public enum IDFormat {
    public static func prefix(_ kind: EntityKind) -> String {
        switch kind {
        case .incident: "J"
        case .ticket: "R"
        case .approval: "SP"
        case .unit: "U"
        }
    }

    public static func digits(_ kind: EntityKind) -> Int { kind == .approval ? 3 : 4 }

    /// `J20261201-`
    public static func stem(_ kind: EntityKind, _ day: LocalDate) -> String {
        prefix(kind) + padded(day.year, 4) + padded(day.month, 2) + padded(day.day, 2) + "-"
    }

    /// `n` in decimal, zero-padded to at least `digits` digits.
    public static func padded(_ n: Int, _ digits: Int) -> String {
        let text = String(n)
        return text.count >= digits ? text : String(repeating: "0", count: digits - text.count) + text
    }
}

extension IDFormat {
    /// What a typed short number (`42`, the day's sequence) names among `candidates` (ids of
    /// that kind ending in that number): today's record first, else the only candidate. A full
    /// id is returned as it is. Nil when the number names none, or several on other days.
    public static func resolve(_ typed: String, _ kind: EntityKind, today: LocalDate, candidates: [String]) -> String? {
        guard let n = shortNumber(typed) else { return typed }
        let todays = stem(kind, today) + padded(n, digits(kind))
        if candidates.contains(todays) { return todays }
        let matching = candidates.filter { $0.hasSuffix("-" + padded(n, digits(kind))) }
        return matching.count == 1 ? matching[0] : nil
    }

    /// The number of a typed short form: 1 to 6 ASCII digits, at least 1.
    public static func shortNumber(_ typed: String) -> Int? {
        guard (1...6).contains(typed.unicodeScalars.count), typed.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }),
              let n = Int(typed), n > 0 else { return nil }
        return n
    }
}
