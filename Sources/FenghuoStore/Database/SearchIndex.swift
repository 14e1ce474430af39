import GRDB

/// The full-text and secondary indexes of a replica, which a first sync builds after the rows
/// rather than row by row: a trigram per three characters of every narrative, address and
/// detail costs several times the insert itself, and one sort per index beats a million
/// insertions into it. While they are suspended, searches use LIKE and lists scan.
public enum SearchIndex {
    /// The full-text tables and the table each follows.
    /// (The knowledge base's index is small and always kept.)
    public static let tables = [("incident_fts", "incident"), ("ticket_fts", "ticket"), ("approval_fts", "approval_case")]


    /// True unless the indexes are suspended.
    public static func isReady(_ db: Database) throws -> Bool {
        try Meta.value(.searchSuspended, in: db) == nil
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
        try Meta.set(.searchSuspended, saved.joined(separator: ";\n"), in: db)
    }

    /// Rebuilds the indexes from their tables and puts the triggers back, in the caller's transaction.
    public static func resume(_ db: Database) throws {
        guard let saved = try Meta.value(.searchSuspended, in: db) else { return }
        for (fts, _) in tables { try db.execute(sql: "INSERT INTO \(fts)(\(fts)) VALUES ('rebuild')") }
        if !saved.isEmpty { try db.execute(sql: saved) }
        try Meta.set(.searchSuspended, nil, in: db)
    }

    /// Makes each full-text index's update trigger fire only when an indexed column changed.
    /// Most live changes are status changes (dispatched, on scene, accepted, signed off), and
    /// GRDB's trigger re-tokenized the whole text twice for each (a delete, then an insert):
    /// about 0.15 ms a row on this machine. Skipped where the indexes are absent (central) or
    /// suspended (their saved triggers come back as they were, correct if slower).
    static func reindexOnlyChangedText(_ db: Database) throws {
        guard try isReady(db) else { return }
        for (fts, table) in tables + [("kb_fts", "kb_article")] {
            guard try db.tableExists(fts) else { continue }
            let trigger = "__\(fts)_au"
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                                    arguments: [trigger]) == true else { continue }
            let columns = try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [fts])
            let names = columns.map { "\"\($0)\"" }.joined(separator: ", ")
            let changed = (["rowid"] + columns).map { "old.\"\($0)\" IS NOT new.\"\($0)\"" }.joined(separator: " OR ")
            try db.execute(sql: "DROP TRIGGER \"\(trigger)\"")
            try db.execute(sql: """
                CREATE TRIGGER "\(trigger)" AFTER UPDATE ON "\(table)" WHEN \(changed) BEGIN
                    INSERT INTO "\(fts)"("\(fts)", "rowid", \(names)) VALUES('delete', old."rowid", \(columns.map { "old.\"\($0)\"" }.joined(separator: ", ")));
                    INSERT INTO "\(fts)"("rowid", \(names)) VALUES (new."rowid", \(columns.map { "new.\"\($0)\"" }.joined(separator: ", ")));
                END
                """)
        }
    }
}
