import FenghuoDomain
import FenghuoSeed
import FenghuoStore
import Foundation
import GRDB
import Testing
import TestSupport

/// A seed that fails, whether while checking the fixtures or while writing, changes nothing.
@Suite("A failed seed")
struct SeedAtomicityTests {
    let seeder = Seeder(fixtures: DemoCity.fixtures, hasher: DemoCity.testHasher)

    /// Every row of every seeded table, password hashes included.
    func snapshot(_ db: AppDatabase) throws -> [String: [Row]] {
        var tables: [String: [Row]] = [:]
        for table in seededTables {
            tables[table.name] = try dump(table.name, order: table.order, in: db, withSecrets: true)
        }
        return tables
    }

    /// The demo fixtures with one calendar day listed twice: they pass every check in memory
    /// (the calendar keeps the last entry), but the second INSERT into calendar_day breaks its
    /// primary key, after the seeder has deleted the old city and written half the new one.
    func fixturesThatFailWhileWriting() -> FixtureSet {
        var broken = DemoCity.fixtures
        broken.calendarEntries.append(broken.calendarEntries[0])
        return broken
    }

    @Test("Fixtures that do not load leave the seeded database untouched")
    func failedLoadWritesNothing() throws {
        // Given a database seeded once
        let db = try AppDatabase.inMemory()
        try seeder.seed(db, now: DemoCity.now)
        let before = try snapshot(db)
        // When a reseed is attempted from a fixture copy with a bad line
        let outcome: Result<Seeder.Summary, any Error> = try withFixtureCopy { copy in
            try appendLine("P-XX-01\t999\t巡逻车\t幽灵车\tlaocheng\t幽灵所\t30.5\t114.3", to: copy.appendingPathComponent("units.tsv"))
            return Result {
                let fixtures = try FixtureSet.load(from: copy)
                return try Seeder(fixtures: fixtures, hasher: DemoCity.testHasher).seed(db, now: DemoCity.now.addingTimeInterval(3_600))
            }
        }
        // Then the load fails with a FixtureError
        #expect(throws: FixtureError.self) { try outcome.get() }
        // And every row is as it was
        #expect(try snapshot(db) == before)
    }

    @Test("A seed that fails while writing rolls back to the previous city")
    func failedWriteRollsBack() throws {
        // Given a database seeded once
        let db = try AppDatabase.inMemory()
        try seeder.seed(db, now: DemoCity.now)
        let countsBefore = try rowCounts(db)
        let before = try snapshot(db)
        // When a seed at another instant fails part-way through its transaction
        #expect(throws: DatabaseError.self) {
            try Seeder(fixtures: fixturesThatFailWhileWriting(), hasher: DemoCity.testHasher)
                .seed(db, now: DemoCity.now.addingTimeInterval(86_400))
        }
        // Then the row counts are unchanged
        #expect(try rowCounts(db) == countsBefore)
        // And so is every row, down to the seeding instant and the password hashes
        #expect(try snapshot(db) == before)
        // And the full-text index still finds the old rows
        let page = try db.reader.incidents(PageRequest(limit: 1, filter: "老城区"))
        #expect(page.total == (try DemoCity.database.reader.incidents(PageRequest(limit: 1, filter: "老城区"))).total)
        #expect(page.total > 0)
    }

    @Test("A seed that fails while writing into an empty database leaves it empty")
    func failedFirstSeedLeavesItEmpty() throws {
        let db = try AppDatabase.inMemory()
        #expect(throws: DatabaseError.self) {
            try Seeder(fixtures: fixturesThatFailWhileWriting(), hasher: DemoCity.testHasher).seed(db, now: DemoCity.now)
        }
        for (table, n) in try rowCounts(db) { #expect(n == 0, "\(table) has \(n) rows after a failed first seed") }
    }

    @Test("A failed seed on disk leaves the file as it was, for the next process too")
    func failedSeedOnDisk() throws {
        // Given a city seeded into a WAL database file
        let scratch = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let path = scratch.appendingPathComponent("city.sqlite").path
        var before: [String: [Row]] = [:]
        do {
            let db = try AppDatabase.open(path: path)
            try seeder.seed(db, now: DemoCity.now)
            before = try snapshot(db)
            // When a reseed fails while writing
            #expect(throws: DatabaseError.self) {
                try Seeder(fixtures: fixturesThatFailWhileWriting(), hasher: DemoCity.testHasher)
                    .seed(db, now: DemoCity.now.addingTimeInterval(86_400))
            }
            // Then this connection pool still reads the old city
            #expect(try snapshot(db) == before)
        }
        // And so does a database opened afresh on the same file
        let reopened = try AppDatabase.open(path: path)
        #expect(try snapshot(reopened) == before)
        #expect(try rowCounts(reopened)["incident"] == (try count("incident", in: DemoCity.database)))
    }
}
