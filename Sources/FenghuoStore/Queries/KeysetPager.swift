import FenghuoDomain
import GRDB

/// Pages one sorted list by key: each page is an index seek plus `limit` steps, whatever the
/// table's size, because no page ever skips rows with OFFSET.
struct KeysetPager {
    /// The table, and the condition every row of the list meets (e.g. `is_open = 1`).
    let table: String
    let baseCondition: String
    /// Sort columns, ending with the primary key, in the order of `SortKey.values`.
    let sortColumns: [String]
    let ftsTable: String
    /// Columns searched with LIKE when the filter is too short for the trigram index.
    let likeColumns: [String]
    /// Coded columns matched by the names of their codes: typing 盗窃 finds incidents of type
    /// `theft`, as the user sees the name, not the code, on screen.
    var namedCodes: [NamedCode] = []

    struct NamedCode {
        let column: String
        let table: String
        let nameColumns: [String]
    }

    func page<Row: FetchableRecord & Sendable>(_ request: PageRequest, in db: Database, counts: CountCache? = nil,
                                               key: (Row) -> SortKey) throws -> Page<Row> {
        let (filterSQL, filterArgs) = filterClause(request.filter, indexed: try SearchIndex.isReady(db))
        let condition = "\(baseCondition)\(filterSQL)"
        let limit = max(request.limit, 1)
        let ascending = sortColumns.map { "\($0) ASC" }.joined(separator: ", ")
        let descending = sortColumns.map { "\($0) DESC" }.joined(separator: ", ")
        let tuple = "(\(sortColumns.joined(separator: ", ")))"

        func fetch(_ comparison: String?, _ anchor: SortKey?, descending desc: Bool) throws -> [Row] {
            var sql = "SELECT * FROM \(table) WHERE \(condition)"
            var args = filterArgs
            if let comparison, let anchor {
                sql += " AND \(tuple) \(comparison) \(placeholders(anchor))"
                args += arguments(anchor)
            }
            sql += " ORDER BY \(desc ? descending : ascending) LIMIT \(limit + 1)"
            return try Row.fetchAll(db, sql: sql, arguments: args)
        }
        func exists(_ comparison: String, _ anchor: SortKey) throws -> Bool {
            let sql = "SELECT EXISTS(SELECT 1 FROM \(table) WHERE \(condition) AND \(tuple) \(comparison) \(placeholders(anchor)))"
            return try Bool.fetchOne(db, sql: sql, arguments: filterArgs + arguments(anchor)) ?? false
        }

        var rows: [Row]
        var before = false
        var after = false
        switch request.anchor {
        case .first:
            rows = try fetch(nil, nil, descending: false)
            after = rows.count > limit
            rows = Array(rows.prefix(limit))
        case .after(let k), .atOrAfter(let k):
            let isAfter = if case .after = request.anchor { true } else { false }
            rows = try fetch(isAfter ? ">" : ">=", k, descending: false)
            after = rows.count > limit
            rows = Array(rows.prefix(limit))
            if let first = rows.first { before = try exists("<", key(first)) } else { before = try exists("<", k) }
        case .last:
            rows = try fetch(nil, nil, descending: true)
            before = rows.count > limit
            rows = Array(rows.prefix(limit).reversed())
        case .before(let k):
            rows = try fetch("<", k, descending: true)
            before = rows.count > limit
            rows = Array(rows.prefix(limit).reversed())
            if let last = rows.last { after = try exists(">", key(last)) } else { after = try exists(">=", k) }
        }
        func count(_ sql: String, _ arguments: StatementArguments) throws -> Int {
            if let counts { return try counts.count(sql, arguments, in: db) }
            return try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0
        }
        let total = try count("SELECT count(*) FROM \(table) WHERE \(condition)", filterArgs)
        // The page's position: an index range count, cheap near the top where people look.
        var offset = 0
        if before, let first = rows.first {
            let anchor = key(first)
            offset = try count("SELECT count(*) FROM \(table) WHERE \(condition) AND \(tuple) < \(placeholders(anchor))",
                               filterArgs + arguments(anchor))
        }
        return Page(rows: rows, hasMoreBefore: before, hasMoreAfter: after, total: total, offset: offset)
    }

    /// Trigram FTS for three characters or more (an index lookup); LIKE below that, since a
    /// trigram index cannot answer shorter strings, and while the index is being built.
    private func filterClause(_ filter: String, indexed: Bool) -> (String, StatementArguments) {
        let text = SearchText.normalized(filter)
        if text.isEmpty { return ("", []) }
        let pattern = SearchText.likePattern(text)
        var ors: [String]
        var args: [any DatabaseValueConvertible]
        if indexed, SearchText.usesIndex(text) {
            ors = ["rowid IN (SELECT rowid FROM \(ftsTable) WHERE \(ftsTable) MATCH ?)"]
            args = [SearchText.ftsPhrase(text)]
        } else {
            ors = likeColumns.map { "\($0) LIKE ? ESCAPE '\\'" }
            args = likeColumns.map { _ in pattern }
        }
        for coded in namedCodes {
            let names = coded.nameColumns.map { "\($0) LIKE ? ESCAPE '\\'" }.joined(separator: " OR ")
            ors.append("\(coded.column) IN (SELECT code FROM \(coded.table) WHERE \(names))")
            args += coded.nameColumns.map { _ in pattern }
        }
        return (" AND (\(ors.joined(separator: " OR ")))", StatementArguments(args))
    }

    private func placeholders(_ key: SortKey) -> String {
        "(" + key.values.map { _ in "?" }.joined(separator: ", ") + ")"
    }

    private func arguments(_ key: SortKey) -> StatementArguments {
        StatementArguments(key.values.map { value -> (any DatabaseValueConvertible) in
            switch value {
            case .int(let n): n
            case .text(let s): s
            }
        })
    }
}

import Foundation

/// Counts of a list's rows, kept per connection while nothing changed: paging through a
/// million-row list otherwise recounts its open rows every frame. SQLite's `data_version`
/// moves whenever another connection commits (for a read-only reader, every change there is),
/// and the agent moves `MetaKey.replicaStamp` in every transaction it writes, which also guards
/// against a closed connection's entry being taken for a new one's.
final class CountCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [ObjectIdentifier: (version: String, counts: [String: Int])] = [:]
    static let capacity = 256

    /// Forgets every total (the file under the reader was replaced).
    func reset() { lock.withLock { entries = [:] } }

    func count(_ sql: String, _ arguments: StatementArguments, in db: Database) throws -> Int {
        let dataVersion = try Int.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0
        let stamp = try Meta.value(.replicaStamp, in: db) ?? "-"
        let version = "\(dataVersion)/\(stamp)"
        let connection = ObjectIdentifier(db)
        let key = sql + "\u{1F}" + arguments.description
        if let known = lock.withLock({ entries[connection] }), known.version == version, let n = known.counts[key] {
            return n
        }
        let n = try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0
        lock.withLock {
            var entry = entries[connection] ?? (version, [:])
            if entry.version != version || entry.counts.count >= Self.capacity { entry = (version, [:]) }
            entry.counts[key] = n
            entries[connection] = entry
        }
        return n
    }
}
