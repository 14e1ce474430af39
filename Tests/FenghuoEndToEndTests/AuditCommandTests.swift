import FenghuoProtocol
import Foundation
import GRDB
import Testing
import TestSupport

/// `fenghuo audit verify` and `show`, the real binary on a central that served real logins and
/// pushes over loopback; the chain re-verified with the stock sqlite3 shell and OpenSSL.
@Suite("fenghuo audit: the hash chain from outside", .serialized, .processes)
struct AuditCommandTests {
    struct Setup: Error, CustomStringConvertible { let description: String }

    /// A central that audited: a failed login, two logins, three commands (one rejected), then,
    /// with central stopped, a scope change. Made once, copied out of its cluster's folder (which
    /// goes with the cluster); tests that tamper work on copies of the copy.
    static let made: Task<(folder: String, incident: String), any Error> = Task {
        let cluster = try SyncCluster()
        try await cluster.startCentral()
        defer { cluster.stopCentral(SIGTERM) }
        func require(_ condition: Bool, _ what: String) throws { if !condition { throw Setup(description: what) } }
        let bad = try await cluster.http("POST", "v1/login",
                                         body: #"{"username":"duty1","password":"wrong-Pa55","clientID":"c-e2e","protocol":\#(ProtocolVersion.current)}"#)
        try require(bad.status == 401, "a wrong password was answered \(bad)")
        let duty = try await cluster.login("duty1", "demoduty", clientID: "c-e2e")
        let created = try await cluster.push(token: duty, clientID: "c-e2e", mutationID: 1, name: "createIncident",
                                             args: ["type": "theft", "district": "binhu", "address": "滨湖区湖心路8号",
                                                    "narrative": "审计端到端", "phone": "13800001234"])
        try require(created.contains(#""status":"applied""#), "createIncident: \(created)")
        let refused = try await cluster.push(token: duty, clientID: "c-e2e", mutationID: 2, name: "closeIncident",
                                             args: ["incident": "INC-NOPE"])
        try require(refused.contains(#""status":"rejected""#), "closeIncident: \(refused)")
        _ = try await cluster.login("hotline1", "demohotline", clientID: "c-e2e-hot")
        cluster.stopCentral(SIGTERM)
        let moved = try Binary.run(["central", "user", "leader1", "--department", "hotline", "--data", cluster.centralDir.path])
        try require(moved.status == 0, "central user: \(moved.output)")
        let incident = try await cluster.centralDB().read { db in
            try String.fetchOne(db, sql: "SELECT records FROM audit_log WHERE action = 'command_applied'")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fenghuo-audited-\(getpid())").path
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.copyItem(atPath: cluster.centralDir.path, toPath: folder)
        return (folder, try incident ?? { throw Setup(description: "no command_applied entry") }())
    }

    var folder: String {
        get async throws { try await Self.made.value.folder }
    }

    /// A copy of the central folder, changed by `sql` as someone with the file would (the
    /// triggers dropped first: they stop honest code only).
    func tampered(_ sql: String...) async throws -> String {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("fenghuo-audit-\(UUID().uuidString.prefix(8))")
        try FileManager.default.copyItem(atPath: try await folder, toPath: copy.path)
        let db = try DatabaseQueue(path: copy.appendingPathComponent("central.sqlite").path)
        try await db.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete")
            for statement in sql { try db.execute(sql: statement) }
        }
        try db.close()
        return copy.path
    }

    @Test func verify_walks_an_untouched_chain_and_prints_its_count_and_head() async throws {
        let result = try Binary.run(["audit", "verify", "--data", try await folder, "--lang", "en"])
        #expect(result.status == 0, "\(result.output)")
        // login failed, login ok, applied, rejected, login ok, scope change
        #expect(result.output.contains("audit chain intact: 6 entries, head "), "\(result.output)")
        let zh = try Binary.run(["audit", "verify", "--data", try await folder])
        #expect(zh.output.contains("审计链完好：6 条"), "\(zh.output)")
    }

    @Test func show_lists_entries_by_user_and_record_with_cjk_columns_aligned() async throws {
        let incident = try await Self.made.value.incident
        // By user, in Chinese: a header and duty1's four entries, every detail starting in the same column
        let mine = try Binary.run(["audit", "show", "--data", try await folder, "--user", "duty1"])
        #expect(mine.status == 0, "\(mine.output)")
        let lines = mine.output.split(separator: "\n").map(String.init).filter { !$0.hasSuffix(" 条") }
        #expect(lines.first?.hasPrefix("序号") == true, "\(mine.output)")
        #expect(lines.count == 5, "\(mine.output)")
        #expect(lines.contains { $0.contains("登录失败") })
        #expect(lines.contains { $0.contains("命令拒绝") })
        let detailColumns = Set(lines.map { line -> Int in
            let start = line.range(of: "详情")?.lowerBound ?? line.range(of: "{")!.lowerBound
            return columns(line[..<start])
        })
        #expect(detailColumns.count == 1, "detail columns \(detailColumns):\n\(mine.output)")
        // The phone of the incident's caller is masked, the password of the failed login absent
        #expect(mine.output.contains("138****1234"))
        #expect(!mine.output.contains("13800001234"))
        #expect(!mine.output.contains("wrong-Pa55"))
        // By record, as JSON: the command that created the incident
        let json = try Binary.run(["audit", "show", "--data", try await folder, "--record", incident, "--json"])
        #expect(json.status == 0, "\(json.output)")
        let text = try #require(json.output.split(separator: "\n").first { $0.hasPrefix("[") })
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(entries.count == 1)
        #expect(entries.first?["action"] as? String == "command_applied")
        #expect((entries.first?["detail"] as? [String: Any])?["command"] as? String == "createIncident")
        // Since a time after everything: nothing
        let later = try Binary.run(["audit", "show", "--data", try await folder, "--since", "2100-01-01", "--lang", "en"])
        #expect(later.status == 0)
        #expect(later.output.contains("0 entries"), "\(later.output)")
    }

    /// Terminal columns: a CJK character (and a fullwidth form) takes two.
    func columns(_ text: Substring) -> Int {
        text.unicodeScalars.reduce(0) { width, s in
            let wide = (0x1100...0x115F).contains(s.value) || (0x2E80...0xA4CF).contains(s.value)
                || (0xAC00...0xD7A3).contains(s.value) || (0xF900...0xFAFF).contains(s.value) || (0xFF00...0xFF60).contains(s.value)
            return width + (wide ? 2 : 1)
        }
    }

    @Test func an_entry_hash_recomputed_with_sqlite3_and_openssl_matches() async throws {
        // The documented encoding, built by the sqlite3 shell, hashed by stock OpenSSL
        let db = try await folder + "/central.sqlite"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fenghuo-entry-\(UUID().uuidString.prefix(8)).bin").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let fields = ["seq", "at_ms", "actor_user", "actor_client", "actor_address", "action", "records", "detail", "prev_hash"]
        let encoding = fields.map { "length(CAST(\($0) AS BLOB)) || ':' || \($0) || char(10)" }.joined(separator: " || ")
        for seq in [1, 3] {
            let wrote = try Subprocess.output(of: "/usr/bin/sqlite3", [db, """
                SELECT writefile('\(file)', 'fenghuo-audit-v1' || char(10) || \(encoding)) FROM audit_log WHERE seq = \(seq)
                """])
            #expect(wrote.status == 0, "\(wrote.output)")
            let digest = try Subprocess.output(of: "/usr/bin/openssl", ["dgst", "-sm3", file])
            #expect(digest.status == 0, "\(digest.output)")
            let stored = try Subprocess.output(of: "/usr/bin/sqlite3", [db, "SELECT hash FROM audit_log WHERE seq = \(seq)"])
            let hash = stored.output.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(hash.count == 64)
            #expect(digest.output.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("= " + hash), "\(digest.output) vs \(hash)")
        }
    }

    // MARK: Tampering: each named, with a non-zero exit

    func expectBroken(_ folder: String, naming text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try Binary.run(["audit", "verify", "--data", folder, "--lang", "en"])
        #expect(result.status == 2, "\(result.output)", sourceLocation: sourceLocation)
        #expect(result.output.contains("audit chain broken: \(text)"), "\(result.output)", sourceLocation: sourceLocation)
        try? FileManager.default.removeItem(atPath: folder)
    }

    @Test func an_edited_detail_is_named() async throws {
        try expectBroken(try await tampered("UPDATE audit_log SET detail = replace(detail, 'not_found', 'stale_version') WHERE seq = 4"),
                         naming: "entry 4 does not hash to its stored hash")
    }

    @Test func a_deleted_entry_is_named() async throws {
        try expectBroken(try await tampered("DELETE FROM audit_log WHERE seq = 2"), naming: "entry 2 is missing")
    }

    @Test func an_inserted_entry_is_named() async throws {
        let folder = try await tampered(
            "UPDATE audit_log SET seq = seq + 100 WHERE seq >= 3", "UPDATE audit_log SET seq = seq - 99 WHERE seq >= 100",
            """
            INSERT INTO audit_log SELECT 3, at_ms, 'leader1', 'c-x', '', 'login_ok', '', '{}', hash, hash FROM audit_log WHERE seq = 2
            """)
        try expectBroken(folder, naming: "entry 3 does not hash")
    }

    @Test func two_swapped_entries_are_named_at_the_first() async throws {
        let folder = try await tampered("UPDATE audit_log SET seq = 100 WHERE seq = 2", "UPDATE audit_log SET seq = 2 WHERE seq = 5",
                                        "UPDATE audit_log SET seq = 5 WHERE seq = 100")
        try expectBroken(folder, naming: "entry 2 names")
    }

    @Test func a_cut_end_is_found_against_the_head_noted_before() async throws {
        let intact = try Binary.run(["audit", "verify", "--data", try await folder, "--lang", "en"])
        let head = try #require(intact.output.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        let cut = try await tampered("DELETE FROM audit_log WHERE seq = 6")
        defer { try? FileManager.default.removeItem(atPath: cut) }
        let alone = try Binary.run(["audit", "verify", "--data", cut, "--lang", "en"])
        #expect(alone.status == 0)
        let against = try Binary.run(["audit", "verify", "--data", cut, "--head", head, "--lang", "en"])
        #expect(against.status == 2, "\(against.output)")
        #expect(against.output.contains("is not in the chain, which ends at entry 5"), "\(against.output)")
    }

    // MARK: Log lines

    @Test func an_agent_log_line_masks_a_phone_number() async throws {
        // Given an agent whose user name is a mobile number (it logs the name as it starts)
        let cluster = try SyncCluster()
        try cluster.startAgent("masked", user: "13800001234", password: "password-not-logged",
                               extra: ["--log-level", "debug"])
        // Stopped (and reaped) once, by the cluster: a second kill could reach a reused pid.
        defer { cluster.stopAgent("masked") }
        // When it has logged its start and a failure to reach central (which is stopped)
        let logged = try await cluster.eventually(20) { cluster.log("agent-masked.log").contains("retrying") }
        let log = cluster.log("agent-masked.log")
        #expect(logged, "\(log)")
        // Then the number is masked wherever it appears
        #expect(log.contains("138****1234"), "\(log)")
        #expect(!log.contains("13800001234"), "\(log)")
        #expect(!log.contains("password-not-logged"))
    }
}
