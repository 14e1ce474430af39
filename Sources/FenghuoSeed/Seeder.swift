import FenghuoStore
import FenghuoCrypto
import FenghuoDomain
import Foundation
import GRDB

/// Loads a checked fixture set and its generated history into a database, replacing what was
/// there, in one transaction: a failure leaves the database exactly as it was.
public struct Seeder: Sendable {
    public struct Summary: Sendable, Equatable {
        public var districts = 0, departments = 0, users = 0, units = 0
        public var incidents = 0, openIncidents = 0
        public var tickets = 0, openTickets = 0
        public var approvals = 0, openApprovals = 0
        public var knowledge = 0, calendarYears: [Int] = []
    }

    let fixtures: FixtureSet
    let hasher: PasswordHasher

    public init(fixtures: FixtureSet, hasher: PasswordHasher = PasswordHasher()) {
        self.fixtures = fixtures
        self.hasher = hasher
    }

    @discardableResult
    public func seed(_ database: AppDatabase, now: Date, scale: Int = 1,
                     progress: (@Sendable (String) -> Void)? = nil) throws -> Summary {
        var generator = HistoryGenerator(fixtures: fixtures, now: now, scale: scale)
        progress?("generating history ×\(scale)")
        let history = generator.generate()
        progress?("hashing \(fixtures.users.count) demo passwords")
        let hashes = try hashPasswords()
        progress?("writing \(history.incidents.count + history.tickets.count + history.approvals.count) records")

        return try database.writer.write { db in
            for table in ["plan_item", "premise", "duplicate_rule", "landmark", "street", "response_target", "disposition", "run_card", "road_edge", "road_node", "approval_step", "approval_case", "ticket", "incident", "unit", "kb_article", "calendar_day",
                          "calendar_year", "approval_item", "ticket_category", "incident_type", "app_user",
                          "department", "district", "meta"] {
                try db.execute(sql: "DELETE FROM \(table)")
            }
            var summary = Summary()
            try Meta.set(.cityName, fixtures.cityName, in: db)
            try Meta.set(.cityNameEN, fixtures.cityNameEN, in: db)
            try Meta.set(MetaKey("seeded_at"), String(Int64(now.timeIntervalSince1970)), in: db)
            for d in fixtures.districts { try d.insert(db) }
            for d in fixtures.departments { try d.insert(db) }
            for (account, hash) in zip(fixtures.users, hashes) {
                try db.execute(sql: "INSERT INTO app_user(username, name, role, department, password_hash) VALUES (?, ?, ?, ?, ?)",
                               arguments: [account.user.username, account.user.name, account.user.role.rawValue,
                                           account.user.department, hash])
            }
            for t in fixtures.incidentTypes { try t.insert(db) }
            try fixtures.runCards.insert(db)
            for d in fixtures.dispositions { try d.insert(db) }
            try fixtures.plans.insert(db)
            try fixtures.responseTargets.insert(db)
            try IntakeReference.insertStreets(fixtures.districts.flatMap { d in (fixtures.streets[d.code] ?? []).map { (district: d.code, name: $0) } }, in: db)
            try IntakeReference.insertLandmarks(fixtures.landmarkPlaces, in: db)
            try IntakeReference.insertPremises(fixtures.premises, in: db)
            try IntakeReference.insertDuplicateRules(fixtures.duplicateRules.map { ($0.type, $0.window, $0.compatible) }, in: db)
            try RoadGraph.insert(nodes: fixtures.roadNodes, edges: fixtures.roadEdges, in: db)
            for c in fixtures.ticketCategories { try c.insert(db) }
            for i in fixtures.approvalItems { try i.insert(db) }
            for a in fixtures.knowledge { try a.insert(db) }
            for year in fixtures.calendar.knownYears.sorted() {
                try db.execute(sql: "INSERT INTO calendar_year(year) VALUES (?)", arguments: [year])
            }
            for e in fixtures.calendarEntries {
                try db.execute(sql: "INSERT INTO calendar_day(date, kind, name) VALUES (?, ?, ?)",
                               arguments: [e.date.description, e.kind.rawValue, e.name])
            }
            for u in history.units { try u.insert(db) }
            for i in history.incidents { try i.insert(db) }
            for t in history.tickets { try t.insert(db) }
            for a in history.approvals { try a.save(in: db) }

            summary.districts = fixtures.districts.count
            summary.departments = fixtures.departments.count
            summary.users = fixtures.users.count
            summary.units = history.units.count
            summary.incidents = history.incidents.count
            summary.openIncidents = history.incidents.count { $0.status.isOpen }
            summary.tickets = history.tickets.count
            summary.openTickets = history.tickets.count { $0.status.isOpen }
            summary.approvals = history.approvals.count
            summary.openApprovals = history.approvals.count { $0.status.isOpen }
            summary.knowledge = fixtures.knowledge.count
            summary.calendarYears = fixtures.calendar.knownYears.sorted()
            return summary
        }
    }

    /// One salted hash per account, spread over the cores (each costs ~0.1 s at full strength).
    private func hashPasswords() throws -> [String] {
        let accounts = fixtures.users
        let results = HashResults(count: accounts.count)
        DispatchQueue.concurrentPerform(iterations: accounts.count) { i in
            results.set(i, Result { try hasher.hash(accounts[i].password) })
        }
        return try results.values.map { try $0!.get() }
    }
}

/// Collects results written from `concurrentPerform`'s threads.
private final class HashResults: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Result<String, any Error>?]
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: Result<String, any Error>) { lock.withLock { storage[i] = value } }
    var values: [Result<String, any Error>?] { lock.withLock { storage } }
}

extension Seeder {
    /// Fills the reference tables a later schema added (dispositions, step time limits, plans) when a
    /// store made before them has them empty; `fixtures` is read only then. Returns the tables filled.
    public static func fillEmptyReferenceTables(_ database: AppDatabase, fixtures: () throws -> FixtureSet) throws -> [String] {
        let empty = try database.writer.read { db in
            try ["disposition", "response_target", "plan_item"].filter { try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") == 0 }
        }
        guard !empty.isEmpty else { return [] }
        let set = try fixtures()
        try database.writer.write { db in
            if empty.contains("disposition") { for d in set.dispositions { try d.insert(db) } }
            if empty.contains("response_target") { try set.responseTargets.insert(db) }
            if empty.contains("plan_item") { try set.plans.insert(db) }
        }
        return empty
    }
}
