import FenghuoDomain
import FenghuoProtocol
import FenghuoTUI
import Foundation

/// Which list a page belongs to, and what the user did to ask for it: the answer is merged
/// into the window according to the intent (scroll by one, page, jump, refresh in place).
public enum ListID: Hashable, Sendable { case incidents, tickets, approvals }

public enum ScrollIntent: Hashable, Sendable {
    case reload, refresh, lineDown, lineUp, pageDown, pageUp, top, bottom
    /// After a refresh lost the selected row: the list from that row on, to tell whether it is
    /// still in the list (then the window follows it) or has left it.
    case follow
}

public struct ListQuery: Hashable, Sendable {
    public var list: ListID
    public var page: PageRequest
    public var intent: ScrollIntent

    public init(list: ListID, page: PageRequest, intent: ScrollIntent) {
        self.list = list
        self.page = page
        self.intent = intent
    }
}

/// Reads the console asks the program loop to make (the loop owns the database).
public enum DataRequest: Hashable, Sendable {
    case directory
    case list(ListQuery)
    case units
    case ticketDetail(id: String)
    case dashboard(at: Date)
    /// The run card of an incident filled with the nearest free units by road.
    case recommendation(incidentID: String)
    /// The newest waiting P1 incidents, wherever the queue's window is.
    case urgentCalls
    /// What the alert line watches (`DispatchWatch`).
    case watch
    /// A unit's current incident and recent steps, at the console's time.
    case unitHistory(id: String, now: Date)
    /// One record by id, whatever list it is in (or none).
    case record(RecordRef, RecordPurpose)
    /// A caller's earlier incidents and tickets, for the new-incident form.
    case callerHistory(phone: String)
    /// Open incidents called in since then: what a new call may duplicate.
    case openIncidents(since: Date)
    /// 联动: the incidents linked with this one (its primary, the primary's parts), read by id.
    case linkedIncidents(of: String)
}

public enum DataResponse: Sendable {
    case directory(Directory, WorkingDayCalendar)
    case incidents(ListQuery, Page<Incident>)
    case tickets(ListQuery, Page<Ticket>)
    case approvals(ListQuery, Page<ApprovalCase>)
    case units([ResponseUnit])
    case ticketDetail(Ticket?, [KnowledgeArticle])
    case dashboard(DashboardFigures)
    /// Nil when the replica holds no road graph or the incident is gone.
    case recommendation(incidentID: String, Recommendation?)
    case urgentCalls([Incident])
    case watch(DispatchWatch)
    case unitHistory(id: String, UnitHistory?)
    /// The record as the replica holds it now; nil when the replica no longer has it.
    case record(RecordRef, RecordPurpose, Target?)
    case callerHistory(phone: String, incidents: [Incident], tickets: [Ticket])
    case openIncidents([Incident])
    case linkedIncidents(of: String, [Incident])
}

public enum ConsoleMsg: Sendable {
    case key(Key)
    case resize(Size)
    case tick(Date)
    case loaded(DataResponse)
    case failed(String)
    /// News from the sync agent.
    case agent(AgentNotice)
}

public enum ConsoleEffect: Hashable, Sendable {
    case load(DataRequest)
    /// Send a write to central through the agent.
    case submit(CommandRequest)
    /// Hand the agent a new password after central refused the last one (`AgentRequest.login`).
    case login(password: String)
}

/// A write as the console asks for it: a typed command, the version of the record the user was
/// looking at, and a short label for the messages about it.
public struct CommandRequest: Hashable, Sendable {
    public var command: Command
    public var baseVersion: Int?
    public var label: String

    public init(_ command: Command, baseVersion: Int? = nil, label: String) {
        self.command = command
        self.baseVersion = baseVersion
        self.label = label
    }
}

/// The agent's state as the status bar shows it.
public struct SyncStatus: Hashable, Sendable {
    public var online: Bool
    public var phase: AgentPhase
    public var lagSeq: Int64
    public var lagMs: Int64
    public var outbox: Int
    public var lastSyncAt: Date?
    public var snapshotDone: Int
    public var snapshotTotal: Int
    /// Central revoked this console: its data is wiped and it syncs no more.
    public var revoked: Bool
    /// The agent's link to central as one state with its reason: what the status bar says.
    public var connection: ConnectionState
    /// When central last vouched the replica current: the one age the status bar shows.
    public var dataAsOf: Date?
    /// Who the agent logs in as (the password prompt names them).
    public var username: String
    /// The user's role as central knows it (nil from an older agent, or before a login).
    public var role: Role? = nil

    /// Without `connection` (an older agent) the state follows `online` and `revoked`; without
    /// `dataAsOf`, the last sync stands for it.
    public init(online: Bool, phase: AgentPhase, lagSeq: Int64, lagMs: Int64, outbox: Int, lastSyncAt: Date?,
                snapshotDone: Int = 0, snapshotTotal: Int = 0, revoked: Bool = false, connection: ConnectionState? = nil,
                dataAsOf: Date? = nil, username: String = "", role: Role? = nil) {
        self.username = username
        self.role = role
        self.revoked = revoked
        self.connection = connection ?? (revoked ? .revoked : online ? .online : .offline)
        self.dataAsOf = dataAsOf ?? lastSyncAt
        self.online = online
        self.phase = phase
        self.lagSeq = lagSeq
        self.lagMs = lagMs
        self.outbox = outbox
        self.lastSyncAt = lastSyncAt
        self.snapshotDone = snapshotDone
        self.snapshotTotal = snapshotTotal
    }
}

public enum AgentNotice: Sendable, Equatable {
    case status(SyncStatus)
    /// The command is in the outbox (on disk) under this mutation id, with the request's label
    /// and command (this console's own submit).
    case queued(id: Int64, label: String, command: Command? = nil)
    /// A command queued on this console's agent, by this console or another client (the
    /// agent tells every subscriber).
    case seenQueued(id: Int64, subject: CommandSubject)
    /// With what it was, when the agent says (its record: for a create, the new one).
    case applied(id: Int64, subject: CommandSubject? = nil)
    /// Refused by central (with its mutation id) or by the agent before queueing (id 0).
    case rejected(id: Int64, CommandRejection, subject: CommandSubject? = nil)
    /// The replica changed: re-read what is on screen.
    case changed
    /// The agent's socket does not answer.
    case disconnected(String)
    /// A command was sent and the agent did not say it queued it (stopped, or too busy).
    case notAnswering(label: String)
    /// The agent's answer to a new password: its state after the login it tried, or nil when it
    /// took none (it was not waiting for one, or did not answer).
    case loginAnswered(ConnectionState?)
}

/// The reads behind `DataRequest`, implemented over the replica by the executable.
public protocol ConsoleDataSource {
    func directory() throws -> Directory
    func calendar() throws -> WorkingDayCalendar
    func incidents(_ request: PageRequest) throws -> Page<Incident>
    func tickets(_ request: PageRequest) throws -> Page<Ticket>
    func approvals(_ request: PageRequest) throws -> Page<ApprovalCase>
    func units() throws -> [ResponseUnit]
    func ticket(id: String) throws -> Ticket?
    func incident(id: String) throws -> Incident?
    func approval(id: String) throws -> ApprovalCase?
    func knowledge(for ticket: Ticket, limit: Int) throws -> [KnowledgeArticle]
    func dashboard(at now: Date) throws -> DashboardFigures
    func recommendation(for id: String) throws -> Recommendation?
    func urgentCalls() throws -> [Incident]
    func dispatchWatch() throws -> DispatchWatch
    func unitHistory(id: String, now: Date, days: Int) throws -> UnitHistory?
    func callerHistory(phone: String, limit: Int) throws -> (incidents: [Incident], tickets: [Ticket])
    func openIncidents(since: Date) throws -> [Incident]
}

extension ConsoleDataSource {
    /// The incidents linked with `id`, the incident itself left out: its primary and every part
    /// of the primary (or its own parts), each read by id; a bounded walk, as links are few.
    func linkedIncidents(of id: String) throws -> [Incident] {
        guard let incident = try incident(id: id) else { return [] }
        var primary = incident
        if let up = incident.linkedPrimary, let found = try self.incident(id: up) { primary = found }
        var group = primary.id == incident.id ? [] : [primary]
        for part in primary.linkedParts.prefix(8) where part != incident.id {
            if let found = try self.incident(id: part) { group.append(found) }
        }
        return group
    }

    /// Runs one effect; its answer (or its failure) comes back as a message.
    public func perform(_ effect: ConsoleEffect) -> [ConsoleMsg] {
        guard case .load(let request) = effect else {
            return [.failed("no agent: this console reads a local database and cannot send commands (start it with --data)")]
        }
        do {
            switch request {
            case .directory:
                return [.loaded(.directory(try directory(), try calendar()))]
            case .list(let query):
                switch query.list {
                case .incidents: return [.loaded(.incidents(query, try incidents(query.page)))]
                case .tickets: return [.loaded(.tickets(query, try tickets(query.page)))]
                case .approvals: return [.loaded(.approvals(query, try approvals(query.page)))]
                }
            case .units:
                return [.loaded(.units(try units()))]
            case .ticketDetail(let id):
                let found = try ticket(id: id)
                return [.loaded(.ticketDetail(found, try found.map { try knowledge(for: $0, limit: 3) } ?? []))]
            case .dashboard(let now):
                return [.loaded(.dashboard(try dashboard(at: now)))]
            case .urgentCalls:
                return [.loaded(.urgentCalls(try urgentCalls()))]
            case .watch:
                return [.loaded(.watch(try dispatchWatch()))]
            case .unitHistory(let id, let now):
                return [.loaded(.unitHistory(id: id, try unitHistory(id: id, now: now, days: 7)))]
            case .callerHistory(let phone):
                let found = try callerHistory(phone: phone, limit: IncidentIntake.historyLimit)
                return [.loaded(.callerHistory(phone: phone, incidents: found.incidents, tickets: found.tickets))]
            case .openIncidents(let since):
                return [.loaded(.openIncidents(try openIncidents(since: since)))]
            case .recommendation(let id):
                return [.loaded(.recommendation(incidentID: id, try recommendation(for: id)))]
            case .linkedIncidents(let id):
                return [.loaded(.linkedIncidents(of: id, try linkedIncidents(of: id)))]
            case .record(let ref, let purpose):
                let found: Target? = switch ref {
                case .incident(let id): try incident(id: id).map(Target.incident)
                case .ticket(let id): try ticket(id: id).map(Target.ticket)
                case .approval(let id): try approval(id: id).map(Target.approval)
                }
                return [.loaded(.record(ref, purpose, found))]
            }
        } catch {
            return [.failed("\(error)")]
        }
    }
}
