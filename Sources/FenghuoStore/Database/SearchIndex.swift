import GRDB

/// The full-text and secondary indexes of a replica, which a first sync builds after the rows
/// rather than row by row: a trigram per three characters of every narrative, address and
/// detail costs several times the insert itself, and one sort per index beats a million
/// insertions into it. While they are suspended, searches use LIKE and lists scan.
public enum SearchIndex {
    /// The full-text tables and the table each follows.
    /// (The knowledge base's index is small and always kept.)
    public static let tables = [("incident_fts", "incident"), ("ticket_fts", "ticket"), ("approval_fts", "approval_case")]

    static let pendingKey = "search.suspended"

    /// True unless the indexes are suspended.
    public static func isReady(_ db: Database) throws -> Bool {
        try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [pendingKey]) == nil
    }

    /// Drops the triggers that keep the indexes in step (keeping their SQL) and empties the indexes.
    public static func suspend(_ db: Database) throws {
        guard try isReady(db) else { return }
        var saved: [String] = []
        for (fts, _) in tables {
            for row in try Row.fetchAll(db, sql: """
                SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE ?
                """, arguments: ["%\(fts)%"]) {
                saved.append(row["sql"])
                try db.execute(sql: "DROP TRIGGER \"\(row["name"] as String)\"")
            }
            try db.execute(sql: "INSERT INTO \(fts)(\(fts)) VALUES ('delete-all')")
        }
        // The secondary indexes too: one sort at the end is cheaper than a million insertions.
        for row in try Row.fetchAll(db, sql: """
            SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
            AND tbl_name IN ('incident', 'ticket', 'approval_case', 'approval_step')
            """) {
            saved.append(row["sql"])
            try db.execute(sql: "DROP INDEX \"\(row["name"] as String)\"")
        }
        try db.execute(sql: "INSERT INTO meta(key, value) VALUES (?, ?)", arguments: [pendingKey, saved.joined(separator: ";\n")])
    }

    /// Rebuilds the indexes from their tables and puts the triggers back, in the caller's transaction.
    public static func resume(_ db: Database) throws {
        guard let saved = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [pendingKey]) else { return }
        for (fts, _) in tables { try db.execute(sql: "INSERT INTO \(fts)(\(fts)) VALUES ('rebuild')") }
        if !saved.isEmpty { try db.execute(sql: saved) }
        try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [pendingKey])
    }
}
