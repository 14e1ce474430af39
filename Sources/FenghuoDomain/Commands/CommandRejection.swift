/// Why a command was refused — by the console or the CLI before it was queued, or by central's
/// rules — as a code with typed details. Consoles render it in their own language from the
/// details; `message` is the English sentence for logs and scripts.
public struct CommandRejection: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        case unknownCommand(name: String)
        case unknownArgument(command: String, key: String, accepted: [String])
        case missingArgument(command: String, key: String)
        /// The value is not of the argument's kind (`expected` is the kind's English label).
        case badValue(command: String, key: String, value: String, expected: String)
        case tooLong(command: String, key: String, maxLength: Int)
        /// A word of a typed command that is not `key=value`.
        case notKeyValue(word: String)
        case unclosedQuote
        /// A name that matches several catalog entries (`candidates`: their codes).
        case ambiguous(key: String, value: String, candidates: [String])
        /// No catalog entry has this code or name.
        case unknownCode(kind: CatalogKind, value: String)
        case forbidden(command: String, role: Role, allowed: [Role])
        case notFound(entity: EntityKind, id: String)
        case staleVersion(id: String, base: Int, current: Int)
        /// The record's life cycle does not allow the step (`entity`, `event` and `state` are codes).
        case illegalTransition(entity: String, id: String, event: String, state: String, why: String)
        /// A unit of one agency sent to another agency's incident.
        case agencyMismatch(unit: String, unitAgency: Agency, incidentAgency: Agency)
        /// The record belongs to another department than the user's.
        case otherDepartment(id: String, department: String?, yours: String)
        /// The ticket cannot be routed to that department (it handles no tickets).
        case notTicketDepartment(department: String)
        /// Text with a control character (a NUL, an escape) where none belongs.
        case controlCharacter(command: String, key: String)
        /// Central holds another command under this mutation id of this client: the one sent
        /// was never applied (a second console using the same client id, or a broken queue).
        case mutationReused(mutationID: Int64)
        /// The command is `bytes` long as JSON, over the `limit` central takes a command: the agent
        /// refuses it when queued, or withdraws one an older agent queued. `limit` is nil when
        /// central (or a proxy before it) refused it alone with a 413 and said no number.
        case tooLarge(bytes: Int, limit: Int?)
        /// Units still committed to an incident being closed without releasing them.
        case unitsCommitted(incident: String, units: [String])
        /// A disposition that does not fit the step (`use`: resolve or cancel) or the desk.
        case wrongDisposition(code: String, use: Disposition.Use, agency: Agency, fitting: [String])
        /// 联动 parts still open when the incident that asked for them is closed without `unlink`.
        case linksOpen(incident: String, parts: [String])
        /// Something this build does not know (from a newer central).
        case other(code: String, message: String)
    }

    public let reason: Reason

    public init(_ reason: Reason) { self.reason = reason }

    public var code: String {
        switch reason {
        case .unknownCommand: "unknown_command"
        case .unknownArgument: "unknown_argument"
        case .missingArgument: "missing_argument"
        case .badValue: "bad_value"
        case .tooLong: "too_long"
        case .notKeyValue: "not_key_value"
        case .unclosedQuote: "unclosed_quote"
        case .ambiguous: "ambiguous"
        case .unknownCode: "unknown_code"
        case .forbidden: "forbidden"
        case .notFound: "not_found"
        case .staleVersion: "stale_version"
        case .illegalTransition: "illegal_transition"
        case .agencyMismatch: "agency_mismatch"
        case .otherDepartment: "other_department"
        case .notTicketDepartment: "not_ticket_department"
        case .controlCharacter: "control_character"
        case .mutationReused: "mutation_reused"
        case .tooLarge: "too_large"
        case .unitsCommitted: "units_committed"
        case .wrongDisposition: "wrong_disposition"
        case .linksOpen: "links_open"
        case .other(let code, _): code
        }
    }

    /// The details as text fields (lists comma-joined), as they are stored and sent.
    public var details: [String: String] {
        switch reason {
        case .unknownCommand(let name): ["name": name]
        case .unknownArgument(let c, let k, let accepted): ["command": c, "key": k, "accepted": accepted.joined(separator: ",")]
        case .missingArgument(let c, let k): ["command": c, "key": k]
        case .badValue(let c, let k, let v, let e): ["command": c, "key": k, "value": v, "expected": e]
        case .tooLong(let c, let k, let m): ["command": c, "key": k, "max": String(m)]
        case .notKeyValue(let w): ["word": w]
        case .unclosedQuote: [:]
        case .ambiguous(let k, let v, let cs): ["key": k, "value": v, "candidates": cs.joined(separator: ",")]
        case .unknownCode(let kind, let v): ["kind": kind.rawValue, "value": v]
        case .forbidden(let c, let r, let a): ["command": c, "role": r.rawValue, "allowed": a.map(\.rawValue).joined(separator: ",")]
        case .notFound(let e, let id): ["entity": e.rawValue, "id": id]
        case .staleVersion(let id, let b, let c): ["id": id, "base": String(b), "current": String(c)]
        case .illegalTransition(let e, let id, let ev, let s, let why): ["entity": e, "id": id, "event": ev, "state": s, "why": why]
        case .agencyMismatch(let u, let ua, let ia): ["unit": u, "unitAgency": ua.rawValue, "incidentAgency": ia.rawValue]
        case .otherDepartment(let id, let d, let y): ["id": id, "department": d ?? "", "yours": y]
        case .notTicketDepartment(let d): ["department": d]
        case .controlCharacter(let c, let k): ["command": c, "key": k]
        case .mutationReused(let m): ["mutationID": String(m)]
        case .tooLarge(let b, let l?): ["bytes": String(b), "limit": String(l)]
        case .tooLarge(let b, nil): ["bytes": String(b)]
        case .unitsCommitted(let i, let u): ["incident": i, "units": u.joined(separator: ",")]
        case .wrongDisposition(let code, let use, let a, let f):
            ["code": code, "use": use.rawValue, "agency": a.rawValue, "fitting": f.joined(separator: ",")]
        case .linksOpen(let i, let p): ["incident": i, "parts": p.joined(separator: ",")]
        case .other: [:]
        }
    }

    /// Rebuilds the reason from its code and details; anything unreadable is `.other`.
    public init(code: String, details: [String: String], message: String) {
        // Split at the comma scalar: as a `Character`, a comma followed by a joiner is not a comma.
        func list(_ key: String) -> [String] { (details[key] ?? "").unicodeScalars.split(separator: ",").map { String($0) } }
        func int(_ key: String) -> Int? { details[key].flatMap { Int($0) } }
        let d = details
        let reason: Reason? = switch code {
        case "unknown_command": d["name"].map { .unknownCommand(name: $0) }
        case "unknown_argument": d["command"].flatMap { c in d["key"].map { .unknownArgument(command: c, key: $0, accepted: list("accepted")) } }
        case "missing_argument": d["command"].flatMap { c in d["key"].map { .missingArgument(command: c, key: $0) } }
        case "bad_value":
            d["command"].flatMap { c in d["key"].map { .badValue(command: c, key: $0, value: d["value"] ?? "", expected: d["expected"] ?? "") } }
        case "too_long": d["command"].flatMap { c in d["key"].flatMap { k in int("max").map { .tooLong(command: c, key: k, maxLength: $0) } } }
        case "not_key_value": d["word"].map { .notKeyValue(word: $0) }
        case "unclosed_quote": .unclosedQuote
        case "ambiguous": d["key"].flatMap { k in d["value"].map { .ambiguous(key: k, value: $0, candidates: list("candidates")) } }
        case "unknown_code": d["kind"].flatMap(CatalogKind.init(rawValue:)).map { .unknownCode(kind: $0, value: d["value"] ?? "") }
        case "forbidden":
            d["command"].flatMap { c in d["role"].flatMap(Role.init(rawValue:)).map {
                .forbidden(command: c, role: $0, allowed: list("allowed").compactMap(Role.init(rawValue:)))
            } }
        case "not_found": d["entity"].flatMap(EntityKind.init(rawValue:)).map { .notFound(entity: $0, id: d["id"] ?? "") }
        case "stale_version": int("base").flatMap { b in int("current").map { .staleVersion(id: d["id"] ?? "", base: b, current: $0) } }
        case "illegal_transition":
            .illegalTransition(entity: d["entity"] ?? "", id: d["id"] ?? "", event: d["event"] ?? "", state: d["state"] ?? "",
                               why: d["why"] ?? message)
        case "agency_mismatch":
            d["unitAgency"].flatMap(Agency.init(rawValue:)).flatMap { ua in d["incidentAgency"].flatMap(Agency.init(rawValue:)).map {
                .agencyMismatch(unit: d["unit"] ?? "", unitAgency: ua, incidentAgency: $0)
            } }
        case "other_department": .otherDepartment(id: d["id"] ?? "", department: d["department"].flatMap { $0.isEmpty ? nil : $0 },
                                                  yours: d["yours"] ?? "")
        case "not_ticket_department": d["department"].map { .notTicketDepartment(department: $0) }
        case "control_character": d["command"].flatMap { c in d["key"].map { .controlCharacter(command: c, key: $0) } }
        case "mutation_reused": d["mutationID"].flatMap { Int64($0) }.map { .mutationReused(mutationID: $0) }
        // Rows written before the case existed have no details: they read as `.other`, message kept.
        case "too_large": int("bytes").map { .tooLarge(bytes: $0, limit: int("limit")) }
        case "units_committed": d["incident"].map { .unitsCommitted(incident: $0, units: list("units")) }
        case "wrong_disposition":
            d["use"].flatMap(Disposition.Use.init(rawValue:)).flatMap { use in d["agency"].flatMap(Agency.init(rawValue:)).map {
                .wrongDisposition(code: d["code"] ?? "", use: use, agency: $0, fitting: list("fitting"))
            } }
        case "links_open": d["incident"].map { .linksOpen(incident: $0, parts: list("parts")) }
        default: nil
        }
        self.reason = reason ?? .other(code: code, message: message)
    }

    /// An English sentence: what was wrong and what to do.
    public var message: String {
        switch reason {
        case .unknownCommand(let name):
            "unknown command '\(name)'; commands: \(Command.Name.allCases.map(\.rawValue).joined(separator: ", "))"
        case .unknownArgument(let c, let k, let accepted):
            "\(c) takes no argument '\(k)'; it takes \(accepted.joined(separator: ", "))"
        case .missingArgument(let c, let k): "\(c) needs \(k)=…"
        case .badValue(let c, let k, let v, let e): "\(c): \(k)='\(v)' is not \(e)"
        case .tooLong(let c, let k, let m): "\(c): \(k) is longer than \(m) characters"
        case .notKeyValue(let w): "'\(w)' is not key=value (quote a value with spaces: key=\"a b\")"
        case .unclosedQuote: "a quote is not closed"
        case .ambiguous(let k, let v, let cs): "\(k)='\(v)' matches several: \(cs.joined(separator: ", ")); give one of these codes"
        case .unknownCode(let kind, let v): "no \(kind.label.en) has the code or name '\(v)'"
        case .forbidden(let c, let r, let a):
            "\(c) is for the \(a.map(\.rawValue).joined(separator: "/")) role; this user is \(r.rawValue)"
        case .notFound(let e, let id): "no \(e.label.en) \(id)"
        case .staleVersion(let id, let b, let c): "\(id) changed since you saw it (your version \(b), now \(c)); reload and try again"
        case .illegalTransition(let e, let id, let ev, let s, let why): "\(e) \(id): cannot \(ev) while \(s): \(why)"
        case .agencyMismatch(let u, let ua, let ia): "unit \(u) is \(ua.rawValue), the incident is \(ia.rawValue)"
        case .otherDepartment(let id, let d, let y): "\(id) is with \(d ?? "no department"), not \(y)"
        case .notTicketDepartment(let d): "department \(d) does not handle tickets"
        case .controlCharacter(let c, let k): "\(c): \(k) contains a control character; type plain text"
        case .mutationReused(let m):
            "central holds a different command under mutation \(m) of this console: this one was not applied (is the console's client id used elsewhere?)"
        case .tooLarge(let b, let l?):
            "the command is \(b) bytes as JSON, over the \(l) bytes central takes a command; it was not applied (shorten its text)"
        case .tooLarge(let b, nil):
            "the command is \(b) bytes, and central refused it as too large even alone (HTTP 413); it was not applied (shorten its text)"
        case .unitsCommitted(let i, let u):
            "\(i) still has \(u.joined(separator: ", ")) committed: close it with release=yes to release them, or clear them first"
        case .wrongDisposition(let code, let use, let a, let f):
            "'\(code)' is not a disposition for \(use == .resolve ? "resolving" : "cancelling") a \(a.rawValue) incident; use one of \(f.joined(separator: ", "))"
        case .linksOpen(let i, let p):
            "\(i) has linked parts still open (\(p.joined(separator: ", "))): close them first, or close with unlink=yes to release the links"
        case .other(_, let message): message
        }
    }

    public var description: String { "\(code): \(message)" }

    enum CodingKeys: String, CodingKey { case code, message, details }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(code: try c.decode(String.self, forKey: .code),
                  details: try c.decodeIfPresent([String: String].self, forKey: .details) ?? [:],
                  message: try c.decodeIfPresent(String.self, forKey: .message) ?? "")
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code, forKey: .code)
        try c.encode(message, forKey: .message)
        if !details.isEmpty { try c.encode(details, forKey: .details) }
    }
}

extension CommandRejection {
    /// A refused life-cycle step, with its codes kept for the console to name.
    public init(_ error: TransitionError) {
        self.init(.illegalTransition(entity: error.entity, id: error.id, event: error.event, state: error.from, why: error.reason))
    }
}
