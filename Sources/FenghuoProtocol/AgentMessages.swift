import FenghuoDomain
import Foundation

/// A request on the agent's unix socket: one JSON object a line, `{"op": …}`. A console keeps
/// one connection open and tags each request with an id of its own (`request`), which the
/// answers to it carry back, so answers and notices can share the line.
public enum AgentRequest: Hashable, Sendable {
    /// Queue a command; with `wait`, also answer when central has applied or rejected it.
    case submit(Command, baseVersion: Int?, wait: Bool)
    case status
    /// Every later status, change and outcome, as it happens.
    case subscribe
    /// The outcome of a queued command, once central has settled it.
    case wait(mutationID: Int64)
    /// A new password, when the status says `wrongPassword` or `tokenExpired`: the agent logs in
    /// with it at once and answers with its status after the attempt.
    case login(password: String)

    public enum Op: String, Codable, Sendable { case submit, status, subscribe, wait, login }

    public var op: Op {
        switch self {
        case .submit: .submit
        case .status: .status
        case .subscribe: .subscribe
        case .wait: .wait
        case .login: .login
        }
    }
}

/// A request with the asker's tag.
public struct AgentRequestLine: Sendable, Codable {
    public var request: AgentRequest
    /// Chosen by the client; copied into every answer to this request.
    public var id: Int64?

    public init(_ request: AgentRequest, id: Int64? = nil) {
        self.request = request
        self.id = id
    }

    enum CodingKeys: String, CodingKey { case op, id, command, baseVersion, wait, mutationID, password }

    /// Why a line could not be read as a request; a submit whose command breaks its declaration
    /// says how, so the client is told before anything is queued.
    public enum Problem: Error, Sendable {
        case unreadable(String)
        case badCommand(CommandRejection, id: Int64?)
    }

    public static func read(_ data: Data) throws(Problem) -> AgentRequestLine {
        struct Raw: Decodable {
            let op: AgentRequest.Op
            let id: Int64?
            let command: CommandPayload?
            let baseVersion: Int?
            let wait: Bool?
            let mutationID: Int64?
            let password: String?
        }
        let raw: Raw
        do {
            raw = try JSONDecoder().decode(Raw.self, from: data)
        } catch {
            throw .unreadable("each line must be a JSON request like {\"op\":\"status\"}: \(error)")
        }
        switch raw.op {
        case .status: return AgentRequestLine(.status, id: raw.id)
        case .subscribe: return AgentRequestLine(.subscribe, id: raw.id)
        case .wait:
            guard let m = raw.mutationID else { throw .unreadable("wait needs mutationID") }
            return AgentRequestLine(.wait(mutationID: m), id: raw.id)
        case .login:
            guard let password = raw.password, !password.isEmpty, password.utf8.count <= ProtocolLimits.maxPassword else {
                throw .unreadable("login needs password, 1–\(ProtocolLimits.maxPassword) bytes")
            }
            return AgentRequestLine(.login(password: password), id: raw.id)
        case .submit:
            guard let payload = raw.command else { throw .unreadable("submit needs command {name, args}") }
            do {
                return AgentRequestLine(.submit(try Command(payload), baseVersion: raw.baseVersion, wait: raw.wait ?? false),
                                        id: raw.id)
            } catch {
                throw .badCommand(error, id: raw.id)
            }
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let id = try c.decodeIfPresent(Int64.self, forKey: .id)
        switch try c.decode(AgentRequest.Op.self, forKey: .op) {
        case .status: self.init(.status, id: id)
        case .subscribe: self.init(.subscribe, id: id)
        case .wait: self.init(.wait(mutationID: try c.decode(Int64.self, forKey: .mutationID)), id: id)
        case .login: self.init(.login(password: try c.decode(String.self, forKey: .password)), id: id)
        case .submit:
            self.init(.submit(try c.decode(Command.self, forKey: .command), baseVersion: try c.decodeIfPresent(Int.self, forKey: .baseVersion),
                              wait: try c.decodeIfPresent(Bool.self, forKey: .wait) ?? false), id: id)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(request.op, forKey: .op)
        try c.encodeIfPresent(id, forKey: .id)
        switch request {
        case .submit(let command, let baseVersion, let wait):
            try c.encode(command, forKey: .command)
            try c.encodeIfPresent(baseVersion, forKey: .baseVersion)
            if wait { try c.encode(true, forKey: .wait) }
        case .wait(let m): try c.encode(m, forKey: .mutationID)
        case .login(let password): try c.encode(password, forKey: .password)
        case .status, .subscribe: break
        }
    }
}

/// Where the agent stands, as `fenghuo status` and the console's status bar show it.
public struct AgentStatus: Codable, Sendable, Equatable {
    public var username: String
    public var role: String?
    public var department: String?
    public var clientID: String
    public var online: Bool
    public var phase: AgentPhase
    public var epoch: String?
    public var cursor: Int64
    public var head: Int64
    /// Sequence numbers central has committed that this replica has not yet read.
    public var lagSeq: Int64
    /// How long the replica has been behind (0 when it was caught up at the last pull).
    public var lagMs: Int64
    public var outbox: Int
    /// Seconds since 1970 of the last successful exchange with central.
    public var lastSyncAt: Double?
    public var snapshotDone: Int
    public var snapshotTotal: Int
    public var lastError: String?
    /// The replica's full-text search is built (after a first sync it is built once, last).
    public var searchReady: Bool = true
    /// Set once central revoked this console or its user (`fenghuo central revoke`): central's
    /// reason. The replica, queued commands and token are wiped and the agent syncs no more.
    /// Absent from older agents' lines, which decode as not revoked.
    public var revoked: String? = nil
    /// The link to central as one state with its reason (absent from older agents' lines:
    /// read `state`, which falls back to `online` and `revoked`).
    public var connection: ConnectionState? = nil
    /// Seconds since 1970 of the last moment central vouched that the replica was current (a
    /// pull that reached its head, or a heartbeat answered while the long-poll at the head was
    /// out): the one age the console shows ("data as of"). Absent from older agents' lines.
    public var dataAsOf: Double? = nil

    /// The connection state, for lines with or without `connection`.
    public var state: ConnectionState {
        connection ?? (revoked != nil ? .revoked : online ? .online : .offline)
    }

    public init(username: String, role: String?, department: String?, clientID: String, online: Bool, phase: AgentPhase,
                epoch: String?, cursor: Int64, head: Int64, lagSeq: Int64, lagMs: Int64, outbox: Int, lastSyncAt: Double?,
                snapshotDone: Int, snapshotTotal: Int, lastError: String?, searchReady: Bool = true, revoked: String? = nil) {
        self.revoked = revoked
        self.searchReady = searchReady
        self.username = username
        self.role = role
        self.department = department
        self.clientID = clientID
        self.online = online
        self.phase = phase
        self.epoch = epoch
        self.cursor = cursor
        self.head = head
        self.lagSeq = lagSeq
        self.lagMs = lagMs
        self.outbox = outbox
        self.lastSyncAt = lastSyncAt
        self.snapshotDone = snapshotDone
        self.snapshotTotal = snapshotTotal
        self.lastError = lastError
    }
}

/// What a queued or settled command was, so a console can name it whoever sent it (another
/// console on the same agent, `fenghuo submit`): its command and the record it is about —
/// the one it names, or for a create the new record's id as central answered it.
public struct CommandSubject: Codable, Sendable, Hashable {
    public var command: String
    public var record: String?
    /// When it went into the outbox: sent with the queued notices a new subscriber gets for the
    /// commands still waiting (queued before that console started), absent otherwise.
    public var queuedAt: Date?

    public init(command: String, record: String?, queuedAt: Date? = nil) {
        self.command = command
        self.record = record
        self.queuedAt = queuedAt
    }
}

/// An answer or a notice on the agent's socket.
public enum AgentEvent: Sendable, Equatable {
    /// The command is on disk in the outbox under this mutation id. Also told to every
    /// subscriber, with its subject, so consoles see what others queued on this agent.
    case queued(mutationID: Int64, subject: CommandSubject? = nil)
    /// With the subject when the agent still held the command (older agents send none).
    case applied(mutationID: Int64, subject: CommandSubject? = nil)
    /// Refused by central's rules (with the mutation id), or by its declaration before it was
    /// queued (no id).
    case rejected(mutationID: Int64?, CommandRejection, subject: CommandSubject? = nil)
    case status(AgentStatus)
    /// The replica changed (a batch or snapshot page landed); readers should refresh. With the
    /// milliseconds from central's commit to this replica's, per change.
    case changed(latenciesMs: [Int64]?)
    /// The request could not be served (unreadable, or the outbox failed).
    case error(code: String, message: String)

    public enum Kind: String, Codable, Sendable { case queued, applied, rejected, status, changed, error }

    public var kind: Kind {
        switch self {
        case .queued: .queued
        case .applied: .applied
        case .rejected: .rejected
        case .status: .status
        case .changed: .changed
        case .error: .error
        }
    }

    public var mutationID: Int64? {
        switch self {
        case .queued(let m, _), .applied(let m, _): m
        case .rejected(let m, _, _): m
        default: nil
        }
    }

    /// What the command was, when the event says.
    public var subject: CommandSubject? {
        switch self {
        case .queued(_, let s), .applied(_, let s), .rejected(_, _, let s): s
        default: nil
        }
    }

    public var status: AgentStatus? {
        if case .status(let s) = self { return s }
        return nil
    }

    public var rejection: CommandRejection? {
        if case .rejected(_, let r, _) = self { return r }
        return nil
    }

    /// A sentence for a person or a log: the rejection's or the error's.
    public var message: String? {
        switch self {
        case .rejected(_, let r, _): r.message
        case .error(_, let m): m
        default: nil
        }
    }
}

/// An event with the id of the request it answers (nil for notices to a subscriber).
public struct AgentEventLine: Sendable, Equatable, Codable {
    public var event: AgentEvent
    public var replyTo: Int64?

    public init(_ event: AgentEvent, replyTo: Int64? = nil) {
        self.event = event
        self.replyTo = replyTo
    }

    enum CodingKeys: String, CodingKey { case kind, replyTo, mutationID, rejection, status, latenciesMs, code, message, subject }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        replyTo = try c.decodeIfPresent(Int64.self, forKey: .replyTo)
        let m = try c.decodeIfPresent(Int64.self, forKey: .mutationID)
        // Absent from older agents' lines.
        let subject = try c.decodeIfPresent(CommandSubject.self, forKey: .subject)
        switch try c.decode(AgentEvent.Kind.self, forKey: .kind) {
        case .queued: event = .queued(mutationID: try c.decode(Int64.self, forKey: .mutationID), subject: subject)
        case .applied: event = .applied(mutationID: try c.decode(Int64.self, forKey: .mutationID), subject: subject)
        case .rejected: event = .rejected(mutationID: m, try c.decode(CommandRejection.self, forKey: .rejection), subject: subject)
        case .status: event = .status(try c.decode(AgentStatus.self, forKey: .status))
        case .changed: event = .changed(latenciesMs: try c.decodeIfPresent([Int64].self, forKey: .latenciesMs))
        case .error: event = .error(code: try c.decode(String.self, forKey: .code), message: try c.decode(String.self, forKey: .message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(event.kind, forKey: .kind)
        try c.encodeIfPresent(replyTo, forKey: .replyTo)
        switch event {
        case .queued(let m, let s), .applied(let m, let s):
            try c.encode(m, forKey: .mutationID)
            try c.encodeIfPresent(s, forKey: .subject)
        case .rejected(let m, let r, let s):
            try c.encodeIfPresent(m, forKey: .mutationID)
            try c.encode(r, forKey: .rejection)
            try c.encodeIfPresent(s, forKey: .subject)
        case .status(let s): try c.encode(s, forKey: .status)
        case .changed(let l): try c.encodeIfPresent(l, forKey: .latenciesMs)
        case .error(let code, let message):
            try c.encode(code, forKey: .code)
            try c.encode(message, forKey: .message)
        }
    }
}

/// The files an agent keeps in its data folder.
public struct AgentPaths: Sendable {
    public let directory: String
    public init(directory: String) { self.directory = directory }

    public var replica: String { (directory as NSString).appendingPathComponent("replica.sqlite") }
    public var outbox: String { (directory as NSString).appendingPathComponent("outbox.sqlite") }
    public var socket: String { (directory as NSString).appendingPathComponent("agent.sock") }
    public var token: String { (directory as NSString).appendingPathComponent("token.json") }
    public var lock: String { (directory as NSString).appendingPathComponent("agent.lock") }
}

