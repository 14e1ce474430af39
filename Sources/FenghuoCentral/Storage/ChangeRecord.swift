import FenghuoDomain

/// One entry of central's change feed: `seq` is the commit order; `scopes` say who may see it.
public struct ChangeRecord: Codable, Hashable, Sendable {
    public enum Operation: String, Codable, Sendable { case put = "PUT", remove = "REMOVE" }

    public let seq: Int64
    public let entity: String
    public let id: String
    public let op: Operation
    public let scopes: [String]
    /// The record as JSON (nil for REMOVE).
    public let row: String?
    public let version: Int
}

/// What a push of one command came to.
public enum CommandOutcome: Equatable, Sendable {
    case applied
    /// Refused by the rules: the mutation id still advances, and the reason replicates back.
    case rejected(CommandRejection)
    /// Seen before (a retried upload): nothing changes.
    case duplicate
}

/// A push that skips mutation ids: an upload was lost, so later ones must wait for it.
public struct MutationGap: Error, Equatable, Sendable, CustomStringConvertible {
    public let clientID: String
    public let expected: Int64
    public let got: Int64

    public init(clientID: String, expected: Int64, got: Int64) {
        self.clientID = clientID
        self.expected = expected
        self.got = got
    }

    public var description: String {
        "client \(clientID): expected mutation \(expected), got \(got); resend from \(expected)"
    }
}

/// A page of the feed for one reader: the visible changes after its cursor, the cursor to ask
/// from next, and the last mutation central applied for that reader's client.
public struct ChangeBatch: Sendable {
    public let changes: [ChangeRecord]
    public let cursor: Int64
    public let lastMutationID: Int64
}

/// Who may read what. A change carries the scopes that may see it; a reader holds the scopes
/// of its token. Central matches the two on every pull.
public enum Scope {
    public static func role(_ r: Role) -> String { "role:\(r.rawValue)" }
    public static func department(_ code: String) -> String { "dept:\(code)" }
    public static func client(_ id: String) -> String { "client:\(id)" }

    public static func of(user: User, clientID: String) -> [String] {
        [role(user.role), department(user.department), client(clientID)]
    }

    public static func of(_ incident: Incident) -> [String] { [role(.duty), role(.leader)] }
    public static func of(_ unit: ResponseUnit) -> [String] { [role(.duty), role(.leader)] }

    public static func of(_ ticket: Ticket) -> [String] {
        [role(.hotline), role(.leader)] + (ticket.department.map { [department($0)] } ?? [])
    }

    public static func of(_ approval: ApprovalCase) -> [String] {
        [role(.leader)] + approval.steps.map { department($0.department) }
    }
}
