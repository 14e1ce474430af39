import FenghuoDomain
import FenghuoProtocol
import FenghuoSync
import Foundation
import GRDB
import Testing
import TestSupport

/// The sync guarantees, proved on the real binaries: processes killed, central stopped and
/// restarted, scopes checked row by row against central.
@Suite("Sync proofs", .serialized, .processes)
struct SyncProofTests {
    static let duty = ("duty1", "demoduty")

    /// Central's incidents and units against the replica's, as `id:version`.
    func dutyViewMatches(_ c: SyncCluster, _ agent: String) throws -> Bool {
        let central = try c.centralDB(), replica = try c.replicaDB(agent)
        for table in ["incident", "unit"] {
            let sql = "SELECT id || ':' || version FROM \(table) ORDER BY id"
            guard try c.rows(central, sql) == c.rows(replica, sql) else { return false }
        }
        return true
    }

    @Test func kill_9_during_snapshot_catch_up_and_upload_fifty_times_loses_and_repeats_nothing() async throws {
        let c = try SyncCluster()
        try await c.startCentral()
        let other = try await c.login("duty2", "demoduty", clientID: "other-console")
        var otherMutation: Int64 = 0
        var acknowledged: Set<String> = []
        var attempted: Set<String> = []
        for round in 0..<50 {
            // Every tenth round the console starts from an empty replica: a snapshot again, killed
            // part way and resumed by the rounds after it. The outbox is kept.
            if round % 10 == 0 { ReplicaStore.remove(path: c.paths("a").replica) }
            let pid = try c.startAgent("a", user: Self.duty.0, password: Self.duty.1,
                                       extra: ["--snapshot-page", "40", "--push-batch", "3", "--log-level", "warning"])
            // Central moves on meanwhile: another console creates an incident.
            otherMutation += 1
            _ = try await c.push(token: other, clientID: "other-console", mutationID: otherMutation, name: "createIncident",
                                 args: incident("other-\(round)"))
            let killAt = Date().addingTimeInterval(Double.random(in: 0.05...0.6))
            var n = 0
            while Date() < killAt {
                guard let client = try? AgentClient(socketPath: c.paths("a").socket) else {
                    try await Task.sleep(for: .milliseconds(5))
                    continue
                }
                while Date() < killAt {
                    let marker = "kill-\(round)-\(n)"
                    n += 1
                    attempted.insert(marker)
                    guard queue(client, "createIncident", incident(marker), failureIsAnIssue: false) != nil else { break }
                    acknowledged.insert(marker)
                    try await Task.sleep(for: .milliseconds(Int.random(in: 0...40)))
                }
            }
            kill(pid, SIGKILL)
            c.stopAgent("a")
        }
        #expect(acknowledged.count >= 50, "too few commands were acknowledged to prove anything: \(acknowledged.count)")
        try c.startAgent("a", user: Self.duty.0, password: Self.duty.1)
        try await c.waitSynced("a")
        #expect(try await c.eventually { try dutyViewMatches(c, "a") }, "replica differs from central's duty view")
        let counts = try await c.centralDB().read { db in
            try Row.fetchAll(db, sql: "SELECT narrative, count(*) AS n FROM incident WHERE narrative LIKE 'kill-%' GROUP BY narrative")
                .reduce(into: [String: Int]()) { $0[$1["narrative"]] = $1["n"] }
        }
        #expect(counts.values.allSatisfy { $0 == 1 }, "some command was applied twice: \(counts.filter { $0.value > 1 })")
        let missing = acknowledged.filter { counts[$0] == nil }
        #expect(missing.isEmpty, "acknowledged but never applied: \(missing.sorted())")
        #expect(Set(counts.keys).isSubset(of: attempted))
    }

    @Test func a_thousand_commands_queued_offline_arrive_once_in_order_across_a_central_crash() async throws {
        let c = try SyncCluster()
        try await c.startCentral()
        try c.startAgent("a", user: Self.duty.0, password: Self.duty.1, extra: ["--push-batch", "50"])
        try await c.waitSynced("a")
        // The network goes: central is stopped.
        c.stopCentral()
        let client = try await c.client("a")
        var ids: [Int64] = []
        for i in 0..<1000 {
            ids.append(try #require(queue(client, "createIncident", incident(String(format: "offline-%04d", i)))))
        }
        #expect(ids == Array(ids.first!...ids.first! + 999), "mutation ids must be consecutive")
        var status = try await c.status("a")
        #expect(status.outbox == 1000)
        #expect(!status.online)
        // Central comes back, and crashes again while the queue drains.
        try await c.startCentral()
        let landing = try await c.eventually(30) {
            let n = try c.centralDB().read { try Int.fetchOne($0, sql: "SELECT count(*) FROM incident WHERE narrative LIKE 'offline-%'") ?? 0 }
            return n >= 100
        }
        #expect(landing)
        c.stopCentral()
        try await Task.sleep(for: .milliseconds(300))
        try await c.startCentral()
        try await c.waitSynced("a", timeout: 120)
        let narratives = try await c.centralDB().read {
            try String.fetchAll($0, sql: "SELECT narrative FROM incident WHERE narrative LIKE 'offline-%' ORDER BY id")
        }
        #expect(narratives.count == 1000, "\(narratives.count) of 1000 arrived")
        #expect(narratives == narratives.sorted(), "commands were applied out of order")
        #expect(Set(narratives).count == narratives.count, "a command was applied twice")
        let last = try await c.centralDB().read {
            try Int64.fetchOne($0, sql: "SELECT last_mutation_id FROM client_state WHERE username = 'duty1'")
        }
        #expect(last == ids.last)
        status = try await c.status("a")
        #expect(status.outbox == 0)
        #expect(try await c.eventually { try dutyViewMatches(c, "a") })
    }

    @Test func a_stale_command_is_rejected_with_its_reason_and_the_next_ones_still_flow() async throws {
        let c = try SyncCluster()
        try await c.startCentral()
        try c.startAgent("a", user: Self.duty.0, password: Self.duty.1)
        try await c.waitSynced("a")
        // The agent keeps its token where only its user can read it.
        let token = try FileManager.default.attributesOfItem(atPath: c.paths("a").token)
        #expect((token[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let client = try await c.client("a")
        // A waiting incident of its own (the seeded city may have none at this hour) and two free units of its agency.
        let made = try #require(queue(client, "createIncident", incident("stale-proof")))
        #expect(try client.call(.wait(mutationID: made), timeout: 20).kind == .applied)
        try await c.waitSynced("a")
        let (incidentID, version, units) = try await c.replicaDB("a").read { db -> (String, Int, [String]) in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT id, version, agency FROM incident WHERE narrative = 'stale-proof'"))
            let units = try String.fetchAll(db, sql: "SELECT id FROM unit WHERE status = 'available' AND agency = ? ORDER BY id LIMIT 2",
                                            arguments: [row["agency"] as String])
            return (row["id"], row["version"], units)
        }
        try #require(units.count == 2)
        // Two consoles saw the same version; the first dispatch moves the incident on (待派 → 已派),
        // so the second is based on a status that is gone.
        let first = try #require(queue(client, "dispatch", ["incident": incidentID, "units": units[0]], baseVersion: version))
        let stale = try #require(queue(client, "dispatch", ["incident": incidentID, "units": units[1]], baseVersion: version))
        let after = try #require(queue(client, "createIncident", incident("after-the-stale-one")))
        let outcome = { (id: Int64) in try client.call(.wait(mutationID: id), timeout: 20) }
        #expect(try outcome(first).kind == .applied)
        let rejected = try outcome(stale)
        #expect(rejected.kind == .rejected)
        #expect(rejected.rejection?.code == "stale_version")
        #expect(rejected.message?.contains("your version \(version)") == true)
        #expect(try outcome(after).kind == .applied)
        // The CLI says the same, with exit status 2.
        let cli = try Binary.run(["submit", "dispatch", "incident=\(incidentID)", "units=\(units[1])", "--base-version", "\(version)",
                                  "--data", c.agentDir("a")])
        #expect(cli.status == 2)
        #expect(cli.output.contains("stale_version"))
        let rejections = try await c.replicaDB("a").read { try Int.fetchOne($0, sql: "SELECT count(*) FROM rejection") }
        #expect(rejections == 2)
    }

    @Test func each_role_holds_exactly_its_scope_also_after_its_scope_changes() async throws {
        let c = try SyncCluster()
        try await c.startCentral()
        let users = [("duty", "duty1", "demoduty"), ("hotline", "hotline1", "demohotline"),
                     ("staff", "urban1", "demostaff"), ("leader", "leader1", "demoleader")]
        for (name, user, password) in users { try c.startAgent(name, user: user, password: password) }
        for (name, _, _) in users { try await c.waitSynced(name) }
        let central = try c.centralDB()
        func ids(_ db: DatabaseQueue, _ sql: String) throws -> [String] { try c.rows(db, sql) }
        let allIncidents = "SELECT id || ':' || version FROM incident ORDER BY id"
        let allUnits = "SELECT id || ':' || version FROM unit ORDER BY id"
        let allTickets = "SELECT id || ':' || version FROM ticket ORDER BY id"
        let allApprovals = "SELECT id || ':' || version FROM approval_case ORDER BY id"
        let expected: [String: [String: String]] = [
            "duty": ["incident": allIncidents, "unit": allUnits, "ticket": "", "approval_case": ""],
            "hotline": ["incident": allIncidents, "unit": "", "ticket": allTickets, "approval_case": ""],
            "staff": ["incident": "", "unit": "", "ticket": "SELECT id || ':' || version FROM ticket WHERE department = 'urban' ORDER BY id",
                      "approval_case": "SELECT id || ':' || version FROM approval_case WHERE id IN (SELECT case_id FROM approval_step WHERE department = 'urban') ORDER BY id"],
            "leader": ["incident": allIncidents, "unit": allUnits, "ticket": allTickets, "approval_case": allApprovals],
        ]
        for (name, tables) in expected {
            let replica = try c.replicaDB(name)
            for (table, sql) in tables {
                let want = sql.isEmpty ? [] : try ids(central, sql)
                let have = try ids(replica, "SELECT id || ':' || version FROM \(table) ORDER BY id")
                #expect(have == want, "\(name) holds \(have.count) \(table) rows, central's scope has \(want.count)")
            }
            // No console ever holds a password hash.
            await #expect(try replica.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM app_user WHERE password_hash != ''") } == 0)
        }
        // Hotline agents see confidential incidents without narrative or caller.
        let hotline = try c.replicaDB("hotline")
        let leaks = try await hotline.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM incident WHERE confidential AND (narrative != ? OR caller_phone != '')", arguments: [Incident.redactedText]) }
        #expect(leaks == 0)
        let confidential = try await central.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM incident WHERE confidential") ?? 0 }
        #expect(confidential > 0, "the demo city should have confidential incidents to prove this on")
        // A new confidential incident reaches the hotline redacted, and duty whole.
        let duty = try await c.client("duty")
        let id = try #require(queue(duty, "createIncident", incident("机密线索：嫌疑人藏身仓库").merging(["confidential": "true"]) { $1 }))
        #expect(try duty.call(.wait(mutationID: id), timeout: 20).kind == .applied)
        #expect(try await c.eventually {
            try hotline.read { try String.fetchOne($0, sql: "SELECT narrative FROM incident ORDER BY created_at DESC, id DESC LIMIT 1") } == Incident.redactedText
        })
        await #expect(try c.replicaDB("duty").read { try Int.fetchOne($0, sql: "SELECT count(*) FROM incident WHERE narrative = '机密线索：嫌疑人藏身仓库'") } == 1)

        // A ticket transferred away from urban leaves the urban replica. (The hotline makes one
        // and sends it to urban first: which seeded tickets are open depends on the hour.)
        let staffReplica = try c.replicaDB("staff")
        let hotlineClient = try await c.client("hotline")
        let made = try #require(queue(hotlineClient, "createTicket", ["category": "noise_social", "district": "binhu",
                                                                      "address": "滨湖区湖心路8号", "summary": "范围迁移测试工单"]))
        #expect(try hotlineClient.call(.wait(mutationID: made), timeout: 20).kind == .applied)
        let ticket = try await #require(try central.read {
            try String.fetchOne($0, sql: "SELECT id FROM ticket WHERE summary = '范围迁移测试工单'")
        })
        let toUrban = try #require(queue(hotlineClient, "transferTicket", ["ticket": ticket, "department": "urban"]))
        #expect(try hotlineClient.call(.wait(mutationID: toUrban), timeout: 20).kind == .applied)
        #expect(try await c.eventually {
            try staffReplica.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM ticket WHERE id = ?", arguments: [ticket]) } == 1
        }, "the ticket sent to urban did not reach urban's replica")
        let transfer = try #require(queue(hotlineClient, "transferTicket", ["ticket": ticket, "department": "water"]))
        let transferred = try hotlineClient.call(.wait(mutationID: transfer), timeout: 20)
        #expect(transferred.kind == .applied, "\(transferred)")
        #expect(try await c.eventually {
            try staffReplica.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM ticket WHERE id = ?", arguments: [ticket]) } == 0
        }, "the transferred ticket stayed in urban's replica")

        // urban1 moves to the water department: the replica is rebuilt to water's scope.
        let moved = try Binary.run(["central", "user", "urban1", "--department", "water", "--data", c.centralDir.path])
        #expect(moved.status == 0, "\(moved.output)")
        let waterTickets = try ids(central, "SELECT id || ':' || version FROM ticket WHERE department = 'water' ORDER BY id")
        #expect(try await c.eventually(30) {
            try ids(staffReplica, "SELECT id || ':' || version FROM ticket ORDER BY id") == waterTickets
        }, "after the move the replica should hold exactly water's tickets")
        let urbanLeft = try await staffReplica.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM ticket WHERE department = 'urban'") }
        #expect(urbanLeft == 0)
    }

    @Test func a_corrupt_replica_or_a_new_epoch_is_rebuilt_and_keeps_the_queued_commands() async throws {
        let c = try SyncCluster()
        try await c.startCentral()
        try c.startAgent("a", user: Self.duty.0, password: Self.duty.1)
        try await c.waitSynced("a")
        // Offline, three commands are queued; then the agent dies and its replica is damaged.
        c.stopCentral()
        var client = try await c.client("a")
        for i in 0..<3 { _ = try #require(queue(client, "createIncident", incident("queued-before-corruption-\(i)"))) }
        c.stopAgent("a")
        let replica = c.paths("a").replica
        // Fold the WAL into the file, then overwrite pages in its middle: the header still reads
        // as SQLite, but the b-trees do not.
        try await DatabaseQueue(path: replica).writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        let size = try #require((try FileManager.default.attributesOfItem(atPath: replica)[.size] as? NSNumber)?.intValue)
        let handle = try #require(FileHandle(forWritingAtPath: replica))
        try handle.seek(toOffset: UInt64(size / 2 / 4096 * 4096))
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 4096 * 8))
        try handle.close()
        #expect(!ReplicaStore.isSound(path: replica))
        try await c.startCentral()
        try c.startAgent("a", user: Self.duty.0, password: Self.duty.1)
        try await c.waitSynced("a")
        #expect(c.log("agent-a.log").contains("integrity_check"))
        let arrived = try await c.centralDB().read { try Int.fetchOne($0, sql: "SELECT count(*) FROM incident WHERE narrative LIKE 'queued-before-corruption-%'") }
        #expect(arrived == 3)
        #expect(try await c.eventually { try dutyViewMatches(c, "a") })

        // Central's history is rewritten (a new epoch) while commands wait offline.
        c.stopCentral()
        client = try await c.client("a")
        for i in 0..<2 { _ = try #require(queue(client, "createIncident", incident("queued-before-new-epoch-\(i)"))) }
        let compact = try Binary.run(["central", "compact", "--data", c.centralDir.path])
        #expect(compact.status == 0, "\(compact.output)")
        try await c.startCentral()
        try await c.waitSynced("a")
        #expect(c.log("agent-a.log").contains("rebuilding the replica"))
        let epoch = try await c.status("a").epoch
        #expect(compact.output.contains("→ \(epoch ?? "?")"))
        let afterEpoch = try await c.centralDB().read { try Int.fetchOne($0, sql: "SELECT count(*) FROM incident WHERE narrative LIKE 'queued-before-new-epoch-%'") }
        #expect(afterEpoch == 2)
        #expect(try await c.eventually { try dutyViewMatches(c, "a") })
    }

    @Test func a_replica_taken_under_an_older_protocol_is_taken_again_keeping_the_queue() async throws {
        let c = try SyncCluster()
        try await c.startCentral()
        try c.startAgent("a", user: Self.duty.0, password: Self.duty.1)
        try await c.waitSynced("a")
        // A replica of protocol 3: it had no plans (a table a snapshot fills, the feed never does).
        c.stopCentral()
        let client = try await c.client("a")
        _ = try #require(queue(client, "createIncident", incident("queued-under-protocol-3")))
        c.stopAgent("a")
        try await DatabaseQueue(path: c.paths("a").replica).write { db in
            try db.execute(sql: "DELETE FROM plan_item")
            try db.execute(sql: "UPDATE meta SET value = '3' WHERE key = 'sync.protocol'")
        }
        try await c.startCentral()
        try c.startAgent("a", user: Self.duty.0, password: Self.duty.1)
        try await c.waitSynced("a")
        #expect(try await c.eventually(30) {
            try DatabaseQueue(path: c.paths("a").replica).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM plan_item") ?? 0 } > 0
        }, "the rebuilt replica holds the plans")
        #expect(c.log("agent-a.log").contains("taken under protocol 3"))
        let arrived = try await c.centralDB().read { try Int.fetchOne($0, sql: "SELECT count(*) FROM incident WHERE narrative = 'queued-under-protocol-3'") }
        #expect(arrived == 1, "the queued command survived the rebuild")
    }
}
