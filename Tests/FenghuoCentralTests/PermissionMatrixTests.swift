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

/// The permission matrix walked whole on a real store through central's HTTP face: every
/// command sent by every role. A permitted role is never refused as `forbidden`; any other is,
/// and its refusal writes nothing but the rejection row in its own console's feed.
@Suite("Permission matrix: every command by every role")
struct PermissionMatrixTests {
    let storage: SQLiteCentralStorage
    let server: CentralServer

    init() throws {
        storage = try SQLiteCentralStorage.inMemory()
        try Seeder(fixtures: DemoCity.fixtures, hasher: DemoCity.testHasher).seed(storage.database, now: DemoCity.now)
        server = try CentralServer(storage: storage, signer: TokenSigner(key: Array(repeating: 7, count: 32)),
                                   hasher: DemoCity.testHasher, clock: { DemoCity.now.addingTimeInterval(60) })
    }

    static let accounts: [Role: (String, String)] = [
        .duty: ("duty1", "demoduty"), .hotline: ("hotline1", "demohotline"), .staff: ("urban1", "demostaff"), .leader: ("leader1", "demoleader"),
    ]

    func read<T>(_ work: (Database) throws -> T) throws -> T { try storage.database.writer.read(work) }

    /// A value of each argument's kind that central will read: real codes and ids of the store.
    func value(_ argument: ArgumentSpec) throws -> String {
        func first(_ sql: String) throws -> String {
            try #require(try read { try String.fetchOne($0, sql: sql) }, "\(sql)")
        }
        switch argument.kind {
        case .text: return "矩阵测试"
        case .flag: return "yes"
        case .choice(let choices): return choices[0].code
        case .coordinates: return "30.5412,114.3021"
        case .number(let range): return String(range.lowerBound)
        case .record(.incident), .records(.incident): return try first("SELECT id FROM incident ORDER BY id LIMIT 1")
        case .record(.unit), .records(.unit): return try first("SELECT id FROM unit ORDER BY id LIMIT 1")
        case .record(.ticket), .records(.ticket): return try first("SELECT id FROM ticket ORDER BY id LIMIT 1")
        case .record(.approval), .records(.approval): return try first("SELECT id FROM approval_case ORDER BY id LIMIT 1")
        case .catalog(.incidentType): return "theft"
        case .catalog(.district): return "binhu"
        case .catalog(.department): return "urban"
        case .catalog(.ticketCategory): return "noise_social"
        case .catalog(.approvalItem): return try first("SELECT code FROM approval_item ORDER BY code LIMIT 1")
        case .catalog(.disposition): return "handled"
        }
    }

    /// Every table a command can write, as counts and version sums.
    func fingerprint() throws -> [Int] {
        try read { db in
            try ["incident", "unit", "ticket", "approval_case", "approval_step"].flatMap { table in
                [try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0,
                 try Int.fetchOne(db, sql: "SELECT coalesce(sum(\(table == "approval_step" ? "length(coalesce(opinion, ''))" : "version")), 0) FROM \(table)") ?? 0]
            }
        }
    }

    @Test func every_command_by_every_role_is_permitted_or_refused_as_declared_and_a_refusal_writes_only_its_rejection() async throws {
        try await Application(router: server.router()).test(.router) { client in
            var mutation: [Role: Int64] = [:]
            var tokens: [Role: String] = [:]
            for role in Role.allCases {
                let (user, password) = try #require(Self.accounts[role])
                tokens[role] = try await client.execute(uri: "/v1/login", method: .post, body: ByteBuffer(bytes: try JSONEncoder().encode(
                    LoginRequest(username: user, password: password, clientID: "c-matrix-\(role.rawValue)")))) { r in
                    try JSONDecoder().decode(LoginResponse.self, from: r.body).token
                }
            }
            var walked = 0
            for spec in Command.all {
                var args: [String: String] = [:]
                for argument in spec.arguments where argument.required { args[argument.key] = try value(argument) }
                for role in Role.allCases {
                    let id = (mutation[role] ?? 0) + 1
                    mutation[role] = id
                    let clientID = "c-matrix-\(role.rawValue)"
                    let before = try fingerprint()
                    let feedBefore = try storage.head()
                    let envelope = CommandEnvelope(clientID: clientID, mutationID: id, name: spec.name.rawValue, args: args)
                    let result = try await client.execute(uri: "/v1/push", method: .post, headers: [.authorization: "Bearer \(tokens[role]!)"],
                                                          body: ByteBuffer(bytes: try JSONEncoder().encode(PushRequest(commands: [envelope])))) { r in
                        #expect(r.status == .ok)
                        return try #require(try JSONDecoder().decode(PushResponse.self, from: r.body).results.first)
                    }
                    walked += 1
                    if PermissionMatrix.allows(role, spec.name) {
                        #expect(result.reason?.code != "forbidden", "\(role) may send \(spec.name)")
                    } else {
                        #expect(result.status == .rejected && result.reason?.code == "forbidden", "\(role) must not send \(spec.name): \(result)")
                        #expect(try fingerprint() == before, "\(role)'s refused \(spec.name) wrote to the records")
                        let written = try storage.changes(after: feedBefore, scopes: ["role:duty", "role:hotline", "role:staff", "role:leader",
                                                                                      "dept:urban", "client:\(clientID)"],
                                                          clientID: clientID, limit: 100).changes
                        #expect(written.map(\.entity) == ["rejection"], "\(role)'s refused \(spec.name) wrote \(written.map(\.entity))")
                        #expect(written.first?.scopes == ["client:\(clientID)"])
                    }
                }
            }
            #expect(walked == Command.all.count * Role.allCases.count)
        }
    }

    @Test func department_bound_commands_refuse_staff_of_another_department() throws {
        let now = DemoCity.now
        let other = try #require(try read {
            try String.fetchOne($0, sql: "SELECT id FROM ticket WHERE department NOT IN ('urban', 'approval') AND status = 'assigned' ORDER BY id LIMIT 1")
        })
        let urban = try #require(try storage.user(named: "urban1"))
        for (n, command) in [Command.acceptTicket(.init(other)), .returnTicket(.init(other), reason: "不是本部门"),
                             .replyTicket(.init(other), text: "已处理")].enumerated() {
            let envelope = CommandEnvelope(clientID: "c-urban", mutationID: Int64(n + 1), name: command.name.rawValue, args: command.payload.args)
            let outcome = try storage.submit(envelope, by: urban, at: now)
            guard case .rejected(let rejection) = outcome else { Issue.record("\(command.name) by urban staff on another department's ticket: \(outcome)"); continue }
            #expect(rejection.code == "other_department", "\(command.name)")
        }
    }

    @Test func the_threat_model_prints_the_matrix_central_enforces() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let security = try String(contentsOf: root.appendingPathComponent("docs/SECURITY.md"), encoding: .utf8)
        #expect(security.contains(PermissionMatrix.markdown()), "docs/SECURITY.md must carry PermissionMatrix.markdown() as it is now")
    }
}
