import FenghuoCentral
import FenghuoCrypto
import FenghuoDomain
import FenghuoProtocol
import FenghuoSeed
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TestSupport

/// Central's audit log on a real SQLite store: what is appended, in which transaction, and
/// that walking the chain finds every kind of tampering.
@Suite("Central: the audit log's hash chain")
struct AuditLogTests {
    let storage: SQLiteCentralStorage
    let now = DemoCity.now.addingTimeInterval(60)
    static let duty = User(username: "duty1", name: "值班员", role: .duty, department: "cmd")
    static let hotline = User(username: "hotline1", name: "话务员", role: .hotline, department: "hotline")

    init() throws {
        storage = try SQLiteCentralStorage.inMemory()
        try Seeder(fixtures: DemoCity.fixtures, hasher: DemoCity.testHasher).seed(storage.database, now: DemoCity.now)
    }

    func incident(_ id: Int64, narrative: String = "测试警情", phone: String? = nil) -> CommandEnvelope {
        var args: [String: ArgumentValue] = ["type": .text("theft"), "district": .text("jiangbei"),
                                             "address": .text("江北区人民北路1号"), "narrative": .text(narrative)]
        if let phone { args["phone"] = .text(phone) }
        return CommandEnvelope(clientID: "c-duty", mutationID: id, name: "createIncident", args: args)
    }

    func entries(_ query: AuditLog.Query = .init(limit: 1000)) throws -> [ChainedAuditEntry] {
        try storage.database.writer.read { try AuditLog.entries(query, in: $0) }
    }

    func verify(head: String? = nil) throws -> AuditLog.Verification {
        try storage.database.writer.read { try AuditLog.verify(in: $0, head: head) }
    }

    /// Five entries: two commands applied, one rejected, a login and a failed login.
    func chainOfFive() throws {
        #expect(try storage.submit(incident(1), by: Self.duty, at: now) == .applied)
        try storage.audit(.loginSucceeded(Self.hotline, client: "c-hot", address: "127.0.0.1", at: now))
        // A hotline agent may not close an incident: rejected, and still audited.
        let refused = CommandEnvelope(clientID: "c-hot", mutationID: 1, name: "closeIncident", args: ["incident": .text("INC-NOPE")])
        guard case .rejected = try storage.submit(refused, by: Self.hotline, at: now) else {
            Issue.record("closeIncident by a hotline agent was not rejected")
            return
        }
        try storage.audit(.loginFailed(typed: "duty9", client: "c-x", address: "10.0.0.9", reason: "bad_credentials", at: now))
        #expect(try storage.submit(incident(2), by: Self.duty, at: now) == .applied)
    }

    /// What an attacker with the file does first: the triggers only stop honest code.
    func tamper(_ sql: String...) throws {
        try storage.database.writer.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete")
            for statement in sql { try db.execute(sql: statement) }
        }
    }

    func broken(_ result: AuditLog.Verification) -> ChainBreak? {
        if case .broken(let b) = result { return b }
        return nil
    }

    // MARK: What is appended

    @Test func a_chain_of_commands_and_logins_verifies_entry_by_entry() throws {
        // Given two applied commands, a rejected one, a login and a failed login
        try chainOfFive()
        // Then the chain holds five entries in order, each naming the one before
        let all = try entries()
        #expect(all.map(\.seq) == [1, 2, 3, 4, 5])
        #expect(all.map(\.entry.action) == [.commandApplied, .loginOK, .commandRejected, .loginFailed, .commandApplied])
        #expect(all.first?.previousHash == AuditLog.genesis)
        for (a, b) in zip(all, all.dropFirst()) { #expect(b.previousHash == a.hash) }
        guard case .intact(let count, let head) = try verify() else {
            Issue.record("an untouched chain did not verify: \(try verify())")
            return
        }
        #expect(count == 5)
        #expect(head == all.last?.hash)
        // And each entry says who and what: the applied command names the incident it wrote
        let applied = all[0]
        #expect(applied.entry.actor.user == "duty1")
        #expect(applied.entry.actor.client == "c-duty")
        #expect(applied.entry.records.count == 1)
        #expect(applied.entry.records.first?.hasPrefix("J") == true)
        #expect(applied.entry.detail.contains(#""command":"createIncident""#))
        #expect(applied.entry.detail.contains(#""mutation":1"#))
        // the rejected one its reason's code and the record it aimed at
        #expect(all[2].entry.detail.contains(#""code":"forbidden""#))
        #expect(all[2].entry.records == ["INC-NOPE"])
        #expect(all[3].entry.actor == .init(user: "duty9", client: "c-x", address: "10.0.0.9"))
    }

    @Test func a_duplicate_and_a_gap_add_no_entry() throws {
        #expect(try storage.submit(incident(1), by: Self.duty, at: now) == .applied)
        #expect(try storage.submit(incident(1), by: Self.duty, at: now) == .duplicate)
        #expect(throws: MutationGap.self) { try storage.submit(incident(5), by: Self.duty, at: now) }
        #expect(try entries().count == 1)
    }

    @Test func a_push_whose_batch_stops_at_a_gap_keeps_one_entry_per_command_it_committed() async throws {
        // Given a push of 1, 2 and then 4 (a gap)
        let (outcomes, gap) = try await storage.push(batch: [incident(1), incident(2), incident(4)], by: Self.duty, at: now)
        #expect(outcomes == [.applied, .applied])
        #expect(gap != nil)
        // Then the two commands committed are audited, in order, and nothing else
        let all = try entries()
        #expect(all.map(\.entry.action) == [.commandApplied, .commandApplied])
        #expect(all.map { $0.entry.detail.contains(#""mutation":1"#) } == [true, false])
        #expect(try count("SELECT count(*) FROM incident WHERE narrative = '测试警情'") == 2)
    }

    func count(_ sql: String) throws -> Int {
        try storage.database.writer.read { try Int.fetchOne($0, sql: sql) ?? 0 }
    }

    @Test func a_command_detail_masks_phone_numbers_and_stays_short() throws {
        // Given an incident with a caller's mobile, an identity number and a 2,000-character narrative
        let narrative = "报警人身份证110101199003071234，" + String(repeating: "长", count: 1900)
        #expect(try storage.submit(incident(1, narrative: narrative, phone: "13800001234"), by: Self.duty, at: now) == .applied)
        // Then the entry's detail is short JSON with both numbers masked
        let detail = try #require(try entries().first?.entry.detail)
        #expect(detail.utf8.count <= AuditDetail.maxBytes)
        #expect(!detail.contains("13800001234"))
        #expect(detail.contains("138****1234"))
        #expect(!detail.contains("110101199003071234"))
        #expect(detail.contains("110101********1234"))
        #expect((try? JSONSerialization.jsonObject(with: Data(detail.utf8))) != nil, "not JSON: \(detail)")
    }

    @Test func a_failed_login_over_http_records_the_name_as_typed_and_never_the_password() async throws {
        // Given central's HTTP face on this store
        let server = try CentralServer(storage: storage, signer: TokenSigner(key: Array(repeating: 7, count: 32)),
                                       hasher: DemoCity.testHasher, clock: { DemoCity.now.addingTimeInterval(60) })
        try await Application(router: server.router()).test(.router) { client in
            // When one login fails and another succeeds
            for (user, password) in [("duty1", "hunter2-secret"), ("duty1", "demoduty")] {
                let body = ByteBuffer(bytes: try JSONEncoder().encode(LoginRequest(username: user, password: password, clientID: "c-1")))
                try await client.execute(uri: "/v1/login", method: .post, body: body) { _ in }
            }
        }
        // Then both are audited, the failure with the user name, and no column holds the password
        let all = try entries()
        #expect(all.map(\.entry.action) == [.loginFailed, .loginOK])
        #expect(all.map(\.entry.actor.user) == ["duty1", "duty1"])
        #expect(all.map(\.entry.actor.client) == ["c-1", "c-1"])
        let dump = try await storage.database.writer.read { try String.fetchAll($0, sql: "SELECT \(AuditLogTests.allColumns) FROM audit_log") }
        #expect(!dump.joined().contains("hunter2"))
        #expect(!dump.joined().contains("demoduty"))
    }

    @Test func a_console_id_taken_by_another_user_is_audited_as_a_failed_login() async throws {
        let server = try CentralServer(storage: storage, signer: TokenSigner(key: Array(repeating: 7, count: 32)),
                                       hasher: DemoCity.testHasher, clock: { DemoCity.now.addingTimeInterval(60) })
        try await Application(router: server.router()).test(.router) { client in
            // duty1's console first, then hotline1 with the same client id and the right password
            for (user, password) in [("duty1", "demoduty"), ("hotline1", "demohotline")] {
                let body = ByteBuffer(bytes: try JSONEncoder().encode(LoginRequest(username: user, password: password, clientID: "c-duty")))
                try await client.execute(uri: "/v1/login", method: .post, body: body) { _ in }
            }
        }
        let all = try entries()
        #expect(all.map(\.entry.action) == [.loginOK, .loginFailed])
        #expect(all.last?.entry.actor.user == "hotline1")
        #expect(all.last?.entry.detail == #"{"reason":"client_taken"}"#)
    }

    @Test func another_command_under_a_used_mutation_id_is_audited_as_rejected() throws {
        #expect(try storage.submit(incident(1), by: Self.duty, at: now) == .applied)
        let other = CommandEnvelope(clientID: "c-duty", mutationID: 1, name: "closeIncident", args: ["incident": .text("J1")])
        guard case .rejected = try storage.submit(other, by: Self.duty, at: now) else {
            Issue.record("a different command under a used id was not rejected")
            return
        }
        let all = try entries()
        #expect(all.map(\.entry.action) == [.commandApplied, .commandRejected])
        #expect(all.last?.entry.detail.contains(#""code":"mutation_reused""#) == true)
        #expect(all.last?.entry.records == ["J1"])
    }

    static let allColumns = "seq || at_ms || actor_user || actor_client || actor_address || action || records || detail || prev_hash || hash"

    @Test func a_name_typed_at_login_is_cut_to_64_characters_and_made_printable() throws {
        try storage.audit(.loginFailed(typed: "duty1\u{0}\u{1b}[31m" + String(repeating: "x", count: 200), client: "c",
                                       address: "", reason: "bad_credentials", at: now))
        let user = try #require(try entries().first?.entry.actor.user)
        #expect(user.count == 64)
        #expect(user.hasPrefix(#"duty1\u{0}\u{1b}[31m"#))
        #expect(!user.unicodeScalars.contains { $0.value < 0x20 })
    }

    @Test func a_scope_change_and_a_compaction_are_audited_with_what_changed() throws {
        _ = try storage.updateUser("leader1", role: nil, department: "hotline")
        _ = try storage.compact()
        let all = try entries()
        #expect(all.map(\.entry.action) == [.scopeChange, .compact])
        #expect(all[0].entry.detail.contains(#""department":{"from":"cmd","to":"hotline"}"#))
        #expect(all[0].entry.detail.contains(#""user":"leader1""#))
        #expect(all[0].entry.actor.client == "cli")
        #expect(all[1].entry.detail.contains(#""epoch":{"from":"#))
    }

    @Test func the_log_refuses_updates_and_deletes_from_any_code_path() throws {
        try chainOfFive()
        #expect(throws: DatabaseError.self) {
            try storage.database.writer.write { try $0.execute(sql: "UPDATE audit_log SET detail = '{}' WHERE seq = 2") }
        }
        #expect(throws: DatabaseError.self) {
            try storage.database.writer.write { try $0.execute(sql: "DELETE FROM audit_log WHERE seq = 5") }
        }
        #expect(try entries().count == 5)
    }

    // MARK: The hash

    @Test func an_entry_hash_is_sm3_over_the_documented_encoding() throws {
        try chainOfFive()
        let entry = try entries()[2]
        // Built here from the documentation, field by field: LENGTH ":" BYTES LF after the tag.
        let fields = [String(entry.seq), String(entry.entry.atMs), entry.entry.actor.user, entry.entry.actor.client,
                      entry.entry.actor.address, entry.entry.action.rawValue, entry.entry.records.joined(separator: ","),
                      entry.entry.detail, entry.previousHash]
        var bytes = Array("fenghuo-audit-v1\n".utf8)
        for field in fields { bytes += Array("\(field.utf8.count):\(field)\n".utf8) }
        let digest = try Digest.hash(bytes, with: .sm3)
        #expect(Digest.hex(digest) == entry.hash)
    }

    // MARK: Tampering

    @Test func an_edited_detail_is_named_as_the_first_bad_entry() throws {
        try chainOfFive()
        try tamper("UPDATE audit_log SET detail = replace(detail, 'forbidden', 'stale_version') WHERE seq = 3")
        let b = try #require(broken(try verify()))
        #expect(b.seq == 3)
        guard case .hashMismatch = b.problem else { Issue.record("expected a hash mismatch, got \(b)"); return }
    }

    @Test func an_edited_entry_with_its_hash_recomputed_breaks_the_link_of_the_next() throws {
        try chainOfFive()
        // The attacker rewrites entry 2's actor and recomputes its hash (the algorithm is public)
        let e = try entries()[1]
        let forged = try AuditLog.hash([String(e.seq), String(e.entry.atMs), "leader1", e.entry.actor.client, e.entry.actor.address,
                                        e.entry.action.rawValue, "", e.entry.detail, e.previousHash])
        try tamper("UPDATE audit_log SET actor_user = 'leader1', hash = '\(forged)' WHERE seq = 2")
        let b = try #require(broken(try verify()))
        #expect(b.seq == 3)
        guard case .brokenLink = b.problem else { Issue.record("expected a broken link, got \(b)"); return }
    }

    @Test func a_deleted_entry_is_named_as_missing() throws {
        try chainOfFive()
        try tamper("DELETE FROM audit_log WHERE seq = 2")
        let b = try #require(broken(try verify()))
        #expect(b.seq == 2)
        #expect(b.problem == .missing(next: 3))
        // The first one too
        try storage.database.writer.write { try $0.execute(sql: "DELETE FROM audit_log WHERE seq = 1") }
        #expect(broken(try verify())?.seq == 1)
    }

    @Test func an_inserted_entry_is_named() throws {
        try chainOfFive()
        // Entries 3… moved up by one, and a made-up entry 3 put in between
        let e = try entries()[2]
        try tamper("UPDATE audit_log SET seq = seq + 100 WHERE seq >= 3", "UPDATE audit_log SET seq = seq - 99 WHERE seq >= 100",
                   """
                   INSERT INTO audit_log VALUES (3, \(e.entry.atMs), 'duty1', 'c-duty', '', 'login_ok', '', '{}', '\(e.previousHash)',
                                                 '\(String(repeating: "a", count: 64))')
                   """)
        let b = try #require(broken(try verify()))
        #expect(b.seq == 3)
        guard case .hashMismatch = b.problem else { Issue.record("expected a hash mismatch, got \(b)"); return }
    }

    @Test func an_entry_appended_after_the_head_without_its_link_is_named() throws {
        try chainOfFive()
        try tamper("""
            INSERT INTO audit_log VALUES (6, 0, 'duty1', 'c-duty', '', 'login_ok', '', '{}', '\(AuditLog.genesis)', 'x')
            """)
        let b = try #require(broken(try verify()))
        #expect(b.seq == 6)
        guard case .brokenLink = b.problem else { Issue.record("expected a broken link, got \(b)"); return }
    }

    @Test func two_swapped_entries_are_named_at_the_first() throws {
        try chainOfFive()
        try tamper("UPDATE audit_log SET seq = 100 WHERE seq = 2", "UPDATE audit_log SET seq = 2 WHERE seq = 4",
                   "UPDATE audit_log SET seq = 4 WHERE seq = 100")
        let b = try #require(broken(try verify()))
        #expect(b.seq == 2)
    }

    @Test func a_chain_cut_at_its_end_is_found_against_a_head_noted_before() throws {
        try chainOfFive()
        guard case .intact(_, let head) = try verify() else { Issue.record("not intact"); return }
        try tamper("DELETE FROM audit_log WHERE seq = 5")
        // Alone, a shorter chain is consistent; against the head noted earlier it is not
        guard case .intact(let count, _) = try verify() else { Issue.record("a cut chain is still consistent"); return }
        #expect(count == 4)
        let b = try #require(broken(try verify(head: head)))
        #expect(b.problem == .headNotFound(head: head, last: 4))
    }

    // MARK: Cost

    /// Run by hand (`AUDIT_COST=1 swift test --filter AuditLogTests`): the cost of the entry
    /// per command, against the same commands with the entry's work done twice.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["AUDIT_COST"] != nil))
    func the_cost_per_command() throws {
        let n = 3000
        let envelopes = (1...n).map { incident(Int64($0)) }
        var started = Date()
        try storage.database.writer.write { db in
            for _ in 0..<n {
                try AuditLog.append(.loginFailed(typed: "duty1", client: "c", address: "", reason: "bad", at: now), in: db)
            }
        }
        let appendOnly = Date().timeIntervalSince(started) / Double(n)
        started = Date()
        let (outcomes, _) = try storage.submit(batch: envelopes, by: Self.duty, at: now)
        let perCommand = Date().timeIntervalSince(started) / Double(n)
        #expect(outcomes.count == n)
        started = Date()
        let built = envelopes.compactMap { e in
            AuditEntry(at: now, actor: .init(user: "duty1", client: e.clientID), action: .commandApplied, records: ["INC-1"],
                       detail: ["command": .text(e.name), "mutation": .number(e.mutationID),
                                "args": .fields(e.args.mapValues { "\($0)" })])
        }
        let buildOnly = Date().timeIntervalSince(started) / Double(n)
        #expect(built.count == n)
        started = Date()
        guard case .intact(let count, _) = try verify() else { Issue.record("not intact"); return }
        let verifyEach = Date().timeIntervalSince(started) / Double(count)
        print(String(format: "audit cost: append %.1f µs (entry built %.1f µs); a whole command with its entry %.1f µs; verify %.1f µs an entry",
                     appendOnly * 1e6, buildOnly * 1e6, perCommand * 1e6, verifyEach * 1e6))
    }
}
