import FenghuoDomain
import Foundation

/// One thing that happened on central, as its audit log keeps it: when, who (user, console,
/// address), what, the records it touched and a short JSON detail. Every text is bounded and
/// masked (`SensitiveText`) when the entry is made, so nothing unbounded or personal reaches
/// the log, and what is hashed is exactly what is stored.
public struct AuditEntry: Hashable, Sendable {
    /// What happened. An open set: an entry written by a newer central reads back unchanged.
    public struct Action: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let commandApplied = Action(rawValue: "command_applied")
        public static let commandRejected = Action(rawValue: "command_rejected")
        public static let loginOK = Action(rawValue: "login_ok")
        public static let loginFailed = Action(rawValue: "login_failed")
        public static let lockout = Action(rawValue: "lockout")
        public static let scopeChange = Action(rawValue: "scope_change")
        public static let revoke = Action(rawValue: "revoke")
        public static let export = Action(rawValue: "export")
        public static let seal = Action(rawValue: "seal")
        public static let restore = Action(rawValue: "restore")
        /// The change feed dropped and a new epoch begun (`fenghuo central compact`).
        public static let compact = Action(rawValue: "compact")

        public static let all: [Action] = [.commandApplied, .commandRejected, .loginOK, .loginFailed, .lockout, .scopeChange,
                                           .revoke, .export, .seal, .restore, .compact]

        public var description: String { rawValue }
    }

    /// Who did it. Empty where unknown: a command's address (the storage sees the user and
    /// the console; the address is recorded at the console's login).
    public struct Actor: Hashable, Sendable {
        public var user: String
        public var client: String
        public var address: String

        /// Bounded and printable: a name typed at a failed login may be anything.
        public init(user: String, client: String = "", address: String = "") {
            self.user = AuditText.field(user, max: AuditText.maxName)
            self.client = AuditText.field(client, max: AuditText.maxName)
            self.address = AuditText.field(address, max: AuditText.maxName)
        }

        init(stored user: String, client: String, address: String) {
            self.user = user
            self.client = client
            self.address = address
        }

        /// The operating-system account running a `fenghuo central …` command on central's
        /// machine (changing a user, compacting): `os:NAME`, client `cli`.
        public static var localOperator: Actor {
            Actor(user: "os:" + ProcessInfo.processInfo.userName, client: "cli", address: "local")
        }
    }

    /// Milliseconds since 1970 (UTC).
    public var atMs: Int64
    public var actor: Actor
    public var action: Action
    /// Ids of the records touched, as a person types them (`--record`); never containing `,`.
    public var records: [String]
    /// A JSON object (`AuditDetail.json`): keys sorted, texts masked and cut.
    public var detail: String

    public init(at: Date, actor: Actor, action: Action, records: [String] = [], detail: AuditDetail = [:]) {
        atMs = Int64((at.timeIntervalSince1970 * 1000).rounded(.down))
        self.actor = actor
        self.action = action
        self.records = records.prefix(AuditText.maxRecords).map(AuditText.recordID)
        self.detail = detail.json
    }

    /// An entry as read back: its fields exactly as stored.
    init(stored atMs: Int64, actor: Actor, action: Action, records: [String], detail: String) {
        self.atMs = atMs
        self.actor = actor
        self.action = action
        self.records = records
        self.detail = detail
    }
}

// MARK: The entries central writes

extension AuditEntry {
    /// A command's outcome: applied (with the records it wrote) or rejected (with the reason's
    /// code and details). A duplicate changes nothing and is not an event.
    static func command(_ envelope: CommandEnvelope, _ outcome: CommandOutcome, by user: User, at now: Date,
                        written: [String]) -> AuditEntry? {
        let actor = Actor(user: user.username, client: envelope.clientID)
        var detail: AuditDetail = ["command": .text(envelope.name), "mutation": .number(envelope.mutationID)]
        if let base = envelope.baseVersion { detail["base"] = .number(Int64(base)) }
        switch outcome {
        case .applied:
            detail["args"] = .fields(envelope.args.mapValues(Self.text))
            var seen = Set<String>()
            return AuditEntry(at: now, actor: actor, action: .commandApplied,
                              records: written.filter { seen.insert($0).inserted }, detail: detail)
        case .rejected(let rejection):
            detail["code"] = .text(rejection.code)
            if !rejection.details.isEmpty { detail["reason"] = .fields(rejection.details) }
            // The record the command meant to act on, when its declaration names one.
            let target = Command.Name(rawValue: envelope.name)?.spec.target.flatMap { envelope.args[$0] }.map(Self.text)
            return AuditEntry(at: now, actor: actor, action: .commandRejected, records: target.map { [$0] } ?? [],
                              detail: detail)
        case .duplicate:
            return nil
        }
    }

    private static func text(_ value: ArgumentValue) -> String {
        switch value {
        case .text(let s): s
        case .flag(let b): b ? "true" : "false"
        case .list(let l): l.joined(separator: ",")
        }
    }

    /// A login that was answered with a token.
    public static func loginSucceeded(_ user: User, client: String, address: String, at now: Date) -> AuditEntry {
        AuditEntry(at: now, actor: Actor(user: user.username, client: client, address: address), action: .loginOK,
                   detail: ["role": .text(user.role.rawValue), "department": .text(user.department)])
    }

    /// A login refused: the name as typed (cut to 64 characters, masked), never the password.
    public static func loginFailed(typed username: String, client: String, address: String, reason: String,
                                   at now: Date) -> AuditEntry {
        AuditEntry(at: now, actor: Actor(user: username, client: client, address: address), action: .loginFailed,
                   detail: ["reason": .text(reason)])
    }

    /// A user moved to another role or department by an operator.
    static func scopeChange(of username: String, from before: (role: String, department: String),
                            to after: (role: String, department: String), at now: Date) -> AuditEntry {
        AuditEntry(at: now, actor: .localOperator, action: .scopeChange, detail: [
            "user": .text(username),
            "role": .fields(["from": before.role, "to": after.role]),
            "department": .fields(["from": before.department, "to": after.department]),
        ])
    }
}

/// The bounds every audited text is held to, and how it is made printable.
enum AuditText {
    /// User names, client ids, addresses: a login name is at most 64 characters.
    static let maxName = 64
    static let maxRecords = 32
    static let maxRecordID = 64

    /// `text` masked, control characters written as `\u{…}` (the evidence kept, the log
    /// printable), at most `max` characters.
    static func field(_ text: String, max: Int) -> String {
        let masked = SensitiveText.masked(text)
        // Counting characters is slow; no more bytes than `max` is no more characters.
        guard masked.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
                || (masked.utf8.count > max && masked.count > max) else { return masked }
        var out = ""
        for scalar in masked.unicodeScalars {
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return String(out.prefix(max))
    }

    /// A record id with nothing a list or a terminal could misread: letters, digits and
    /// `-_.:#/@` kept, anything else `_`, at most 64 characters.
    static func recordID(_ id: String) -> String {
        let safe = id.unicodeScalars.allSatisfy(isRecordIDScalar)
        guard !safe || id.unicodeScalars.count > maxRecordID else { return id }
        var out = String.UnicodeScalarView()
        for scalar in id.unicodeScalars.prefix(maxRecordID) { out.append(isRecordIDScalar(scalar) ? scalar : "_") }
        return String(out)
    }

    private static func isRecordIDScalar(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".", ":", "#", "/", "@": true
        default: false
        }
    }
}
