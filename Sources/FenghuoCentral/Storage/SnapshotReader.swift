import FenghuoDomain
import FenghuoProtocol
import FenghuoStore
import GRDB

/// Reads a reader's slice of central as snapshot pages. Reference tables (small, the same for
/// everyone) come whole on the first page; the operational tables follow in key order, filtered
/// by the reader's role and department exactly as the change feed's scopes are.
struct SnapshotReader {
    let user: User
    let clientID: String

    /// A table of the snapshot: its name in the replica and the SELECT that yields the reader's rows.
    struct Source {
        let table: String
        let key: String
        let select: String
        let filter: String
        let arguments: StatementArguments
        var redact = false
    }

    static let referenceTables: [(table: String, select: String)] = Entity.referenceTables.map { table in
        // Password hashes never leave central.
        (table, table == "app_user" ? "username, name, role, department, '' AS password_hash" : "*")
    }

    /// The operational tables this reader may see, in the order pages walk them: what
    /// `Visibility.access` says the reader's role reads of each kind of record.
    var sources: [Source] {
        var out: [Source] = []
        let all = StatementArguments()
        for entity in Entity.all {
            guard let kind = entity.kind else { continue }
            let table = entity.table
            switch Visibility.access(user.role, to: kind) {
            case .none:
                break
            case .all:
                out.append(Source(table: table, key: "id", select: "*", filter: "1", arguments: all))
            case .redacted:
                // Rows are read as records and redacted by `Visibility.redacted` (one redaction).
                out.append(Source(table: table, key: "id", select: "*", filter: "1", arguments: all, redact: true))
            case .department:
                let filter = kind == .approval ? "id IN (SELECT case_id FROM approval_step WHERE department = ?)" : "department = ?"
                out.append(Source(table: table, key: "id", select: "*", filter: filter, arguments: [user.department]))
            }
        }
        // The reader's own rejected commands, so a rebuilt replica still explains them.
        out.append(Source(table: "rejection", key: "id", select: """
            entity_id AS id, json_extract(row, '$.tables[0].rows[0][\(Self.rejectionColumn("mutation_id"))]') AS mutation_id, json_extract(row, '$.tables[0].rows[0][\(Self.rejectionColumn("name"))]') AS name,
            json_extract(row, '$.tables[0].rows[0][\(Self.rejectionColumn("code"))]') AS code, json_extract(row, '$.tables[0].rows[0][\(Self.rejectionColumn("message"))]') AS message,
            json_extract(row, '$.tables[0].rows[0][\(Self.rejectionColumn("details"))]') AS details
            """, filter: "entity = 'rejection' AND scopes LIKE ?", arguments: ["%,\(Visibility.client(clientID)),%"]))
        return out
    }

    /// The page after `token` (nil: the first page), of about `limit` operational rows.
    func page(after token: String?, limit: Int, epoch: String, in db: Database) throws -> SnapshotPage {
        let head = try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM change_log") ?? 0
        let last = try Int64.fetchOne(db, sql: "SELECT last_mutation_id FROM client_state WHERE client_id = ?",
                                      arguments: [clientID]) ?? 0
        var tables: [SnapshotPage.Table] = []
        var total: Int?
        var start = (index: 0, key: "")
        if let token {
            guard let colon = token.firstIndex(of: ":"), let index = Int(token[..<colon]),
                  sources.indices.contains(index) else {
                throw SnapshotTokenError(token: token)
            }
            start = (index, String(token[token.index(after: colon)...]))
        } else {
            for ref in Self.referenceTables {
                tables.append(try table(ref.table, sql: "SELECT \(ref.select) FROM \(ref.table)", [], in: db))
            }
            var count = tables.reduce(0) { $0 + $1.rows.count }
            for s in sources {
                count += try Int.fetchOne(db, sql: "SELECT count(*) FROM \(s.table == "rejection" ? "change_log" : s.table) WHERE \(s.filter)",
                                          arguments: s.arguments) ?? 0
                if s.table == "approval_case" {
                    // Each case's steps travel with it.
                    count += try Int.fetchOne(db, sql: "SELECT count(*) FROM approval_step WHERE case_id IN (SELECT id FROM approval_case WHERE \(s.filter))",
                                              arguments: s.arguments) ?? 0
                }
            }
            total = count
        }
        var remaining = limit
        var next: String?
        var index = start.index
        var after = start.key
        while index < sources.count {
            let s = sources[index]
            let from = s.table == "rejection" ? "change_log" : s.table
            let keyColumn = s.table == "rejection" ? "entity_id" : s.key
            var arguments = s.arguments
            arguments += [after, remaining]
            let sql = "SELECT \(s.select) FROM \(from) WHERE \(s.filter) AND \(keyColumn) > ? ORDER BY \(keyColumn) LIMIT ?"
            let chunk = s.redact ? try redactedIncidents(sql: sql, arguments, in: db) : try table(s.table, sql: sql, arguments, in: db)
            if !chunk.rows.isEmpty { tables.append(chunk) }
            if s.table == "approval_case", !chunk.rows.isEmpty {
                let ids = chunk.rows.map { row -> String in if case .text(let id) = row[0] { return id } else { return "" } }
                tables.append(try table("approval_step", sql: """
                    SELECT * FROM approval_step WHERE case_id IN (\(ids.map { _ in "?" }.joined(separator: ",")))
                    """, StatementArguments(ids), in: db))
            }
            remaining -= chunk.rows.count
            if remaining <= 0 {
                if case .text(let key)? = chunk.rows.last?.first { next = "\(index):\(key)" }
                break
            }
            index += 1
            after = ""
        }
        return SnapshotPage(cursor: FeedCursor(epoch: epoch, seq: head), lastMutationID: last, scope: Visibility.key(of: user), total: total,
                            tables: tables, next: next)
    }

    /// Incidents as a reader without clearance sees them, in the table's columns.
    private func redactedIncidents(sql: String, _ arguments: StatementArguments, in db: Database) throws -> SnapshotPage.Table {
        let rows = try Incident.fetchAll(db, sql: sql, arguments: arguments).map { incident -> [SQLValue] in
            guard case .incident(let shown)? = Visibility.redacted(.incident(incident))?.record else {
                return incident.columnValues.map { SQLValue($0?.databaseValue ?? .null) }
            }
            return shown.columnValues.map { SQLValue($0?.databaseValue ?? .null) }
        }
        let types = try Self.columnKinds(Incident.columnNames, of: "incident", in: db)
        return SnapshotPage.Table(name: "incident", columns: Incident.columnNames, types: types, rows: rows)
    }

    private func table(_ name: String, sql: String, _ arguments: StatementArguments, in db: Database) throws -> SnapshotPage.Table {
        let statement = try db.makeStatement(sql: sql)
        try statement.setArguments(arguments)
        let columns = statement.columnNames
        let types = try Self.columnKinds(columns, of: name, in: db)
        var rows: [[SQLValue]] = []
        let cursor = try Row.fetchCursor(statement)
        while let row = try cursor.next() {
            rows.append((0..<columns.count).map { SQLValue(row[$0] as DatabaseValue) })
        }
        return SnapshotPage.Table(name: name, columns: columns, types: types, rows: rows)
    }
}

extension SnapshotReader {
    /// Where a rejection's field sits in its stored wire row (the columns travel sorted).
    static func rejectionColumn(_ name: String) -> Int { CommandRejection.wireColumns.firstIndex(of: name)! }

    /// Each column's kind from the table's declared types, matched by name (a computed column
    /// keeps the kind of the column it stands for; unknown names stay generic).
    static func columnKinds(_ columns: [String], of table: String, in db: Database) throws -> [String] {
        let declared = Dictionary((try? db.columns(in: table))?.map { ($0.name, $0.type.uppercased()) } ?? []) { a, _ in a }
        return columns.map { column -> String in
            switch declared[column] ?? "" {
            case "INTEGER", "BOOLEAN", "INT": "i"
            case "DOUBLE", "REAL", "FLOAT": "r"
            case "TEXT": "t"
            default: "g"
            }
        }
    }
}

struct SnapshotTokenError: Error, CustomStringConvertible {
    let token: String
    var description: String { "snapshot token '\(token)' is not one central issued; start the snapshot again without one" }
}
