

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

    public static func of(user: User, clientID: String) -> [String] {
        [role(user.role), department(user.department), client(clientID)]
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
