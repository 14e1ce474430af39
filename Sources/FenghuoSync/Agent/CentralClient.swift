import FenghuoProtocol
import FenghuoDomain
import Foundation

/// Why a call to central did not succeed.
public enum CentralError: Error, CustomStringConvertible, Sendable {
    /// No answer: central down, the network gone, a timeout. Retry later.
    case unreachable(String)
    /// Central answered with an error body (`expected`: the mutation to resend from, on a gap).
    case refused(status: Int, code: ErrorCode, message: String, expected: Int64?)
    /// The saved token expired and the agent was given no password to log in again.
    case noPassword

    public var description: String {
        switch self {
        case .unreachable(let why): "central unreachable: \(why)"
        case .refused(let status, let code, let message, _): "central refused (\(status) \(code.rawValue)): \(message)"
        case .noPassword: "the saved token has expired and no password was given; restart the agent with a password"
        }
    }

    public var code: ErrorCode? {
        if case .refused(_, let code, _, _) = self { return code }
        return nil
    }

    /// No answer came (as opposed to an answer that refused).
    public var isUnanswered: Bool {
        if case .unreachable = self { return true }
        return false
    }

    /// The HTTP status of a refusal (413: the body was too large).
    public var status: Int? {
        if case .refused(let status, _, _, _) = self { return status }
        return nil
    }
}

/// The agent's side of the v1 protocol over HTTP/1.1 keep-alive connections on SwiftNIO:
/// plain on loopback, TLS (NIOSSL) with `https://`.
public struct CentralClient: Sendable {
    public let base: URL
    let pool: HTTPConnectionPool

    public init(_ endpoint: CentralEndpoint) {
        base = endpoint.url
        pool = HTTPConnectionPool(host: endpoint.host, port: endpoint.port, root: endpoint.root,
                                  tls: endpoint.tls, serverHostname: endpoint.serverHostname)
    }

    /// A client for `base`, checked as `CentralEndpoint` checks it (plain HTTP on loopback only).
    public init(base: URL, caFile: String? = nil) throws(CentralEndpoint.Problem) {
        self.init(try CentralEndpoint(url: base, caFile: caFile))
    }

    /// What a short `GET /healthz` found: central answering (with any status: it is up), no
    /// connection at its address, or no answer in time.
    public enum Probe: Sendable, Equatable {
        case answered
        case cannotConnect(String)
        case silent(String)
    }

    /// Asks central's `/healthz` on a connection of the pool, without the request counting as
    /// work waiting for central (`waitingCount`). Cheap for central: no token, no store read.
    public func probe(timeout: TimeInterval) async -> Probe {
        do {
            _ = try await pool.send(.GET, "healthz", headers: [], body: nil,
                                    timeout: .milliseconds(Int64(timeout * 1000)), counted: false)
            return .answered
        } catch let failure as HTTPConnectionPool.Failure {
            switch failure {
            case .cannotConnect, .tls: return .cannotConnect(failure.description)
            case .timedOut: return .silent("central did not answer /healthz within \(String(format: "%.1f", timeout)) s (is it paused or overloaded?)")
            case .closed, .abandoned: return .silent(failure.description)
            }
        } catch {
            return .silent("\(error)")
        }
    }

    /// Central's address as `HOST:PORT`, as the status says it.
    public var address: String { pool.host.contains(":") ? "[\(pool.host)]:\(pool.port)" : "\(pool.host):\(pool.port)" }

    /// Requests out and not answered yet (probes left out), and seconds since any answer.
    var waitingCount: Int { pool.waitingCount }
    var secondsSinceAnswer: Double { pool.secondsSinceAnswer }

    /// Ends every request waiting for central, with `why` as their error.
    func abandonAll(_ why: String) { pool.abandonAll(why) }

    public func login(username: String, password: String, clientID: String) async throws -> LoginResponse {
        try await call("POST", "v1/login", body: LoginRequest(username: username, password: password, clientID: clientID),
                       token: nil, timeout: 20)
    }

    /// A fresh token for one still valid (`/v1/refresh`), so the agent need not keep a password.
    public func refresh(token: String) async throws -> LoginResponse {
        try await call("POST", "v1/refresh", body: Optional<Int>.none, token: token, timeout: 20)
    }

    /// The changes after `cursor`, held up to `wait` seconds while there are none. `scope` is
    /// the scope the replica was built for: central answers at once when the user's differs.
    public func changes(token: String, cursor: FeedCursor, limit: Int, wait: Int, settled: Int64,
                        scope: String? = nil) async throws -> ChangesResponse {
        let held = scope.map { "&scope=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) } ?? ""
        return try await call("GET", "v1/changes?cursor=\(cursor)&limit=\(limit)&wait=\(wait)&settled=\(settled)\(held)",
                              body: Optional<Int>.none, token: token, timeout: TimeInterval(wait + 15))
    }

    public func snapshot(token: String, after: String?, limit: Int) async throws -> SnapshotPage {
        let after = after.map { "&after=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) } ?? ""
        return try await call("GET", "v1/snapshot?limit=\(limit)\(after)", body: Optional<Int>.none, token: token, timeout: 60)
    }

    public func push(token: String, commands: [CommandEnvelope]) async throws -> PushResponse {
        try await push(token: token, body: try JSONEncoder().encode(PushRequest(commands: commands)))
    }

    /// A push whose body (a `PushRequest`) is already encoded. A result whose status this build
    /// does not know (a newer central) reads as a rejection, never as applied: the console is
    /// told to look, not told it worked.
    public func push(token: String, body: Data) async throws -> PushResponse {
        struct Lenient: Decodable {
            struct Result: Decodable {
                let mutationID: Int64
                let status: String
                let reason: CommandRejection?
                let record: String?
            }
            let results: [Result]
        }
        let answer: Lenient = try await call("POST", "v1/push", encoded: body, token: token, timeout: 30)
        return PushResponse(results: answer.results.map { result in
            if let status = PushResult.Status(rawValue: result.status) {
                return PushResult(mutationID: result.mutationID, status: status, reason: result.reason, record: result.record)
            }
            let message = "central answered '\(result.status.prefix(40))' for command \(result.mutationID), which this agent does not know "
                + "(is central newer?); it is not reported as applied: check the record"
            return PushResult(mutationID: result.mutationID, status: .rejected,
                              reason: CommandRejection(.other(code: "unknown_outcome", message: message)))
        })
    }

    private func call<Body: Encodable, Answer: Decodable>(_ method: String, _ path: String, body: Body?, token: String?,
                                                          timeout: TimeInterval) async throws -> Answer {
        try await call(method, path, encoded: try body.map { try JSONEncoder().encode($0) }, token: token, timeout: timeout)
    }

    private func call<Answer: Decodable>(_ method: String, _ path: String, encoded payload: Data?, token: String?,
                                         timeout: TimeInterval) async throws -> Answer {
        let (status, data) = try await exchange(method, path, body: payload, token: token, timeout: timeout)
        guard (200..<300).contains(status) else {
            if let body = try? JSONDecoder().decode(ErrorBody.self, from: data) {
                throw CentralError.refused(status: status, code: body.error.code, message: body.error.message,
                                           expected: body.error.expected)
            }
            if status >= 500 { throw CentralError.unreachable("HTTP \(status)") }
            throw CentralError.refused(status: status, code: .badRequest,
                                       message: "HTTP \(status): " + String(decoding: data.prefix(200), as: UTF8.self), expected: nil)
        }
        do {
            return try JSONDecoder().decode(Answer.self, from: data)
        } catch {
            throw CentralError.unreachable("central sent an answer this agent cannot read: \(error)")
        }
    }

    /// One request and its answer's status and body; no answer at all is `unreachable`.
    private func exchange(_ method: String, _ path: String, body: Data?, token: String?,
                          timeout: TimeInterval) async throws -> (Int, Data) {
        var headers: [(String, String)] = []
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        do {
            let answer = try await pool.send(method == "POST" ? .POST : .GET, path, headers: headers,
                                             body: body.map(Array.init), timeout: .milliseconds(Int64(timeout * 1000)))
            return (answer.status, Data(answer.body.readableBytesView))
        } catch {
            throw CentralError.unreachable("\(error)")
        }
    }
}
