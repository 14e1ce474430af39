import FenghuoCentral
import FenghuoCrypto
import FenghuoDomain
import FenghuoProtocol
import FenghuoSeed
import FenghuoStore
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TestSupport

/// The holes an attacker found (issue 10), each replayed against a real store through the HTTP
/// router: the attack as it was made, and what central must answer now.
@Suite("Central under attack: stolen client ids, wildcards, fail-open flags, unbounded text", .ownThread)
struct CentralUnderAttackTests {
    let storage: SQLiteCentralStorage
    let server: CentralServer
    let signer = TokenSigner(key: Array(repeating: 7, count: 32))

    init() throws {
        storage = try SQLiteCentralStorage.inMemory()
        try Seeder(fixtures: DemoCity.fixtures, hasher: DemoCity.testHasher).seed(storage.database, now: DemoCity.now)
        server = try CentralServer(storage: storage, signer: signer, hasher: DemoCity.testHasher,
                                   clock: { DemoCity.now.addingTimeInterval(60) })
    }

    struct Session {
        let token: String
        let epoch: String
        let clientID: String
        var auth: HTTPFields { [.authorization: "Bearer \(token)"] }
    }

    func body(_ value: some Encodable) throws -> ByteBuffer { ByteBuffer(bytes: try JSONEncoder().encode(value)) }

    func login(_ client: some TestClientProtocol, _ user: String, _ password: String, clientID: String) async throws -> (HTTPResponse.Status, Session?, ErrorBody?) {
        try await client.execute(uri: "/v1/login", method: .post,
                                 body: try body(LoginRequest(username: user, password: password, clientID: clientID))) { r in
            if r.status == .ok {
                let answer = try JSONDecoder().decode(LoginResponse.self, from: r.body)
                return (r.status, Session(token: answer.token, epoch: answer.epoch, clientID: clientID), nil)
            }
            return (r.status, nil, try? JSONDecoder().decode(ErrorBody.self, from: r.body))
        }
    }

    func session(_ client: some TestClientProtocol, _ user: String, _ password: String, clientID: String) async throws -> Session {
        let (status, session, error) = try await login(client, user, password, clientID: clientID)
        guard let session else { throw Failure("login of \(user) with \(clientID): \(status) \(String(describing: error))") }
        return session
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    func push(_ client: some TestClientProtocol, _ s: Session, _ commands: [CommandEnvelope]) async throws -> (HTTPResponse.Status, [PushResult], ErrorBody?) {
        try await client.execute(uri: "/v1/push", method: .post, headers: s.auth, body: try body(PushRequest(commands: commands))) { r in
            if r.status == .ok { return (r.status, try JSONDecoder().decode(PushResponse.self, from: r.body).results, nil) }
            return (r.status, [], try? JSONDecoder().decode(ErrorBody.self, from: r.body))
        }
    }

    func changes(_ client: some TestClientProtocol, _ s: Session) async throws -> ChangesResponse {
        try await client.execute(uri: "/v1/changes?cursor=\(s.epoch):0&limit=10000", method: .get, headers: s.auth) { r in
            #expect(r.status == .ok)
            return try JSONDecoder().decode(ChangesResponse.self, from: r.body)
        }
    }

    static let theft: [String: String] = ["type": "theft", "district": "binhu", "address": "滨湖区湖心路8号", "narrative": "电动车被盗"]

    func text(_ sql: String) throws -> String? {
        try storage.database.writer.read { try String.fetchOne($0, sql: sql) }
    }

    func count(_ sql: String) throws -> Int {
        try storage.database.writer.read { try Int.fetchOne($0, sql: sql) ?? 0 }
    }

    // MARK: 1. Another console's mutation sequence

    @Test func a_client_id_belongs_to_the_user_who_first_logged_in_with_it() async throws {
        try await Application(router: server.router()).test(.router) { client in
            let duty = try await session(client, "duty1", "demoduty", clientID: "c-duty1-console")
            // The attack: hotline1 logs in with duty1's client id to push into its sequence.
            let (status, stolen, error) = try await login(client, "hotline1", "demohotline", clientID: "c-duty1-console")
            #expect(status == .forbidden)
            #expect(stolen == nil)
            #expect(error?.error.code == .clientTaken)
            // duty1's own commands still apply, numbered from 1.
            let (_, results, _) = try await push(client, duty, (1...3).map {
                CommandEnvelope(clientID: duty.clientID, mutationID: $0, name: "createIncident", args: Self.theft)
            })
            #expect(results.map(\.status) == [.applied, .applied, .applied])
            #expect(try count("SELECT count(*) FROM incident WHERE narrative = '电动车被盗'") == 3)
        }
    }

    @Test func a_token_minted_for_a_foreign_client_id_is_refused_on_every_route() async throws {
        try await Application(router: server.router()).test(.router) { client in
            let duty = try await session(client, "duty1", "demoduty", clientID: "c-duty1-console")
            // A token from before the binding rule: hotline1's, naming duty1's client.
            let forged = try signer.sign(.init(username: "hotline1", role: "hotline", department: "hotline",
                                               clientID: duty.clientID, expiresAt: Int64(DemoCity.now.timeIntervalSince1970) + 3600))
            let attacker = Session(token: forged, epoch: duty.epoch, clientID: duty.clientID)
            let (status, _, error) = try await push(client, attacker, [
                CommandEnvelope(clientID: duty.clientID, mutationID: 1, name: "createTicket",
                                args: ["category": "noise_social", "district": "binhu", "address": "x", "summary": "y"]),
            ])
            #expect(status == .forbidden)
            #expect(error?.error.code == .clientTaken)
            try await client.execute(uri: "/v1/changes?cursor=\(duty.epoch):0", method: .get, headers: attacker.auth) { r in
                #expect(r.status == .forbidden)
            }
            #expect(try count("SELECT last_mutation_id FROM client_state WHERE client_id = 'c-duty1-console'") == 0)
        }
    }

    @Test func a_different_command_under_a_used_mutation_id_is_rejected_not_answered_duplicate() async throws {
        try await Application(router: server.router()).test(.router) { client in
            let duty = try await session(client, "duty1", "demoduty", clientID: "c-duty1-console")
            let first = CommandEnvelope(clientID: duty.clientID, mutationID: 1, name: "createIncident", args: Self.theft)
            _ = try await push(client, duty, [first])
            // The same upload again is a duplicate; another command under id 1 is not.
            let (_, again, _) = try await push(client, duty, [first])
            #expect(again.map(\.status) == [.duplicate])
            var other = Self.theft
            other["narrative"] = "另一条命令"
            let (_, reused, _) = try await push(client, duty, [
                CommandEnvelope(clientID: duty.clientID, mutationID: 1, name: "createIncident", args: other),
            ])
            #expect(reused.map(\.status) == [.rejected])
            #expect(reused.first?.reason?.code == "mutation_reused")
            // The console settles from the feed: the rejection is there for mutation 1.
            let feed = try await changes(client, duty)
            let rejection = try #require(feed.changes.last)
            #expect(rejection.entity == "rejection")
            #expect(rejection.row?.contains("mutation_reused") == true)
            #expect(try count("SELECT count(*) FROM incident WHERE narrative = '另一条命令'") == 0)
        }
    }

    // MARK: 3, 4. Tickets reaching the wrong replicas

    @Test func a_ticket_cannot_be_transferred_to_a_centre_department() async throws {
        try await Application(router: server.router()).test(.router) { client in
            let hotline = try await session(client, "hotline1", "demohotline", clientID: "c-hotline1")
            let (_, made, _) = try await push(client, hotline, [
                CommandEnvelope(clientID: hotline.clientID, mutationID: 1, name: "createTicket",
                                args: ["category": "noise_social", "district": "binhu", "address": "滨湖区湖心路8号", "summary": "夜间施工噪声",
                                       "phone": "13812345678"]),
            ])
            #expect(made.map(\.status) == [.applied])
            let ticket = try #require(try text("SELECT max(id) FROM ticket"))
            let before = try count("SELECT count(*) FROM change_log")
            for centre in ["cmd", "hotline"] {
                let (_, results, _) = try await push(client, hotline, [
                    CommandEnvelope(clientID: hotline.clientID, mutationID: centre == "cmd" ? 2 : 3, name: "transferTicket",
                                    args: ["ticket": ticket, "department": centre]),
                ])
                #expect(results.first?.reason?.code == "not_ticket_department", "\(centre)")
            }
            // Nothing but the two rejections was written.
            #expect(try count("SELECT count(*) FROM change_log") == before + 2)
            #expect(try count("SELECT count(*) FROM change_log WHERE entity = 'ticket' AND instr(scopes, ',dept:cmd,') > 0") == 0)
            let duty = try await session(client, "duty1", "demoduty", clientID: "c-duty1")
            let dutyFeed = try await changes(client, duty)
            #expect(dutyFeed.changes.allSatisfy { $0.entity != "ticket" })
        }
    }

    @Test func a_duty_officer_placed_in_a_real_department_receives_none_of_its_tickets() async throws {
        try await Application(router: server.router()).test(.router) { client in
            // The store refuses the pair now; a row written by hand still reads by role first.
            #expect(throws: SQLiteCentralStorage.UnfitDepartment.self) { _ = try storage.updateUser("duty1", role: nil, department: "water") }
            #expect(throws: SQLiteCentralStorage.UnfitDepartment.self) { _ = try storage.updateUser("urban1", role: .staff, department: "cmd") }
            #expect(throws: SQLiteCentralStorage.UnfitDepartment.self) { _ = try storage.updateUser("hotline1", role: .duty, department: nil) }
            #expect(try storage.updateUser("hotline1", role: .staff, department: "water").department == "water")
            try await storage.database.writer.write { try $0.execute(sql: "UPDATE app_user SET department = 'water' WHERE username = 'duty1'") }
            let hotline = try await session(client, "hotline2", "demohotline", clientID: "c-hotline2")
            _ = try await push(client, hotline, [
                CommandEnvelope(clientID: hotline.clientID, mutationID: 1, name: "createTicket",
                                args: ["category": "water_outage", "district": "binhu", "address": "滨湖区湖心路8号", "summary": "停水"]),
            ])
            let ticket = try #require(try text("SELECT max(id) FROM ticket"))
            let (_, moved, _) = try await push(client, hotline, [
                CommandEnvelope(clientID: hotline.clientID, mutationID: 2, name: "transferTicket", args: ["ticket": ticket, "department": "water"]),
            ])
            #expect(moved.map(\.status) == [.applied])
            let duty = try await session(client, "duty1", "demoduty", clientID: "c-duty1")
            let dutyFeed = try await changes(client, duty)
            #expect(dutyFeed.changes.allSatisfy { $0.entity != "ticket" })
            let water = try await session(client, "water1", "demostaff", clientID: "c-water1")
            let waterFeed = try await changes(client, water)
            #expect(waterFeed.changes.contains { $0.entity == "ticket" && $0.id == ticket })
            let snapshot = try storage.snapshot(for: try #require(try storage.user(named: "duty1")), clientID: "c-duty1", after: nil, limit: 50_000)
            #expect(!snapshot.tables.contains { $0.name == "ticket" && !$0.rows.isEmpty })
        }
    }

    // MARK: 5. Wildcards in client ids

    @Test(arguments: ["%", "_", "c,role:duty", "c 1", "c\u{0}", String(repeating: "a", count: 65), ""])
    func a_client_id_outside_the_alphabet_is_refused_at_login(_ clientID: String) async throws {
        try await Application(router: server.router()).test(.router) { client in
            let (status, session, error) = try await login(client, "duty1", "demoduty", clientID: clientID)
            #expect(status == .badRequest)
            #expect(session == nil)
            #expect(error?.error.message.contains("clientID") == true)
        }
    }

    @Test func a_percent_client_id_in_a_token_reads_no_other_clients_rejections() async throws {
        try await Application(router: server.router()).test(.router) { client in
            // Three consoles collect rejections of their own.
            for (n, id) in ["c-a1", "c-b2", "c-c3"].enumerated() {
                let s = try await session(client, "duty\(n + 1)", "demoduty", clientID: id)
                _ = try await push(client, s, [CommandEnvelope(clientID: id, mutationID: 1, name: "createIncident",
                                                               args: ["type": "nosuchtype", "district": "binhu", "address": "x", "narrative": "y"])])
            }
            let wildcard = try signer.sign(.init(username: "duty4", role: "duty", department: "cmd", clientID: "%",
                                                 expiresAt: Int64(DemoCity.now.timeIntervalSince1970) + 3600))
            try await client.execute(uri: "/v1/changes?limit=10000", method: .get, headers: [.authorization: "Bearer \(wildcard)"]) { r in
                #expect(r.status == .forbidden)
            }
            // Scopes match whole: client c-a1 reads its own rejection and no other.
            let a = try await session(client, "duty1", "demoduty", clientID: "c-a1")
            let rejections = try await changes(client, a).changes.filter { $0.entity == "rejection" }
            #expect(rejections.map(\.id) == ["c-a1#1"])
            let storageView = try storage.changes(after: 0, scopes: ["client:c-a"], clientID: "c-a", limit: 100)
            #expect(storageView.changes.isEmpty, "client:c-a must not match client:c-a1")
        }
    }

    // MARK: 6, 9, 10. Flags, lengths and control characters

    @Test(arguments: ["on", "ture", "maybe", "2", "confidential"])
    func a_confidential_flag_that_does_not_parse_is_refused_and_reaches_no_hotline_replica(_ flag: String) async throws {
        try await Application(router: server.router()).test(.router) { client in
            let duty = try await session(client, "duty1", "demoduty", clientID: "c-duty1")
            var args = Self.theft
            args["narrative"] = "线人报告：嫌疑人藏身仓库"
            args["confidential"] = flag
            let (_, results, _) = try await push(client, duty, [CommandEnvelope(clientID: duty.clientID, mutationID: 1, name: "createIncident", args: args)])
            #expect(results.first?.reason?.code == "bad_value")
            let hotline = try await session(client, "hotline1", "demohotline", clientID: "c-hotline1")
            let hotlineFeed = try await changes(client, hotline)
            #expect(hotlineFeed.changes.allSatisfy { $0.row?.contains("线人报告") != true })
            #expect(try count("SELECT count(*) FROM incident WHERE narrative LIKE '线人报告%'") == 0)
        }
    }

    @Test func text_over_its_declared_length_is_refused_with_the_field_and_the_limit() async throws {
        try await Application(router: server.router()).test(.router) { client in
            let duty = try await session(client, "duty1", "demoduty", clientID: "c-duty1")
            var args = Self.theft
            args["narrative"] = String(repeating: "长", count: 2001)
            let (_, results, _) = try await push(client, duty, [CommandEnvelope(clientID: duty.clientID, mutationID: 1, name: "createIncident", args: args)])
            let reason = try #require(results.first?.reason)
            #expect(reason.code == "too_long")
            #expect(reason.details["key"] == "narrative" && reason.details["max"] == "2000")
            #expect(try count("SELECT count(*) FROM incident WHERE length(narrative) > 2000") == 0)
            // Every text argument of every command has a limit.
            for spec in Command.all {
                for argument in spec.arguments {
                    if case .text(let max) = argument.kind { #expect(max <= 4000, "\(spec.name).\(argument.key)") }
                }
            }
        }
    }

    @Test func control_characters_are_refused_in_names_and_text() async throws {
        try await Application(router: server.router()).test(.router) { client in
            let (status, nulSession, _) = try await login(client, "duty1\u{0}", "demoduty", clientID: "c-duty1")
            #expect(status == .badRequest)
            #expect(nulSession == nil)
            let duty = try await session(client, "duty1", "demoduty", clientID: "c-duty1")
            var args = Self.theft
            args["narrative"] = "截断\u{0}之后的内容"
            args["address"] = "湖心路\u{1B}[2J8号"
            let (_, results, _) = try await push(client, duty, [CommandEnvelope(clientID: duty.clientID, mutationID: 1, name: "createIncident", args: args)])
            #expect(results.first?.reason?.code == "control_character")
            // A newline is text in a long field, not in a short one.
            var multiline = Self.theft
            multiline["narrative"] = "第一行\n第二行"
            var shortLine = Self.theft
            shortLine["address"] = "湖心路\n8号"
            let (_, more, _) = try await push(client, duty, [
                CommandEnvelope(clientID: duty.clientID, mutationID: 2, name: "createIncident", args: multiline),
                CommandEnvelope(clientID: duty.clientID, mutationID: 3, name: "createIncident", args: shortLine),
            ])
            #expect(more.map(\.status) == [.applied, .rejected])
            #expect(try count("SELECT count(*) FROM incident WHERE instr(narrative, char(0)) > 0 OR narrative = '截断'") == 0)
        }
    }

    // MARK: 7. Password guessing

    @Test func repeated_wrong_passwords_lock_the_user_even_against_the_right_one() async throws {
        try await Application(router: server.router()).test(.router) { client in
            for _ in 0..<4 {
                let (status, _, error) = try await login(client, "duty1", "guess", clientID: "c-x")
                #expect(status == .unauthorized && error?.error.code == .badCredentials)
            }
            let (fifth, _, locked) = try await login(client, "duty1", "guess", clientID: "c-x")
            #expect(fifth == .tooManyRequests)
            #expect(locked?.error.code == .lockedOut)
            let (right, session, error) = try await login(client, "duty1", "demoduty", clientID: "c-x")
            #expect(right == .tooManyRequests && session == nil)
            #expect(error?.error.message.contains("--unlock") == true)
            #expect(try storage.lockedUntil("duty1", now: DemoCity.now.addingTimeInterval(60)) != nil)
            // Another user is not affected; a lifted lock lets duty1 in again.
            _ = try await self.session(client, "duty2", "demoduty", clientID: "c-y")
            try storage.loginSucceeded("duty1")
            _ = try await self.session(client, "duty1", "demoduty", clientID: "c-x")
            // Guessed names leave no rows behind.
            _ = try await login(client, "nobody-\(UUID().uuidString.prefix(8))", "x", clientID: "c-z")
            #expect(try count("SELECT count(*) FROM login_lock WHERE username LIKE 'nobody-%'") == 0)
        }
    }

    @Test func one_address_guessing_many_names_is_refused_for_a_while() async throws {
        var policy = LoginGuard.Policy()
        policy.addressFailures = 6
        let guarded = try CentralServer(storage: storage, signer: signer, hasher: DemoCity.testHasher, logins: LoginGuard(policy: policy),
                                        clock: { DemoCity.now.addingTimeInterval(60) })
        try await Application(router: guarded.router()).test(.router) { client in
            for n in 0..<6 { _ = try await login(client, "guess\(n)", "x", clientID: "c-x") }
            let (status, session, error) = try await login(client, "duty1", "demoduty", clientID: "c-x")
            #expect(status == .tooManyRequests && session == nil)
            #expect(error?.error.message.contains("from local") == true)
        }
    }

    @Test func password_checks_beyond_the_queue_are_refused_at_once() async throws {
        var policy = LoginGuard.Policy()
        policy.hashing = 1
        policy.waiting = 1
        let guarded = LoginGuard(policy: policy)
        let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        async let first: Void = guarded.hash { started.signal(); release.wait() }
        started.wait()
        async let second: Void = guarded.hash {}
        try await Task.sleep(for: .milliseconds(50))
        await #expect(throws: LoginGuard.Busy.self) { try await guarded.hash {} }
        release.signal()
        try await first
        try await second
        try await guarded.hash {}
    }

    // MARK: 8, 10. A store that went back; answers without a body

    @Test func a_cursor_past_the_newest_change_is_told_to_rebuild() async throws {
        try await Application(router: server.router()).test(.router) { client in
            let duty = try await session(client, "duty1", "demoduty", clientID: "c-duty1")
            try await client.execute(uri: "/v1/changes?cursor=\(duty.epoch):9999", method: .get, headers: duty.auth) { r in
                #expect(r.status == .gone)
                let error = try JSONDecoder().decode(ErrorBody.self, from: r.body)
                #expect(error.error.code == .epochChanged)
                #expect(error.error.message.contains("went back"))
            }
        }
    }

    @Test func after_a_new_history_a_console_resumes_its_mutation_ids_once() async throws {
        try await Application(router: server.router()).test(.router) { client in
            let duty = try await session(client, "duty1", "demoduty", clientID: "c-duty1")
            _ = try await push(client, duty, [CommandEnvelope(clientID: duty.clientID, mutationID: 1, name: "createIncident", args: Self.theft)])
            // As if restored from a backup taken here, while the console went on to mutation 7.
            let (old, new) = try storage.beginNewHistory()
            #expect(old != new)
            let (status, results, _) = try await push(client, duty, [
                CommandEnvelope(clientID: duty.clientID, mutationID: 8, name: "createIncident", args: Self.theft),
                CommandEnvelope(clientID: duty.clientID, mutationID: 9, name: "createIncident", args: Self.theft),
            ])
            #expect(status == .ok)
            #expect(results.map(\.status) == [.applied, .applied])
            // Only once: a later gap is a gap again.
            let (gap, _, error) = try await push(client, duty, [
                CommandEnvelope(clientID: duty.clientID, mutationID: 12, name: "createIncident", args: Self.theft),
            ])
            #expect(gap == .conflict && error?.error.expected == 10)
        }
    }

    @Test func unknown_routes_and_failures_answer_with_a_json_error() async throws {
        try await Application(router: server.router()).test(.router) { client in
            try await client.execute(uri: "/v1/nothing-here", method: .get) { r in
                #expect(r.status == .notFound)
                let error = try JSONDecoder().decode(ErrorBody.self, from: r.body)
                #expect(error.error.code == .notFound)
                #expect(error.error.message.contains("/v1/login"))
            }
        }
    }

    // MARK: Tokens: refresh and revocation; the password policy

    @Test func a_token_is_refreshed_and_a_revoked_user_or_console_is_cut_off_within_a_second() async throws {
        try await Application(router: server.router()).test(.router) { client in
            let duty = try await session(client, "duty1", "demoduty", clientID: "c-duty1")
            let fresh = try await client.execute(uri: "/v1/refresh", method: .post, headers: duty.auth) { r in
                #expect(r.status == .ok)
                return try JSONDecoder().decode(LoginResponse.self, from: r.body)
            }
            #expect(fresh.user.username == "duty1")
            try storage.revoke(.client, "c-duty1", at: DemoCity.now)
            try await Task.sleep(for: .milliseconds(1100))
            try await client.execute(uri: "/v1/changes?cursor=\(duty.epoch):0", method: .get, headers: duty.auth) { r in
                #expect(r.status == .forbidden)
                #expect((try? JSONDecoder().decode(ErrorBody.self, from: r.body))?.error.code == .revoked)
            }
            let (again, _, error) = try await login(client, "duty1", "demoduty", clientID: "c-duty1")
            #expect(again == .forbidden && error?.error.code == .revoked)
            // The user on another console is still in, until the user is revoked.
            let other = try await session(client, "duty1", "demoduty", clientID: "c-duty1-new")
            try storage.revoke(.user, "duty1", at: DemoCity.now)
            try await Task.sleep(for: .milliseconds(1100))
            try await client.execute(uri: "/v1/refresh", method: .post, headers: other.auth) { r in #expect(r.status == .forbidden) }
            try storage.reinstate("duty1")
            try await Task.sleep(for: .milliseconds(1100))
            _ = try await session(client, "duty1", "demoduty", clientID: "c-duty1-new")
        }
    }

    @Test func the_password_policy_refuses_short_plain_named_and_common_passwords() {
        #expect(!PasswordPolicy.problems("short1A!", username: "duty1").isEmpty)
        #expect(!PasswordPolicy.problems("alllowercaseletters", username: "duty1").isEmpty)
        #expect(!PasswordPolicy.problems("Duty1-is-my-Name", username: "duty1").isEmpty)
        #expect(!PasswordPolicy.problems("p@ssw0rd1234", username: "duty1").isEmpty)
        #expect(!PasswordPolicy.problems("aaaaaaaaaaaaaaaaaaaaaaaa", username: "duty1").isEmpty)
        #expect(PasswordPolicy.problems("Yunchuan-River-7", username: "duty1").isEmpty)
        #expect(PasswordPolicy.problems("江边的风吹过老城的石板路很远", username: "duty1").isEmpty)
    }
}
