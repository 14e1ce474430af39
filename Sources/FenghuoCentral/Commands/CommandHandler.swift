import FenghuoDomain
import FenghuoProtocol
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

    /// Decides one command. `baseVersion` is the version of the target record the user saw.
    func apply(_ command: Command, baseVersion: Int?, in db: Database) throws -> [EntityWrite] {
        let spec = command.spec
        guard spec.roles.contains(user.role) else {
            throw CommandRejection(.forbidden(command: spec.name.rawValue, role: user.role, allowed: spec.roles.sorted { $0.rawValue < $1.rawValue }))
        }
        switch command {
        case .createIncident(let new):
            return [try createIncident(new, in: db)]
        case .dispatch(let incidentID, let unitIDs):
            var incident = try load(Incident.self, .incident, incidentID.rawValue, baseVersion, in: db)
            let before = incident
            var writes: [EntityWrite] = []
            for unitID in unitIDs {
                var unit = try load(ResponseUnit.self, .unit, unitID.rawValue, nil, in: db)
                let was = unit
                try transition { try unit.apply(.assign(incidentID: incident.id), at: now) }
                guard unit.agency == incident.agency else {
                    throw CommandRejection(.agencyMismatch(unit: unit.id, unitAgency: unit.agency, incidentAgency: incident.agency))
                }
                try unit.updatePrepared(db)
                writes.append(try write(unit, before: Visibility.of(was), after: Visibility.of(unit)))
            }
            try transition { try incident.apply(.dispatch(unitIDs: unitIDs.map(\.rawValue)), at: now) }
            try incident.updatePrepared(db)
            return [try write(incident, before: Visibility.of(before), after: Visibility.of(incident))] + writes
        case .resolveIncident(let id), .closeIncident(let id), .cancelIncident(let id):
            var incident = try load(Incident.self, .incident, id.rawValue, baseVersion, in: db)
            let event: Incident.Event = switch command {
            case .resolveIncident: .resolve
            case .closeIncident: .close
            default: .cancel
            }
            try transition { try incident.apply(event, at: now) }
            try incident.updatePrepared(db)
            return [try write(incident, before: Visibility.of(incident), after: Visibility.of(incident))]
        case .updateUnitStatus(let unitID, let step):
            var unit = try load(ResponseUnit.self, .unit, unitID.rawValue, baseVersion, in: db)
            let incidentID = unit.incidentID
            try transition { try unit.apply(step.event, at: now) }
            try unit.updatePrepared(db)
            var writes = [try write(unit, before: Visibility.of(unit), after: Visibility.of(unit))]
            // The first unit to arrive puts its incident on scene.
            if step == .arrive, let incidentID, var incident = try Self.fetch(Incident.self, incidentID, in: db),
               incident.status == .dispatched {
                try transition { try incident.apply(.arrive, at: now) }
                try incident.updatePrepared(db)
                writes.append(try write(incident, before: Visibility.of(incident), after: Visibility.of(incident)))
            }
            return writes
        case .createTicket(let new):
            return [try createTicket(new, in: db)]
        case .transferTicket(let id, _), .acceptTicket(let id), .returnTicket(let id, _), .replyTicket(let id, _),
             .recordCallback(let id, _):
            var ticket = try load(Ticket.self, .ticket, id.rawValue, baseVersion, in: db)
            let before = ticket
            let event: Ticket.Event
            switch command {
            case .transferTicket(_, let department):
                guard reference.departments[department] != nil else {
                    throw CommandRejection(.unknownCode(kind: .department, value: department))
                }
                event = .assign(department: department)
            case .recordCallback(_, let satisfied):
                event = .callback(satisfied: satisfied)
            default:
                // Accepting, returning and replying are the department's own work.
                guard ticket.department == user.department else {
                    throw CommandRejection(.otherDepartment(id: ticket.id, department: ticket.department, yours: user.department))
                }
                event = switch command {
                case .returnTicket(_, let reason): .sendBack(reason: reason)
                case .replyTicket(_, let text): .reply(text: text)
                default: .accept
                }
            }
            try transition { try ticket.apply(event, at: now) }
            try ticket.updatePrepared(db)
            return [try write(ticket, before: Visibility.of(before), after: Visibility.of(ticket))]
        case .createApproval(let item, let applicant, let phone):
            return [try createApproval(item: item, applicant: applicant, phone: phone, in: db)]
        case .startReview(let id):
            var approval = try loadApproval(id.rawValue, baseVersion, in: db)
            guard let lead = approval.steps.first?.department, lead == user.department else {
                throw CommandRejection(.otherDepartment(id: approval.id, department: approval.steps.first?.department, yours: user.department))
            }
            try transition { try approval.apply(.startReview, at: now) }
            return [try save(approval, in: db)]
        case .signOff(let id, let department, let approve, let opinion):
            var approval = try loadApproval(id.rawValue, baseVersion, in: db)
            let department = department ?? user.department
            guard department == user.department else {
                throw CommandRejection(.otherDepartment(id: approval.id, department: department, yours: user.department))
            }
            try transition { try approval.apply(.signOff(department: department, approve: approve, opinion: opinion), at: now) }
            return [try save(approval, in: db)]
        }
    }

    // MARK: Creation

    private func createIncident(_ new: NewIncident, in db: Database) throws -> EntityWrite {
        guard let type = reference.incidentTypes[new.type] else {
            throw CommandRejection(.unknownCode(kind: .incidentType, value: new.type))
        }
        guard let district = reference.districts[new.district] else {
            throw CommandRejection(.unknownCode(kind: .district, value: new.district))
        }
        let id = try nextID(prefix: "J", table: "incident", digits: 4, in: db)
        let incident = Incident(id: id, agency: type.agency, typeCode: type.code, priority: type.priority,
                                district: district.code, address: new.address, location: district.location,
                                callerName: new.caller, callerPhone: new.phone, narrative: new.narrative,
                                confidential: new.confidential, createdAt: now)
        try incident.insertPrepared(db)
        return try write(incident, before: [], after: Visibility.of(incident))
    }

    private func createTicket(_ new: NewTicket, in db: Database) throws -> EntityWrite {
        guard let category = reference.ticketCategories[new.category] else {
            throw CommandRejection(.unknownCode(kind: .ticketCategory, value: new.category))
        }
        guard reference.districts[new.district] != nil else {
            throw CommandRejection(.unknownCode(kind: .district, value: new.district))
        }
        let calendar = reference.calendar
        let (deadline, provisional) = category.serviceLevel.reckonDeadline(from: now, calendar: calendar)
        let id = try nextID(prefix: "R", table: "ticket", digits: 4, in: db)
        let ticket = Ticket(id: id, category: category.code, district: new.district, address: new.address,
                            summary: new.summary, detail: new.detail, callerName: new.caller, callerPhone: new.phone,
                            createdAt: now, deadlineAt: deadline, deadlineProvisional: provisional)
        try ticket.insertPrepared(db)
        return try write(ticket, before: [], after: Visibility.of(ticket))
    }

    /// An application accepted at the one-stop window, registered by the item's lead department.
    private func createApproval(item code: String, applicant: String, phone: String, in db: Database) throws -> EntityWrite {
        guard let item = reference.approvalItems[code] else {
            throw CommandRejection(.unknownCode(kind: .approvalItem, value: code))
        }
        guard item.leadDepartment == user.department else {
            throw CommandRejection(.otherDepartment(id: item.code, department: item.leadDepartment, yours: user.department))
        }
        let calendar = reference.calendar
        let accepted = LocalDate(now)
        let deadline = calendar.reckonDeadline(workingDays: item.statutoryDays, after: accepted)
        let id = try nextID(prefix: "SP", table: "approval_case", digits: 3, in: db)
        let approval = ApprovalCase(id: id, itemCode: item.code, itemName: item.name, type: item.type,
                                    applicant: applicant, applicantPhone: phone,
                                    steps: ([item.leadDepartment] + item.cosigningDepartments).map { ApprovalStep(department: $0) },
                                    acceptedOn: accepted, deadline: deadline.value, deadlineProvisional: deadline.provisional,
                                    updatedAt: now)
        try approval.save(in: db)
        return try write(approval, entity: "approval", id: approval.id, version: approval.version, before: [],
                         after: Visibility.of(approval))
    }

    /// An approval case with its steps, checked against the version the user saw.
    private func loadApproval(_ id: String, _ baseVersion: Int?, in db: Database) throws -> ApprovalCase {
        guard let approval = try ApprovalCase.fetch(id: id, in: db) else {
            throw CommandRejection(.notFound(entity: .approval, id: id))
        }
        try checkVersion(approval.version, baseVersion, id)
        return approval
    }

    /// Writes a changed case (its departments do not change, so neither do its readers).
    private func save(_ approval: ApprovalCase, in db: Database) throws -> EntityWrite {
        try approval.save(in: db)
        return try write(approval, entity: "approval", id: approval.id, version: approval.version,
                         before: Visibility.of(approval), after: Visibility.of(approval))
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

    private func load<R: FetchableRecord & TableRecord & Identified>(_ type: R.Type, _ entity: EntityKind, _ id: String,
                                                                      _ baseVersion: Int?, in db: Database) throws -> R {
        guard let record = try Self.fetch(R.self, id, in: db) else {
            throw CommandRejection(.notFound(entity: entity, id: id))
        }
        try checkVersion(record.version, baseVersion, id)
        return record
    }

    /// A record by id through a statement prepared once per connection (the query interface
    /// builds and prepares its SQL on every call).
    static func fetch<R: FetchableRecord & TableRecord>(_ type: R.Type, _ id: String, in db: Database) throws -> R? {
        try R.fetchOne(db.cachedStatement(sql: "SELECT * FROM \(R.databaseTableName) WHERE id = ?"), arguments: [id])
    }

    /// Central order wins: a change based on a version the record has moved past is refused.
    private func checkVersion(_ current: Int, _ baseVersion: Int?, _ id: String) throws {
        if let base = baseVersion, base != current {
            throw CommandRejection(.staleVersion(id: id, base: base, current: current))
        }
    }

    private func transition(_ step: () throws -> Void) throws {
        do { try step() } catch let error as TransitionError {
            throw CommandRejection(error)
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
        let readers = Visibility.redactedReaders(of: incident)
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
