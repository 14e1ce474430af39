import FenghuoCrypto
import FenghuoDomain
import FenghuoProtocol
import FenghuoStore
import Foundation
import GRDB
import Hummingbird
import NIOCore

/// A refused request: status, a stable code and a message saying what to do; the body is JSON.
struct APIError: HTTPResponseError {
    let status: HTTPResponse.Status
    let code: ErrorCode
    let message: String
    var expected: Int64? = nil

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try JSONEncoder().encode(ErrorBody(error: .init(code: code, message: message, expected: expected)))
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// The HTTP face of central: login, pull, push, health. Handlers only translate between JSON and
/// the storage; every rule lives in the storage and the command handler behind it.
public struct CentralServer: Sendable {
    public let storage: any CentralStorage
    let signer: TokenSigner
    let hasher: PasswordHasher
    let epoch: String
    let clock: @Sendable () -> Date
    public let metrics = CentralMetrics()
    /// Tokens whose signature has been checked (an agent sends the same one many times a second).
    let verified = VerifiedTokens()
    /// Largest request body accepted (a push batch of ~1,000 commands fits easily).
    public static let maxBody = ProtocolLimits.maxBody
    public static let tokenLifetime: TimeInterval = 12 * 3600
    /// How long this server's tokens last: `tokenLifetime`, or less for a test of refreshing.
    let lifetime: TimeInterval
    /// Failed logins and the password-hashing queue.
    public let logins: LoginGuard
    /// Revoked users and consoles, re-read at most once a second (`central revoke` runs as
    /// another process).
    let revoked: RevocationList
    /// A hash of no one's password, made with the server's own rounds: an unknown name costs
    /// the same time as a wrong password, so the answer's time tells nothing.
    let decoyHash: String

    public init(storage: any CentralStorage, signer: TokenSigner, hasher: PasswordHasher = PasswordHasher(),
                logins: LoginGuard = LoginGuard(), clock: @escaping @Sendable () -> Date = Date.init,
                tokenLifetime: TimeInterval = CentralServer.tokenLifetime) throws {
        lifetime = tokenLifetime
        self.storage = storage
        self.logins = logins
        revoked = RevocationList(storage: storage)
        decoyHash = try hasher.hash(UUID().uuidString)
        self.signer = signer
        self.hasher = hasher
        self.clock = clock
        epoch = try storage.epoch()
    }

    public func router() -> Router<CentralContext> {
        let router = Router(context: CentralContext.self)
        router.add(middleware: JSONErrors())
        router.get("healthz") { _, _ in
            try json(["status": "ok", "epoch": epoch])
        }
        router.get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: metrics.render(at: clock()))))
        }
        router.post("v1/login") { request, context in
            let body: LoginRequest = try await decode(request, context)
            try Self.checkLogin(body)
            // Records and commands changed form in protocol 2: an older agent would misread them.
            guard body.protocolVersion == ProtocolVersion.current else {
                throw APIError(status: .upgradeRequired, code: .protocolMismatch,
                               message: "this central speaks protocol \(ProtocolVersion.current); the client speaks \(body.protocolVersion.map(String.init) ?? "1"): upgrade the agent (its queued commands are kept)")
            }
            let storage = storage, hasher = hasher, decoyHash = decoyHash, password = body.password, username = body.username
            let now = clock(), peer = Self.address(of: context), address = peer.isEmpty ? "local" : peer
            // Locks are checked before any hashing: a locked name or address costs nothing.
            if let until = logins.addressLockedUntil(address, now: now) {
                throw APIError(status: .tooManyRequests, code: .lockedOut,
                               message: "too many failed logins from \(address); try again after \(Self.time(until))")
            }
            if let until = try storage.lockedUntil(username, now: now) {
                throw APIError(status: .tooManyRequests, code: .lockedOut,
                               message: "user \(username) is locked after repeated failed logins until \(Self.time(until)); an administrator can unlock: fenghuo central user \(username) --unlock")
            }
            let found: (user: User, passwordHash: String)?
            do {
                found = try await logins.hash { () -> (user: User, passwordHash: String)? in
                    guard let found = try storage.credentials(username: username) else {
                        // The same work for a name no user has: the answer's time tells nothing.
                        _ = hasher.verify(password, against: decoyHash)
                        return nil
                    }
                    return hasher.verify(password, against: found.passwordHash) ? found : nil
                }
            } catch let busy as LoginGuard.Busy {
                throw APIError(status: .serviceUnavailable, code: .busy, message: busy.description)
            }
            guard let found else {
                try await audit(.loginFailed(typed: username, client: body.clientID, address: peer,
                                             reason: ErrorCode.badCredentials.rawValue, at: clock()))
                let addressLock = logins.addressFailed(address, now: now)
                let userLock = try storage.loginFailed(username, now: now, limit: logins.policy.userFailures, lock: logins.policy.userLock)
                if let until = userLock ?? addressLock {
                    try await audit(AuditEntry(at: clock(), actor: .init(user: username, client: body.clientID, address: peer), action: .lockout,
                                               detail: ["locked": .text(userLock != nil ? "user" : "address"),
                                                        "until": .text(Self.time(until))]))
                    throw APIError(status: .tooManyRequests, code: .lockedOut,
                                   message: userLock != nil
                                       ? "user \(username) is locked after \(logins.policy.userFailures) failed logins until \(Self.time(until))"
                                       : "too many failed logins from \(address); try again after \(Self.time(until))")
                }
                throw APIError(status: .unauthorized, code: .badCredentials, message: "unknown user or wrong password")
            }
            try storage.loginSucceeded(found.user.username)
            try revoked.check(user: found.user.username, client: body.clientID, now: now)
            // A console's client id is its own: whoever logs in with it first holds it.
            guard try storage.bindClient(body.clientID, to: found.user.username) else {
                // The right password with another user's console id: an attack worth recording.
                try await audit(.loginFailed(typed: username, client: body.clientID, address: peer,
                                             reason: ErrorCode.clientTaken.rawValue, at: clock()))
                throw APIError(status: .forbidden, code: .clientTaken, message: ClientTaken(clientID: body.clientID).description)
            }
            let expires = Int64(clock().addingTimeInterval(lifetime).timeIntervalSince1970)
            let token = try signer.sign(.init(username: found.user.username, role: found.user.role.rawValue,
                                              department: found.user.department, clientID: body.clientID,
                                              expiresAt: expires))
            try await audit(.loginSucceeded(found.user, client: body.clientID, address: Self.address(of: context), at: clock()))
            return try json(LoginResponse(token: token, expiresAt: expires, user: found.user, epoch: epoch))
        }
        // A fresh token for a valid one, so an agent need not keep the password to stay in.
        router.post("v1/refresh") { request, _ in
            let (user, clientID) = try await authenticate(request)
            let expires = Int64(clock().addingTimeInterval(lifetime).timeIntervalSince1970)
            let token = try signer.sign(.init(username: user.username, role: user.role.rawValue, department: user.department,
                                              clientID: clientID, expiresAt: expires))
            return try json(LoginResponse(token: token, expiresAt: expires, user: user, epoch: epoch))
        }
        router.get("v1/changes") { request, context in
            let (user, clientID) = try await authenticate(request)
            let seq = try cursor(request.uri.queryParameters.get("cursor"))
            let limit = Int(request.uri.queryParameters.get("limit") ?? "") ?? 500
            guard (1...10_000).contains(limit) else {
                throw APIError(status: .badRequest, code: .badRequest, message: "limit must be 1–10000")
            }
            // Long-poll: with wait=SECONDS an empty answer is held until a visible change commits.
            let wait = min(30, max(0, Double(request.uri.queryParameters.get("wait") ?? "") ?? 0))
            let started = Date()
            defer { metrics.recordPull(client: clientID, seconds: Date().timeIntervalSince(started), at: clock()) }
            let deadline = Date().addingTimeInterval(wait)
            // A client that hangs up mid-wait frees its long-poll at the next look.
            let gone = wait > 0 ? ConnectionGone(context.channel) : nil
            let scopes = Visibility.of(user: user, clientID: clientID)
            // The generation is read before the feed, so a commit in between is never missed.
            var seen = storage.changeGeneration()
            var batch = try storage.changes(after: seq, scopes: scopes, clientID: clientID, limit: limit)
            // Sequence numbers only grow within an epoch: a cursor past the newest change means
            // the store went back (restored from a backup) and would hand out numbers again.
            guard seq <= batch.head else {
                throw APIError(status: .gone, code: .epochChanged,
                               message: "cursor \(seq) is past central's newest change \(batch.head) in epoch \(epoch): central's history went back; rebuild from a snapshot")
            }
            // A command of this client that changed nothing it can see still ends the wait: the
            // agent says which mutation it knows settled (`settled=`), and a newer one answers now.
            let settled = Int64(request.uri.queryParameters.get("settled") ?? "") ?? batch.lastMutationID
            var scopeKey = Visibility.key(of: user)
            // The scope the agent's replica holds (`scope=`): when it is not the user's scope now
            // (moved since the replica was built, even between two pulls), the answer goes out at
            // once, so the agent rebuilds now rather than after a whole long-poll.
            let held: String? = request.uri.queryParameters.get("scope").map { String($0) }
            guard (held?.utf8.count ?? 0) <= 200 else {
                throw APIError(status: .badRequest, code: .badRequest, message: "scope is over 200 bytes; send the scope central last answered")
            }
            var polls = 0
            while held == nil || held == scopeKey, batch.changes.isEmpty, batch.lastMutationID == settled, Date() < deadline, gone?.isGone != true {
                // Woken by a commit to this store; writers in other processes are seen within 250 ms.
                await storage.waitForChange(after: seen, timeout: .milliseconds(250))
                seen = storage.changeGeneration()
                polls += 1
                // A console revoked mid-wait is told at once (within a second), not at its next request.
                if polls % 2 == 0 { try revoked.check(user: user.username, client: clientID, now: clock()) }
                // A user moved to another role or department is told at once (every half second).
                if polls % 2 == 0, let now = try storage.user(named: user.username),
                   Visibility.key(of: now) != scopeKey {
                    scopeKey = Visibility.key(of: now)
                    break
                }
                batch = try storage.changes(after: seq, scopes: scopes, clientID: clientID, limit: limit)
            }
            return try json(ChangesResponse(changes: batch.changes, cursor: FeedCursor(epoch: epoch, seq: batch.cursor),
                                            lastMutationID: batch.lastMutationID, head: batch.head, scope: scopeKey))
        }
        router.get("v1/snapshot") { request, _ in
            let (user, clientID) = try await authenticate(request)
            let limit = Int(request.uri.queryParameters.get("limit") ?? "") ?? 5000
            guard (1...50_000).contains(limit) else {
                throw APIError(status: .badRequest, code: .badRequest, message: "limit must be 1–50000")
            }
            let token: String? = request.uri.queryParameters.get("after").map { String($0) }
            do {
                return try json(try await offload { try storage.snapshot(for: user, clientID: clientID, after: token, limit: limit) })
            } catch let error as SnapshotTokenError {
                throw APIError(status: .badRequest, code: .badSnapshotToken, message: error.description)
            }
        }
        router.post("v1/push") { request, context in
            let (user, clientID) = try await authenticate(request)
            let body: PushRequest = try await decode(request, context)
            // A name central does not know (a newer console's command, an old queued row) is
            // rejected like any refusal, in the sender's feed, and the commands behind it go on:
            // refusing the whole batch wedged that console's queue for good.
            if let foreign = body.commands.first(where: { $0.clientID != clientID }) {
                throw APIError(status: .forbidden, code: .wrongClient,
                               message: "command \(foreign.mutationID) names client \(foreign.clientID); the token is for \(clientID)")
            }
            let now = clock(), commands = body.commands
            let answer: PushAnswer
            do {
                answer = try await storage.pushAnswer(batch: commands, by: user, at: now)
            } catch let taken as ClientTaken {
                throw APIError(status: .forbidden, code: .clientTaken, message: taken.description)
            }
            var results: [PushResult] = []
            for ((command, outcome), record) in zip(zip(body.commands, answer.outcomes), answer.records) {
                switch outcome {
                case .applied:
                    metrics.recordPush(.applied)
                    metrics.recordChanges(1, at: clock())
                    results.append(.init(mutationID: command.mutationID, status: .applied, reason: nil, record: record))
                case .duplicate:
                    metrics.recordPush(.duplicate)
                    results.append(.init(mutationID: command.mutationID, status: .duplicate, reason: nil))
                case .rejected(let r):
                    metrics.recordPush(.rejected)
                    results.append(.init(mutationID: command.mutationID, status: .rejected, reason: r))
                }
            }
            if let gap = answer.gap { throw APIError(status: .conflict, code: .mutationGap, message: gap.description, expected: gap.expected) }
            return try json(PushResponse(results: results))
        }
        return router
    }

    // MARK: Helpers

    /// Runs long store work (a snapshot page, a password check) on a thread of its own and
    /// waits without holding one of the few threads Swift concurrency runs the handlers on.
    /// Short reads (a user, the feed after a cursor) run in place: in WAL mode a reader never
    /// waits for the writer, and the hop to another thread cost more than the read.
    private func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try work() })
            }
        }
    }

    private func decode<T: Decodable>(_ request: Request, _ context: CentralContext) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: Self.maxBody)
        } catch {
            throw APIError(status: .contentTooLarge, code: .tooLarge, message: "request body over \(Self.maxBody) bytes; send smaller batches")
        }
        do {
            return try JSONDecoder().decode(T.self, from: buffer)
        } catch let DecodingError.keyNotFound(key, c) {
            throw APIError(status: .badRequest, code: .badRequest, message: "missing field '\(path(c.codingPath + [key]))'")
        } catch let DecodingError.typeMismatch(type, c) {
            throw APIError(status: .badRequest, code: .badRequest, message: "field '\(path(c.codingPath))' should be \(type)")
        } catch let DecodingError.valueNotFound(type, c) {
            throw APIError(status: .badRequest, code: .badRequest, message: "field '\(path(c.codingPath))' is null, expected \(type)")
        } catch {
            throw APIError(status: .badRequest, code: .badJSON, message: "the body is not valid JSON")
        }
    }

    private func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    private func authenticate(_ request: Request) async throws -> (User, String) {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw APIError(status: .unauthorized, code: .noToken, message: "send Authorization: Bearer TOKEN from /v1/login")
        }
        let claims: TokenSigner.Claims
        do {
            claims = try verified.claims(of: String(header.dropFirst(7)), now: clock()) { (token, now) throws(TokenSigner.Failure) in
                try signer.verify(token, now: now)
            }
        } catch {
            throw APIError(status: .unauthorized, code: .badToken, message: error.description)
        }
        // Tokens minted before client ids were bound at login are held to the binding too
        // (checked once per token: the claims are cached from then on).
        if !verified.isBound(claims) {
            guard ProtocolLimits.isValidClientID(claims.clientID), try storage.bindClient(claims.clientID, to: claims.username) else {
                throw APIError(status: .forbidden, code: .clientTaken, message: ClientTaken(clientID: claims.clientID).description)
            }
            verified.markBound(claims)
        }
        try revoked.check(user: claims.username, client: claims.clientID, now: clock())
        // Scopes come from the user as central knows them now, not as they were at login, so a
        // changed role or department takes effect on the next request.
        guard let user = try storage.user(named: claims.username) else {
            throw APIError(status: .unauthorized, code: .badToken, message: "user \(claims.username) no longer exists")
        }
        return (user, claims.clientID)
    }


    public static func time(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        return f.string(from: date) + " (+08:00)"
    }

    /// A login's fields, checked before any password is hashed: bounded lengths, no control
    /// characters (`duty1\u{0}` is not duty1), a client id of the accepted alphabet.
    static func checkLogin(_ body: LoginRequest) throws {
        func refuse(_ message: String) -> APIError { APIError(status: .badRequest, code: .badRequest, message: message) }
        guard ProtocolLimits.isValidClientID(body.clientID) else {
            throw refuse("clientID must be 1–\(ProtocolLimits.maxClientID) ASCII letters, digits or '-'")
        }
        guard !body.username.isEmpty, body.username.utf8.count <= ProtocolLimits.maxUsername,
              !body.username.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.isWhitespace }) else {
            throw refuse("username must be 1–\(ProtocolLimits.maxUsername) bytes without spaces or control characters")
        }
        guard body.password.utf8.count <= ProtocolLimits.maxPassword else {
            throw refuse("password longer than \(ProtocolLimits.maxPassword) bytes")
        }
    }

    private func cursor(_ text: String?) throws -> Int64 {
        guard let text, !text.isEmpty else { return 0 }
        guard let cursor = FeedCursor(text) else {
            throw APIError(status: .badRequest, code: .badCursor, message: "cursor must be EPOCH:SEQ, got '\(text)'")
        }
        guard cursor.epoch == epoch else {
            throw APIError(status: .gone, code: .epochChanged,
                           message: "cursor is from epoch \(cursor.epoch); central is at \(epoch): rebuild from a snapshot")
        }
        return cursor.seq
    }

    private func json(_ value: some Encodable) throws -> Response {
        let data = try JSONEncoder().encode(value)
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Claims of tokens already verified, so a token's signature is checked once, not per request;
/// its expiry is still checked every time. Bounded: emptied when it grows past `capacity`.
final class VerifiedTokens: @unchecked Sendable {
    static let capacity = 10_000
    private let lock = NSLock()
    private var known: [String: TokenSigner.Claims] = [:]
    /// Client ids whose binding to the token's user has been checked ("user client").
    private var bound: Set<String> = []

    func isBound(_ claims: TokenSigner.Claims) -> Bool {
        lock.withLock { bound.contains(claims.username + " " + claims.clientID) }
    }

    func markBound(_ claims: TokenSigner.Claims) {
        lock.withLock {
            if bound.count >= Self.capacity { bound.removeAll(keepingCapacity: true) }
            bound.insert(claims.username + " " + claims.clientID)
        }
    }

    func claims(of token: String, now: Date,
                verify: (String, Date) throws(TokenSigner.Failure) -> TokenSigner.Claims) throws(TokenSigner.Failure) -> TokenSigner.Claims {
        if let claims = lock.withLock({ known[token] }) {
            guard Int64(now.timeIntervalSince1970) < claims.expiresAt else { throw .expired }
            return claims
        }
        let claims = try verify(token, now)
        lock.withLock {
            if known.count >= Self.capacity { known.removeAll(keepingCapacity: true) }
            known[token] = claims
        }
        return claims
    }
}

/// Every refusal as JSON: a route that does not exist (404) and a failure nobody expected (500)
/// carry `{"error": {"code", "message"}}` like every other answer, never an empty body.
struct JSONErrors: RouterMiddleware {
    typealias Context = CentralContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            let code: ErrorCode = switch error.status {
            case .notFound: .notFound
            case .contentTooLarge: .tooLarge
            case .unauthorized: .noToken
            default: error.status.code >= 500 ? .internalError : .badRequest
            }
            throw APIError(status: error.status, code: code,
                           message: error.status == .notFound ? "no route \(request.method) \(request.uri.path); routes: /v1/login, /v1/changes, /v1/snapshot, /v1/push, /healthz, /metrics"
                               : (error.body ?? error.status.reasonPhrase))
        } catch {
            context.logger.error("\(request.method) \(request.uri.path) failed: \(error)")
            throw APIError(status: .internalServerError, code: .internalError,
                           message: "central failed on this request (the reason is in central's log)")
        }
    }
}

/// The revoked users and client ids, as central last read them (at most a second old).
final class RevocationList: @unchecked Sendable {
    private let storage: any CentralStorage
    private let lock = NSLock()
    private var users: Set<String> = []
    private var clients: Set<String> = []
    private var readAt = Date.distantPast

    init(storage: any CentralStorage) { self.storage = storage }

    /// Refuses a revoked user or console with `403 revoked`: the agent then wipes its replica.
    func check(user: String, client: String, now: Date) throws {
        let (users, clients) = try current(now)
        if clients.contains(client) {
            throw APIError(status: .forbidden, code: .revoked,
                           message: "this console (\(client)) was revoked by an administrator: its replica is wiped and it syncs no more")
        }
        if users.contains(user) {
            throw APIError(status: .forbidden, code: .revoked,
                           message: "user \(user) was revoked by an administrator: consoles wipe their replica; ask for reinstatement")
        }
    }

    /// Re-read by the wall clock (not the server's injected one, which tests hold still).
    private func current(_: Date) throws -> (Set<String>, Set<String>) {
        let now = Date()
        if let fresh = lock.withLock({ now.timeIntervalSince(readAt) < 1 ? (users, clients) : nil }) { return fresh }
        let read = try storage.revocations()
        lock.withLock {
            users = read.users
            clients = read.clients
            readAt = now
        }
        return (read.users, read.clients)
    }
}
