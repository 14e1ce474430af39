import FenghuoDomain
import FenghuoProtocol
import FenghuoSync
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GRDB
import Testing
import TestSupport

/// Issue 10, tokens: a console revoked on central (`fenghuo central revoke USER|CLIENT`) wipes
/// what it holds and never talks to central again, and an agent without its password stays
/// logged in by refreshing its token. Real central, real agents, the real CLI.
@Suite("Revoked consoles and refreshed tokens", .serialized, .processes)
struct AgentRevocationTests {
    static let duty = ("duty1", "demoduty")
    /// A caller's phone in the queued commands: it must not outlive the revocation on disk.
    static let phone = "13912345678"

    func incident(_ narrative: String) -> [String: String] {
        ["type": "theft", "district": "binhu", "address": "滨湖区湖心路8号", "narrative": narrative,
         "caller": "张三", "phone": Self.phone]
    }

    // MARK: Revocation

    @Test func an_agent_whose_user_is_revoked_wipes_its_replica_and_queue_sends_nothing_more_and_does_not_start_again() async throws {
        let c = try SyncCluster()
        try await c.startCentral()
        let relay = try CountingRelay(to: c.port)
        defer { relay.stop() }
        let agent = try AgentProcess(c, "a", central: relay.url, user: Self.duty.0, password: Self.duty.1)
        try await c.waitSynced("a")
        let client = try await c.client("a")
        let applied = try #require(queue(client, "createIncident", incident("revocation-applied")))
        #expect(try client.call(.wait(mutationID: applied), timeout: 20).kind == .applied)

        // Given two commands with a caller's name and phone queued while central is away,
        c.stopCentral()
        for i in 0..<2 { _ = try #require(queue(client, "createIncident", incident("revocation-queued-\(i)"))) }
        #expect(try await c.status("a").outbox == 2)
        // when the operator revokes the user with the real CLI and central comes back,
        let revoke = try Binary.run(["central", "revoke", Self.duty.0, "--data", c.centralDir.path])
        #expect(revoke.status == 0, "\(revoke.output)")
        try await c.startCentral()
        let back = Date()

        // then within a few seconds the agent says it is revoked and holds nothing.
        let status = try await waitRevoked(c, "a", timeout: 15)
        print("revoked status \(String(format: "%.1f", Date().timeIntervalSince(back))) s after central came back")
        #expect(status.revoked?.contains("revoked") == true, "\(status)")
        #expect(!status.online && status.outbox == 0 && status.phase == .empty)
        try expectWiped(c, "a")
        #expect(c.log("agent-a.log").split(separator: "\n").filter { $0.contains("wiped") }.count == 1,
                "one line says what was wiped:\n\(c.log("agent-a.log").suffix(2000))")
        // A submit is refused, with the reason; `wait` does not hang.
        let refused = try await c.client("a").call(.submit(try CommandInput.command("createIncident", incident("after-revocation").map { ($0.key, $0.value) },
                                                                                  catalog: nil), baseVersion: nil, wait: false))
        #expect(refused.kind == .rejected && refused.mutationID == nil && refused.rejection?.code == ErrorCode.revoked.rawValue, "\(refused)")
        #expect(try await c.client("a").call(.wait(mutationID: applied), timeout: 5).kind == .error)
        let cli = try Binary.run(["status", "--data", c.agentDir("a")])
        #expect(cli.output.contains("REVOKED"), "\(cli.output)")

        // Central hears nothing more from it, not even once the user is let back in.
        let reinstate = try Binary.run(["central", "user", Self.duty.0, "--reinstate", "--data", c.centralDir.path])
        #expect(reinstate.status == 0, "\(reinstate.output)")
        let before = relay.bytesSent
        try await Task.sleep(for: .seconds(5))
        #expect(relay.bytesSent == before, "the revoked agent sent \(relay.bytesSent - before) bytes to central")
        let metrics = try await c.http("GET", "metrics").body
        #expect(metrics.contains("fenghuo_pull_seconds_count 0"), "central answered pulls after the revocation:\n\(metrics)")
        #expect(try await c.status("a").revoked != nil)

        // A restart on the same folder exits non-zero, saying why and what to do; it makes no replica.
        agent.stop()
        let restart = try await AgentProcess.run(c, "a", central: relay.url, user: Self.duty.0, password: Self.duty.1)
        #expect(restart.status != nil && restart.status != 0, "the restarted agent did not exit: \(restart.output.suffix(1000))")
        #expect(restart.output.contains("was revoked by central") && restart.output.contains("--reinstate"), "\(restart.output)")
        #expect(!FileManager.default.fileExists(atPath: c.paths("a").replica))
        #expect(relay.bytesSent == before)
    }

    @Test func an_online_agent_whose_console_is_revoked_by_client_id_is_wiped_at_once_and_the_console_says_so() async throws {
        let c = try SyncCluster()
        try await c.startCentral()
        let relay = try CountingRelay(to: c.port)
        defer { relay.stop() }
        let agent = try AgentProcess(c, "a", central: relay.url, user: Self.duty.0, password: Self.duty.1)
        try await c.waitSynced("a")
        let clientID = try await c.status("a").clientID
        let tmux = try Tmux(width: 120, height: 40, command: Binary.console(onAgent: c.agentDir("a")))
        tmux.waitFor(text: "● 在线")

        // Revoked by its client id while it waits in a long-poll: told within a second or two.
        let revoke = try Binary.run(["central", "revoke", clientID, "--data", c.centralDir.path])
        #expect(revoke.status == 0 && revoke.output.contains("console \(clientID) revoked"), "\(revoke.output)")
        let revokedAt = Date()
        let status = try await waitRevoked(c, "a", timeout: 10)
        print("revoked by client id: wiped \(String(format: "%.1f", Date().timeIntervalSince(revokedAt))) s after `central revoke`")
        #expect(status.revoked?.contains(clientID) == true, "\(status)")
        try expectWiped(c, "a")
        tmux.waitFor(text: "本终端已被中心吊销：本地数据已清除，请联系管理员", timeout: 10)
        tmux.press("q")
        _ = tmux.waitForExit()

        let refused = try await c.client("a").call(.submit(try CommandInput.command("createIncident", incident("after-revocation").map { ($0.key, $0.value) },
                                                                                  catalog: nil), baseVersion: nil, wait: false))
        #expect(refused.rejection?.code == ErrorCode.revoked.rawValue, "\(refused)")
        let before = relay.bytesSent
        try await Task.sleep(for: .seconds(4))
        #expect(relay.bytesSent == before, "the revoked agent sent \(relay.bytesSent - before) bytes to central")

        agent.stop()
        let restart = try await AgentProcess.run(c, "a", central: relay.url, user: Self.duty.0, password: Self.duty.1)
        #expect(restart.status != nil && restart.status != 0, "the restarted agent did not exit: \(restart.output.suffix(1000))")
        #expect(restart.output.contains(clientID) && restart.output.contains("new --data folder"), "\(restart.output)")
        #expect(relay.bytesSent == before)
    }

    @Test func a_status_line_from_an_older_agent_reads_as_not_revoked() throws {
        let old = #"{"kind":"status","status":{"username":"duty1","clientID":"c-1","online":true,"phase":"ready","cursor":5,"head":5,"lagSeq":0,"lagMs":0,"outbox":0,"snapshotDone":0,"snapshotTotal":0,"searchReady":true}}"#
        let line = try JSONDecoder().decode(AgentEventLine.self, from: Data(old.utf8))
        #expect(line.event.status?.revoked == nil)
        var revoked = try #require(line.event.status)
        revoked.revoked = "user duty1 was revoked by an administrator"
        let again = try JSONDecoder().decode(AgentEventLine.self, from: JSONEncoder().encode(AgentEventLine(.status(revoked))))
        #expect(again.event.status?.revoked == revoked.revoked)
    }

    // MARK: Refresh

    @Test func an_agent_without_its_password_keeps_syncing_past_its_tokens_lifetime_by_refreshing() async throws {
        let c = try SyncCluster()
        let lifetime = 10.0
        try await c.startCentral(extra: ["--token-lifetime", "\(Int(lifetime))"])
        // Given a token from a first run with the password, and the password gone,
        try c.startAgent("a", user: Self.duty.0, password: Self.duty.1)
        try await c.waitSynced("a")
        c.stopAgent("a")
        try FileManager.default.removeItem(at: c.root.appendingPathComponent("password-a"))
        let first = try tokenExpiry(c, "a")
        let agent = try AgentProcess(c, "a", central: c.base.absoluteString, user: Self.duty.0, password: nil)
        defer { agent.stop() }
        try await c.waitSynced("a", timeout: 20)

        // when three of its lifetimes pass, the agent stays online throughout,
        let started = Date()
        while Date().timeIntervalSince(started) < 3 * lifetime {
            try await Task.sleep(for: .seconds(2))
            let s = try await c.status("a")
            #expect(s.online && s.lastError == nil, "\(Int(Date().timeIntervalSince(started))) s on: \(s)\n\(c.log("agent-a.log").suffix(1500))")
        }
        // and a command queued then still goes through.
        let client = try await c.client("a")
        let id = try #require(queue(client, "createIncident", incident("after-three-lifetimes")))
        #expect(try client.call(.wait(mutationID: id), timeout: 20).kind == .applied, "\(c.log("agent-a.log").suffix(1500))")
        let latest = try tokenExpiry(c, "a")
        #expect(latest >= first + Int64(2 * lifetime), "the saved token expires at \(latest), the first at \(first)")
        let log = c.log("agent-a.log")
        #expect(log.components(separatedBy: "refreshed the token").count - 1 >= 3, "\(log.suffix(2000))")
        #expect(!log.contains("no password was given"), "\(log.suffix(2000))")
    }

    // MARK: Helpers

    func waitRevoked(_ c: SyncCluster, _ name: String, timeout: TimeInterval,
                     sourceLocation: SourceLocation = #_sourceLocation) async throws -> AgentStatus {
        let deadline = Date().addingTimeInterval(timeout)
        var last: AgentStatus?
        while Date() < deadline {
            last = try? await c.status(name)
            if let last, last.revoked != nil { return last }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("agent \(name) did not report a revocation in \(timeout) s; last status \(String(describing: last))\n\(c.log("agent-\(name).log").suffix(2000))",
                     sourceLocation: sourceLocation)
        throw CancellationError()
    }

    /// The replica's files and the token are gone, the folder is marked, the outbox holds no
    /// command, and no byte of the callers' phone is left in its files.
    func expectWiped(_ c: SyncCluster, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let paths = c.paths(name)
        for file in [paths.replica, paths.replica + "-wal", paths.replica + "-shm", paths.token] {
            #expect(!FileManager.default.fileExists(atPath: file), "\(file) is still there", sourceLocation: sourceLocation)
        }
        #expect(FileManager.default.fileExists(atPath: paths.revocationMark), sourceLocation: sourceLocation)
        var config = Configuration()
        config.readonly = true
        let outbox = try DatabaseQueue(path: paths.outbox, configuration: config)
        #expect(try outbox.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM outbox") } == 0, sourceLocation: sourceLocation)
        try outbox.close()
        for file in [paths.outbox, paths.outbox + "-wal"] {
            let bytes = FileManager.default.contents(atPath: file) ?? Data()
            #expect(bytes.range(of: Data(Self.phone.utf8)) == nil, "\(file) still holds the caller's phone", sourceLocation: sourceLocation)
        }
    }

    func tokenExpiry(_ c: SyncCluster, _ name: String) throws -> Int64 {
        struct Saved: Decodable { let expiresAt: Int64 }
        return try JSONDecoder().decode(Saved.self, from: Data(contentsOf: URL(fileURLWithPath: c.paths(name).token))).expiresAt
    }
}

/// An agent this suite starts itself (SyncCluster's always has a password and goes straight
/// to central); killed when the test ends.
final class AgentProcess {
    let pid: pid_t
    private var stopped = false

    init(_ c: SyncCluster, _ name: String, central: String, user: String, password: String?) throws {
        pid = try Subprocess.start(Binary.path, try Self.arguments(c, name, central: central, user: user, password: password),
                                   log: c.root.appendingPathComponent("agent-\(name).log"), environment: ["FENGHUO_PASSWORD": ""])
    }

    static func arguments(_ c: SyncCluster, _ name: String, central: String, user: String, password: String?) throws -> [String] {
        var arguments = ["agent", "--central", central, "--data", c.agentDir(name), "--user", user]
        if let password {
            let file = c.root.appendingPathComponent("password-\(name)")
            try Data((password + "\n").utf8).write(to: file)
            arguments += ["--password-file", file.path]
        }
        return arguments
    }

    /// Starts an agent and waits up to `timeout` for it to exit: its status (nil if it did not
    /// exit, then it is killed) and what it printed.
    static func run(_ c: SyncCluster, _ name: String, central: String, user: String, password: String?,
                    timeout: TimeInterval = 20) async throws -> (status: Int32?, output: String) {
        let log = c.root.appendingPathComponent("restart-\(name).log")
        let pid = try Subprocess.start(Binary.path, try arguments(c, name, central: central, user: user, password: password),
                                       log: log, environment: ["FENGHUO_PASSWORD": ""])
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        var exited: Int32?
        while Date() < deadline {
            if waitpid(pid, &status, WNOHANG) == pid {
                exited = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        if exited == nil {
            kill(pid, SIGKILL)
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        }
        return (exited, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    func stop() {
        guard !stopped else { return }
        stopped = true
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }

    deinit { stop() }
}

/// A TCP relay on loopback between an agent and central that counts the bytes the agent sends.
/// Central counts only what it answers (a refused request leaves no trace in `/metrics`), so
/// "sends nothing more" is measured here, on the wire.
final class CountingRelay: @unchecked Sendable {
    let port: Int
    private let target: Int
    private let listener: Int32
    private let lock = NSLock()
    private var sent = 0
    private var live: Set<Int32> = []
    private var stopping = false

    var url: String { "http://127.0.0.1:\(port)" }
    var bytesSent: Int { lock.withLock { sent } }

    struct Failure: Error, CustomStringConvertible { let description: String }

    init(to target: Int) throws {
        self.target = target
        port = LoopbackPorts.fresh()
        listener = try Self.listen(on: port)
        Thread { self.acceptLoop() }.start()
    }

    /// Ends every connection and the listener. Only shutdown(2) here: each descriptor is
    /// closed by the thread that uses it, so no number is closed while another thread may
    /// have it again.
    func stop() {
        lock.withLock {
            stopping = true
            for fd in live { shutdown(fd, Int32(SHUT_RDWR)) }
        }
        shutdown(listener, Int32(SHUT_RDWR))
    }

    private static func listen(on port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = loopback(port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(fd, 64) == 0 else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw Failure(description: "cannot listen on 127.0.0.1:\(port): \(why)")
        }
        return fd
    }

    private static func loopback(_ port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return address
    }

    private func acceptLoop() {
        while true {
            let agent = accept(listener, nil, nil)
            if agent < 0 {
                if errno == EINTR { continue }
                break
            }
            let central = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(target)
            let connected = central >= 0 && withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(central, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            } == 0
            guard connected else {
                // Central is down: the agent sees its connection closed, as it would.
                if central >= 0 { close(central) }
                close(agent)
                continue
            }
            let admitted = lock.withLock { () -> Bool in
                guard !stopping else { return false }
                live.formUnion([agent, central])
                return true
            }
            guard admitted else {
                close(agent)
                close(central)
                continue
            }
            let pair = Pair(agent: agent, central: central)
            Thread { self.pump(from: agent, to: central, counted: true); self.finish(pair) }.start()
            Thread { self.pump(from: central, to: agent, counted: false); self.finish(pair) }.start()
        }
        close(listener)
    }

    private final class Pair: @unchecked Sendable {
        let agent: Int32, central: Int32
        var running = 2
        init(agent: Int32, central: Int32) {
            self.agent = agent
            self.central = central
        }
    }

    private func pump(from source: Int32, to destination: Int32, counted: Bool) {
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        copying: while true {
            let n = read(source, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            if counted { lock.withLock { sent += n } }
            var offset = 0
            while offset < n {
                let written = buffer.withUnsafeBytes { send(destination, $0.baseAddress! + offset, n - offset, Int32(MSG_NOSIGNAL)) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { break copying }
                offset += written
            }
        }
        // Either side gone: both directions end (the other pump wakes from its read).
        shutdown(source, Int32(SHUT_RDWR))
        shutdown(destination, Int32(SHUT_RDWR))
    }

    /// The second pump of a connection to end closes both of its descriptors.
    private func finish(_ pair: Pair) {
        let last = lock.withLock { () -> Bool in
            pair.running -= 1
            guard pair.running == 0 else { return false }
            live.subtract([pair.agent, pair.central])
            return true
        }
        if last {
            close(pair.agent)
            close(pair.central)
        }
    }
}
