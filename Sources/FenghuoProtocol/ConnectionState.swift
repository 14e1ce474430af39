/// Where an agent's link to central stands: one state with its reason, decided by the agent and
/// only worded by its readers (`fenghuo status`, the console's status bar), so they all say the
/// same thing. A retrying state carries its attempt and when the next one starts.
public enum ConnectionState: Sendable, Hashable {
    /// Just started: central has not answered yet.
    case connecting
    /// Central answers, and the agent's long-poll or heartbeat says so within seconds.
    case online
    /// Central stopped answering (no answer in time, the connection dropped): retrying.
    case reconnecting(attempt: Int, nextTryAt: Double?)
    /// Nothing accepts a connection at central's address (`HOST:PORT`): retrying.
    case cannotConnect(address: String, attempt: Int, nextTryAt: Double?)
    /// Central refused the password: no login is tried again until a new one is given (on the
    /// agent's terminal, in its `--password-file`, or from the console), so it cannot lock the account.
    case wrongPassword
    /// Central no longer takes the saved token and the agent has no password: waiting for one.
    case tokenExpired
    /// Central answers but refuses this agent for another reason (its `ErrorCode`: locked out,
    /// another protocol version, …): retrying.
    case refused(code: String, attempt: Int, nextTryAt: Double?)
    /// Central revoked this console or its user: it syncs no more (`AgentStatus.revoked` says why).
    case revoked
    /// Offline for a reason this reader does not know (a line from an older or newer agent).
    case offline

    /// The state waits for a password rather than retrying.
    public var needsPassword: Bool { self == .wrongPassword || self == .tokenExpired }

    /// The attempt under way and when the next one starts, for the states that retry by themselves.
    public var retry: (attempt: Int, nextTryAt: Double?)? {
        switch self {
        case .reconnecting(let a, let n), .cannotConnect(_, let a, let n), .refused(_, let a, let n): (a, n)
        default: nil
        }
    }

    /// Its name on the wire.
    public var name: String {
        switch self {
        case .connecting: "connecting"
        case .online: "online"
        case .reconnecting: "reconnecting"
        case .cannotConnect: "cannot_connect"
        case .wrongPassword: "wrong_password"
        case .tokenExpired: "token_expired"
        case .refused: "refused"
        case .revoked: "revoked"
        case .offline: "offline"
        }
    }

    /// The state in English, as `fenghuo status` and the logs say it (the console words it in
    /// its own language from the same cases).
    public func description(now: Double) -> String {
        func next(_ at: Double?) -> String {
            guard let at else { return "trying now" }
            let seconds = Int((at - now).rounded(.up))
            return seconds > 0 ? "next try in \(seconds) s" : "trying now"
        }
        switch self {
        case .connecting: return "connecting"
        case .online: return "online"
        case .reconnecting(let attempt, let at): return "reconnecting (attempt \(attempt), \(next(at)))"
        case .cannotConnect(let address, _, _): return "offline: cannot connect to \(address)"
        case .wrongPassword: return "offline: wrong password — log in again"
        case .tokenExpired: return "offline: token expired — log in again"
        case .refused(let code, _, _): return "offline: central refuses this agent (\(code))"
        case .revoked: return "offline: revoked"
        case .offline: return "offline"
        }
    }
}

extension ConnectionState: Codable {
    enum CodingKeys: String, CodingKey { case state, attempt, nextTryAt, address, code }

    /// A state this build does not know (a newer agent) reads as `offline`: never as online.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let attempt = try c.decodeIfPresent(Int.self, forKey: .attempt) ?? 0
        let next = try c.decodeIfPresent(Double.self, forKey: .nextTryAt)
        switch try c.decode(String.self, forKey: .state) {
        case "connecting": self = .connecting
        case "online": self = .online
        case "reconnecting": self = .reconnecting(attempt: attempt, nextTryAt: next)
        case "cannot_connect": self = .cannotConnect(address: try c.decode(String.self, forKey: .address), attempt: attempt, nextTryAt: next)
        case "wrong_password": self = .wrongPassword
        case "token_expired": self = .tokenExpired
        case "refused": self = .refused(code: try c.decode(String.self, forKey: .code), attempt: attempt, nextTryAt: next)
        case "revoked": self = .revoked
        default: self = .offline
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .state)
        switch self {
        case .cannotConnect(let address, _, _): try c.encode(address, forKey: .address)
        case .refused(let code, _, _): try c.encode(code, forKey: .code)
        default: break
        }
        if let retry {
            try c.encode(retry.attempt, forKey: .attempt)
            try c.encodeIfPresent(retry.nextTryAt, forKey: .nextTryAt)
        }
    }
}
