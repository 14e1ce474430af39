import FenghuoCrypto
import Foundation
import GRDB

/// Central's audit log: append-only, in central's own store, each entry chained to the one
/// before by an SM3 hash, so an edited, deleted, inserted or reordered entry is found by
/// walking the chain (`verify`). An entry is appended inside the caller's transaction: a
/// command and its entry commit together, and a crash leaves both or neither.
///
/// ## The hashed encoding (version 1)
/// Entry N's hash is the lowercase hex of SM3 over these bytes:
///
///     "fenghuo-audit-v1" LF
///     then nine fields, each written as  LENGTH ":" BYTES LF
///     in this order: seq, at_ms, actor_user, actor_client, actor_address, action, records,
///                    detail, prev_hash
///
/// LENGTH is the field's byte count in decimal ASCII; BYTES are the column's text as stored
/// (UTF-8): `seq` and `at_ms` in decimal ASCII, `records` the ids joined by `,` (empty when
/// none), `detail` a JSON object, `prev_hash` the previous entry's `hash` (64 `0`s for entry
/// 1). Anyone can recompute one with the sqlite3 shell and stock OpenSSL:
///
///     sqlite3 central.sqlite "SELECT writefile('entry.bin', 'fenghuo-audit-v1' || char(10)
///       || length(CAST(seq AS BLOB)) || ':' || seq || char(10)
///       || length(CAST(at_ms AS BLOB)) || ':' || at_ms || char(10)
///       || length(CAST(actor_user AS BLOB)) || ':' || actor_user || char(10)
///       || length(CAST(actor_client AS BLOB)) || ':' || actor_client || char(10)
///       || length(CAST(actor_address AS BLOB)) || ':' || actor_address || char(10)
///       || length(CAST(action AS BLOB)) || ':' || action || char(10)
///       || length(CAST(records AS BLOB)) || ':' || records || char(10)
///       || length(CAST(detail AS BLOB)) || ':' || detail || char(10)
///       || length(CAST(prev_hash AS BLOB)) || ':' || prev_hash || char(10))
///       FROM audit_log WHERE seq = 42"
///     openssl dgst -sm3 entry.bin        # the same as: SELECT hash FROM audit_log WHERE seq = 42
public enum AuditLog {
    /// The first entry's previous hash.
    public static let genesis = String(repeating: "0", count: 64)
    static let tag = Array("fenghuo-audit-v1\n".utf8)
    static let columns = "seq, at_ms, actor_user, actor_client, actor_address, action, records, detail, prev_hash, hash"

    /// Appends `entry` after the last one, in the caller's transaction. The chain's head is
    /// read here, not kept in memory: a rolled-back savepoint or another process writing the
    /// same store (`fenghuo central user` while central serves) could never fork the chain.
    @discardableResult
    public static func append(_ entry: AuditEntry, in db: Database) throws -> ChainedAuditEntry {
        let head = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"))
        let seq: Int64 = (head?[0] ?? 0) + 1
        let previous: String = head?[1] ?? genesis
        let records = entry.records.joined(separator: ",")
        let hash = try self.hash([String(seq), String(entry.atMs), entry.actor.user, entry.actor.client, entry.actor.address,
                                  entry.action.rawValue, records, entry.detail, previous])
        try db.cachedStatement(sql: "INSERT INTO audit_log(\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [seq, entry.atMs, entry.actor.user, entry.actor.client, entry.actor.address,
                                 entry.action.rawValue, records, entry.detail, previous, hash])
        return ChainedAuditEntry(seq: seq, entry: entry, previousHash: previous, hash: hash)
    }

    /// The bytes an entry's hash covers (see the type's documentation), from its nine fields
    /// in order: seq, at_ms, actor_user, actor_client, actor_address, action, records, detail,
    /// prev_hash.
    public static func encoding(_ fields: [String]) -> [UInt8] {
        var out = tag
        out.reserveCapacity(tag.count + fields.reduce(0) { $0 + $1.utf8.count + 8 })
        for field in fields {
            out.append(contentsOf: String(field.utf8.count).utf8)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: field.utf8)
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    /// Lowercase hex of SM3 over `encoding(fields)`.
    public static func hash(_ fields: [String]) throws -> String {
        hex(try Digest.hash(encoding(fields), with: .sm3))
    }

    private static let digits = Array("0123456789abcdef".utf8)

    static func hex(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Verifying

    /// What walking the chain found.
    public enum Verification: Equatable, Sendable {
        /// Every entry in place: how many, and the last one's hash (note it: a chain cut short
        /// at its end is found only against a head noted before, `verify(head:)`).
        case intact(count: Int64, head: String)
        case broken(ChainBreak)
    }

    /// Walks the whole chain from entry 1: each entry must follow the one before (seq + 1),
    /// name its hash, and hash to its own. With `head`, a hash printed by an earlier verify,
    /// that entry must still be in the chain. `progress` is told (done, total) every 10,000.
    public static func verify(in db: Database, head: String? = nil,
                              progress: ((Int64, Int64) -> Void)? = nil) throws -> Verification {
        let total = try Int64.fetchOne(db, sql: "SELECT count(*) FROM audit_log") ?? 0
        let rows = try Row.fetchCursor(db, sql: "SELECT \(columns) FROM audit_log ORDER BY seq")
        var expected: Int64 = 1
        var previous = genesis
        var headSeen = head == nil
        while let row = try rows.next() {
            let seq: Int64 = row[0]
            if seq > expected { return .broken(ChainBreak(seq: expected, problem: .missing(next: seq))) }
            if seq < expected { return .broken(ChainBreak(seq: seq, problem: .outOfPlace(expected: expected))) }
            let fields = (0..<9).map { text(row[$0]) }
            let stored = text(row[9])
            guard fields[8] == previous else {
                return .broken(ChainBreak(seq: seq, problem: .brokenLink(expected: previous, found: fields[8])))
            }
            let computed = try hash(fields)
            guard computed == stored else {
                return .broken(ChainBreak(seq: seq, problem: .hashMismatch(stored: stored, computed: computed)))
            }
            if stored == head { headSeen = true }
            previous = stored
            if expected % 10_000 == 0 { progress?(expected, total) }
            expected += 1
        }
        if let head, !headSeen {
            return .broken(ChainBreak(seq: expected, problem: .headNotFound(head: head, last: expected - 1)))
        }
        progress?(expected - 1, total)
        return .intact(count: expected - 1, head: previous)
    }

    /// A column's text as SQLite's `CAST(x AS TEXT)` gives it (what the encoding covers),
    /// whatever was written there.
    private static func text(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: ""
        case .int64(let i): String(i)
        case .double(let d): String(d)
        case .string(let s): s
        case .blob(let b): String(decoding: b, as: UTF8.self)
        }
    }

    // MARK: Reading

    /// Which entries `show` lists: the newest `limit` matching every filter given.
    public struct Query: Sendable {
        public var user: String?
        /// A record id: entries that touched it.
        public var record: String?
        public var sinceMs: Int64?
        public var limit: Int

        public init(user: String? = nil, record: String? = nil, sinceMs: Int64? = nil, limit: Int = 50) {
            self.user = user
            self.record = record
            self.sinceMs = sinceMs
            self.limit = limit
        }
    }

    /// The newest entries matching `query`, oldest first. A record is matched as a whole
    /// element of the stored list (ids never hold `,`), never as a pattern.
    public static func entries(_ query: Query, in db: Database) throws -> [ChainedAuditEntry] {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let user = query.user { conditions.append("actor_user = ?"); arguments.append(user) }
        if let record = query.record {
            conditions.append("instr(',' || records || ',', ?) > 0")
            arguments.append("," + record + ",")
        }
        if let since = query.sinceMs { conditions.append("at_ms >= ?"); arguments.append(since) }
        arguments.append(max(0, query.limit))
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let rows = try Row.fetchAll(db, sql: "SELECT \(columns) FROM audit_log \(filter) ORDER BY seq DESC LIMIT ?",
                                    arguments: StatementArguments(arguments))
        return rows.reversed().map { row in
            let records: String = text(row[6])
            return ChainedAuditEntry(
                seq: row[0],
                entry: AuditEntry(stored: Int64(text(row[1])) ?? 0,
                                  actor: .init(stored: text(row[2]), client: text(row[3]), address: text(row[4])),
                                  action: .init(rawValue: text(row[5])),
                                  records: records.isEmpty ? [] : records.split(separator: ",").map(String.init),
                                  detail: text(row[7])),
                previousHash: text(row[8]), hash: text(row[9]))
        }
    }
}

/// An entry in its place in the chain.
public struct ChainedAuditEntry: Hashable, Sendable {
    public let seq: Int64
    public let entry: AuditEntry
    public let previousHash: String
    public let hash: String
}

/// The first entry at which the chain is not what was written.
public struct ChainBreak: Equatable, Sendable, CustomStringConvertible {
    public enum Problem: Equatable, Sendable {
        /// No entry `seq`: the one after it comes next (deleted).
        case missing(next: Int64)
        /// An entry numbered below the one expected here (inserted, or renumbered).
        case outOfPlace(expected: Int64)
        /// It does not name the previous entry's hash (an entry before it was changed,
        /// removed or inserted, or this one moved).
        case brokenLink(expected: String, found: String)
        /// Its fields do not hash to its stored hash (edited, or moved to another number).
        case hashMismatch(stored: String, computed: String)
        /// The head noted earlier is gone (the chain was cut short or rewritten).
        case headNotFound(head: String, last: Int64)
    }

    public let seq: Int64
    public let problem: Problem

    public var description: String {
        switch problem {
        case .missing(let next):
            "entry \(seq) is missing: entry \(next) follows entry \(seq - 1) (deleted?)"
        case .outOfPlace(let expected):
            "entry \(seq) stands where entry \(expected) belongs (inserted or renumbered?)"
        case .brokenLink(let expected, let found):
            "entry \(seq) names \(found.prefix(16))… as the previous hash, but entry \(seq - 1) hashes to \(expected.prefix(16))… (an entry before it was changed, removed or inserted, or this one moved)"
        case .hashMismatch(let stored, let computed):
            "entry \(seq) does not hash to its stored hash (\(computed.prefix(16))…, stored \(stored.prefix(16))…): its fields were edited, or it was moved"
        case .headNotFound(let head, let last):
            "the head noted earlier (\(head.prefix(16))…) is not in the chain, which ends at entry \(last): entries were removed from its end, or the chain was rewritten"
        }
    }
}

extension SQLiteCentralStorage {
    /// Appends an entry in a transaction of its own: for events outside a command (a login).
    public func audit(_ entry: AuditEntry) throws {
        try database.writer.write { db in _ = try AuditLog.append(entry, in: db) }
    }
}

extension AuditEntry {
    /// A user's role and department as stored (nil: no such user), read before and after a
    /// change so the entry says what it really moved.
    static func storedScope(of username: String, in db: Database) throws -> (role: String, department: String)? {
        try Row.fetchOne(db, sql: "SELECT role, department FROM app_user WHERE username = ?", arguments: [username])
            .map { (role: $0["role"] ?? "", department: $0["department"] ?? "") }
    }
}
