import FenghuoDomain
import FenghuoSync
import FenghuoStore
import Foundation
import GRDB

/// Decides one command against the current records, inside the caller's transaction: checks
/// the user's role, the record's version and the Domain state machine, then writes. Throws a
/// `CommandRejection` (and writes nothing) when any of them says no.
struct CommandHandler {
    let user: User
    let now: Date
    /// The reference tables, read once per store.
    let reference: ReferenceCache.Tables

    static let commands = CommandCatalog.names

    func apply(_ e: CommandEnvelope, in db: Database) throws -> [EntityWrite] {
        let a = CommandArguments(command: e.name, values: e.args)
        switch e.name {
        case "createIncident":
            try require(.duty, e.name)
            return [try createIncident(a, in: db)]
        case "dispatch":
            try require(.duty, e.name)
            var incident = try load(Incident.self, a.text("incident"), e, in: db)
            let before = incident
            let unitIDs = try a.list("units")
            var writes: [EntityWrite] = []
            for unitID in unitIDs {
                var unit = try load(ResponseUnit.self, unitID, nil, in: db)
                let was = unit
                try transition { try unit.apply(.assign(incidentID: incident.id), at: now) }
                guard unit.agency == incident.agency else {
                    throw CommandRejection(.badArgument, "unit \(unit.id) is \(unit.agency.rawValue), the incident is \(incident.agency.rawValue)")
                }
                try unit.updatePrepared(db)
                writes.append(try write(unit, before: Scope.of(was), after: Scope.of(unit)))
            }
            try transition { try incident.apply(.dispatch(unitIDs: unitIDs), at: now) }
            try incident.updatePrepared(db)
            return [try write(incident, before: Scope.of(before), after: Scope.of(incident))] + writes
        case "resolveIncident", "closeIncident", "cancelIncident":
            try require(.duty, e.name)
            var incident = try load(Incident.self, a.text("incident"), e, in: db)
            let event: Incident.Event = e.name == "resolveIncident" ? .resolve : e.name == "closeIncident" ? .close : .cancel
            try transition { try incident.apply(event, at: now) }
            try incident.updatePrepared(db)
            return [try write(incident, before: Scope.of(incident), after: Scope.of(incident))]
        case "updateUnitStatus":
            try require(.duty, e.name)
            var unit = try load(ResponseUnit.self, a.text("unit"), e, in: db)
            let events: [String: ResponseUnit.Event] = [
                "depart": .depart, "arrive": .arrive, "clear": .clear, "release": .release,
                "backInStation": .backInStation, "outOfService": .outOfService, "backInService": .backInService,
            ]
            let name = try a.text("event")
            guard let event = events[name] else {
                throw CommandRejection(.badArgument, "updateUnitStatus: event='\(name)' is not one of \(events.keys.sorted().joined(separator: ", "))")
            }
            let incidentID = unit.incidentID
            try transition { try unit.apply(event, at: now) }
            try unit.updatePrepared(db)
            var writes = [try write(unit, before: Scope.of(unit), after: Scope.of(unit))]
            // The first unit to arrive puts its incident on scene.
            if event == .arrive, let incidentID, var incident = try Self.fetch(Incident.self, incidentID, in: db),
               incident.status == .dispatched {
                try transition { try incident.apply(.arrive, at: now) }
                try incident.updatePrepared(db)
                writes.append(try write(incident, before: Scope.of(incident), after: Scope.of(incident)))
            }
            return writes
        case "createTicket":
            try require(.hotline, e.name)
            return [try createTicket(a, in: db)]
        case "transferTicket", "acceptTicket", "returnTicket", "replyTicket", "recordCallback":
            var ticket = try load(Ticket.self, a.text("ticket"), e, in: db)
            let before = ticket
            let event: Ticket.Event
            switch e.name {
            case "transferTicket":
                try require(.hotline, e.name)
                let department = try a.text("department")
                guard reference.departments[department] != nil else {
                    throw CommandRejection(.notFound, "no department has code '\(department)'")
                }
                event = .assign(department: department)
            case "recordCallback":
                try require(.hotline, e.name)
                event = .callback(satisfied: try a.bool("satisfied"))
            default:
                // Accepting, returning and replying are the department's own work.
                try require(.staff, e.name)
                guard ticket.department == user.department else {
                    throw CommandRejection(.forbidden, "ticket \(ticket.id) is with \(ticket.department ?? "no department"), not \(user.department)")
                }
                event = e.name == "acceptTicket" ? .accept
                    : e.name == "returnTicket" ? .sendBack(reason: try a.text("reason")) : .reply(text: try a.text("text"))
            }
            try transition { try ticket.apply(event, at: now) }
            try ticket.updatePrepared(db)
            return [try write(ticket, before: Scope.of(before), after: Scope.of(ticket))]
        case "createApproval":
            try require(.staff, e.name)
            return [try createApproval(a, in: db)]
        case "startReview":
            try require(.staff, e.name)
            var approval = try loadApproval(try a.text("case"), e, in: db)
            guard approval.steps.first?.department == user.department else {
                throw CommandRejection(.forbidden, "the lead department of \(approval.id) starts its review, not \(user.department)")
            }
            try transition { try approval.apply(.startReview, at: now) }
            return [try save(approval, in: db)]
        case "signOff":
            try require(.staff, e.name)
            var approval = try loadApproval(try a.text("case"), e, in: db)
            let department = a.optionalText("department") ?? user.department
            guard department == user.department else {
                throw CommandRejection(.forbidden, "\(user.username) signs for \(user.department), not \(department)")
            }
            try transition {
                try approval.apply(.signOff(department: department, approve: try a.bool("approve"),
                                            opinion: a.optionalText("opinion") ?? ""), at: now)
            }
            return [try save(approval, in: db)]
        default:
            throw CommandRejection(.unknownCommand, "unknown command '\(e.name)'; commands: \(Self.commands.joined(separator: ", "))")
        }
    }

    // MARK: Creation

    private func createIncident(_ a: CommandArguments, in db: Database) throws -> EntityWrite {
        let typeCode = try a.text("type")
        guard let type = reference.incidentTypes[typeCode] else {
            throw CommandRejection(.notFound, "no incident type '\(typeCode)'")
        }
        let districtCode = try a.text("district")
        guard let district = reference.districts[districtCode] else {
            throw CommandRejection(.notFound, "no district '\(districtCode)'")
        }
        let id = try nextID(prefix: "J", table: "incident", digits: 4, in: db)
        let incident = Incident(id: id, agency: type.agency, typeCode: type.code, priority: type.priority,
                                district: district.code, address: try a.text("address"), location: district.location,
                                callerName: a.optionalText("caller") ?? "", callerPhone: a.optionalText("phone") ?? "",
                                narrative: try a.text("narrative"),
                                confidential: (try? a.bool("confidential")) ?? false, createdAt: now)
        try incident.insertPrepared(db)
        return try write(incident, before: [], after: Scope.of(incident))
    }

    private func createTicket(_ a: CommandArguments, in db: Database) throws -> EntityWrite {
        let code = try a.text("category")
        guard let category = reference.ticketCategories[code] else {
            throw CommandRejection(.notFound, "no ticket category '\(code)'")
        }
        let districtCode = try a.text("district")
        guard reference.districts[districtCode] != nil else {
            throw CommandRejection(.notFound, "no district '\(districtCode)'")
        }
        let calendar = reference.calendar
        let (deadline, provisional) = category.serviceLevel.reckonDeadline(from: now, calendar: calendar)
        let id = try nextID(prefix: "R", table: "ticket", digits: 4, in: db)
        let ticket = Ticket(id: id, category: category.code, district: districtCode, address: try a.text("address"),
                            summary: try a.text("summary"), detail: a.optionalText("detail") ?? "",
                            callerName: a.optionalText("caller") ?? "", callerPhone: a.optionalText("phone") ?? "",
                            createdAt: now, deadlineAt: deadline, deadlineProvisional: provisional)
        try ticket.insertPrepared(db)
        return try write(ticket, before: [], after: Scope.of(ticket))
    }

    /// An application accepted at the one-stop window, registered by the item's lead department.
    private func createApproval(_ a: CommandArguments, in db: Database) throws -> EntityWrite {
        let code = try a.text("item")
        guard let item = reference.approvalItems[code] else {
            throw CommandRejection(.notFound, "no approval item '\(code)'")
        }
        guard item.leadDepartment == user.department else {
            throw CommandRejection(.forbidden, "\(item.name) is accepted by \(item.leadDepartment), not \(user.department)")
        }
        let calendar = reference.calendar
        let accepted = LocalDate(now)
        let deadline = calendar.reckonDeadline(workingDays: item.statutoryDays, after: accepted)
        let id = try nextID(prefix: "SP", table: "approval_case", digits: 3, in: db)
        let approval = ApprovalCase(id: id, itemCode: item.code, itemName: item.name, type: item.type,
                                    applicant: try a.text("applicant"), applicantPhone: a.optionalText("phone") ?? "",
                                    steps: ([item.leadDepartment] + item.cosigningDepartments).map { ApprovalStep(department: $0) },
                                    acceptedOn: accepted, deadline: deadline.value, deadlineProvisional: deadline.provisional,
                                    updatedAt: now)
        try approval.save(in: db)
        return try write(approval, entity: "approval", id: approval.id, version: approval.version, before: [],
                         after: Scope.of(approval))
    }

    /// An approval case with its steps, checked against the version the user saw.
    private func loadApproval(_ id: String, _ e: CommandEnvelope, in db: Database) throws -> ApprovalCase {
        guard let approval = try ApprovalCase.fetch(id: id, in: db) else {
            throw CommandRejection(.notFound, "no approval case \(id)")
        }
        try checkVersion(approval.version, e, id)
        return approval
    }

    /// Writes a changed case (its departments do not change, so neither do its readers).
    private func save(_ approval: ApprovalCase, in db: Database) throws -> EntityWrite {
        try approval.save(in: db)
        return try write(approval, entity: "approval", id: approval.id, version: approval.version,
                         before: Scope.of(approval), after: Scope.of(approval))
    }

    /// `J20261201-0042`: the day's next number (local day), after the highest one in use.
    private func nextID(prefix: String, table: String, digits: Int, in db: Database) throws -> String {
        let day = LocalDate(now)
        let stem = prefix + Self.padded(day.year, 4) + Self.padded(day.month, 2) + Self.padded(day.day, 2) + "-"
        // A counter a day (numbers past 9999 grow a digit, which text order would misplace);
        // the first use of a day starts after the highest number already in the table.
        // (An UPSERT would evaluate the seeding subquery every time: update first.)
        var next = try Int.fetchOne(db.cachedStatement(sql: "UPDATE id_counter SET last = last + 1 WHERE stem = ? RETURNING last"),
                                    arguments: [stem])
        if next == nil {
            next = try Int.fetchOne(db, sql: """
                INSERT INTO id_counter(stem, last)
                VALUES (?, 1 + coalesce((SELECT max(CAST(substr(id, ?) AS INTEGER)) FROM \(table) WHERE id >= ? AND id < ?), 0))
                RETURNING last
                """, arguments: [stem, stem.count + 1, stem, stem + "~"])
        }
        return stem + Self.padded(next ?? 1, digits)
    }

    /// `n` in decimal, zero-padded to at least `digits` digits.
    static func padded(_ n: Int, _ digits: Int) -> String {
        let text = String(n)
        return text.count >= digits ? text : String(repeating: "0", count: digits - text.count) + text
    }

    // MARK: Checks

    private func require(_ role: Role, _ command: String) throws {
        guard user.role == role else {
            throw CommandRejection(.forbidden, "\(command) is for the \(role.rawValue) role; \(user.username) is \(user.role.rawValue)")
        }
    }

    private func load<R: FetchableRecord & TableRecord & Identified>(_ type: R.Type, _ id: String, _ e: CommandEnvelope?,
                                                                      in db: Database) throws -> R {
        guard let record = try Self.fetch(R.self, id, in: db) else {
            throw CommandRejection(.notFound, "no \(R.databaseTableName) \(id)")
        }
        if let e { try checkVersion(record.version, e, id) }
        return record
    }

    /// A record by id through a statement prepared once per connection (the query interface
    /// builds and prepares its SQL on every call).
    static func fetch<R: FetchableRecord & TableRecord>(_ type: R.Type, _ id: String, in db: Database) throws -> R? {
        try R.fetchOne(db.cachedStatement(sql: "SELECT * FROM \(R.databaseTableName) WHERE id = ?"), arguments: [id])
    }

    /// Central order wins: a change based on a version the record has moved past is refused.
    private func checkVersion(_ current: Int, _ e: CommandEnvelope, _ id: String) throws {
        if let base = e.baseVersion, base != current {
            throw CommandRejection(.staleVersion, "\(id) changed since you saw it (your version \(base), now \(current)); reload and try again")
        }
    }

    private func transition(_ step: () throws -> Void) throws {
        do { try step() } catch let error as TransitionError {
            throw CommandRejection(.illegalTransition, error.description)
        }
    }

    // MARK: Change rows

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.dateEncodingStrategy = .secondsSince1970
        return e
    }()

    /// An incident's change: the whole row for those cleared to read it, and a redacted copy
    /// for the readers of a confidential one.
    private func write(_ incident: Incident, before: [String], after: [String]) throws -> EntityWrite {
        var whole = try write(incident, entity: "incident", id: incident.id, version: incident.version, before: before,
                              after: after)
        let readers = Scope.redactedReaders(of: incident)
        if !readers.isEmpty {
            whole.redacted = (readers, String(decoding: try Self.encoder.encode(incident.redacted), as: UTF8.self))
        }
        return whole
    }

    private func write<R: Encodable & Identified & TableRecord>(_ record: R, before: [String], after: [String]) throws -> EntityWrite {
        try write(record, entity: R.databaseTableName, id: record.id, version: record.version, before: before, after: after)
    }

    private func write(_ record: some Encodable, entity: String, id: String, version: Int, before: [String],
                       after: [String]) throws -> EntityWrite {
        let json = String(decoding: try Self.encoder.encode(record), as: UTF8.self)
        return EntityWrite(entity: entity, id: id, version: version, scopesBefore: before, scopesAfter: after, row: json)
    }
}

/// Records with a text id and a version, as the handler loads and checks them.
protocol Identified {
    var id: String { get }
    var version: Int { get }
}

extension Incident: Identified {}
extension ResponseUnit: Identified {}
extension Ticket: Identified {}

/// The reference tables a command checks its arguments against (incident types, districts,
/// ticket categories, departments, approval items) and the holiday calendar, read once per
/// store: no command changes them, and re-reading them cost a query per argument per command.
/// A change made to them by hand takes effect when central restarts.
final class ReferenceCache: @unchecked Sendable {
    struct Tables {
        let calendar: WorkingDayCalendar
        let incidentTypes: [String: IncidentType]
        let districts: [String: District]
        let ticketCategories: [String: TicketCategory]
        let departments: [String: Department]
        let approvalItems: [String: ApprovalItem]
    }

    private let lock = NSLock()
    private var loaded: Tables?

    func tables(in db: Database) throws -> Tables {
        if let loaded = lock.withLock({ loaded }) { return loaded }
        func byKey<R: FetchableRecord & TableRecord>(_ type: R.Type, _ key: (R) -> String) throws -> [String: R] {
            Dictionary(try R.fetchAll(db).map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
        }
        let tables = Tables(calendar: try WorkingDayCalendar.stored(in: db),
                            incidentTypes: try byKey(IncidentType.self, \.code),
                            districts: try byKey(District.self, \.code),
                            ticketCategories: try byKey(TicketCategory.self, \.code),
                            departments: try byKey(Department.self, \.code),
                            approvalItems: try byKey(ApprovalItem.self, \.code))
        lock.withLock { loaded = tables }
        return tables
    }
}
