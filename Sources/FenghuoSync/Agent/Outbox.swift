import FenghuoProtocol
import FenghuoDomain
import Foundation
import GRDB

/// The console's queued commands, in a database of their own so that a replica rebuilt from
/// scratch never takes them along. Every command is committed with `synchronous = FULL` before
/// anyone is told it was queued; a row leaves only when central reports it applied or rejected.
public struct Outbox: Sendable {
    public let writer: DatabaseQueue
    public let clientID: String

    public struct Entry: Sendable, Equatable {
        public let mutationID: Int64
        /// The command as it was queued (its name and arguments, unchecked: a row written by an
        /// older agent is sent as it is, and central judges it).
        public let name: String
        public let args: [String: ArgumentValue]
        public let baseVersion: Int?
        public let queuedAt: Date
    }

    public init(path: String) throws {
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        writer = try DatabaseQueue(path: path, configuration: config)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-outbox") { db in
            try db.create(table: "outbox_meta") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
            try db.create(table: "outbox") { t in
                t.primaryKey("mutation_id", .integer)
                t.column("name", .text).notNull()
                t.column("args", .text).notNull()
                t.column("base_version", .integer)
                t.column("queued_at", .double).notNull()
            }
        }
        try migrator.migrate(writer)
        clientID = try writer.write { db in
            if let id = try String.fetchOne(db, sql: "SELECT value FROM outbox_meta WHERE key = 'client_id'") { return id }
            let id = "c-" + UUID().uuidString.lowercased()
            try db.execute(sql: "INSERT INTO outbox_meta(key, value) VALUES ('client_id', ?), ('last_id', '0')", arguments: [id])
            return id
        }
    }

    /// Queues a command and answers its mutation id once the row is on disk. Ids never repeat,
    /// even after the rows before them are gone.
    public func enqueue(_ command: Command, baseVersion: Int?, at now: Date) throws -> Int64 {
        let payload = command.payload
        let name = payload.name.rawValue
        let json = String(decoding: try JSONEncoder().encode(payload.args), as: UTF8.self)
        return try writer.write { db in
            let id = (Int64(try String.fetchOne(db, sql: "SELECT value FROM outbox_meta WHERE key = 'last_id'") ?? "0") ?? 0) + 1
            try db.execute(sql: "UPDATE outbox_meta SET value = ? WHERE key = 'last_id'", arguments: [String(id)])
            try db.execute(sql: "INSERT INTO outbox(mutation_id, name, args, base_version, queued_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, name, json, baseVersion, now.timeIntervalSince1970])
            return id
        }
    }

    /// The highest mutation id ever queued here.
    public func lastQueued() throws -> Int64 {
        try writer.read { db in Int64(try String.fetchOne(db, sql: "SELECT value FROM outbox_meta WHERE key = 'last_id'") ?? "0") ?? 0 }
    }

    /// Queued commands after `mutationID`, oldest first.
    public func pending(after mutationID: Int64, limit: Int) throws -> [Entry] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM outbox WHERE mutation_id > ? ORDER BY mutation_id LIMIT ?",
                             arguments: [mutationID, limit]).map { row in
                // v1 rows hold text values only, which read as `.text`.
                let args = (try? JSONDecoder().decode([String: ArgumentValue].self, from: Data((row["args"] as String).utf8))) ?? [:]
                return Entry(mutationID: row["mutation_id"], name: row["name"], args: args,
                             baseVersion: row["base_version"], queuedAt: Date(timeIntervalSince1970: row["queued_at"]))
            }
        }
    }

    /// Drops the commands central has settled (applied or rejected).
    public func drop(through mutationID: Int64) throws {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM outbox WHERE mutation_id <= ?", arguments: [mutationID])
        }
    }

    public func count() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox") ?? 0 }
    }

    public func oldest() throws -> Date? {
        try writer.read { db in
            try Double.fetchOne(db, sql: "SELECT min(queued_at) FROM outbox").map(Date.init(timeIntervalSince1970:))
        }
    }
}
