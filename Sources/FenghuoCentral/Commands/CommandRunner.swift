import FenghuoDomain
import FenghuoProtocol
import FenghuoStore
import Foundation
import GRDB

/// Runs one command inside the caller's transaction: the desk's decider (pure, in Domain) reads
/// the records through `StoredRecords` and says what to write; this writes it and describes
/// each write for the feed. A rejection writes nothing.
struct CommandRunner {
    let user: User
    let now: Date
    /// The reference tables, read once per store.
    let reference: ReferenceTables

    func apply(_ command: Command, baseVersion: Int?, in db: Database) throws -> [EntityWrite] {
        let source = StoredRecords(db: db, reference: reference)
        let changes: [RecordChange]
        do {
            changes = try Deciders.decide(command, by: user, at: now, reading: source, baseVersion: baseVersion)
        } catch {
            // A storage failure while reading is the transaction's, not the command's.
            if let failure = source.failure { throw failure }
            throw error
        }
        if let failure = source.failure { throw failure }
        return try changes.map { try persist($0, in: db) }
    }

    /// Writes one record and says who could see it before and who can now.
    private func persist(_ change: RecordChange, in db: Database) throws -> EntityWrite {
        let isNew = change.before == nil
        switch change.record {
        case .incident(let r): if isNew { try r.insertPrepared(db) } else { try r.updatePrepared(db) }
        case .unit(let r): if isNew { try r.insertPrepared(db) } else { try r.updatePrepared(db) }
        case .ticket(let r): if isNew { try r.insertPrepared(db) } else { try r.updatePrepared(db) }
        case .approval(let r): try r.save(in: db)
        }
        var write = EntityWrite(entity: Entity.of(change.record.kind).wire, id: change.record.id, version: change.record.version,
                                scopesBefore: change.before.map(Visibility.scopes(of:)) ?? [],
                                scopesAfter: Visibility.scopes(of: change.record), row: try Self.json(change.record))
        if let redacted = Visibility.redacted(change.record) {
            write.redacted = (redacted.scopes, try Self.json(redacted.record))
        }
        return write
    }

    // MARK: Change rows

    /// The record's wire form (its table rows), as the feed carries it.
    static func json(_ record: EntityRecord) throws -> String {
        try record.wire().jsonText()
    }
}

/// The records a decider reads, from central's store in the current transaction, through
/// statements prepared once per connection. A read that fails is kept and rethrown by the
/// handler once the decider returns (the decider's own failures are rejections only).
final class StoredRecords: RecordSource {
    let db: Database
    let reference: ReferenceTables
    /// The first read that failed, for the runner to rethrow.
    private(set) var failure: (any Error)?

    init(db: Database, reference: ReferenceTables) {
        self.db = db
        self.reference = reference
    }

    /// A read whose failure is kept, not thrown (deciders throw rejections only).
    private func reading<T>(_ work: () throws -> T?) -> T? {
        do {
            return try work()
        } catch {
            failure = failure ?? error
            return nil
        }
    }

    private func fetch<R: FetchableRecord & TableRecord>(_ type: R.Type, _ id: String) -> R? {
        reading { try CommandRunner.fetch(R.self, id, in: db) }
    }

    func incident(_ id: Incident.ID) -> Incident? { fetch(Incident.self, id.rawValue) }
    func unit(_ id: ResponseUnit.ID) -> ResponseUnit? { fetch(ResponseUnit.self, id.rawValue) }
    func ticket(_ id: Ticket.ID) -> Ticket? { fetch(Ticket.self, id.rawValue) }

    func approval(_ id: ApprovalCase.ID) -> ApprovalCase? {
        reading { try ApprovalCase.fetch(id: id.rawValue, in: db) }
    }

    /// `J20261201-0042`: the day's next number (local day), after the highest one in use.
    func nextID(_ kind: EntityKind, on day: LocalDate) -> String {
        let table = Entity.of(kind).table
        let stem = IDFormat.stem(kind, day)
        // A counter a day (numbers past 9999 grow a digit, which text order would misplace);
        // the first use of a day starts after the highest number already in the table.
        // (An UPSERT would evaluate the seeding subquery every time: update first.)
        let next = reading { () throws -> Int? in
            if let next = try Int.fetchOne(db.cachedStatement(sql: "UPDATE id_counter SET last = last + 1 WHERE stem = ? RETURNING last"),
                                           arguments: [stem]) {
                return next
            }
            return try Int.fetchOne(db, sql: """
                INSERT INTO id_counter(stem, last)
                VALUES (?, 1 + coalesce((SELECT max(CAST(substr(id, ?) AS INTEGER)) FROM \(table) WHERE id >= ? AND id < ?), 0))
                RETURNING last
                """, arguments: [stem, stem.count + 1, stem, stem + "~"])
        }
        // On a failed read the runner rethrows it; the id is never used.
        return stem + IDFormat.padded(next ?? 1, IDFormat.digits(kind))
    }
}

extension CommandRunner {
    /// A record by id through a statement prepared once per connection (the query interface
    /// builds and prepares its SQL on every call).
    static func fetch<R: FetchableRecord & TableRecord>(_ type: R.Type, _ id: String, in db: Database) throws -> R? {
        try R.fetchOne(db.cachedStatement(sql: "SELECT * FROM \(R.databaseTableName) WHERE id = ?"), arguments: [id])
    }
}


/// The reference tables a command checks its arguments against (incident types, districts,
/// ticket categories, departments, approval items) and the holiday calendar, read once per
/// store: no command changes them, and re-reading them cost a query per argument per command.
/// A change made to them by hand takes effect when central restarts.
final class ReferenceCache: @unchecked Sendable {
    private let lock = NSLock()
    private var loaded: ReferenceTables?

    func tables(in db: Database) throws -> ReferenceTables {
        if let loaded = lock.withLock({ loaded }) { return loaded }
        func byKey<R: FetchableRecord & TableRecord>(_ type: R.Type, _ key: (R) -> String) throws -> [String: R] {
            Dictionary(try R.fetchAll(db).map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
        }
        let tables = ReferenceTables(calendar: try WorkingDayCalendar.stored(in: db),
                            incidentTypes: try byKey(IncidentType.self, \.code),
                            districts: try byKey(District.self, \.code),
                            ticketCategories: try byKey(TicketCategory.self, \.code),
                            departments: try byKey(Department.self, \.code),
                            approvalItems: try byKey(ApprovalItem.self, \.code),
                            runCards: try RunCards.stored(in: db),
                            streets: try StreetLocator.stored(in: db),
                            dispositions: try byKey(Disposition.self, \.code),
                            plans: try Plans.stored(in: db))
        lock.withLock { loaded = tables }
        return tables
    }
}
