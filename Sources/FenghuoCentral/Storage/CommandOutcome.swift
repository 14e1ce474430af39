import FenghuoDomain
import FenghuoProtocol

/// What a push of one command came to.
public enum CommandOutcome: Equatable, Sendable {
    case applied
    /// Refused by the rules: the mutation id still advances, and the reason replicates back.
    case rejected(CommandRejection)
    /// Seen before (a retried upload): nothing changes.
    case duplicate
}

/// A push's answer: each command's outcome, the record each applied one wrote first (for a
/// create, the new record's id; nil otherwise), and the gap that stopped the batch, if one did.
public struct PushAnswer: Sendable {
    public var outcomes: [CommandOutcome]
    public var records: [String?]
    public var gap: MutationGap?

    public init(outcomes: [CommandOutcome], records: [String?], gap: MutationGap?) {
        self.outcomes = outcomes
        self.records = records
        self.gap = gap
    }
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
    /// The newest sequence number committed, visible to this reader or not.
    public let head: Int64
}


/// A client id registered by another user: a console's id (and so its mutation sequence, its
/// rejections and its feed position) belongs to the user who first logged in with it.
public struct ClientTaken: Error, Equatable, Sendable, CustomStringConvertible {
    public let clientID: String

    public init(clientID: String) { self.clientID = clientID }

    public var description: String {
        "client id \(clientID) belongs to another user; each user's console keeps its own --data folder (and with it its own client id)"
    }
}
