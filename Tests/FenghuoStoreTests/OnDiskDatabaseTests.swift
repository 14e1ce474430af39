import FenghuoDomain
import FenghuoSeed
import FenghuoStore
import Foundation
import GRDB
import Testing
import TestSupport

/// `AppDatabase.open(path:)`: a database file in WAL mode that a later process reopens as it left it.
@Suite("An on-disk database")
struct OnDiskDatabaseTests {
    @Test("A city seeded into a file reads back the same as the in-memory demo city, and reopens intact")
    func seedAndReopen() throws {
        // Given an empty temporary folder
        let scratch = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let path = scratch.appendingPathComponent("fenghuo.sqlite").path

        // When a database is opened there and seeded at the demo instant
        let summary: Seeder.Summary
        do {
            let db = try AppDatabase.open(path: path)
            // Then it is a connection pool in WAL mode, as the readers need
            #expect(db.writer is DatabasePool)
            let mode = try db.writer.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
            #expect(mode?.lowercased() == "wal")
            summary = try Seeder(fixtures: DemoCity.fixtures, hasher: DemoCity.testHasher).seed(db, now: DemoCity.now)
            // And its reader pages the same queue as the in-memory city
            let request = PageRequest(limit: 25)
            #expect(try db.reader.incidents(request).rows == DemoCity.database.reader.incidents(request).rows)
            #expect(try db.reader.tickets(request).rows == DemoCity.database.reader.tickets(request).rows)
            #expect(try db.reader.approvals(request).rows == DemoCity.database.reader.approvals(request).rows)
            #expect(try db.reader.dashboard(at: DemoCity.now) == DemoCity.database.reader.dashboard(at: DemoCity.now))
        }
        #expect(FileManager.default.fileExists(atPath: path))

        // When the file is opened again (the migrator runs again and must find nothing to do)
        let reopened = try AppDatabase.open(path: path)
        // Then every table holds what the seed wrote
        #expect(try count("incident", in: reopened) == summary.incidents)
        #expect(try count("ticket", in: reopened) == summary.tickets)
        #expect(try count("approval_case", in: reopened) == summary.approvals)
        #expect(try count("app_user", in: reopened) == summary.users)
        for table in seededTables {
            #expect(try dump(table.name, order: table.order, in: reopened) == dump(table.name, order: table.order, in: DemoCity.database),
                    "\(table.name) in the file differs from the demo city")
        }
        // And the migrations are recorded once each
        let applied = try reopened.writer.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
        #expect(applied == ["v1-operations", "v1-reference", "v2-dashboard-indexes", "v3-dashboard-agency-index",
                            "v4-search-follows-text-changes", "v5-dispatch-reference", "v6-incident-timeline",
                            "v7-response-targets", "v8-intake-reference", "v9-plans-and-links", "v10-unit-movement", "v11-ticket-timeline"].sorted())
        // And a reader can log in against the file
        let duty = try #require(try reopened.reader.credentials(username: "duty1"))
        #expect(DemoCity.testHasher.verify("demoduty", against: duty.passwordHash))
    }

    @Test("Readers of the file see the committed city while a write is under way")
    func readersDoNotWaitForTheWriter() async throws {
        let scratch = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let db = try AppDatabase.open(path: scratch.appendingPathComponent("wal.sqlite").path)
        try Seeder(fixtures: DemoCity.fixtures, hasher: DemoCity.testHasher).seed(db, now: DemoCity.now)
        let committed = try count("incident", in: db)

        // Given a write transaction that has deleted every incident but not yet committed
        let inside = AsyncStream<Void>.makeStream()
        let flag = ReleaseFlag()
        let writer = Task.detached {
            try await db.writer.write { database in
                try database.execute(sql: "DELETE FROM incident")
                inside.continuation.yield()
                // Hold the transaction open until the reader has looked (bounded, so a failure cannot hang).
                let deadline = Date().addingTimeInterval(10)
                while !flag.isSet, Date() < deadline { usleep(1_000) }
                throw CancellationError()
            }
        }
        var iterator = inside.stream.makeAsyncIterator()
        _ = await iterator.next()
        // When a reader counts incidents meanwhile
        let seen = try count("incident", in: db)
        flag.set()
        _ = try? await writer.value
        // Then it saw the committed rows, without waiting for the writer
        #expect(seen == committed)
        // And the rolled-back delete left them in place
        #expect(try count("incident", in: db) == committed)
    }
}

/// A one-way flag the writer polls from its own thread.
final class ReleaseFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
