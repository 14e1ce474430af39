import FenghuoDomain
import FenghuoProtocol
import Foundation

/// What central's HTTP handlers need from a store. `SQLiteCentralStorage` is the embedded
/// default; a PostgreSQL backend implements the same calls (one transaction per `submit`, the
/// feed ordered by `seq`) and the handlers do not change.
public protocol CentralStorage: Sendable {
    /// Fixed when the store is created; changed when its history is rewritten.
    func epoch() throws -> String
    /// Applies one command for `user` exactly once: its writes, its change rows and the
    /// client's new last mutation id commit together.
    func submit(_ envelope: CommandEnvelope, by user: User, at now: Date) throws -> CommandOutcome
    /// A push's commands in one transaction; a gap stops it, and the commands before it stay.
    func submit(batch: [CommandEnvelope], by user: User, at now: Date) throws -> ([CommandOutcome], MutationGap?)
    /// The same, answered once the batch has committed; pushes arriving together may share a
    /// transaction (each in its own savepoint).
    func push(batch: [CommandEnvelope], by user: User, at now: Date) async throws -> ([CommandOutcome], MutationGap?)
    /// The same, with the record each applied command wrote first (the new record of a
    /// create), for the push answer. A backend that cannot tell answers none.
    func pushAnswer(batch: [CommandEnvelope], by user: User, at now: Date) async throws -> PushAnswer
    /// The changes after `cursor` visible to `scopes`, oldest first, at most `limit`.
    func changes(after cursor: Int64, scopes: [String], clientID: String, limit: Int) throws -> ChangeBatch
    /// One page of `user`'s snapshot (nil token: the first page).
    func snapshot(for user: User, clientID: String, after token: String?, limit: Int) throws -> SnapshotPage
    /// The user as the store knows them now.
    func user(named username: String) throws -> User?
    /// Binds `clientID` to `username` at its first login; false when another user holds it.
    func bindClient(_ clientID: String, to username: String) throws -> Bool
    /// Until when `username`'s logins are refused after repeated failures (nil: not locked).
    func lockedUntil(_ username: String, now: Date) throws -> Date?
    /// Counts a failed login; answers the lock's end when this failure locks the user.
    func loginFailed(_ username: String, now: Date, limit: Int, lock: TimeInterval) throws -> Date?
    /// Clears the failure count after a good password.
    func loginSucceeded(_ username: String) throws
    /// The users and client ids an operator has revoked (read often: keep it cheap).
    func revocations() throws -> (users: Set<String>, clients: Set<String>)
    /// The user and their password hash, for login.
    func credentials(username: String) throws -> (user: User, passwordHash: String)?
    /// Appends an audit entry in a transaction of its own (events outside a command: logins,
    /// lockouts); a command's entry is written with the command.
    func audit(_ entry: AuditEntry) throws
    /// A number that moves on whenever a command commits (for long-polls to wait on).
    func changeGeneration() -> UInt64
    /// Returns when the generation moves past `generation`, or after `timeout` (a backend
    /// that cannot tell, or another process's write, is then seen by looking again).
    func waitForChange(after generation: UInt64, timeout: Duration) async
}

extension CentralStorage {
    public func pushAnswer(batch: [CommandEnvelope], by user: User, at now: Date) async throws -> PushAnswer {
        let (outcomes, gap) = try await push(batch: batch, by: user, at: now)
        return PushAnswer(outcomes: outcomes, records: outcomes.map { _ in nil }, gap: gap)
    }
}

extension SQLiteCentralStorage: CentralStorage {
    public func credentials(username: String) throws -> (user: User, passwordHash: String)? {
        try database.reader.credentials(username: username)
    }

    public func changeGeneration() -> UInt64 { commits.current }

    public func waitForChange(after generation: UInt64, timeout: Duration) async {
        await commits.wait(after: generation, timeout: timeout)
    }
}
