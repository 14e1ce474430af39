import FenghuoDomain
import Foundation
import GRDB

/// Every read the consoles make, as intent-named queries over a read-only connection.
public struct ReplicaReader: Sendable {
    private let source: Source
    /// List totals kept between frames while nothing was committed (read-only readers only:
    /// their connections never write, so SQLite's data version tells every change).
    let counts: CountCache?
    /// The road graph and run cards, read once (seeded reference data; a new seeding takes effect
    /// when the console restarts, as on central).
    let recommender = RecommenderCache()

    private enum Source: Sendable {
        case connection(any DatabaseReader)
        case file(ReplicaFile)
    }

    /// The connection reads go through: for an agent's replica, the file at its path now.
    var db: any DatabaseReader {
        get throws {
            switch source {
            case .connection(let db): db
            case .file(let file): try file.current(counts: counts)
            }
        }
    }

    init(_ db: any DatabaseReader) {
        source = .connection(db)
        counts = nil
    }

    /// A reader on a database another process writes (the agent's replica), opened read-only.
    /// When the agent replaces the file (a damaged replica moved aside and built again) the
    /// reader follows it; when the file is gone (the console was revoked and wiped) reads fail
    /// with `ReplicaUnavailable` instead of showing what the deleted file held.
    public init(readOnlyAt path: String) throws {
        source = .file(try ReplicaFile(path: path))
        counts = CountCache()
    }

    static let district = KeysetPager.NamedCode(column: "district", table: "district", nameColumns: ["name", "name_en"])
    /// The dispatch queue's parts in `IncidentStatus.queueRank` order (waiting, open, resolved):
    /// each is read by the queue index, so no page sorts, however many rows are open.
    static let incidentQueueParts: [String] = {
        let open = IncidentStatus.allCases.filter(\.isOpen)
        let ranks = Set(open.map(\.queueRank)).sorted()
        precondition(ranks == Array(0..<ranks.count), "queue ranks must be 0, 1, 2 … for the queue's parts")
        return ranks.map { rank in
            "status IN (" + open.filter { $0.queueRank == rank }.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"
        }
    }()
    static let incidentQueue = KeysetPager(
        table: "incident", baseCondition: "is_open = 1", sortColumns: ["priority", "created_at", "id"],
        ftsTable: "incident_fts", likeColumns: ["id", "address", "narrative"],
        namedCodes: [.init(column: "type_code", table: "incident_type", nameColumns: ["name", "name_en"]), district],
        segments: incidentQueueParts, district: district)
    static let ticketQueue = KeysetPager(
        table: "ticket", baseCondition: "is_open = 1", sortColumns: ["deadline_at", "id"],
        ftsTable: "ticket_fts", likeColumns: ["id", "summary", "address", "detail"],
        namedCodes: [.init(column: "category", table: "ticket_category", nameColumns: ["name", "name_en"]),
                     .init(column: "department", table: "department", nameColumns: ["name", "short", "name_en"]),
                     district],
        district: district, deadlineColumn: "deadline_at", timelineColumn: "timeline")
    static let approvalQueue = KeysetPager(table: "approval_case", baseCondition: "is_open = 1",
                                           sortColumns: ["deadline", "id"], ftsTable: "approval_fts",
                                           likeColumns: ["id", "item_name", "applicant"])

    public func directory() throws -> Directory {
        try db.read { db in
            let city = try Meta.value(.cityName, in: db) ?? ""
            let cityEN = try Meta.value(.cityNameEN, in: db) ?? city
            func index<T>(_ values: [T], _ code: (T) -> String) -> [String: T] {
                Dictionary(values.map { (code($0), $0) }, uniquingKeysWith: { a, _ in a })
            }
            let districts = try District.fetchAll(db)
            var directory = Directory(cityName: city, cityNameEN: cityEN,
                                      districts: index(districts, \.code),
                                      departments: index(try Department.fetchAll(db), \.code),
                                      incidentTypes: index(try IncidentType.fetchAll(db), \.code),
                                      ticketCategories: index(try TicketCategory.fetchAll(db), \.code),
                                      approvalItems: index(try ApprovalItem.fetchAll(db), \.code),
                                      dispositions: index(try Disposition.fetchAll(db), \.code),
                                      responseTargets: try ResponseTargets.stored(in: db))
            directory.plans = try Plans.stored(in: db)
            try IntakeReference.fill(&directory, districts: districts, in: db)
            return directory
        }
    }

    public func calendar() throws -> WorkingDayCalendar {
        try db.read { try WorkingDayCalendar.stored(in: $0) }
    }

    public func incidents(_ request: PageRequest) throws -> Page<Incident> {
        try db.read { try Self.incidentQueue.page(request, in: $0, counts: counts, key: \.sortKey) }
    }

    public func incident(id: String) throws -> Incident? {
        try db.read { try Incident.fetchOne($0, key: id) }
    }

    /// The unit board: every unit, by agency then call sign (a city has hundreds, not millions).
    public func units() throws -> [ResponseUnit] {
        try db.read { try ResponseUnit.order(Column("agency"), Column("id")).fetchAll($0) }
    }

    public func tickets(_ request: PageRequest) throws -> Page<Ticket> {
        try db.read { try Self.ticketQueue.page(request, in: $0, counts: counts, key: \.sortKey) }
    }

    public func ticket(id: String) throws -> Ticket? {
        try db.read { try Ticket.fetchOne($0, key: id) }
    }

    /// Articles an agent may read out for a ticket: its category's first, then text matches.
    public func knowledge(for ticket: Ticket, limit: Int = 3) throws -> [KnowledgeArticle] {
        try db.read { db in
            var found = try KnowledgeArticle.filter(Column("category") == ticket.category)
                .order(Column("id")).limit(limit).fetchAll(db)
            let summary = SearchText.normalized(ticket.summary)
            if found.count < limit, SearchText.usesIndex(summary) {
                let phrase = SearchText.ftsPhrase(String(summary.prefix(4)))
                let more = try KnowledgeArticle.fetchAll(db, sql: """
                    SELECT kb_article.* FROM kb_article
                    WHERE rowid IN (SELECT rowid FROM kb_fts WHERE kb_fts MATCH ?) LIMIT ?
                    """, arguments: [phrase, limit])
                found += more.filter { m in !found.contains { $0.id == m.id } }.prefix(limit - found.count)
            }
            return found
        }
    }

    public func searchKnowledge(_ text: String, limit: Int = 20) throws -> [KnowledgeArticle] {
        try db.read { db in
            let query = SearchText.normalized(text)
            guard !query.isEmpty else { return try KnowledgeArticle.order(Column("id")).limit(limit).fetchAll(db) }
            if SearchText.usesIndex(query) {
                let phrase = SearchText.ftsPhrase(query)
                return try KnowledgeArticle.fetchAll(db, sql: """
                    SELECT kb_article.* FROM kb_article
                    WHERE rowid IN (SELECT rowid FROM kb_fts WHERE kb_fts MATCH ?) ORDER BY id LIMIT ?
                    """, arguments: [phrase, limit])
            }
            return try KnowledgeArticle.fetchAll(db, sql: """
                SELECT * FROM kb_article WHERE title LIKE ? ESCAPE '\\' OR body LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?
                """, arguments: [SearchText.likePattern(query), SearchText.likePattern(query), limit])
        }
    }

    /// The approval queue, with each visible case's sign-off steps (one query for all of them).
    public func approvals(_ request: PageRequest) throws -> Page<ApprovalCase> {
        try db.read { db in
            let page: Page<ApprovalCaseRecord> = try Self.approvalQueue.page(request, in: db, counts: counts) { $0.value.sortKey }
            let ids = page.rows.map(\.value.id)
            let steps = try ApprovalStepRecord.filter(ids.contains(Column("case_id")))
                .order(Column("case_id"), Column("position")).fetchAll(db)
            let byCase = Dictionary(grouping: steps, by: \.caseID)
            let cases = page.rows.map { record -> ApprovalCase in
                var value = record.value
                value.steps = byCase[value.id, default: []].map(\.step)
                return value
            }
            return Page(rows: cases, hasMoreBefore: page.hasMoreBefore, hasMoreAfter: page.hasMoreAfter,
                        total: page.total, offset: page.offset)
        }
    }

    public func approval(id: String) throws -> ApprovalCase? {
        try db.read { try ApprovalCase.fetch(id: id, in: $0) }
    }

    /// Stored login data for `username`: the user and the password hash to verify against.
    public func credentials(username: String) throws -> (user: User, passwordHash: String)? {
        try db.read { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM app_user WHERE username = ?"),
                                             arguments: [username]) else { return nil }
            return (User(username: row["username"], name: row["name"], role: row.value("role"),
                         department: row["department"]), row["password_hash"])
        }
    }

    public func users() throws -> [User] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT username, name, role, department FROM app_user ORDER BY role, username")
                .map { User(username: $0["username"], name: $0["name"], role: $0.value("role"), department: $0["department"]) }
        }
    }
}

/// Reads refused because the replica file the console read is no longer there.
public struct ReplicaUnavailable: Error, CustomStringConvertible {
    public let path: String
    public var description: String {
        "the replica \(path) is gone (the agent is rebuilding it, or this console was revoked and its data wiped)"
    }
}

/// An agent's replica file, reopened when another file takes its path. The file's identity
/// (device and inode) is looked at no more than twice a second; a console redraws far more often.
final class ReplicaFile: @unchecked Sendable {
    private struct Identity: Equatable {
        let device: UInt64
        let inode: UInt64

        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
    }

    let path: String
    private let lock = NSLock()
    private var pool: DatabasePool?
    private var identity: Identity?
    private var checked = ContinuousClock.now
    static let interval: Duration = .milliseconds(500)

    init(path: String) throws {
        self.path = path
        identity = Identity(path: path)
        pool = try Self.open(path)
    }

    private static func open(_ path: String) throws -> DatabasePool {
        var config = Configuration()
        config.busyMode = .timeout(5)  // the agent may hold the lock a moment
        config.readonly = true
        return try DatabasePool(path: path, configuration: config)
    }

    func current(counts: CountCache?) throws -> any DatabaseReader {
        try lock.withLock {
            let now = ContinuousClock.now
            if let pool, now - checked < Self.interval { return pool }
            checked = now
            guard let found = Identity(path: path) else {
                pool = nil
                identity = nil
                throw ReplicaUnavailable(path: path)
            }
            if found != identity || pool == nil {
                pool = nil
                counts?.reset()
                let opened = try Self.open(path)
                pool = opened
                identity = found
            }
            return pool!
        }
    }
}
