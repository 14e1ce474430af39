import FenghuoDomain
import FenghuoProtocol
import FenghuoSync
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GRDB
import Testing
import TestSupport

/// A central server and agents as real processes on loopback, in a folder of their own.
final class SyncCluster {
    let root: URL
    let port: Int
    /// "https" once central is started with --tls-cert and --tls-key.
    var scheme = "http"
    private(set) var centralPID: pid_t?
    private var agentPIDs: [String: pid_t] = [:]

    /// A central store made once by the real `central init` at the fixed demo instant; each
    /// cluster works on a copy.
    static let template: URL = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fenghuo-central-template-\(getpid())")
        if !FileManager.default.fileExists(atPath: dir.appendingPathComponent("central.sqlite").path) {
            let made = try? Binary.run(["central", "init", "--data", dir.path])
            guard made?.status == 0 else { fatalError("central init failed: \(made?.output ?? "did not start")") }
        }
        return dir
    }()

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("fenghuo-sync-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        port = LoopbackPorts.fresh()
        try FileManager.default.copyItem(at: Self.template, to: centralDir)
    }

    deinit {
        for pid in agentPIDs.values { stop(pid, SIGKILL) }
        if let centralPID { stop(centralPID, SIGKILL) }
        if ProcessInfo.processInfo.environment["KEEP_SYNC_TEST"] == nil { try? FileManager.default.removeItem(at: root) }
    }

    var centralDir: URL { root.appendingPathComponent("central") }
    var base: URL { URL(string: "\(scheme)://127.0.0.1:\(port)")! }
    func agentDir(_ name: String) -> String { root.appendingPathComponent("agent-\(name)").path }
    func paths(_ name: String) -> AgentPaths { AgentPaths(directory: agentDir(name)) }

    // MARK: Processes

    func startCentral(extra: [String] = []) async throws {
        centralPID = try Subprocess.start(Binary.path, ["central", "serve", "--data", centralDir.path,
                                                        "--listen", "127.0.0.1:\(port)"] + extra,
                                          log: root.appendingPathComponent("central.log"))
        for _ in 0..<200 {
            // Over TLS this process's URLSession would not trust the test's CA: the server's own word.
            if scheme == "https" ? log("central.log").contains("Server started and listening") : (try? await http("GET", "healthz"))?.status == 200 {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("central did not come up; log:\n\(log("central.log"))")
    }

    func stopCentral(_ signal: Int32 = SIGKILL) {
        if let centralPID { stop(centralPID, signal) }
        centralPID = nil
    }

    @discardableResult
    func startAgent(_ name: String, user: String, password: String, central: String? = nil, extra: [String] = []) throws -> pid_t {
        let passwordFile = root.appendingPathComponent("password-\(name)")
        try Data((password + "\n").utf8).write(to: passwordFile)
        let pid = try Subprocess.start(Binary.path, ["agent", "--central", central ?? base.absoluteString, "--data", agentDir(name),
                                                     "--user", user, "--password-file", passwordFile.path] + extra,
                                       log: root.appendingPathComponent("agent-\(name).log"))
        agentPIDs[name] = pid
        return pid
    }

    func stopAgent(_ name: String, _ signal: Int32 = SIGKILL) {
        if let pid = agentPIDs.removeValue(forKey: name) { stop(pid, signal) }
    }

    private func stop(_ pid: pid_t, _ signal: Int32) {
        kill(pid, signal)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }

    func log(_ file: String) -> String {
        (try? String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)) ?? ""
    }

    // MARK: Talking to an agent

    /// A connection to the agent's socket, once it answers.
    func client(_ name: String, timeout: TimeInterval = 20) async throws -> AgentClient {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            do { return try AgentClient(socketPath: paths(name).socket) } catch {
                if Date() > deadline { throw error }
                try await Task.sleep(for: .milliseconds(10))
            }
        }
    }

    func status(_ name: String) async throws -> AgentStatus {
        let event = try await client(name).call(.status)
        return try #require(event.status)
    }

    /// Waits until the agent holds a finished replica, has an empty outbox and reads central's head.
    func waitSynced(_ name: String, timeout: TimeInterval = 60, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        var last: AgentStatus?
        while Date() < deadline {
            last = try? await status(name)
            if let s = last, s.online, s.phase == .ready, s.outbox == 0, s.lagSeq == 0 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("agent \(name) did not sync in \(timeout) s; last status \(String(describing: last))\n\(log("agent-\(name).log").suffix(3000))",
                     sourceLocation: sourceLocation)
    }

    /// Retries `check` until it holds or the time is up (replication is asynchronous).
    func eventually(_ timeout: TimeInterval = 20, _ check: () throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? check()) == true { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try check()
    }

    // MARK: Databases

    func centralDB() throws -> DatabaseQueue {
        var config = Configuration()
        config.readonly = true
        return try DatabaseQueue(path: centralDir.appendingPathComponent("central.sqlite").path, configuration: config)
    }

    func replicaDB(_ name: String) throws -> DatabaseQueue {
        var config = Configuration()
        config.readonly = true
        return try DatabaseQueue(path: paths(name).replica, configuration: config)
    }

    /// `id:version` of every row of a table, sorted.
    func rows(_ db: DatabaseQueue, _ sql: String) throws -> [String] {
        try db.read { try String.fetchAll($0, sql: sql) }
    }

    // MARK: HTTP, as another console would talk to central

    func http(_ method: String, _ path: String, token: String? = nil, body: String? = nil) async throws -> (status: Int, body: String) {
        // A query is kept as written (appendingPathComponent would escape its "?").
        let url = path.contains("?") ? URL(string: "\(base.absoluteString)/\(path)")! : base.appendingPathComponent(path)
        var r = URLRequest(url: url, timeoutInterval: 10)
        r.httpMethod = method
        if let token { r.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body { r.httpBody = Data(body.utf8) }
        let (data, response) = try await URLSession.shared.data(for: r)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    func login(_ user: String, _ password: String, clientID: String) async throws -> String {
        let answer = try await http("POST", "v1/login",
                                    body: #"{"username":"\#(user)","password":"\#(password)","clientID":"\#(clientID)","protocol":\#(ProtocolVersion.current)}"#)
        let object = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]
        return try #require(object?["token"] as? String, "login failed: \(answer.body)")
    }

    /// Pushes one command for another console straight to central.
    func push(token: String, clientID: String, mutationID: Int64, name: String, args: [String: String]) async throws -> String {
        let command = CommandEnvelope(clientID: clientID, mutationID: mutationID, name: name, args: args.mapValues { .text($0) })
        let body = String(decoding: try JSONEncoder().encode(PushRequest(commands: [command])), as: UTF8.self)
        return try await http("POST", "v1/push", token: token, body: body).body
    }
}

/// The arguments of the incident the end-to-end tests create: a theft in Binhu, told apart by
/// its narrative (what the tests count central's rows by).
func incident(_ narrative: String) -> [String: String] {
    ["type": "theft", "district": "binhu", "address": "滨湖区湖心路8号", "narrative": narrative]
}

/// Queues one command on an agent's socket; nil when the agent did not acknowledge it.
func queue(_ client: AgentClient, _ name: String, _ args: [String: String], baseVersion: Int? = nil, failureIsAnIssue: Bool = true) -> Int64? {
    let event: AgentEvent
    do {
        let command = try CommandInput.command(name, args.map { ($0.key, $0.value) }, catalog: nil)
        event = try client.call(.submit(command, baseVersion: baseVersion, wait: false), timeout: 10)
    } catch {
        if failureIsAnIssue { Issue.record("\(name) was not queued: \(error)") }
        return nil
    }
    guard event.kind == .queued else {
        if failureIsAnIssue { Issue.record("\(name) was answered \(event), not queued") }
        return nil
    }
    return event.mutationID
}
