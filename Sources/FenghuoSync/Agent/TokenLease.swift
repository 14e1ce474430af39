import FenghuoDomain
import FenghuoProtocol
import FenghuoStore
import Foundation

/// The token the agent holds and when to renew it. Central's tokens carry only their expiry,
/// so the lifetime is measured from when this agent received the token: renewed through
/// `/v1/refresh` once less than a quarter of it is left, which leaves three quarters of the
/// lifetime to retry a refresh that fails (central down, the network gone) before the token
/// runs out. An agent that renews this way never needs its password again.
struct TokenLease: Sendable, Equatable {
    let token: String
    let expiresAt: Date
    let receivedAt: Date
    let user: User

    /// The part of the lifetime left when the agent starts renewing.
    static let renewWhenLeft = 0.25

    init(token: String, expiresAt: Date, receivedAt: Date, user: User) {
        self.token = token
        self.expiresAt = expiresAt
        self.receivedAt = receivedAt
        self.user = user
    }

    init(_ answer: LoginResponse, receivedAt: Date) {
        self.init(token: answer.token, expiresAt: Date(timeIntervalSince1970: TimeInterval(answer.expiresAt)),
                  receivedAt: receivedAt, user: answer.user)
    }

    /// Seconds from receipt to expiry (0 when central's clock is far behind this one's).
    var lifetime: TimeInterval { max(0, expiresAt.timeIntervalSince(receivedAt)) }

    /// From this instant the agent renews the token.
    var renewAt: Date { expiresAt.addingTimeInterval(-lifetime * Self.renewWhenLeft) }

    /// Whether a request may still go out with this token. The last minute (or the last
    /// twentieth of a short lifetime) is left out: a request must reach central before expiry.
    func isUsable(at now: Date) -> Bool {
        expiresAt.timeIntervalSince(now) > min(60, lifetime / 20)
    }

    func wantsRenewal(at now: Date) -> Bool { now >= renewAt }
}

/// The agent's login, kept between runs in a file only its owner can read (`token.json`).
struct TokenFile: Codable {
    let username: String
    let token: String
    let expiresAt: Int64
    let user: User
    /// When the agent received the token (seconds since 1970), from which its lifetime is
    /// measured. Absent from files written before refresh: the file's own time stands in.
    var receivedAt: Double?

    init(username: String, lease: TokenLease) {
        self.username = username
        token = lease.token
        expiresAt = Int64(lease.expiresAt.timeIntervalSince1970)
        user = lease.user
        receivedAt = lease.receivedAt.timeIntervalSince1970
    }

    var lease: TokenLease {
        TokenLease(token: token, expiresAt: Date(timeIntervalSince1970: TimeInterval(expiresAt)),
                   receivedAt: Date(timeIntervalSince1970: receivedAt ?? 0), user: user)
    }

    static func load(_ path: String) -> TokenFile? {
        guard let data = FileManager.default.contents(atPath: path), var file = try? JSONDecoder().decode(TokenFile.self, from: data) else {
            return nil
        }
        if file.receivedAt == nil {
            // Written at receipt, and rewritten only with a new token: its time is the receipt's.
            let written = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
            file.receivedAt = (written ?? Date()).timeIntervalSince1970
        }
        return file
    }

    static func save(_ file: TokenFile, to path: String) throws {
        let data = try JSONEncoder().encode(file)
        try PrivateFile.replace(path, with: data)
    }
}
