import Foundation
import GRDB

/// Owns the SQLite writer and the migrator; hands out a read-only `ReplicaReader`.
public struct AppDatabase: Sendable {
    public let writer: any DatabaseWriter

    public init(_ writer: any DatabaseWriter) throws {
        try self.init(writer, migrator: Self.migrator)
    }

    /// A database with the shared schema plus migrations of its own (the central store's).
    public init(_ writer: any DatabaseWriter, migrator: DatabaseMigrator) throws {
        self.writer = writer
        try migrator.migrate(writer)
    }

    /// An on-disk database in WAL mode, so readers never wait for the writer.
    public static func open(path: String) throws -> AppDatabase {
        var config = Configuration()
        // Another process may hold the file's write lock for a moment (a console starting while
        // another migrates it, the agent applying a batch): wait for it rather than fail.
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return try AppDatabase(DatabasePool(path: path, configuration: config))
    }

    /// A private database in memory, for tests and previews.
    public static func inMemory() throws -> AppDatabase {
        try AppDatabase(DatabaseQueue())
    }

    public var reader: ReplicaReader { ReplicaReader(writer) }
}
