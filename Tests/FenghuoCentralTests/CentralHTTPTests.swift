import FenghuoCentral
import FenghuoSeed
import FenghuoCrypto
import FenghuoDomain
import FenghuoProtocol
import FenghuoSync
import FenghuoStore
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TestSupport

/// The v1 HTTP protocol, called in-process against a real store.
@Suite("Central HTTP: login, pull, push and clear 4xx errors", .ownThread)
struct CentralHTTPTests {
    let server: CentralServer
    let store: SQLiteCentralStorage

    init() throws {
        let storage = try SQLiteCentralStorage.inMemory()
        store = storage
        try Seeder(fixtures: DemoCity.fixtures, hasher: DemoCity.testHasher).seed(storage.database, now: DemoCity.now)
        server = try CentralServer(storage: storage, signer: TokenSigner(key: Array(repeating: 7, count: 32)),
                                   hasher: DemoCity.testHasher, clock: { DemoCity.now.addingTimeInterval(60) })
    }

    func body(_ value: some Encodable) throws -> ByteBuffer { ByteBuffer(bytes: try JSONEncoder().encode(value)) }
    func decode<T: Decodable>(_ type: T.Type, _ buffer: ByteBuffer) throws -> T { try JSONDecoder().decode(T.self, from: buffer) }

    func login(_ client: some TestClientProtocol, _ user: String, _ password: String, clientID: String) async throws -> LoginResponse {
        try await client.execute(uri: "/v1/login", method: .post,
                                 body: try body(LoginRequest(username: user, password: password, clientID: clientID))) { r in
            #expect(r.status == .ok)
            return try decode(LoginResponse.self, r.body)
        }
    }

    @Test func a_duty_officer_logs_in_creates_an_incident_and_pulls_it_back() async throws {
        try await Application(router: server.router()).test(.router) { client in
            let session = try await login(client, "duty1", "demoduty", clientID: "console-1")
            #expect(session.user.role == .duty)
            let auth: HTTPFields = [.authorization: "Bearer \(session.token)"]
            let command = CommandEnvelope(clientID: "console-1", mutationID: 1, name: "createIncident",
                                          args: ["type": "theft", "district": "binhu", "address": "滨湖区湖心路8号", "narrative": "电动车被盗"])
            try await client.execute(uri: "/v1/push", method: .post, headers: auth, body: try body(PushRequest(commands: [command]))) { r in
                #expect(r.status == .ok)
                let decoded = try decode(PushResponse.self, r.body)
                #expect(decoded.results.map(\.status) == [.applied])
            }
            try await client.execute(uri: "/v1/changes?cursor=\(session.epoch):0", method: .get, headers: auth) { r in
                #expect(r.status == .ok)
                let batch = try decode(ChangesResponse.self, r.body)
                #expect(batch.changes.count == 1)
                #expect(batch.changes.first?.entity == "incident")
                #expect(batch.changes.first?.row?.contains("电动车被盗") == true)
                #expect(batch.cursor.description == "\(session.epoch):1")
                #expect(batch.lastMutationID == 1)
            }
        }
    }

    @Test func a_wrong_password_is_401_with_a_json_reason() async throws {
        try await Application(router: server.router()).test(.router) { client in
            try await client.execute(uri: "/v1/login", method: .post,
                                     body: try body(LoginRequest(username: "duty1", password: "guess", clientID: "c"))) { r in
                #expect(r.status == .unauthorized)
                let decoded = try decode(ErrorBody.self, r.body)
                #expect(decoded.error.code.rawValue == "bad_credentials")
            }
        }
    }

    @Test(arguments: [
        ("{not json", "bad_json"),
        (#"{"username": 5, "password": "x", "clientID": "c"}"#, "bad_request"),
        (#"{"username": "duty1"}"#, "bad_request"),
    ])
    func malformed_bodies_are_400_and_name_the_problem(_ text: String, _ code: String) async throws {
        try await Application(router: server.router()).test(.router) { client in
            try await client.execute(uri: "/v1/login", method: .post, body: ByteBuffer(string: text)) { r in
                #expect(r.status == .badRequest)
                let decoded = try decode(ErrorBody.self, r.body)
                #expect(decoded.error.code.rawValue == code)
            }
        }
    }

    @Test func bad_tokens_oversized_bodies_and_foreign_cursors_are_refused_and_write_nothing() async throws {
        try await Application(router: server.router()).test(.router) { client in
            try await client.execute(uri: "/v1/changes", method: .get) { r in
                #expect(r.status == .unauthorized)
                let decoded = try decode(ErrorBody.self, r.body)
                #expect(decoded.error.code.rawValue == "no_token")
            }
            try await client.execute(uri: "/v1/changes", method: .get, headers: [.authorization: "Bearer forged.token"]) { r in
                #expect(r.status == .unauthorized)
                let decoded = try decode(ErrorBody.self, r.body)
                #expect(decoded.error.code.rawValue == "bad_token")
            }
            let session = try await login(client, "duty1", "demoduty", clientID: "c1")
            let auth: HTTPFields = [.authorization: "Bearer \(session.token)"]
            try await client.execute(uri: "/v1/changes?cursor=otherepoch:5", method: .get, headers: auth) { r in
                #expect(r.status == .gone)
                let decoded = try decode(ErrorBody.self, r.body)
                #expect(decoded.error.code.rawValue == "epoch_changed")
            }
            let big = ByteBuffer(string: "{\"commands\": [\"" + String(repeating: "x", count: CentralServer.maxBody) + "\"]}")
            try await client.execute(uri: "/v1/push", method: .post, headers: auth, body: big) { r in
                #expect(r.status == .contentTooLarge)
            }
            let gap = CommandEnvelope(clientID: "c1", mutationID: 5, name: "createIncident", args: [String: String]())
            try await client.execute(uri: "/v1/push", method: .post, headers: auth, body: try body(PushRequest(commands: [gap]))) { r in
                #expect(r.status == .conflict)
                let decoded = try decode(ErrorBody.self, r.body)
                #expect(decoded.error.message.contains("expected mutation 1"))
            }
            // A wrong type inside a command names the field.
            let wrongType = #"{"commands":[{"clientID":"c1","mutationID":"one","name":"createIncident","args":{}}]}"#
            try await client.execute(uri: "/v1/push", method: .post, headers: auth, body: ByteBuffer(string: wrongType)) { r in
                #expect(r.status == .badRequest)
                let decoded = try decode(ErrorBody.self, r.body)
                #expect(decoded.error.message.contains("commands.[0].mutationID"))
            }
            try await client.execute(uri: "/v1/snapshot?after=nonsense", method: .get, headers: auth) { r in
                #expect(r.status == .badRequest)
                let decoded = try decode(ErrorBody.self, r.body)
                #expect(decoded.error.code.rawValue == "bad_snapshot_token")
            }
            let count = try server.storage.changes(after: 0, scopes: ["role:duty"], clientID: "c1", limit: 10).changes.count
            #expect(count == 0)
        }
    }

    @Test func an_unknown_command_is_rejected_alone_and_the_commands_around_it_apply() async throws {
        try await Application(router: server.router()).test(.router) { client in
            let session = try await login(client, "duty1", "demoduty", clientID: "c1")
            let auth: HTTPFields = [.authorization: "Bearer \(session.token)"]
            // An unknown command is rejected on its own, naming itself; the commands around it
            // apply (a batch refusal would wedge the queue that holds it).
            let good = CommandEnvelope(clientID: "c1", mutationID: 1, name: "createIncident",
                                       args: ["type": "theft", "district": "binhu", "address": "x", "narrative": "y"])
            let unknown = CommandEnvelope(clientID: "c1", mutationID: 2, name: "launchRocket" + String(repeating: "!", count: 500),
                                          args: [String: String]())
            let after = CommandEnvelope(clientID: "c1", mutationID: 3, name: "createIncident",
                                        args: ["type": "theft", "district": "binhu", "address": "x", "narrative": "z"])
            try await client.execute(uri: "/v1/push", method: .post, headers: auth,
                                     body: try body(PushRequest(commands: [good, unknown, after]))) { r in
                #expect(r.status == .ok)
                let results = try decode(PushResponse.self, r.body).results
                #expect(results.map(\.status) == [.applied, .rejected, .applied])
                #expect(results[1].reason?.code == "unknown_command")
                let name = results[1].reason?.details["name"] ?? ""
                #expect(name.hasPrefix("launchRocket") && name.unicodeScalars.count == 64, "\(name)")
            }
        }
    }

    @Test func an_expired_token_is_refused() async throws {
        let signer = TokenSigner(key: Array(repeating: 7, count: 32))
        let old = try signer.sign(.init(username: "duty1", role: "duty", department: "cmd", clientID: "c",
                                        expiresAt: Int64(DemoCity.now.timeIntervalSince1970) - 1))
        try await Application(router: server.router()).test(.router) { client in
            try await client.execute(uri: "/v1/changes", method: .get, headers: [.authorization: "Bearer \(old)"]) { r in
                #expect(r.status == .unauthorized)
                let decoded = try decode(ErrorBody.self, r.body)
                #expect(decoded.error.message.contains("expired"))
            }
        }
    }

    @Test func a_long_poll_answers_when_a_visible_change_commits() async throws {
        try await Application(router: server.router()).test(.router) { client in
            let session = try await login(client, "duty1", "demoduty", clientID: "poller")
            let auth: HTTPFields = [.authorization: "Bearer \(session.token)"]
            let storage = server.storage
            // Given a pull waiting up to 30 s on an empty feed, and a command committed 0.3 s later
            let started = Date()
            async let commit: Void = {
                try await Task.sleep(for: .milliseconds(300))
                let e = CommandEnvelope(clientID: "other", mutationID: 1, name: "createIncident",
                                        args: ["type": "theft", "district": "binhu", "address": "滨湖区", "narrative": "长轮询"])
                _ = try storage.submit(e, by: User(username: "duty2", name: "d", role: .duty, department: "cmd"), at: DemoCity.now)
            }()
            let count = try await client.execute(uri: "/v1/changes?cursor=\(session.epoch):0&wait=30", method: .get,
                                                 headers: auth) { r in
                try decode(ChangesResponse.self, r.body).changes.count
            }
            try await commit
            // Then it answered with the change before the wait ran out (not a speed check: a
            // loaded machine may take seconds; a pull that waited out would take the full 30)
            #expect(count == 1)
            #expect(Date().timeIntervalSince(started) < 20)
        }
    }

    @Test func a_long_poll_from_a_replica_of_the_old_scope_answers_at_once_after_a_move() async throws {
        try await Application(router: server.router()).test(.router) { client in
            let session = try await login(client, "urban1", "demostaff", clientID: "mover")
            let auth: HTTPFields = [.authorization: "Bearer \(session.token)"]
            // Given a replica built for urban staff, caught up to head
            let first = try await client.execute(uri: "/v1/changes?cursor=\(session.epoch):0&limit=10000", method: .get, headers: auth) { r in
                try decode(ChangesResponse.self, r.body)
            }
            let before = first.scope
            #expect(before.contains("urban"))
            // When the user is moved to water between two pulls, and the next pull says what it holds
            _ = try store.updateUser("urban1", role: nil, department: "water")
            let held = before.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? before
            let started = Date()
            let answer = try await client.execute(uri: "/v1/changes?cursor=\(first.cursor)&wait=30&scope=\(held)", method: .get,
                                                  headers: auth) { r in
                #expect(r.status == .ok)
                return try decode(ChangesResponse.self, r.body)
            }
            // Then it answers with the new scope without waiting (a pull that waited would take the full 30 s)
            #expect(answer.scope.contains("water"))
            #expect(Date().timeIntervalSince(started) < 20)
            // And a pull that holds the current scope still waits for a change (here: a short wait runs out)
            let current = answer.scope.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? answer.scope
            let quiet = Date()
            _ = try await client.execute(uri: "/v1/changes?cursor=\(answer.cursor)&wait=1&scope=\(current)", method: .get, headers: auth) { r in
                #expect(r.status == .ok)
            }
            #expect(Date().timeIntervalSince(quiet) >= 0.9)
        }
    }

    @Test func metrics_count_commands_by_outcome_and_connected_agents() async throws {
        try await Application(router: server.router()).test(.router) { client in
            let session = try await login(client, "duty1", "demoduty", clientID: "m1")
            let auth: HTTPFields = [.authorization: "Bearer \(session.token)"]
            let good = CommandEnvelope(clientID: "m1", mutationID: 1, name: "createIncident",
                                       args: ["type": "theft", "district": "binhu", "address": "滨湖区", "narrative": "指标"])
            let bad = CommandEnvelope(clientID: "m1", mutationID: 2, name: "resolveIncident", args: ["incident": "J00000000-0000"])
            try await client.execute(uri: "/v1/push", method: .post, headers: auth,
                                     body: try body(PushRequest(commands: [good, bad, good]))) { r in #expect(r.status == .ok) }
            try await client.execute(uri: "/v1/changes", method: .get, headers: auth) { r in #expect(r.status == .ok) }
            try await client.execute(uri: "/metrics", method: .get) { r in
                let text = String(buffer: r.body)
                #expect(text.contains(#"fenghuo_commands_total{outcome="applied"} 1"#))
                #expect(text.contains(#"fenghuo_commands_total{outcome="rejected"} 1"#))
                #expect(text.contains(#"fenghuo_commands_total{outcome="duplicate"} 1"#))
                #expect(text.contains("fenghuo_connected_agents 1"))
                #expect(text.contains("fenghuo_pull_seconds_count 1"))
            }
        }
    }
}

extension CentralHTTPTests {
    @Test func an_agent_of_another_protocol_version_is_refused_at_login_with_what_to_do() async throws {
        try await Application(router: server.router()).test(.router) { client in
            for body in [#"{"username":"duty1","password":"demoduty","clientID":"old"}"#,
                         #"{"username":"duty1","password":"demoduty","clientID":"old","protocol":1}"#,
                         #"{"username":"duty1","password":"demoduty","clientID":"old","protocol":2}"#] {
                try await client.execute(uri: "/v1/login", method: .post, body: ByteBuffer(string: body)) { r in
                    #expect(r.status == .upgradeRequired)
                    let decoded = try decode(ErrorBody.self, r.body)
                    #expect(decoded.error.code == .protocolMismatch)
                    #expect(decoded.error.message.contains("upgrade the agent"))
                }
            }
        }
    }
}
