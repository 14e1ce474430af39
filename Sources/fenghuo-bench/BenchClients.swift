import ArgumentParser
import FenghuoConsole
import FenghuoDomain
import FenghuoStore
import FenghuoProtocol
import FenghuoSync
import FenghuoTUI
import FenghuoLaunch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A console's upload path without the console: a login, a client id and its mutation ids.
final class BenchClient: @unchecked Sendable {
    let client: CentralClient
    let token: String
    let user: String
    let clientID: String
    private let lock = NSLock()
    private var next: Int64 = 1

    private init(client: CentralClient, token: String, user: String, clientID: String) {
        self.client = client
        self.token = token
        self.user = user
        self.clientID = clientID
    }

    static func login(_ url: URL, user: String, password: String) async throws -> BenchClient {
        let client = try CentralClient(base: url)
        let clientID = "bench-\(user)-\(UUID().uuidString.prefix(8).lowercased())"
        let answer = try await client.login(username: user, password: password, clientID: clientID)
        return BenchClient(client: client, token: answer.token, user: user, clientID: clientID)
    }

    func command(_ command: Command) -> CommandEnvelope {
        let id = lock.withLock {
            defer { next += 1 }
            return next
        }
        return CommandEnvelope(clientID: clientID, mutationID: id, command: command)
    }

    func push(_ commands: [CommandEnvelope]) async throws -> PushResponse {
        try await client.push(token: token, commands: commands)
    }
}

struct CentralClientProbe {
    let base: URL

    /// Seconds for one GET /healthz.
    func healthRoundTrip() async throws -> Double {
        let started = Date()
        _ = try await URLSession.shared.data(from: base.appendingPathComponent("healthz"))
        return Date().timeIntervalSince(started)
    }
}

/// The console's work measured in a process of its own (so its memory is its own): the first
/// paint, frames that query and draw a page, and the dashboard's figures.
struct BenchProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-probe", shouldDisplay: false)

    @Option(name: .long) var replica: String
    @Option(name: .long) var frames: Int = 200

    func run() throws {
        let t0 = Date()
        let reader = try ReplicaReader(readOnlyAt: replica)
        let now = Date()
        var steps: [String: Double] = ["open": now.timeIntervalSince(t0) * 1000]
        for (name, effect) in [("directory", ConsoleEffect.load(.directory)), ("units", .load(.units))] {
            let started = Date()
            _ = reader.perform(effect)
            steps[name] = Date().timeIntervalSince(started) * 1000
        }
        for (name, list) in [("incidents", ListID.incidents), ("tickets", .tickets), ("approvals", .approvals)] {
            let started = Date()
            _ = reader.perform(.load(.list(ListQuery(list: list, page: PageRequest(limit: 40), intent: .reload))))
            steps[name] = Date().timeIntervalSince(started) * 1000
        }
        let size = Size(width: 120, height: 40)
        let backend = TestBackend(size: size)
        let theme = try Theme.load(named: "default", from: ProjectFiles.themes())
        let model = ConsoleModel(language: .zh, theme: theme, size: size, now: now, start: .dispatch)
        let program = Program(model: model, backend: backend, clock: { now }) { reader.perform($0) }
        program.send(.tick(now))
        program.render()
        let paintedAt = Date().timeIntervalSince1970
        var times: [Double] = []
        for i in 0..<frames {
            let started = Date()
            program.send(.key(i % 2 == 0 ? .pageDown : .pageUp))
            program.render()
            times.append(Date().timeIntervalSince(started) * 1000)
        }
        var dashboard: [Double] = []
        for _ in 0..<20 {
            let started = Date()
            _ = try reader.dashboard(at: now)
            dashboard.append(Date().timeIntervalSince(started) * 1000)
        }
        let rss = (ChildProcesses.peakRSS(getpid()) ?? 0) / 1024
        let object: [String: Any] = ["paintedAt": paintedAt, "frames": times, "dashboard": dashboard, "rssKB": rss,
                                     "steps": steps]
        print(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
    }
}
