import FenghuoDomain

/// JSON bodies of the protocol (paths under `/v1/`; the version is `ProtocolVersion.current`).
public struct LoginRequest: Codable, Sendable {
    public let username: String
    public let password: String
    public let clientID: String
    /// The protocol the client speaks; absent from agents older than protocol 2.
    public let protocolVersion: Int?

    enum CodingKeys: String, CodingKey {
        case username, password, clientID
        case protocolVersion = "protocol"
    }

    public init(username: String, password: String, clientID: String, protocolVersion: Int? = ProtocolVersion.current) {
        self.username = username
        self.password = password
        self.clientID = clientID
        self.protocolVersion = protocolVersion
    }
}

public struct LoginResponse: Codable, Sendable {
    public let token: String
    public let expiresAt: Int64
    public let user: User
    public let epoch: String

    public init(token: String, expiresAt: Int64, user: User, epoch: String) {
        self.token = token
        self.expiresAt = expiresAt
        self.user = user
        self.epoch = epoch
    }
}

public struct PushRequest: Codable, Sendable {
    public let commands: [CommandEnvelope]
    public init(commands: [CommandEnvelope]) { self.commands = commands }
}

public struct PushResult: Codable, Equatable, Sendable {
    public enum Status: String, Codable, Sendable { case applied, rejected, duplicate }
    public let mutationID: Int64
    public let status: Status
    public let reason: CommandRejection?
    /// For an applied command, the record it wrote first: for a create, the id central gave
    /// the new record, which the console names in its outcome (`已生效 新建警情 J…-0141`).
    /// Absent from older centrals' answers.
    public let record: String?

    public init(mutationID: Int64, status: Status, reason: CommandRejection?, record: String? = nil) {
        self.mutationID = mutationID
        self.status = status
        self.reason = reason
        self.record = record
    }
}

public struct PushResponse: Codable, Sendable {
    public let results: [PushResult]
    public init(results: [PushResult]) { self.results = results }
}

public struct ChangesResponse: Codable, Sendable {
    public let changes: [ChangeRecord]
    /// To send as the next `cursor`.
    public let cursor: FeedCursor
    public let lastMutationID: Int64
    /// The newest sequence number central has committed (for the reader's lag).
    public let head: Int64
    /// The reader's scopes as central sees them now (see `SnapshotPage.scope`).
    public let scope: String

    public init(changes: [ChangeRecord], cursor: FeedCursor, lastMutationID: Int64, head: Int64, scope: String) {
        self.changes = changes
        self.cursor = cursor
        self.lastMutationID = lastMutationID
        self.head = head
        self.scope = scope
    }
}

/// Every 4xx/5xx answer: what was wrong, as a code a program can test and a sentence a person reads.
public struct ErrorBody: Codable, Sendable {
    public struct Detail: Codable, Sendable {
        public let code: ErrorCode
        public let message: String
        /// For `mutation_gap`: the mutation id central expects next (resend from it).
        public let expected: Int64?
        public init(code: ErrorCode, message: String, expected: Int64? = nil) {
            self.code = code
            self.message = message
            self.expected = expected
        }
    }
    public let error: Detail
    public init(error: Detail) { self.error = error }
}
