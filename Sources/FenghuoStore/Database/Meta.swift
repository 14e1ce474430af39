import GRDB

/// A key of the `meta` table. Each key is declared by the one module that writes it; others
/// read only the keys declared public here (the shared ones), never another module's own.
public struct MetaKey: Hashable, Sendable, CustomStringConvertible {
    public let name: String

    public init(_ name: String) { self.name = name }

    public var description: String { name }

    /// The demo city's name (written by the seeder, read by consoles).
    public static let cityName = MetaKey("city_name")
    public static let cityNameEN = MetaKey("city_name_en")
    /// Moves on with every transaction the replica's writer (the agent) makes: what readers
    /// may key caches by, besides SQLite's `data_version`.
    public static let replicaStamp = MetaKey("replica.stamp")
    /// While set, the replica's search indexes are suspended (their triggers' SQL, kept).
    static let searchSuspended = MetaKey("search.suspended")
}

/// Typed reads and writes of the `meta` table, through statements prepared once per connection.
public enum Meta {
    public static func value(_ key: MetaKey, in db: Database) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM meta WHERE key = ?"), arguments: [key.name])
    }

    public static func set(_ key: MetaKey, _ value: String?, in db: Database) throws {
        if let value {
            try db.cachedStatement(sql: "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
                .execute(arguments: [key.name, value])
        } else {
            try db.cachedStatement(sql: "DELETE FROM meta WHERE key = ?").execute(arguments: [key.name])
        }
    }

    /// Every key starting with `prefix` and its value (a module's own keys, read together).
    public static func values(prefixed prefix: String, in db: Database) throws -> [String: String] {
        var out: [String: String] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT key, value FROM meta WHERE key >= ? AND key < ?"),
                                    arguments: [prefix, prefix + "\u{10FFFF}"]) {
            out[row["key"]] = row["value"]
        }
        return out
    }

    public static func remove(prefixed prefix: String, in db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM meta WHERE key >= ? AND key < ?").execute(arguments: [prefix, prefix + "\u{10FFFF}"])
    }
}
