@testable import FenghuoCentral
import FenghuoCrypto
import FenghuoSeed
import FenghuoDomain
import FenghuoProtocol
import FenghuoSync
import FenghuoStore
import Foundation
import GRDB
import Testing
import TestSupport

/// What central does to sustain thousands of commands a second: pushes committed together,
/// tokens verified once, a store without the consoles' indexes, waits woken without polling.
@Suite("Central throughput path: group commit, token cache, lean store, change signal", .ownThread)
struct ThroughputPathTests {
    let now = DemoCity.now.addingTimeInterval(60)
    static let duty = User(username: "duty1", name: "值班员", role: .duty, department: "cmd")

    /// A store on disk (a pool, as `central serve` opens it), seeded with the demo city.
    func store() throws -> (SQLiteCentralStorage, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fh-throughput-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let storage = try SQLiteCentralStorage.open(path: folder.appendingPathComponent("central.sqlite").path)
        try Seeder(fixtures: DemoCity.fixtures, hasher: DemoCity.testHasher).seed(storage.database, now: DemoCity.now)
        return (storage, folder)
    }

    func incidents(client: String, from first: Int64, count: Int) -> [CommandEnvelope] {
        (0..<Int64(count)).map { i in
            CommandEnvelope(clientID: client, mutationID: first + i, name: "createIncident",
                            args: ["type": "theft", "district": "jiangbei", "address": "江北区人民北路1号",
                                   "narrative": "\(client)-\(first + i)"])
        }
    }

    @Test func pushes_arriving_together_each_get_their_own_outcomes_and_a_gap_stops_only_its_own_batch() async throws {
        let (storage, folder) = try store()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Given 30 consoles pushing 10 commands each at once, and one whose batch skips an id
        let outcomes = try await withThrowingTaskGroup(of: (String, [CommandOutcome], MutationGap?).self) { group in
            for n in 0..<30 {
                group.addTask {
                    let (o, gap) = try await storage.push(batch: incidents(client: "c\(n)", from: 1, count: 10), by: Self.duty, at: now)
                    return ("c\(n)", o, gap)
                }
            }
            group.addTask {
                var batch = incidents(client: "gappy", from: 1, count: 3)
                batch += incidents(client: "gappy", from: 5, count: 2)
                let (o, gap) = try await storage.push(batch: batch, by: Self.duty, at: now)
                return ("gappy", o, gap)
            }
            var all: [String: ([CommandOutcome], MutationGap?)] = [:]
            for try await (client, o, gap) in group { all[client] = (o, gap) }
            return all
        }
        // Then every console's commands applied, and only the gappy one was stopped, after 3
        for n in 0..<30 {
            #expect(outcomes["c\(n)"]?.0 == Array(repeating: .applied, count: 10))
            #expect(outcomes["c\(n)"]?.1 == nil)
        }
        #expect(outcomes["gappy"]?.0 == [.applied, .applied, .applied])
        #expect(outcomes["gappy"]?.1?.expected == 4)
        // And the store holds exactly those commands, each client's last id recorded
        let stored = try await storage.database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM incident WHERE narrative GLOB 'c*-*' OR narrative GLOB 'gappy-*'") ?? 0
        }
        #expect(stored == 303)
        let lastIDs = try await storage.database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT client_id, last_mutation_id FROM client_state")
                .reduce(into: [String: Int64]()) { $0[$1["client_id"]] = $1["last_mutation_id"] }
        }
        #expect(lastIDs["c7"] == 10)
        #expect(lastIDs["gappy"] == 3)
    }

    @Test func a_push_waits_for_its_commit_and_wakes_the_long_polls() async throws {
        let (storage, folder) = try store()
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = storage.changeGeneration()
        let (outcomes, _) = try await storage.push(batch: incidents(client: "c1", from: 1, count: 2), by: Self.duty, at: now)
        #expect(outcomes == [.applied, .applied])
        // Answered only after the commit: a fresh reader sees the rows at once.
        let batch = try storage.changes(after: 0, scopes: Visibility.of(user: Self.duty, clientID: "c1"), clientID: "c1", limit: 10_000)
        #expect(batch.lastMutationID == 2)
        #expect(storage.changeGeneration() != before)
    }

    @Test func centrals_store_drops_the_consoles_indexes_but_keeps_the_ones_its_snapshots_read_by() throws {
        let (storage, folder) = try store()
        defer { try? FileManager.default.removeItem(at: folder) }
        let indexes = try storage.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        }
        for index in SQLiteCentralStorage.consoleOnlyIndexes { #expect(!indexes.contains(index)) }
        #expect(indexes.contains("ticket_department_open"))
        #expect(indexes.contains("approval_step_by_department"))
        // A console's own store keeps all of them.
        let replica = try AppDatabase(DatabaseQueue())
        let kept = try replica.writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        }
        for index in SQLiteCentralStorage.consoleOnlyIndexes { #expect(kept.contains(index)) }
    }

    @Test func a_cached_token_is_still_refused_once_expired_and_a_forged_one_is_never_taken() throws {
        let signer = TokenSigner(key: Array(repeating: 3, count: 32))
        let cache = VerifiedTokens()
        let claims = TokenSigner.Claims(username: "duty1", role: "duty", department: "cmd", clientID: "c1",
                                        expiresAt: Int64(now.timeIntervalSince1970) + 100)
        let token = try signer.sign(claims)
        var verified = 0
        let verify = { (token: String, at: Date) throws(TokenSigner.Failure) -> TokenSigner.Claims in
            verified += 1
            return try signer.verify(token, now: at)
        }
        #expect(try cache.claims(of: token, now: now, verify: verify) == claims)
        #expect(try cache.claims(of: token, now: now, verify: verify) == claims)
        #expect(verified == 1)
        #expect(throws: TokenSigner.Failure.expired) {
            try cache.claims(of: token, now: now.addingTimeInterval(101), verify: verify)
        }
        let forged = String(token.dropLast(2)) + (token.hasSuffix("AA") ? "BB" : "AA")
        #expect(throws: TokenSigner.Failure.self) { try cache.claims(of: forged, now: now, verify: verify) }
        #expect(throws: TokenSigner.Failure.self) { try cache.claims(of: forged, now: now, verify: verify) }
    }

    @Test(.timeLimit(.minutes(2)))
    func a_change_signal_wakes_every_waiter_and_a_quiet_one_times_out() async throws {
        let signal = ChangeSignal()
        let seen = signal.current
        async let a = signal.wait(after: seen, timeout: .seconds(3600))
        async let b = signal.wait(after: seen, timeout: .seconds(3600))
        try await Task.sleep(for: .milliseconds(50))
        signal.bump()
        // Both woken by the commit (an hour's timeout would have ended the test by its limit).
        #expect(await (a, b) == (true, true))
        // Nothing commits: the wait ends by its timeout.
        #expect(await signal.wait(after: signal.current, timeout: .milliseconds(100)) == false)
        // Already moved on: answered at once.
        #expect(await signal.wait(after: seen, timeout: .seconds(3600)) == true)
    }
}
