import FenghuoConsole
import FenghuoSync
import Foundation

/// The console's line to its agent: a thread that follows the agent's events and hands them to
/// the program loop as messages, and the calls that send commands.
final class AgentLink: @unchecked Sendable {
    let socketPath: String
    private let lock = NSLock()
    private var queue: [ConsoleMsg] = []
    private var stopped = false

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

    /// The messages that arrived since the last call.
    func drain() -> [ConsoleMsg] {
        lock.withLock {
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
                try client.send(AgentRequest(op: .subscribe))
                reported = false
                while !isStopped {
                    let event = try client.next(timeout: 5)
                    if let notice = Self.notice(event) { post(.agent(notice)) }
                }
            } catch {
                if !reported { post(.agent(.disconnected("\(error)"))) }
                reported = true
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
    }

    static func notice(_ event: AgentEvent) -> AgentNotice? {
        switch event.kind {
        case .status:
            guard let s = event.status else { return nil }
            return .status(SyncStatus(online: s.online, phase: s.phase, lagSeq: s.lagSeq, lagMs: s.lagMs, outbox: s.outbox,
                                      lastSyncAt: s.lastSyncAt.map(Date.init(timeIntervalSince1970:)),
                                      snapshotDone: s.snapshotDone, snapshotTotal: s.snapshotTotal))
        case .changed: return .changed
        case .applied: return event.mutationID.map { .applied(id: $0) }
        case .rejected:
            return event.mutationID.map { .rejected(id: $0, code: event.code ?? "", message: event.message ?? "") }
        case .queued, .error: return nil
        }
    }

    /// Queues a command with the agent; the answer is a message for the loop.
    func submit(_ request: CommandRequest) -> [ConsoleMsg] {
        do {
            let client = try AgentClient(socketPath: socketPath)
            let event = try client.call(AgentRequest(op: .submit, name: request.name, args: request.args,
                                                     baseVersion: request.baseVersion), timeout: 5)
            switch event.kind {
            case .queued:
                return [.agent(.queued(id: event.mutationID ?? 0, label: request.label))]
            case .rejected:
                return [.agent(.rejected(id: 0, code: event.code ?? "", message: event.message ?? ""))]
            default:
                return [.failed(event.message ?? "the agent did not queue \(request.name)")]
            }
        } catch {
            return [.failed("\(error)")]
        }
    }
}
