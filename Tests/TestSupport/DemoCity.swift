import FenghuoCrypto
import FenghuoSeed
import FenghuoDomain
import FenghuoStore
import Foundation

/// The demo city seeded once per test process at a fixed instant, so every test that reads it
/// sees the same rows. Tests that write make their own database with `freshDatabase`.
public enum DemoCity {
    /// Tuesday 2026-12-01, 10:00 in Shanghai.
    public static let now = Date(timeIntervalSince1970: 1_796_090_400)

    public static var fixturesDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures")
    }

    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    public static let fixtures: FixtureSet = {
        do { return try FixtureSet.load(from: fixturesDirectory) } catch { fatalError("demo fixtures do not load: \(error)") }
    }()

    /// A cheap hash cost: tests check the scheme, not its strength.
    public static let testHasher = PasswordHasher(iterations: 1_000)

    public static let database: AppDatabase = {
        do { return try freshDatabase() } catch { fatalError("demo city does not seed: \(error)") }
    }()

    public static func freshDatabase(scale: Int = 1, now: Date = DemoCity.now) throws -> AppDatabase {
        let db = try AppDatabase.inMemory()
        try Seeder(fixtures: fixtures, hasher: testHasher).seed(db, now: now, scale: scale)
        return db
    }
}
