/// Why central refused a request, as every 4xx/5xx body says it (`{"error": {"code", …}}`).
/// A client tests these, never the message text.
public enum ErrorCode: String, Codable, Sendable, CaseIterable {
    case badRequest = "bad_request"
    case badJSON = "bad_json"
    case tooLarge = "too_large"
    case badCredentials = "bad_credentials"
    case noToken = "no_token"
    case badToken = "bad_token"
    case badCursor = "bad_cursor"
    case epochChanged = "epoch_changed"
    case badSnapshotToken = "bad_snapshot_token"
    case unknownCommand = "unknown_command"
    case badCommand = "bad_command"
    case wrongClient = "wrong_client"
    /// A push skipped mutation ids; `ErrorBody.Detail.expected` names the one to resend from.
    case mutationGap = "mutation_gap"
    case internalError = "internal_error"
    /// The client speaks another protocol version than central (`ProtocolVersion`).
    case protocolMismatch = "protocol_mismatch"
    /// The client id was registered by another user (`/v1/login`).
    case clientTaken = "client_taken"
    /// Too many failed logins: the user or the address is locked for a while.
    case lockedOut = "locked_out"
    /// Central is too busy to check a password now; try again shortly.
    case busy = "busy"
    /// No such route.
    case notFound = "not_found"
    /// The token or the console was revoked (`fenghuo central revoke`): wipe the replica.
    case revoked = "revoked"

    /// A code this build does not know (a newer central) reads as `badRequest`'s kin: refused.
    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        self = ErrorCode(rawValue: raw) ?? .badRequest
    }
}

/// Where a sync agent stands.
public enum AgentPhase: String, Codable, Sendable, CaseIterable {
    /// The agent process is up and has not read its replica yet.
    case starting
    /// No replica yet, or one being filled by a snapshot (initial sync or rebuild).
    case snapshot
    /// The replica holds the user's whole scope and follows the feed.
    case ready
    /// Read from the files of a stopped agent that never synced.
    case empty
}
