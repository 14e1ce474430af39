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

/// The attacks that need the real server process: connections held open, guessing passwords
/// until a lock shows in `central user`, a store put back from a backup.
@Suite("Central under attack, as a process", .processes)
struct CentralUnderAttackE2ETests {
    /// A TCP connection to central that sends what it is told and nothing more.
    final class RawConnection {
        let fd: Int32

        init(port: Int) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { throw CocoaError(.fileReadUnknown) }  // deinit closes fd
        }

        deinit { if fd >= 0 { close(fd) } }

        func send(_ text: String) { _ = text.withCString { write(fd, $0, strlen($0)) } }

        /// Whether central has closed the connection (a read gives end of file), waiting up to `seconds`.
        func isClosedByServer(within seconds: Double) -> Bool {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                let ready = poll(&poller, 1, Int32(max(1, deadline.timeIntervalSinceNow * 1000)))
                guard ready > 0 else { continue }
                var buffer = [UInt8](repeating: 0, count: 4096)
                let n = read(fd, &buffer, buffer.count)
                if n <= 0 { return true }
            }
            return false
        }
    }

    @Test func slow_headers_and_slow_bodies_are_cut_off_and_health_stays_quick() async throws {
        let c = try SyncCluster()
        // Timeouts of 10 s: a health check held behind the slow connections would take that long,
        // while one answered beside them takes well under 5 s even on a loaded machine.
        try await c.startCentral(extra: ["--header-timeout", "10", "--body-timeout", "10"])
        let slowHeads = try (0..<30).map { _ in try RawConnection(port: c.port) }
        for connection in slowHeads { connection.send("GET /healthz HTTP/1.1\r\nHost: central\r\n") }
        let slowBodies = try (0..<30).map { _ in try RawConnection(port: c.port) }
        for connection in slowBodies {
            connection.send("POST /v1/login HTTP/1.1\r\nHost: central\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"user")
        }
        let started = Date()
        #expect(try await c.http("GET", "healthz").status == 200)
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(slowHeads.allSatisfy { $0.isClosedByServer(within: 15) }, "a connection that never finished its head stayed open")
        #expect(slowBodies.allSatisfy { $0.isClosedByServer(within: 15) }, "a connection that never finished its body stayed open")
    }

    @Test func a_user_locked_by_guessing_shows_as_locked_in_central_user_until_unlocked() async throws {
        let c = try SyncCluster()
        try await c.startCentral()
        for _ in 0..<5 {
            _ = try await c.http("POST", "v1/login", body: #"{"username":"duty2","password":"guess","clientID":"c-guess","protocol":\#(ProtocolVersion.current)}"#)
        }
        let refused = try await c.http("POST", "v1/login", body: #"{"username":"duty2","password":"demoduty","clientID":"c-guess","protocol":\#(ProtocolVersion.current)}"#)
        #expect(refused.status == 429)
        #expect(refused.body.contains("locked_out"))
        let shown = try Binary.run(["central", "user", "duty2", "--data", c.centralDir.path])
        #expect(shown.status == 0)
        #expect(shown.output.contains("locked until"), "\(shown.output)")
        let unlocked = try Binary.run(["central", "user", "duty2", "--data", c.centralDir.path, "--unlock"])
        #expect(!unlocked.output.contains("locked until"))
        _ = try await c.login("duty2", "demoduty", clientID: "c-guess")
        // A pair of role and department that makes no sense is refused with what to do.
        let unfit = try Binary.run(["central", "user", "duty2", "--data", c.centralDir.path, "--department", "water"])
        #expect(unfit.status != 0)
        #expect(unfit.output.contains("cmd"), "\(unfit.output)")
    }

    @Test func data_files_are_private_and_unknown_routes_answer_json() async throws {
        let c = try SyncCluster()
        try await c.startCentral()
        let folder = c.centralDir.path
        let mode = { (path: String) -> Int in
            ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int ?? -1) & 0o777
        }
        #expect(mode(folder) == 0o700)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            #expect(mode((folder as NSString).appendingPathComponent(name)) == 0o600, "\(name)")
        }
        let missing = try await c.http("GET", "v1/nothing")
        #expect(missing.status == 404)
        #expect(missing.body.contains(#""code":"not_found""#))
    }

    @Test func a_store_restored_from_a_backup_begins_a_new_history_and_consoles_carry_on() async throws {
        let c = try SyncCluster()
        try await c.startCentral()
        try c.startAgent("a", user: "duty1", password: "demoduty")
        try await c.waitSynced("a")
        let client = try await c.client("a")
        for i in 0..<3 { _ = try #require(queue(client, "createIncident", incident("before-backup-\(i)"))) }
        try await c.waitSynced("a")
        // The backup, taken while central serves.
        let backup = c.root.appendingPathComponent("backup.sqlite").path
        try await c.centralDB().backup(to: try DatabaseQueue(path: backup))
        let epochBefore = try #require(try await c.status("a").epoch)
        for i in 0..<3 { _ = try #require(queue(client, "createIncident", incident("after-backup-\(i)"))) }
        try await c.waitSynced("a")
        // Central stops; the console queues on; the backup goes back in.
        c.stopCentral()
        for i in 0..<2 { _ = try #require(queue(client, "createIncident", incident("while-down-\(i)"))) }
        let serving = try Binary.run(["central", "restore", backup, "--data", c.centralDir.path])
        #expect(serving.status == 0, "\(serving.output)")
        #expect(serving.output.contains("epoch"))
        try await c.startCentral()
        try await c.waitSynced("a", timeout: 60)
        let status = try await c.status("a")
        #expect(status.epoch != epochBefore)
        #expect(status.outbox == 0)
        let narratives = try await c.centralDB().read {
            try String.fetchAll($0, sql: "SELECT narrative FROM incident WHERE narrative LIKE 'before-backup-%' OR narrative LIKE 'while-down-%' ORDER BY id")
        }
        #expect(narratives == ["before-backup-0", "before-backup-1", "before-backup-2", "while-down-0", "while-down-1"])
        // The replica follows the restored store: what the backup lacks is gone from it too.
        #expect(try await c.eventually { try c.replicaDB("a").read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM incident WHERE narrative LIKE 'after-backup-%'") } == 0 })
        // And new work goes on.
        _ = try #require(queue(client, "createIncident", incident("after-restore")))
        try await c.waitSynced("a")
    }

    @Test func a_store_copied_back_by_hand_is_noticed_at_start() async throws {
        let c = try SyncCluster()
        try await c.startCentral()
        try c.startAgent("a", user: "duty1", password: "demoduty")
        try await c.waitSynced("a")
        let store = c.centralDir.appendingPathComponent("central.sqlite").path
        let copy = c.root.appendingPathComponent("copy.sqlite").path
        try await c.centralDB().backup(to: try DatabaseQueue(path: copy))
        let client = try await c.client("a")
        for i in 0..<3 { _ = try #require(queue(client, "createIncident", incident("after-copy-\(i)"))) }
        try await c.waitSynced("a")
        try await Task.sleep(for: .milliseconds(1500))  // the history mark is written once a second
        let epochBefore = try #require(try await c.status("a").epoch)
        c.stopCentral()
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store + suffix) }
        try FileManager.default.removeItem(atPath: store)
        try FileManager.default.copyItem(atPath: copy, toPath: store)
        try await c.startCentral()
        #expect(c.log("central.log").contains("behind the history"), "\(c.log("central.log").suffix(1000))")
        _ = try #require(queue(client, "createIncident", incident("after-copy-back")))
        try await c.waitSynced("a", timeout: 60)
        #expect(try await c.status("a").epoch != epochBefore)
    }
}
