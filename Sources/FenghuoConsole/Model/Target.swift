import FenghuoDomain

/// The record a verb acts on, taken from the selection when the `:` line opened, not when
/// Enter was pressed: lists are live, and a row that closes meanwhile moves the cursor to its
/// neighbour. The verb is built on this copy (its id and the version the user saw).
public enum Target: Hashable, Sendable {
    case incident(Incident)
    case ticket(Ticket)
    case approval(ApprovalCase)

    public var ref: RecordRef {
        switch self {
        case .incident(let i): .incident(i.id)
        case .ticket(let t): .ticket(t.id)
        case .approval(let a): .approval(a.id)
        }
    }

    public var id: String { ref.id }

    public var version: Int {
        switch self {
        case .incident(let i): i.version
        case .ticket(let t): t.version
        case .approval(let a): a.version
        }
    }

    /// Whether the record is still open (in its pane's queue).
    var isOpen: Bool {
        switch self {
        case .incident(let i): i.status.isOpen
        case .ticket(let t): t.status != .closed
        case .approval(let a): a.status == .accepted || a.status == .underReview || a.status == .suspended
        }
    }

    /// Its state, in the console's words.
    func state(_ s: Strings) -> String {
        switch self {
        case .incident(let i): s.status(i.status)
        case .ticket(let t): s.status(t.status)
        case .approval(let a): s.status(a.status)
        }
    }

    /// What the prompt shows of it: `J20261202-0138 火灾 江北区 滨湖区湖心路8号 · 已派`.
    func summary(_ c: ConsoleContext) -> String {
        let s = c.strings
        switch self {
        case .incident(let i):
            return "\(i.id) \(c.incidentTypeName(i.typeCode)) \(c.districtName(i.district)) \(i.address) · \(s.status(i.status))"
        case .ticket(let t):
            return "\(t.id) \(c.categoryName(t.category)) \(c.districtName(t.district)) \(t.summary) · \(s.status(t.status))"
        case .approval(let a):
            return "\(a.id) \(a.itemName) \(a.applicant) · \(s.status(a.status))"
        }
    }
}

/// A record by kind and id: what the console asks the replica for when it checks a target
/// before sending, says where a departed row went, or jumps to an outcome's record.
public enum RecordRef: Hashable, Sendable {
    case incident(String)
    case ticket(String)
    case approval(String)

    public var id: String {
        switch self {
        case .incident(let id), .ticket(let id), .approval(let id): id
        }
    }

    /// The pane whose queue lists it.
    var pane: PaneID {
        switch self {
        case .incident: .dispatch
        case .ticket: .hotline
        case .approval: .approvals
        }
    }

    /// The record a command names, by its declaration's target (nil for a create), or the record
    /// id central answered with.
    init?(command name: Command.Name, id: String?) {
        guard let id else { return nil }
        switch name {
        case .createIncident, .dispatch, .workIncident, .resolveIncident, .closeIncident, .cancelIncident, .mergeIncident,
             .noteIncident, .linkIncident, .checkPlanItem, .reportIncident, .prioritizeIncident, .countCasualties, .handoffIncident:
            self = .incident(id)
        case .createTicket, .transferTicket, .acceptTicket, .returnTicket, .replyTicket, .recordCallback, .escalateTicket, .noteTicket:
            self = .ticket(id)
        case .createApproval, .startReview, .signOff: self = .approval(id)
        case .updateUnitStatus, .moveUnit: return nil
        }
    }
}

/// Why a record is read by itself.
public enum RecordPurpose: Hashable, Sendable {
    /// Before a verb is sent: has its target changed since the `:` line opened?
    case verify
    /// The selected row left its list; the cursor moved to `next` (an id, nil if the list emptied).
    case departed(next: String?)
    /// `g`: show the record of the last outcome.
    case open
}
