import FenghuoConsole
import FenghuoDomain
import FenghuoProtocol
import FenghuoSync
import Foundation

/// The console's line to its agent: one long-lived connection, followed by a thread of its own
/// that hands the agent's events to the program loop as messages. Commands are written to the
/// same connection tagged with request ids; the loop never waits for the agent, and a submit
/// the agent does not answer within `answerTimeout` is reported as such.
final class AgentLink: @unchecked Sendable {
    let socketPath: String
    /// Seconds a submit waits for "queued" before the console says the agent is not answering.
    static let answerTimeout: TimeInterval = 3
    private let lock = NSLock()
    private var queue: [ConsoleMsg] = []
    private var stopped = false
    private var client: AgentClient?
    private var nextRequest: Int64 = 1
    /// Submits sent and not yet answered: request id → (request, when sent, reported late).
    private var unanswered: [Int64: (request: CommandRequest, sent: Date, late: Bool)] = [:]
    /// Logins sent and not yet answered (their request ids).
    private var logins: Set<Int64> = []
    /// Writes to the agent happen here, never on the UI thread.
    private let writer = DispatchQueue(label: "agent-link.write")

    init(socketPath: String) {
        self.socketPath = socketPath
    }

    func start() {
        let thread = Thread { [self] in follow() }
        thread.name = "agent-link"
        thread.start()
    }

    func stop() {
        lock.withLock { stopped = true }
    }

    /// The messages that arrived since the last call (and the submits that timed out).
    func drain() -> [ConsoleMsg] {
        lock.withLock {
            let now = Date()
            // Still waited for: a late "queued" is shown when it comes.
            for (id, pending) in unanswered where !pending.late && now.timeIntervalSince(pending.sent) > Self.answerTimeout {
                unanswered[id]?.late = true
                queue.append(.agent(.notAnswering(label: pending.request.label)))
            }
            defer { queue.removeAll() }
            return queue
        }
    }

    private func post(_ msg: ConsoleMsg) {
        lock.withLock { queue.append(msg) }
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func follow() {
        var reported = false
        while !isStopped {
            do {
                let client = try AgentClient(socketPath: socketPath)
                try client.send(.subscribe)
                lock.withLock { self.client = client }
                reported = false
                while !isStopped {
                    let line = try client.nextLine(timeout: 5)
                    for msg in messages(for: line) { post(msg) }
                }
            } catch AgentClient.Failure.timedOut {
                // The agent sends its status every second; silence means it stopped.
                abandonConnection()
                if !reported { post(.agent(.disconnected("the agent did not answer in 5 s"))) }
                reported = true
            } catch {
                abandonConnection()
                if !reported { post(.agent(.disconnected("\(error)"))) }
                reported = true
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
    }

    /// Forgets the connection; a submit still waiting on it is reported as not answered (its
    /// answer can no longer come).
    private func abandonConnection() {
        lock.withLock {
            client = nil
            for pending in unanswered.values where !pending.late {
                queue.append(.agent(.notAnswering(label: pending.request.label)))
            }
            unanswered.removeAll()
        }
    }

    /// What an event means to the console: an answer to one of its submits, or news.
    private func messages(for line: AgentEventLine) -> [ConsoleMsg] {
        if let id = line.replyTo, lock.withLock({ logins.remove(id) }) != nil {
            // The agent's answer to a password: its state after the login it tried.
            return [.agent(.loginAnswered(line.event.status?.state))]
        }
        if let id = line.replyTo {
            guard let pending = lock.withLock({ unanswered.removeValue(forKey: id) }) else { return [] }
            switch line.event {
            case .queued(let m, _): return [.agent(.queued(id: m, label: pending.request.label, command: pending.request.command))]
            case .rejected(_, let rejection, _): return [.agent(.rejected(id: 0, rejection))]
            default: return [.failed(line.event.message ?? "the agent did not queue \(pending.request.label)")]
            }
        }
        return Self.notice(line.event).map { [.agent($0)] } ?? []
    }

    static func notice(_ event: AgentEvent) -> AgentNotice? {
        switch event {
        case .status(let s):
            return .status(SyncStatus(online: s.online, phase: s.phase, lagSeq: s.lagSeq, lagMs: s.lagMs, outbox: s.outbox,
                                      lastSyncAt: s.lastSyncAt.map(Date.init(timeIntervalSince1970:)),
                                      snapshotDone: s.snapshotDone, snapshotTotal: s.snapshotTotal, revoked: s.revoked != nil,
                                      connection: s.state, dataAsOf: s.dataAsOf.map(Date.init(timeIntervalSince1970:)),
                                      username: s.username, role: s.role.flatMap(Role.init(rawValue:))))
        case .changed: return .changed
        case .applied(let m, let subject): return .applied(id: m, subject: subject)
        case .rejected(let m, let rejection, let subject): return m.map { .rejected(id: $0, rejection, subject: subject) }
        // What anyone queued on this agent (this console's own submits are answered above too).
        case .queued(let m, let subject): return subject.map { .seenQueued(id: m, subject: $0) }
        case .error: return nil
        }
    }

    /// Hands the agent a new password without waiting; its answer (the state after the login it
    /// tried) comes back as a message. The password is written to the socket only, never kept.
    func login(password: String) -> [ConsoleMsg] {
        let (client, id): (AgentClient?, Int64) = lock.withLock {
            defer { nextRequest += 1 }
            return (self.client, nextRequest)
        }
        guard let client else { return [.agent(.loginAnswered(nil))] }
        lock.withLock { _ = logins.insert(id) }
        writer.async { [self] in
            do {
                try client.send(.login(password: password), id: id)
            } catch {
                if lock.withLock({ logins.remove(id) }) != nil { post(.failed("\(error)")) }
            }
        }
        return []
    }

    /// Sends a command to the agent without waiting; its answer comes back as a message.
    func submit(_ request: CommandRequest) -> [ConsoleMsg] {
        let (client, id): (AgentClient?, Int64) = lock.withLock {
            defer { nextRequest += 1 }
            return (self.client, nextRequest)
        }
        guard let client else {
            return [.agent(.notAnswering(label: request.label))]
        }
        lock.withLock { unanswered[id] = (request, Date(), false) }
        writer.async { [self] in
            do {
                try client.send(.submit(request.command, baseVersion: request.baseVersion, wait: false), id: id)
            } catch {
                if lock.withLock({ unanswered.removeValue(forKey: id) }) != nil {
                    post(.failed("\(error)"))
                }
            }
        }
        return []
    }
}
