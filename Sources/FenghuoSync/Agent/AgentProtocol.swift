import Foundation

/// A request on the agent's unix socket: one JSON object a line.
public struct AgentRequest: Codable, Sendable {
    public enum Op: String, Codable, Sendable { case submit, status, subscribe, wait }

    public let op: Op
    public var name: String?
    public var args: [String: String]?
    public var baseVersion: Int?
    /// For `submit`: also answer when central has applied or rejected the command.
    /// For `wait`: the mutation to wait for.
    public var wait: Bool?
    public var mutationID: Int64?

    public init(op: Op, name: String? = nil, args: [String: String]? = nil, baseVersion: Int? = nil, wait: Bool? = nil,
                mutationID: Int64? = nil) {
        self.op = op
        self.name = name
        self.args = args
        self.baseVersion = baseVersion
        self.wait = wait
        self.mutationID = mutationID
    }
}

/// Where the agent stands, as `fenghuo status` and the console's status bar show it.
public struct AgentStatus: Codable, Sendable, Equatable {
    public var username: String
    public var role: String?
    public var department: String?
    public var clientID: String
    public var online: Bool
    /// `snapshot` (initial sync or rebuild under way), `ready`, or `starting`.
    public var phase: String
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

    public init(username: String, role: String?, department: String?, clientID: String, online: Bool, phase: String,
                epoch: String?, cursor: Int64, head: Int64, lagSeq: Int64, lagMs: Int64, outbox: Int, lastSyncAt: Double?,
                snapshotDone: Int, snapshotTotal: Int, lastError: String?, searchReady: Bool = true) {
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

/// An answer or a notice on the agent's socket.
public struct AgentEvent: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// The command is on disk in the outbox (it has a mutation id).
        case queued
        case applied
        case rejected
        case status
        /// The replica changed (a batch or snapshot page landed); readers should refresh.
        case changed
        case error
    }

    public let kind: Kind
    public var mutationID: Int64?
    public var code: String?
    public var message: String?
    public var status: AgentStatus?
    /// For `changed`: milliseconds from central's commit to this replica's commit, per change.
    public var latenciesMs: [Int64]?

    public init(kind: Kind, mutationID: Int64? = nil, code: String? = nil, message: String? = nil,
                status: AgentStatus? = nil, latenciesMs: [Int64]? = nil) {
        self.latenciesMs = latenciesMs
        self.kind = kind
        self.mutationID = mutationID
        self.code = code
        self.message = message
        self.status = status
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

