import FenghuoDomain
import FenghuoProtocol
@testable import FenghuoSync
import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A central that speaks just enough of `/v1` on a loopback port to put a real agent where a
/// real central puts it only by accident: a smaller body limit (a proxy), a gap that never
/// closes, a refusal that lives only in the push answer, a status this build does not know.
/// One console (`duty1`); the feed carries no records, only the counters.
final class ScriptedCentral: Sendable {
    struct State {
        /// The last mutation id applied for the console.
        var last: Int64 = 0
        /// Every command central recorded (applied or rejected), in order.
        var recorded: [CommandEnvelope] = []
        var pushes = 0
        var refusedAsTooLarge = 0
        /// Bodies over this are answered 413.
        var bodyLimit = ProtocolLimits.maxBody
        /// When set, every push is answered `mutation_gap` expecting this id.
        var gapExpecting: Int64?
        /// Pushes are answered 503 (commands pile up in the outbox meanwhile).
        var pushesDown = false
        /// The status (raw, to send ones this build does not know) and reason to answer for a
        /// mutation id instead of `applied`.
        var answers: [Int64: (status: String, reason: CommandRejection?)] = [:]
    }

    /// The script and the record, shared with the route handlers.
    final class Shared: Sendable {
        private let mutex = Mutex(State())
        func withLock<R>(_ body: (inout State) throws -> R) rethrows -> R { try mutex.withLock { try body(&$0) } }
    }

    let state = Shared()
    let port: Int
    private let server: Task<Void, any Error>
    static let scope = "role:duty,dept:cmd"
    static let epoch = "e1"

    init() async throws {
        let router = Router()
        let (ports, portIn) = AsyncStream<Int>.makeStream()
        let state = state
        router.post("v1/login") { _, _ in
            let user = User(username: "duty1", name: "值班员", role: .duty, department: "cmd")
            return try Self.json(.ok, LoginResponse(token: "t", expiresAt: Int64(Date().timeIntervalSince1970) + 3600,
                                                    user: user, epoch: Self.epoch))
        }
        router.get("v1/snapshot") { _, _ in
            let last = state.withLock { $0.last }
            return try Self.json(.ok, SnapshotPage(cursor: FeedCursor(epoch: Self.epoch, seq: 0), lastMutationID: last,
                                                   scope: Self.scope, total: 0, tables: [], next: nil))
        }
        router.get("v1/changes") { _, _ in
            // A short hold stands in for the long-poll.
            try await Task.sleep(for: .milliseconds(50))
            let last = state.withLock { $0.last }
            return try Self.json(.ok, ChangesResponse(changes: [], cursor: FeedCursor(epoch: Self.epoch, seq: 0),
                                                      lastMutationID: last, head: 0, scope: Self.scope))
        }
        router.post("v1/push") { request, _ in
            let (limit, down) = state.withLock { ($0.bodyLimit, $0.pushesDown) }
            if down { return try Self.json(.serviceUnavailable, ErrorBody(error: .init(code: .internalError, message: "down for the test"))) }
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: limit)
            } catch {
                state.withLock { $0.refusedAsTooLarge += 1 }
                return try Self.json(.contentTooLarge, ErrorBody(error: .init(code: .tooLarge, message: "request body over \(limit) bytes")))
            }
            let push = try JSONDecoder().decode(PushRequest.self, from: Data(buffer: body))
            return try state.withLock { s in
                s.pushes += 1
                if let expected = s.gapExpecting {
                    return try Self.json(.conflict, ErrorBody(error: .init(code: .mutationGap, message: "expected \(expected)", expected: expected)))
                }
                var results: [RawResult] = []
                for command in push.commands {
                    if command.mutationID <= s.last {
                        results.append(RawResult(mutationID: command.mutationID, status: "duplicate", reason: nil))
                        continue
                    }
                    guard command.mutationID == s.last + 1 else {
                        return try Self.json(.conflict, ErrorBody(error: .init(code: .mutationGap, message: "expected \(s.last + 1)",
                                                                               expected: s.last + 1)))
                    }
                    s.last = command.mutationID
                    s.recorded.append(command)
                    // Like central: a command that breaks its declaration is refused, not run.
                    if command.args[PushBatch.standInKey] != nil {
                        results.append(RawResult(mutationID: command.mutationID, status: "rejected",
                                                 reason: CommandRejection(.unknownArgument(command: command.name, key: PushBatch.standInKey, accepted: []))))
                        continue
                    }
                    let answer = s.answers[command.mutationID] ?? ("applied", nil)
                    results.append(RawResult(mutationID: command.mutationID, status: answer.status, reason: answer.reason))
                }
                return try Self.json(.ok, RawResponse(results: results))
            }
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in portIn.yield(channel.localAddress?.port ?? 0) },
                              logger: Logger(label: "scripted-central", factory: { _ in SwiftLogNoOpLogHandler() }))
        server = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = ports.makeAsyncIterator()
        port = await iterator.next() ?? 0
    }

    deinit { server.cancel() }

    var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// A push result with its status as text: a real central's, or one this build does not know.
    struct RawResult: Encodable {
        let mutationID: Int64
        let status: String
        let reason: CommandRejection?
    }

    struct RawResponse: Encodable { let results: [RawResult] }

    static func json(_ status: HTTPResponse.Status, _ value: some Encodable) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(value))))
    }
}

/// An agent run in this process against `central`, in a folder of its own.
final class AgentUnderTest: Sendable {
    let agent: Agent
    let directory: URL
    private let running: Task<Void, Never>

    init(central: URL, pushBatch: Int = 500) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("fenghuo-agent-\(UUID().uuidString.prefix(8))")
        var config = Agent.Configuration(central: central, paths: AgentPaths(directory: directory.path), username: "duty1",
                                         password: "demoduty")
        config.pushBatch = pushBatch
        config.longPoll = 1
        agent = try Agent(config, logger: Logger(label: "agent-under-test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let agent = agent
        running = Task { await agent.run() }
    }

    deinit {
        running.cancel()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The command's outcome, or nil when it has not settled within `timeout` seconds.
    func outcome(_ id: Int64, timeout: Double = 10) async -> AgentEvent? {
        let agent = agent
        let once = Once()
        return await withCheckedContinuation { continuation in
            once.set(continuation)
            Task { once.resume(await agent.outcome(of: id)) }
            Task {
                try? await Task.sleep(for: .seconds(timeout))
                once.resume(nil)
            }
        }
    }

    /// Resumes a continuation once, whichever comes first.
    private final class Once: Sendable {
        private let continuation = Mutex<CheckedContinuation<AgentEvent?, Never>?>(nil)
        func set(_ c: CheckedContinuation<AgentEvent?, Never>) { continuation.withLock { $0 = c } }
        func resume(_ event: AgentEvent?) {
            continuation.withLock {
                $0?.resume(returning: event)
                $0 = nil
            }
        }
    }
}

/// A new incident whose narrative is `size` bytes of ASCII, built directly (the declaration's
/// length check is the console's and central's; the agent must cope with any size).
func incident(narrativeBytes size: Int, marker: String = "") -> Command {
    let narrative = marker + String(repeating: "x", count: max(0, size - marker.utf8.count))
    return .createIncident(NewIncident(type: "theft", district: "binhu", address: "滨湖区湖心路8号", narrative: narrative))
}
