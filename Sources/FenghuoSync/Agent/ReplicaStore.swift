import FenghuoProtocol
import FenghuoDomain
import FenghuoStore
import Foundation
import GRDB
import Synchronization

/// Where the replica stands with central: the feed cursor, the snapshot in progress if any, and
/// the scopes the replica was built for.
public struct SyncState: Sendable, Equatable {
    public var epoch: String?
    public var cursor: Int64
    /// The token of the next snapshot page while a snapshot is under way.
    public var snapshotNext: String?
    public var snapshotDone: Int
    public var snapshotTotal: Int
    public var scope: String?
    public var lastMutationID: Int64
    public var lastSyncAt: Date?
    public var head: Int64
    /// The protocol the replica's snapshot was taken under (nil: before the replica kept it).
    public var protocolVersion: Int? = nil

    /// The replica holds a finished snapshot and follows the feed.
    public var isReady: Bool { epoch != nil && snapshotNext == nil && snapshotTotal >= 0 && scope != nil }
}

/// The agent's replica: the shared schema plus the rejections of this console's commands and
/// the sync state. The agent is its only writer; every batch lands with its cursor in one
/// transaction.
public struct ReplicaStore: Sendable {
    public let database: AppDatabase
    public let path: String

    static var migrator: DatabaseMigrator {
        var migrator = AppDatabase.migrator
        migrator.registerMigration("v1-replica") { db in
            try db.create(table: "rejection") { t in
                t.primaryKey("id", .text)
                t.column("mutation_id", .integer).notNull()
                t.column("name", .text).notNull()
                t.column("code", .text).notNull()
                t.column("message", .text).notNull()
            }
            try db.create(index: "rejection_by_mutation", on: "rejection", columns: ["mutation_id"])
        }
        migrator.registerMigration("v2-replica-rejection-details") { db in
            // A rejection's typed details (JSON), from which the console words it in its language.
            try db.alter(table: "rejection") { t in t.add(column: "details", .text) }
        }
        return migrator
    }

    /// The operational and reference tables a snapshot fills (wiped before a rebuild).
    static let dataTables = Entity.replicatedTables

    public init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(5)  // the agent may hold the lock a moment
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        // A replica may hold rows whose parents are outside the reader's scope.
        config.foreignKeysEnabled = false
        database = try AppDatabase(DatabasePool(path: path, configuration: config), migrator: Self.migrator)
    }

    /// True when SQLite finds the file sound.
    public static func isSound(path: String) -> Bool {
        guard FileManager.default.fileExists(atPath: path) else { return true }
        do {
            let queue = try DatabaseQueue(path: path)
            defer { try? queue.close() }
            let result = try queue.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") }
            return result == "ok"
        } catch {
            return false
        }
    }

    /// Deletes a replica's files (the database and its WAL).
    public static func remove(path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Where a damaged replica is kept for a post-mortem (one: the next replaces it).
    public static func asidePath(_ path: String) -> String { path + ".corrupt" }

    /// Moves a damaged replica's files out of the way (to `PATH.corrupt`, its WAL beside it), so
    /// a new one is built at `path`; the console reopens the path and finds the new one.
    public static func moveAside(path: String) {
        let aside = asidePath(path)
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: aside + suffix)
            if FileManager.default.fileExists(atPath: path + suffix) { _ = rename(path + suffix, aside + suffix) }
        }
    }

    /// Whether `error` says the file is damaged (`SQLITE_CORRUPT`, `SQLITE_NOTADB`), which only
    /// a rebuild repairs, rather than a failure worth retrying.
    public static func isDamage(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB
    }

    /// Closes the replica's connections (before its files are moved aside); a later use throws.
    public func close() {
        try? database.writer.close()
    }

    // MARK: State

    public func state() throws -> SyncState {
        try database.writer.read { db in try Self.state(db) }
    }

    static func state(_ db: Database) throws -> SyncState {
        // The agent's own keys: `sync.*`, read and written only here.
        let values = try Meta.values(prefixed: "sync.", in: db)
        return SyncState(epoch: values["sync.epoch"], cursor: Int64(values["sync.cursor"] ?? "") ?? 0,
                         snapshotNext: values["sync.snapshot_next"],
                         snapshotDone: Int(values["sync.snapshot_done"] ?? "") ?? 0,
                         snapshotTotal: Int(values["sync.snapshot_total"] ?? "") ?? 0,
                         scope: values["sync.scope"],
                         lastMutationID: Int64(values["sync.last_mutation_id"] ?? "") ?? 0,
                         lastSyncAt: values["sync.last_sync_at"].flatMap(Double.init).map(Date.init(timeIntervalSince1970:)),
                         head: Int64(values["sync.head"] ?? "") ?? 0,
                         protocolVersion: values["sync.protocol"].flatMap { Int($0) })
    }

    /// Sets the agent's own `sync.KEY` values, and moves the stamp readers key caches by.
    static func set(_ values: [String: String?], in db: Database) throws {
        for (key, value) in values { try Meta.set(MetaKey("sync." + key), value, in: db) }
        try stamp(db)
    }

    static func stamp(_ db: Database) throws {
        try Meta.set(.replicaStamp, String(DispatchTime.now().uptimeNanoseconds), in: db)
    }

    /// Empties the replica in place (for a rebuild after an epoch or scope change); readers see
    /// an empty replica, never a mixed one.
    public func wipe() throws {
        try database.writer.write { db in
            try SearchIndex.suspend(db)  // the snapshot that follows builds them again
            for table in Self.dataTables { try db.execute(sql: "DELETE FROM \(table)") }
            try Meta.remove(prefixed: "sync.", in: db)
            try Self.stamp(db)
        }
    }

    // MARK: Snapshot

    /// Applies one snapshot page and the progress that follows it, together.
    public func apply(_ page: SnapshotPage, first: Bool, at now: Date) throws {
        try database.writer.write { db in
            if first {
                // The indexes are built once, after the last page; suspended first, emptying the
                // tables of a replica being rebuilt does not update them row by row.
                try SearchIndex.suspend(db)
                for table in Self.dataTables { try db.execute(sql: "DELETE FROM \(table)") }
                try Self.set(["epoch": page.cursor.epoch, "cursor": String(page.cursor.seq),
                              "scope": page.scope, "snapshot_total": String(page.total ?? 0), "snapshot_done": "0",
                              "last_mutation_id": String(page.lastMutationID),
                              "protocol": String(ProtocolVersion.current)], in: db)
            }
            for table in page.tables {
                guard Self.dataTables.contains(table.name) else { throw ReplicaError.unknownTable(table.name) }
                _ = try Self.checkedColumns(table, db)
                let columns = table.columns.map { "\"\($0)\"" }.joined(separator: ", ")
                let marks = table.columns.map { _ in "?" }.joined(separator: ", ")
                let statement = try db.cachedStatement(sql: "INSERT INTO \(table.name) (\(columns)) VALUES (\(marks))")
                for row in table.rows {
                    try statement.execute(arguments: StatementArguments(row.map(\.databaseValue)))
                }
            }
            let done = try Self.state(db).snapshotDone + page.rowCount
            try Self.set(["snapshot_next": page.next, "snapshot_done": String(done),
                          "last_sync_at": String(now.timeIntervalSince1970)], in: db)
        }
    }

    // MARK: Search

    public func searchReady() throws -> Bool {
        try database.writer.read { try SearchIndex.isReady($0) }
    }

    /// Builds the full-text indexes a snapshot left suspended, then folds the write-ahead log
    /// into the database: a first sync leaves a WAL as big as the data, which every reader
    /// that opens the replica would otherwise have to index first.
    public func buildSearch() throws {
        try database.writer.write { try SearchIndex.resume($0) }
        try? database.writer.writeWithoutTransaction { _ = try $0.checkpoint(.truncate) }
    }

    // MARK: Changes

    /// Applies a batch of the feed with its new cursor, in one transaction. Each change is an
    /// upsert (or delete) guarded by version, so applying a batch twice changes nothing.
    public func apply(_ response: ChangesResponse, at now: Date) throws {
        try database.writer.write { db in
            for change in response.changes { try Self.apply(change, in: db) }
            try Self.set(["cursor": String(response.cursor.seq), "last_mutation_id": String(response.lastMutationID),
                          "head": String(response.head), "last_sync_at": String(now.timeIntervalSince1970)], in: db)
        }
    }

    static func apply(_ change: ChangeRecord, in db: Database) throws {
        guard let entity = Entity.named(change.entity) else { throw ReplicaError.unknownEntity(change.entity) }
        let table = entity.table
        // Statements prepared once per connection: the feed is applied a batch per commit.
        let current: Int?
        if table == "rejection" {
            current = try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM rejection WHERE id = ?"), arguments: [change.id]) == true ? 1 : nil
        } else {
            current = try Int.fetchOne(db.cachedStatement(sql: "SELECT version FROM \(table) WHERE id = ?"), arguments: [change.id])
        }
        switch change.op {
        case .remove:
            guard let current, current <= change.version else { return }
            if table == "approval_case" {
                try db.execute(sql: "DELETE FROM approval_step WHERE case_id = ?", arguments: [change.id])
            }
            try db.execute(sql: "DELETE FROM \(table) WHERE id = ?", arguments: [change.id])
        case .put:
            if let current, current >= change.version { return }
            let record = try JSONDecoder().decode(WireRecord.self, from: Data((change.row ?? "").utf8))
            try write(record, of: change, entity: entity, in: db)
        }
    }

    /// Writes a change's rows: the record's own row (its id the change's) upserted, an approval
    /// case's steps replaced, a rejection kept once. Every column is checked against the
    /// replica's schema before it goes into SQL.
    static func write(_ record: WireRecord, of change: ChangeRecord, entity: Entity, in db: Database) throws {
        let table = entity.table
        for t in record.tables where !entity.tables.contains(t.name) { throw ReplicaError.unknownTable(t.name) }
        guard let own = record.tables.first(where: { $0.name == table }), own.rows.count == 1,
              let idColumn = own.columns.firstIndex(of: "id"), own.rows[0][idColumn] == .text(change.id) else {
            throw ReplicaError.malformed("change \(change.seq) has no single \(table) row for \(change.id)")
        }
        if table == "rejection" {
            try insert(own, or: "IGNORE", in: db)
            return
        }
        try upsert(own, in: db)
        if table == "approval_case" {
            try db.cachedStatement(sql: "DELETE FROM approval_step WHERE case_id = ?").execute(arguments: [change.id])
            for steps in record.tables where steps.name == "approval_step" {
                guard let caseColumn = steps.columns.firstIndex(of: "case_id"),
                      steps.rows.allSatisfy({ $0[caseColumn] == .text(change.id) }) else {
                    throw ReplicaError.malformed("change \(change.seq) carries a step of another case")
                }
                try insert(steps, or: nil, in: db)
            }
        }
    }

    /// The table's columns, each checked against the replica's schema (nothing else reaches SQL).
    static func checkedColumns(_ t: SnapshotPage.Table, _ db: Database) throws -> [String] {
        let known = try knownColumns(t.name, db)
        for name in t.columns where !known.contains(name) { throw ReplicaError.unknownColumn(t.name, name) }
        guard Set(t.columns).count == t.columns.count, t.rows.allSatisfy({ $0.count == t.columns.count }) else {
            throw ReplicaError.malformed("table \(t.name) repeats a column or has rows of another width")
        }
        return t.columns
    }

    /// The replica's columns of `table`, read once (the schema is fixed once migrations ran).
    static func knownColumns(_ table: String, _ db: Database) throws -> Set<String> {
        if let known = columnCache.withLock({ $0[table] }) { return known }
        let known = Set(try db.columns(in: table).map(\.name))
        columnCache.withLock { $0[table] = known }
        return known
    }

    private static let columnCache = Mutex<[String: Set<String>]>([:])

    static func upsert(_ t: SnapshotPage.Table, in db: Database) throws {
        let names = try checkedColumns(t, db)
        let updates = names.filter { $0 != "id" }.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        let sql = "INSERT INTO \(t.name) (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", "))) "
            + "ON CONFLICT(id) DO UPDATE SET \(updates)"
        let statement = try db.cachedStatement(sql: sql)
        for row in t.rows { try statement.execute(arguments: StatementArguments(row.map(\.databaseValue))) }
    }

    static func insert(_ t: SnapshotPage.Table, or conflict: String?, in db: Database) throws {
        let names = try checkedColumns(t, db)
        let sql = "INSERT \(conflict.map { "OR \($0) " } ?? "")INTO \(t.name) (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))"
        let statement = try db.cachedStatement(sql: sql)
        for row in t.rows { try statement.execute(arguments: StatementArguments(row.map(\.databaseValue))) }
    }

    /// Why central refused this console's command `mutationID`, if it did.
    public func rejection(of mutationID: Int64) throws -> CommandRejection? {
        try database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT code, message, details FROM rejection WHERE mutation_id = ?", arguments: [mutationID])
                .map { CommandRejection(stored: $0) }
        }
    }
}

public enum ReplicaError: Error, CustomStringConvertible {
    case unknownTable(String)
    case unknownEntity(String)
    case unknownColumn(String, String)
    case malformed(String)

    public var description: String {
        switch self {
        case .unknownTable(let t): "snapshot names table '\(t)', which this agent does not know (is central newer?)"
        case .unknownEntity(let e): "change names entity '\(e)', which this agent does not know (is central newer?)"
        case .unknownColumn(let t, let c): "central sent column '\(c.prefix(60))' for table \(t), which this replica does not have"
        case .malformed(let why): "central sent a change this agent cannot apply: \(why)"
        }
    }
}
