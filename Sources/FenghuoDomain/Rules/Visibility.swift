

/// Who may read what. A change carries the scopes that may see it; a reader holds the scopes
/// of its token. Central matches the two on every pull.
public enum Visibility {
    public static func role(_ r: Role) -> String { "role:\(r.rawValue)" }
    public static func department(_ code: String) -> String { "dept:\(code)" }
    public static func client(_ id: String) -> String { "client:\(id)" }

    /// The part of a reader's scopes that decides what a replica holds; when it changes, the
    /// replica is rebuilt.
    public static func key(of user: User) -> String {
        "\(role(user.role)),\(department(user.department))"
    }

    /// A reader's scopes. Only department staff read by department: a duty officer of the
    /// command centre (`cmd`) is not given what is routed to `cmd` (see `access`).
    public static func of(user: User, clientID: String) -> [String] {
        user.role == .staff ? [role(user.role), department(user.department), client(clientID)]
            : [role(user.role), client(clientID)]
    }

    /// Duty officers and leaders read incidents whole; hotline agents read them too, except a
    /// confidential one's narrative and caller (they get `Incident.redacted`).
    public static func of(_ incident: Incident) -> [String] {
        [role(.duty), role(.leader)] + (incident.confidential ? [] : [role(.hotline)])
    }

    /// Who gets the redacted copy of an incident (none when nothing is confidential).
    public static func redactedReaders(of incident: Incident) -> [String] {
        incident.confidential ? [role(.hotline)] : []
    }
    public static func of(_ unit: ResponseUnit) -> [String] { [role(.duty), role(.leader)] }

    public static func of(_ ticket: Ticket) -> [String] {
        [role(.hotline), role(.leader)] + (ticket.department.map { [department($0)] } ?? [])
    }

    public static func of(_ approval: ApprovalCase) -> [String] {
        [role(.leader)] + approval.steps.map { department($0.department) }
    }
}

extension Visibility {
    /// Who may read a record whole.
    public static func scopes(of record: EntityRecord) -> [String] {
        switch record {
        case .incident(let r): of(r)
        case .unit(let r): of(r)
        case .ticket(let r): of(r)
        case .approval(let r): of(r)
        }
    }

    /// Who may read the record only in part, and that part: a confidential incident's copy
    /// without its narrative and caller, for the hotline. Nil when everyone reads it whole.
    public static func redacted(_ record: EntityRecord) -> (scopes: [String], record: EntityRecord)? {
        guard case .incident(let incident) = record else { return nil }
        let readers = redactedReaders(of: incident)
        return readers.isEmpty ? nil : (readers, .incident(incident.redacted))
    }

    /// What a reader's snapshot holds of each kind of record: the same rule as the scopes the
    /// feed tags changes with, stated per role (a test checks the two agree record by record).
    public enum Access: Hashable, Sendable {
        case none
        case all
        /// Every record, confidential incidents redacted.
        case redacted
        /// The records whose department (a ticket's) or steps (an approval case's) name the
        /// reader's department.
        case department
    }

    public static func access(_ role: Role, to kind: EntityKind) -> Access {
        switch (role, kind) {
        case (.duty, .incident), (.duty, .unit), (.leader, _): .all
        case (.hotline, .incident): .redacted
        case (.hotline, .ticket): .all
        case (.staff, .ticket), (.staff, .approval): .department
        default: .none
        }
    }
}
