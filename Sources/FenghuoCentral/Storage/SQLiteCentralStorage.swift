import FenghuoDomain
import FenghuoProtocol
import FenghuoStore
import Foundation
import GRDB

/// Central's store on SQLite: the shared schema plus the change feed and each client's last
/// applied mutation. Every command, its changes and the client's new mutation id commit in one
/// transaction, so a crash anywhere leaves either all of them or none.
public struct SQLiteCentralStorage: Sendable {
    public let database: AppDatabase
    let reference = ReferenceCache()
    /// Moved on after every commit of a command, waking long-polls.
    let commits = ChangeSignal()
    /// Pushes waiting for the writer.
    let pushes = PushQueue()

    public init(_ writer: any DatabaseWriter) throws {
        var migrator = AppDatabase.migrator
        migrator.registerMigration("v1-central") { db in
            try db.create(table: "change_log") { t in
                t.autoIncrementedPrimaryKey("seq")
                t.column("entity", .text).notNull()
                t.column("entity_id", .text).notNull()
                t.column("op", .text).notNull()
                t.column("scopes", .text).notNull()   // ",role:duty,dept:urban," for LIKE matching
                t.column("row", .text)
                t.column("version", .integer).notNull()
                t.column("committed_at", .integer).notNull()
            }
            try db.create(table: "client_state") { t in
                t.primaryKey("client_id", .text)
                t.column("username", .text).notNull()
                t.column("last_mutation_id", .integer).notNull()
            }
        }
        migrator.registerMigration("v2-central-commit-ms") { db in
            try db.alter(table: "change_log") { t in t.add(column: "committed_ms", .integer) }
        }
        migrator.registerMigration("v3-central-no-search") { db in
            // Consoles search their replicas; central never does. Its full-text indexes only
            // cost every write (a trigram per three characters of every narrative and address).
            let triggers = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%_fts%'
                """)
            for trigger in triggers { try db.execute(sql: "DROP TRIGGER \"\(trigger)\"") }
            for table in ["incident_fts", "ticket_fts", "approval_fts", "kb_fts"] {
                try db.execute(sql: "DROP TABLE IF EXISTS \(table)")
            }
        }
        migrator.registerMigration("v4-central-id-counter") { db in
            try db.create(table: "id_counter") { t in
                t.primaryKey("stem", .text)
                t.column("last", .integer).notNull()
            }
        }
        migrator.registerMigration("v5-central-lean-indexes") { db in
            // The consoles' list, queue and dashboard indexes serve queries central never runs
            // (it reads records by id, the feed by seq, and snapshots by scope), yet every insert
            // wrote to all of them. Central keeps the ones its scoped snapshots read by.
            for index in Self.consoleOnlyIndexes { try db.execute(sql: "DROP INDEX IF EXISTS \(index)") }
        }
        migrator.registerMigration("v6-central-wire-rows") { db in
            // Protocol 2 sends records as their table rows. Rejections (the feed's only lasting
            // history) are rewritten in that form; the rest of the feed is dropped and a new
            // epoch begins, so every agent rebuilds once from a snapshot.
            try db.execute(sql: """
                UPDATE change_log SET row = json_object('tables', json_array(json_object(
                    'name', 'rejection',
                    'columns', json_array('code', 'details', 'id', 'message', 'mutation_id', 'name'),
                    'types', json_array('t', 't', 't', 't', 'i', 't'),
                    'rows', json_array(json_array(json_extract(row, '$.code'), json_extract(row, '$.details'), entity_id,
                                                  json_extract(row, '$.message'), json_extract(row, '$.mutationID'),
                                                  json_extract(row, '$.name'))))))
                WHERE entity = 'rejection' AND json_extract(row, '$.mutationID') IS NOT NULL
                """)
            try db.execute(sql: "DELETE FROM change_log WHERE entity != 'rejection'")
            try db.execute(sql: "UPDATE meta SET value = lower(hex(randomblob(4))) WHERE key = 'epoch'")
        }
        migrator.registerMigration("v7-central-mutation-digests") { db in
            // What each client sent under each mutation id, so a retried upload is told apart
            // from a different command reusing the id (pruned to the last `digestsKept`).
            try db.execute(sql: """
                CREATE TABLE client_mutation(
                    client_id TEXT NOT NULL, mutation_id INTEGER NOT NULL, digest BLOB NOT NULL,
                    PRIMARY KEY (client_id, mutation_id)) WITHOUT ROWID
                """)
        }
        migrator.registerMigration("v8-central-audit") { db in
            // The audit log (`AuditLog`): an SM3 hash chain, append-only. The triggers stop any
            // code path from rewriting it; someone with the file can still, and `fenghuo audit
            // verify` is how that is found.
            try db.execute(sql: """
                CREATE TABLE audit_log(
                    seq INTEGER PRIMARY KEY,
                    at_ms INTEGER NOT NULL,
                    actor_user TEXT NOT NULL,
                    actor_client TEXT NOT NULL,
                    actor_address TEXT NOT NULL,
                    action TEXT NOT NULL,
                    records TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL);
                CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
        }
        migrator.registerMigration("v8-central-login-locks") { db in
            // Failed logins in a row per existing user, and the lock they led to.
            try db.create(table: "login_lock") { t in
                t.primaryKey("username", .text)
                t.column("failures", .integer).notNull()
                t.column("locked_until", .integer)
            }
        }
        migrator.registerMigration("v9-central-client-resync") { db in
            // Set for every client when the store's history went back (a restore): the next
            // push starts from whatever mutation id the console has reached.
            try db.alter(table: "client_state") { t in t.add(column: "resync", .integer).notNull().defaults(to: 0) }
        }
        migrator.registerMigration("v10-central-revocations") { db in
            // Users and consoles cut off by an operator (`fenghuo central revoke`).
            try db.create(table: "revocation") { t in
                t.column("kind", .text).notNull()      // user | client
                t.column("value", .text).notNull()
                t.column("revoked_at", .integer).notNull()
                t.primaryKey(["kind", "value"])
            }
        }
        database = try AppDatabase(writer, migrator: migrator)
    }

    /// Indexes of the shared schema for the consoles' queries only.
    static let consoleOnlyIndexes = [
        "incident_queue", "incident_created_agency", "incident_agency_created", "ticket_queue", "ticket_created",
        "ticket_closed", "approval_queue", "approval_completed_on_time", "unit_board", "kb_by_category",
    ]

    public static func open(path: String) throws -> SQLiteCentralStorage {
        // Pulls read in the HTTP handlers; snapshot pages read on threads of their own. Enough
        // readers that a burst of snapshots never leaves a pull waiting for a connection.
        var config = Configuration()
        config.maximumReaderCount = 16
        // A command central acknowledged must survive a power cut: the agent then forgets it.
        config.prepareDatabase { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        return try SQLiteCentralStorage(DatabasePool(path: path, configuration: config))
    }

    public static func inMemory() throws -> SQLiteCentralStorage {
        try SQLiteCentralStorage(DatabaseQueue())
    }

    /// The store's epoch: fixed when the store is created, changed when its history is rewritten.
    public func epoch() throws -> String {
        if let epoch = try database.writer.read({ try Meta.value(.epoch, in: $0) }) {
            return epoch
        }
        return try database.writer.write { db in
            if let epoch = try Meta.value(.epoch, in: db) { return epoch }
            let epoch = String(UUID().uuidString.prefix(8)).lowercased()
            try Meta.set(.epoch, epoch, in: db)
            return epoch
        }
    }

    /// Applies one command for `user` exactly once.
    public func submit(_ envelope: CommandEnvelope, by user: User, at now: Date) throws -> CommandOutcome {
        defer { commits.bump() }
        var record: String?
        return try database.writer.write { db in try submit(envelope, by: user, at: now, in: db, record: &record) }
    }

    /// Applies a batch in one transaction (each command in its own savepoint). A gap stops the
    /// batch: the commands before it are committed, and the gap is returned with their outcomes.
    public func submit(batch: [CommandEnvelope], by user: User, at now: Date) throws -> ([CommandOutcome], MutationGap?) {
        defer { commits.bump() }
        let answer = try database.writer.write { db in try submit(batch: batch, by: user, at: now, in: db) }
        return (answer.outcomes, answer.gap)
    }

    private func submit(batch: [CommandEnvelope], by user: User, at now: Date, in db: Database) throws -> PushAnswer {
        var answer = PushAnswer(outcomes: [], records: [], gap: nil)
        for envelope in batch {
            do {
                var record: String?
                answer.outcomes.append(try submit(envelope, by: user, at: now, in: db, record: &record))
                answer.records.append(record)
            } catch let gap as MutationGap {
                answer.gap = gap
                return answer
            }
        }
        return answer
    }

    /// A push, as `submit(batch:)`, committed together with the other pushes waiting for the
    /// writer (group commit): one transaction and one sync to disk for all of them, each batch
    /// in a savepoint of its own so one batch's failure leaves the others' commands in. No
    /// caller is answered before the transaction holding its commands has committed.
    public func push(batch: [CommandEnvelope], by user: User, at now: Date) async throws -> ([CommandOutcome], MutationGap?) {
        let answer = try await pushAnswer(batch: batch, by: user, at: now)
        return (answer.outcomes, answer.gap)
    }

    /// `push`, with the record each applied command wrote first (a create's new record).
    public func pushAnswer(batch: [CommandEnvelope], by user: User, at now: Date) async throws -> PushAnswer {
        try await withCheckedThrowingContinuation { continuation in
            pushes.add(PushQueue.Job(batch: batch, user: user, now: now, done: { continuation.resume(with: $0) })) { jobs in
                commitTogether(jobs)
            }
        }
    }

    private func commitTogether(_ jobs: [PushQueue.Job]) {
        var results: [PushQueue.Outcome] = []
        do {
            try database.writer.write { db in
                results = []
                for job in jobs {
                    do {
                        var answer = PushAnswer(outcomes: [], records: [], gap: nil)
                        try db.inSavepoint {
                            answer = try submit(batch: job.batch, by: job.user, at: job.now, in: db)
                            return .commit
                        }
                        results.append(.success(answer))
                    } catch {
                        results.append(.failure(error))
                    }
                }
            }
        } catch {
            // The commit itself failed: nothing of the group was written.
            results = jobs.map { _ in .failure(error) }
        }
        commits.bump()
        for (job, result) in zip(jobs, results) { job.done(result) }
    }

    /// Digests kept per client: an agent resends only what central has not acknowledged, far
    /// fewer than this; an older resend is answered `duplicate` unchecked.
    static let digestsKept: Int64 = 10_000

    /// One command; `record` is set to the first record it wrote when it applied.
    private func submit(_ envelope: CommandEnvelope, by user: User, at now: Date, in db: Database,
                        record: inout String?) throws -> CommandOutcome {
        let state = try Row.fetchOne(db.cachedStatement(sql: "SELECT last_mutation_id, username, resync FROM client_state WHERE client_id = ?"),
                                     arguments: [envelope.clientID])
        // Login binds a client id to its user; a token minted before that rule is held to it here.
        if let state, state["username"] as String != user.username { throw ClientTaken(clientID: envelope.clientID) }
        let last: Int64 = state?["last_mutation_id"] ?? 0
        let digest = try envelope.contentDigest()
        if envelope.mutationID <= last {
            let recorded = try Data.fetchOne(db.cachedStatement(sql: "SELECT digest FROM client_mutation WHERE client_id = ? AND mutation_id = ?"),
                                             arguments: [envelope.clientID, envelope.mutationID])
            guard let recorded, recorded != Data(digest) else { return .duplicate }
            // Not the command central applied under this id: say so, in the feed the console
            // settles from, so it is never reported applied.
            let rejection = CommandRejection(.mutationReused(mutationID: envelope.mutationID))
            try append(rejectionWrite(envelope, rejection), at: now, in: db)
            if let entry = AuditEntry.command(envelope, .rejected(rejection), by: user, at: now, written: []) {
                try AuditLog.append(entry, in: db)
            }
            return .rejected(rejection)
        }
        // After a restore the console is ahead of the store: its queue carries on from where it is.
        let resync = (state?["resync"] as Int64? ?? 0) != 0
        guard envelope.mutationID == last + 1 || resync else {
            throw MutationGap(clientID: envelope.clientID, expected: last + 1, got: envelope.mutationID)
        }
        var outcome = CommandOutcome.applied
        var written: [String] = []
        do {
            // A refused command leaves no trace but its rejection: its writes roll back.
            try db.inSavepoint {
                // Records keep whole seconds (as the store does), so a change's row says what
                // a replica will hold; the feed's commit time keeps its milliseconds.
                let seconds = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
                // A command that breaks its declaration (a hostile or broken client) is refused
                // like any other, so the client's queue moves on.
                let command = try envelope.command()
                let writes = try CommandRunner(user: user, now: seconds, reference: try reference.tables(in: db))
                    .apply(command, baseVersion: envelope.baseVersion, in: db)
                for write in writes { try append(write, at: now, in: db) }
                written = writes.map(\.id)
                return .commit
            }
        } catch let rejection as CommandRejection {
            outcome = .rejected(rejection)
            try append(rejectionWrite(envelope, rejection), at: now, in: db)
        }
        // Audited in the same transaction: the outcome and its entry commit together.
        if let entry = AuditEntry.command(envelope, outcome, by: user, at: now, written: written) {
            try AuditLog.append(entry, in: db)
        }
        record = written.first
        try db.cachedStatement(sql: """
            INSERT INTO client_state(client_id, username, last_mutation_id) VALUES (?, ?, ?)
            ON CONFLICT(client_id) DO UPDATE SET last_mutation_id = excluded.last_mutation_id, resync = 0
            """).execute(arguments: [envelope.clientID, user.username, envelope.mutationID])
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO client_mutation(client_id, mutation_id, digest) VALUES (?, ?, ?)")
            .execute(arguments: [envelope.clientID, envelope.mutationID, Data(digest)])
        if envelope.mutationID % 1000 == 0 {
            try db.cachedStatement(sql: "DELETE FROM client_mutation WHERE client_id = ? AND mutation_id <= ?")
                .execute(arguments: [envelope.clientID, envelope.mutationID - Self.digestsKept])
        }
        return outcome
    }

    /// Binds a client id to the user logging in with it, the first time; false when another
    /// user holds it.
    public func bindClient(_ clientID: String, to username: String) throws -> Bool {
        if let owner = try database.writer.read({ db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT username FROM client_state WHERE client_id = ?"), arguments: [clientID])
        }) {
            return owner == username
        }
        return try database.writer.write { db in
            try db.execute(sql: "INSERT INTO client_state(client_id, username, last_mutation_id) VALUES (?, ?, 0) ON CONFLICT(client_id) DO NOTHING",
                           arguments: [clientID, username])
            return try String.fetchOne(db, sql: "SELECT username FROM client_state WHERE client_id = ?", arguments: [clientID]) == username
        }
    }

    /// The changes after `cursor` that `scopes` may see, oldest first. The returned cursor also
    /// covers invisible changes, read in the same snapshot, so a reader never rescans them.
    public func changes(after cursor: Int64, scopes: [String], clientID: String, limit: Int) throws -> ChangeBatch {
        try database.writer.read { db in
            // A scope is found as a whole `,scope,` substring: `instr` reads no pattern syntax, so
            // a `%` or `_` in a client id (refused at login anyway) matches only itself.
            let visibility = scopes.map { _ in "instr(scopes, ?) > 0" }.joined(separator: " OR ")
            // Prepared once per connection and number of scopes (a pull is answered per commit).
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT * FROM change_log WHERE seq > ? AND (\(visibility.isEmpty ? "0" : visibility))
                ORDER BY seq LIMIT ?
                """), arguments: StatementArguments([cursor] + scopes.map { ",\($0)," } + [limit]))
            let changes = rows.map { row in
                ChangeRecord(seq: row["seq"], entity: row["entity"], id: row["entity_id"],
                             op: ChangeRecord.Operation(rawValue: row["op"]) ?? .put,
                             scopes: (row["scopes"] as String).split(separator: ",").map(String.init),
                             row: row["row"], version: row["version"], committedMs: row["committed_ms"])
            }
            let head = try Int64.fetchOne(db.cachedStatement(sql: "SELECT coalesce(max(seq), 0) FROM change_log")) ?? 0
            let next = changes.count == limit ? changes.last!.seq : max(cursor, head)
            let last = try Int64.fetchOne(db.cachedStatement(sql: "SELECT last_mutation_id FROM client_state WHERE client_id = ?"),
                                          arguments: [clientID]) ?? 0
            return ChangeBatch(changes: changes, cursor: next, lastMutationID: last, head: head)
        }
    }

    private func append(_ write: EntityWrite, at now: Date, in db: Database) throws {
        // A record leaving some readers' scopes is removed from their replicas first.
        let removed = write.scopesBefore.filter { !write.scopesAfter.contains($0) }
        if !removed.isEmpty {
            try insertChange(write, op: .remove, scopes: removed, row: nil, at: now, in: db)
        }
        try insertChange(write, op: .put, scopes: write.scopesAfter, row: write.row, at: now, in: db)
        if let redacted = write.redacted {
            try insertChange(write, op: .put, scopes: redacted.scopes, row: redacted.row, at: now, in: db)
        }
    }

    private func insertChange(_ write: EntityWrite, op: ChangeRecord.Operation, scopes: [String], row: String?,
                              at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO change_log(entity, entity_id, op, scopes, row, version, committed_at, committed_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [write.entity, write.id, op.rawValue, "," + scopes.joined(separator: ",") + ",", row,
                             write.version, Int64(now.timeIntervalSince1970), Int64(now.timeIntervalSince1970 * 1000)])
    }

    private func rejectionWrite(_ e: CommandEnvelope, _ r: CommandRejection) throws -> EntityWrite {
        let id = "\(e.clientID)#\(e.mutationID)"
        return EntityWrite(entity: "rejection", id: id, version: 1, scopesBefore: [],
                           scopesAfter: [Visibility.client(e.clientID)],
                           row: r.wire(id: id, mutationID: e.mutationID, command: e.name).jsonText())
    }
}

/// A record a command wrote, with who could see it before and who can now.
struct EntityWrite {
    let entity: String
    let id: String
    let version: Int
    let scopesBefore: [String]
    let scopesAfter: [String]
    let row: String
    /// A second copy for readers who may see the record but not all of it.
    var redacted: (scopes: [String], row: String)? = nil
}

extension SQLiteCentralStorage {
    /// One page of `user`'s snapshot, read in one transaction.
    public func snapshot(for user: User, clientID: String, after token: String?, limit: Int) throws -> SnapshotPage {
        _ = try epoch()  // made on first use; after that a plain read
        return try database.writer.read { db in
            let epoch = try Meta.value(.epoch, in: db) ?? ""
            return try SnapshotReader(user: user, clientID: clientID).page(after: token, limit: limit, epoch: epoch, in: db)
        }
    }

    /// The user as central knows them now (role and department may have changed since login).
    public func user(named username: String) throws -> User? {
        try database.reader.credentials(username: username)?.user
    }
}

extension SQLiteCentralStorage {
    public struct UnknownUser: Error, CustomStringConvertible {
        public let username: String
        public var description: String { "no user '\(username)' in central" }
    }

    public struct UnfitDepartment: Error, CustomStringConvertible {
        public let role: Role
        public let department: String
        public var description: String {
            "a \(role.rawValue) user belongs to \(role.admittedDepartments), not '\(department)': give --role and --department together"
        }
    }

    /// Changes a user's role or department (their scopes follow on their next request). The
    /// pair must make sense together (`Role.admits`): what a user reads follows from both.
    public func updateUser(_ username: String, role: Role?, department: String?) throws -> User {
        try database.writer.write { db -> Void in
            let scopeBefore = try AuditEntry.storedScope(of: username, in: db)
            guard let current = try Row.fetchOne(db, sql: "SELECT role, department FROM app_user WHERE username = ?", arguments: [username]) else {
                throw UnknownUser(username: username)
            }
            guard let oldRole = Role(rawValue: current["role"]) else {
                throw DatabaseError(message: "user \(username) has the role '\(current["role"] as String)', which no role knows")
            }
            let newRole = role ?? oldRole, newDepartment = department ?? current["department"]
            guard let target = try Department.fetchOne(db, sql: "SELECT * FROM department WHERE code = ?", arguments: [newDepartment]) else {
                throw CommandRejection(.unknownCode(kind: .department, value: newDepartment))
            }
            guard newRole.admits(target) else { throw UnfitDepartment(role: newRole, department: newDepartment) }
            try db.execute(sql: "UPDATE app_user SET role = ?, department = ? WHERE username = ?",
                           arguments: [newRole.rawValue, newDepartment, username])
            // Audited with the change, in its transaction (a move the store refused is no event).
            if let scopeBefore, let scopeAfter = try AuditEntry.storedScope(of: username, in: db), scopeAfter != scopeBefore {
                try AuditLog.append(.scopeChange(of: username, from: scopeBefore, to: scopeAfter, at: Date()), in: db)
            }
        }
        guard let user = try user(named: username) else { throw UnknownUser(username: username) }
        return user
    }

    /// Drops the change feed (keeping its sequence numbers going up) and starts a new epoch.
    public func compact() throws -> (old: String, new: String, dropped: Int) {
        let old = try epoch()
        return try database.writer.write { db in
            let dropped = try Int.fetchOne(db, sql: "SELECT count(*) FROM change_log") ?? 0
            // The rejections are the only history a snapshot reads from the feed: they stay.
            try db.execute(sql: "DELETE FROM change_log WHERE entity != 'rejection'")
            let new = String(UUID().uuidString.prefix(8)).lowercased()
            try Meta.set(.epoch, new, in: db)
            try AuditLog.append(AuditEntry(at: Date(), actor: .localOperator, action: .compact, detail: [
                "epoch": .fields(["from": old, "to": new]), "dropped": .number(Int64(dropped)),
            ]), in: db)
            return (old, new, dropped)
        }
    }
}

extension MetaKey {
    /// Central's own: the epoch of its change history.
    static let epoch = MetaKey("epoch")
}

extension SQLiteCentralStorage {
    /// Until when a user's logins are refused (nil: not locked).
    public func lockedUntil(_ username: String, now: Date) throws -> Date? {
        try database.writer.read { db in
            try Int64.fetchOne(db.cachedStatement(sql: "SELECT locked_until FROM login_lock WHERE username = ? AND locked_until > ?"),
                               arguments: [username, Int64(now.timeIntervalSince1970)])
        }.map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    /// Counts a failed login of an existing user (a name no user has leaves no row, so guessed
    /// names cannot grow the store); after `limit` in a row the user is locked for `lock`.
    public func loginFailed(_ username: String, now: Date, limit: Int, lock: TimeInterval) throws -> Date? {
        try database.writer.write { db in
            try db.execute(sql: """
                INSERT INTO login_lock(username, failures, locked_until)
                SELECT username, 1, NULL FROM app_user WHERE username = ?
                ON CONFLICT(username) DO UPDATE SET failures = failures + 1
                """, arguments: [username])
            guard let failures = try Int.fetchOne(db, sql: "SELECT failures FROM login_lock WHERE username = ?", arguments: [username]),
                  failures >= limit else { return nil }
            let until = Int64(now.addingTimeInterval(lock).timeIntervalSince1970)
            try db.execute(sql: "UPDATE login_lock SET failures = 0, locked_until = ? WHERE username = ?", arguments: [until, username])
            return Date(timeIntervalSince1970: TimeInterval(until))
        }
    }

    /// A good password clears the count (and an expired lock).
    public func loginSucceeded(_ username: String) throws {
        try database.writer.write { db in
            try db.execute(sql: "DELETE FROM login_lock WHERE username = ?", arguments: [username])
        }
    }
}

extension SQLiteCentralStorage {
    /// The newest change's sequence number.
    public func head() throws -> Int64 {
        try database.writer.read { try Int64.fetchOne($0, sql: "SELECT coalesce(max(seq), 0) FROM change_log") ?? 0 }
    }

    /// Starts a new history after the store went back in time (a backup restored, or found
    /// behind its own high-water mark): a new epoch, so every agent rebuilds its replica from
    /// a snapshot, and every client may resume its mutation ids from where it stands.
    public func beginNewHistory() throws -> (old: String, new: String) {
        let old = try epoch()
        return try database.writer.write { db in
            let new = String(UUID().uuidString.prefix(8)).lowercased()
            try Meta.set(.epoch, new, in: db)
            try db.execute(sql: "UPDATE client_state SET resync = 1")
            return (old, new)
        }
    }
}

/// Central's high-water mark, kept beside the store (`history` in the data folder): the epoch
/// and the highest sequence number served. A store found behind its mark has gone back in time
/// (a file restored by hand); it must not reuse sequence numbers agents have already seen.
public struct HistoryMark: Equatable, Sendable {
    public let epoch: String
    public let head: Int64

    public init(epoch: String, head: Int64) {
        self.epoch = epoch
        self.head = head
    }

    public init?(file path: String) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let parts = text.split(whereSeparator: \.isWhitespace)
        guard parts.count == 2, let head = Int64(parts[1]) else { return nil }
        self.init(epoch: String(parts[0]), head: head)
    }

    /// Written to a temporary file and renamed, so a crash leaves the old mark or the new one.
    public func write(to path: String) throws {
        try PrivateFile.replace(path, with: Data("\(epoch) \(head)\n".utf8))
    }

    /// Whether a store at `epoch` with `head` is behind this mark.
    public func isAhead(ofEpoch epoch: String, head: Int64) -> Bool {
        epoch == self.epoch && head < self.head
    }
}

extension SQLiteCentralStorage {
    public enum Revoked: String, Sendable { case user, client }

    /// Cuts off a user (every token and every console of theirs, until reinstated) or one
    /// console (its client id, for good).
    public func revoke(_ kind: Revoked, _ value: String, at now: Date) throws {
        try database.writer.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO revocation(kind, value, revoked_at) VALUES (?, ?, ?)",
                           arguments: [kind.rawValue, value, Int64(now.timeIntervalSince1970)])
            _ = try AuditLog.append(AuditEntry(at: now, actor: .localOperator, action: .revoke, records: [],
                                           detail: ["kind": .text(kind.rawValue), "value": .text(value)]), in: db)
        }
    }

    /// Lets a revoked user log in again.
    public func reinstate(_ username: String) throws {
        try database.writer.write { db in
            try db.execute(sql: "DELETE FROM revocation WHERE kind = 'user' AND value = ?", arguments: [username])
        }
    }

    /// Every revoked user and client id.
    public func revocations() throws -> (users: Set<String>, clients: Set<String>) {
        try database.writer.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT kind, value FROM revocation")
            return (Set(rows.filter { $0["kind"] == "user" }.map { $0["value"] }),
                    Set(rows.filter { $0["kind"] == "client" }.map { $0["value"] }))
        }
    }

    /// Whether a client id has ever logged in here.
    public func knowsClient(_ clientID: String) throws -> Bool {
        try database.writer.read { try Bool.fetchOne($0, sql: "SELECT 1 FROM client_state WHERE client_id = ?", arguments: [clientID]) ?? false }
    }
}
