import FenghuoProtocol
import FenghuoDomain
import FenghuoStore
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
        /// Set when the agent settled the command itself (central refused it even alone as too
        /// large): a stand-in carries its mutation id to central instead (`PushBatch`).
        public var withdrawn: CommandRejection? = nil
    }

    /// Who decided a locally kept outcome: the agent (a command it withdrew), or central's push
    /// answer (kept because such a refusal need not replicate back, e.g. `mutation_reused`).
    public enum OutcomeSource: String, Sendable { case agent, central }

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
        migrator.registerMigration("v2-outbox-outcomes") { db in
            // Rejections the agent knows without the feed: they outlive a replica rebuild.
            try db.create(table: "outbox_outcome") { t in
                t.primaryKey("mutation_id", .integer)
                t.column("source", .text).notNull()
                t.column("code", .text).notNull()
                t.column("message", .text).notNull()
                t.column("details", .text)
            }
        }
        migrator.registerMigration("v3-outbox-applied-records") { db in
            // The record central said a command wrote (a create's new id), kept until the command
            // settles: an agent restarted in between still names it.
            try db.create(table: "outbox_applied") { t in
                t.primaryKey("mutation_id", .integer)
                t.column("record", .text).notNull()
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
    /// even after the rows before them are gone. A command whose envelope is over
    /// `ProtocolLimits.maxCommandBytes` is refused (`CommandTooLarge`): central would never
    /// take it, and everything queued behind it would wait.
    public func enqueue(_ command: Command, baseVersion: Int?, at now: Date) throws -> Int64 {
        let payload = command.payload
        let name = payload.name.rawValue
        // Measured as it will travel, with the widest mutation id it could get.
        let bytes = try JSONEncoder().encode(CommandEnvelope(clientID: clientID, mutationID: Int64.max, name: name,
                                                             args: payload.args, baseVersion: baseVersion)).count
        guard bytes <= ProtocolLimits.maxCommandBytes else {
            throw CommandTooLarge(name: name, bytes: bytes, limit: ProtocolLimits.maxCommandBytes)
        }
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

    /// Queued commands after `mutationID`, oldest first, each with the agent's own outcome if
    /// it withdrew the command.
    public func pending(after mutationID: Int64, limit: Int) throws -> [Entry] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT outbox.*, o.code, o.message, o.details FROM outbox
                LEFT JOIN outbox_outcome o ON o.mutation_id = outbox.mutation_id AND o.source = 'agent'
                WHERE outbox.mutation_id > ? ORDER BY outbox.mutation_id LIMIT ?
                """, arguments: [mutationID, limit]).map { row in
                // v1 rows hold text values only, which read as `.text`.
                let args = (try? JSONDecoder().decode([String: ArgumentValue].self, from: Data((row["args"] as String).utf8))) ?? [:]
                var entry = Entry(mutationID: row["mutation_id"], name: row["name"], args: args,
                                  baseVersion: row["base_version"], queuedAt: Date(timeIntervalSince1970: row["queued_at"]))
                if row["code"] as String? != nil { entry.withdrawn = CommandRejection(stored: row) }
                return entry
            }
        }
    }

    /// The oldest queued command's id; nil when the outbox is empty.
    public func firstPending() throws -> Int64? {
        try writer.read { db in try Int64.fetchOne(db, sql: "SELECT min(mutation_id) FROM outbox") }
    }

    // MARK: Outcomes kept here

    /// Keeps a rejection of command `mutationID` that the feed may never bring: the agent's own
    /// (a command it withdrew) or one from central's push answer.
    public func record(_ rejections: [(mutationID: Int64, rejection: CommandRejection)], source: OutcomeSource) throws {
        guard !rejections.isEmpty else { return }
        try writer.write { db in
            for (id, rejection) in rejections {
                try db.execute(sql: """
                    INSERT OR REPLACE INTO outbox_outcome(mutation_id, source, code, message, details) VALUES (?, ?, ?, ?, ?)
                    """, arguments: [id, source.rawValue, rejection.code, rejection.message,
                                     rejection.details.isEmpty ? nil : String(decoding: try JSONEncoder().encode(rejection.details), as: UTF8.self)])
            }
        }
    }

    /// Forgets central's earlier refusals of these commands: central has since applied them (a
    /// restored central that had lost them, resent). The agent's own withdrawals stay.
    public func forgetCentralOutcomes(_ ids: [Int64]) throws {
        guard !ids.isEmpty else { return }
        try writer.write { db in
            for id in ids {
                try db.execute(sql: "DELETE FROM outbox_outcome WHERE mutation_id = ? AND source = 'central'", arguments: [id])
            }
        }
    }

    /// The outcomes kept here for commands in `ids`, with who decided each.
    public func outcomes(in ids: ClosedRange<Int64>) throws -> [Int64: (source: OutcomeSource, rejection: CommandRejection)] {
        try writer.read { db in
            var found: [Int64: (source: OutcomeSource, rejection: CommandRejection)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM outbox_outcome WHERE mutation_id BETWEEN ? AND ?",
                                        arguments: [ids.lowerBound, ids.upperBound]) {
                found[row["mutation_id"]] = (OutcomeSource(rawValue: row["source"]) ?? .central, CommandRejection(stored: row))
            }
            return found
        }
    }

    /// Keeps the records central's push answer says these commands wrote, until they settle.
    public func recordApplied(_ records: [Int64: String]) throws {
        guard !records.isEmpty else { return }
        try writer.write { db in
            for (id, record) in records {
                try db.execute(sql: "INSERT OR REPLACE INTO outbox_applied(mutation_id, record) VALUES (?, ?)", arguments: [id, record])
            }
        }
    }

    /// The records kept by `recordApplied` for commands not yet settled.
    public func appliedRecords() throws -> [Int64: String] {
        try writer.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT mutation_id, record FROM outbox_applied").map {
                ($0["mutation_id"] as Int64, $0["record"] as String)
            })
        }
    }

    /// Drops the commands central has settled (applied or rejected), with their kept records.
    public func drop(through mutationID: Int64) throws {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM outbox WHERE mutation_id <= ?", arguments: [mutationID])
            try db.execute(sql: "DELETE FROM outbox_applied WHERE mutation_id <= ?", arguments: [mutationID])
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

/// A command whose envelope is larger than central takes one (`ProtocolLimits.maxCommandBytes`).
public struct CommandTooLarge: Error, CustomStringConvertible, Sendable {
    public let name: String
    public let bytes: Int
    public let limit: Int

    /// As the socket answers it: a rejection before queueing, like a command that breaks its
    /// declaration.
    public var rejection: CommandRejection {
        CommandRejection(.tooLarge(bytes: bytes, limit: limit))
    }

    public var description: String {
        "\(name) is \(bytes) bytes as JSON, over the limit of \(limit) bytes a command; it was not queued (shorten its text)"
    }
}
