import FenghuoDomain
import GRDB

/// Pages one sorted list by key: each page is an index seek plus `limit` steps, whatever the
/// table's size, because no page ever skips rows with OFFSET.
struct KeysetPager {
    /// The table, and the condition every row of the list meets (e.g. `is_open = 1`).
    let table: String
    let baseCondition: String
    /// Sort columns, ending with the primary key, in the order of `SortKey.values` (after the
    /// segment, when the list has segments).
    let sortColumns: [String]
    let ftsTable: String
    /// Columns searched with LIKE when the filter is too short for the trigram index.
    let likeColumns: [String]
    /// Coded columns matched by the names of their codes: typing 盗窃 finds incidents of type
    /// `theft`, as the user sees the name, not the code, on screen.
    var namedCodes: [NamedCode] = []
    /// Conditions that cut the list into consecutive parts (the dispatch queue: waiting, open,
    /// resolved), each paged by the sort index; empty: the list is one part.
    var segments: [String] = []
    /// The coded district column a `辖区:` filter matches by name prefix (nil: the list has none).
    var district: NamedCode?
    /// The deadline column (epoch seconds) `dueBefore` compares, and the timeline JSON column
    /// `touchedBy` searches (nil: the list has none, and such a condition matches nothing).
    var deadlineColumn: String?
    var timelineColumn: String?

    struct NamedCode {
        let column: String
        let table: String
        let nameColumns: [String]
    }

    func page<Row: FetchableRecord & Sendable>(_ request: PageRequest, in db: Database, counts: CountCache? = nil,
                                               key: (Row) -> SortKey) throws -> Page<Row> {
        let (textSQL, textArgs) = filterClause(request.filter, request.columns.statusesNamedByText,
                                               indexed: try SearchIndex.isReady(db))
        let (columnSQL, columnArgs) = columnClause(request.columns)
        let condition = "\(baseCondition)\(textSQL)\(columnSQL)"
        let filterArgs = textArgs + columnArgs
        let limit = max(request.limit, 1)
        let ascending = sortColumns.map { "\($0) ASC" }.joined(separator: ", ")
        let descending = sortColumns.map { "\($0) DESC" }.joined(separator: ", ")
        let tuple = "(\(sortColumns.joined(separator: ", ")))"

        // The list in its segments' order: segment i's rows all sort before segment i + 1's, each
        // segment read by the sort index; a key's first value is then its segment.
        let parts: [String?] = segments.isEmpty ? [nil] : segments
        func split(_ key: SortKey) -> (segment: Int, rest: SortKey) {
            guard !segments.isEmpty, case .int(let segment)? = key.values.first else { return (0, key) }
            return (Int(segment), SortKey(Array(key.values.dropFirst())))
        }
        /// Segment `s`'s rows, those beyond `rest` by `comparison` when given.
        func part(_ s: Int, _ comparison: String?, _ rest: SortKey?) -> (String, StatementArguments) {
            var sql = condition
            var args = filterArgs
            if let segment = parts[s] { sql += " AND (\(segment))" }
            if let comparison, let rest {
                sql += " AND \(tuple) \(comparison) \(placeholders(rest))"
                args += arguments(rest)
            }
            return (sql, args)
        }
        func fetch(_ comparison: String?, _ anchor: SortKey?, descending desc: Bool) throws -> [Row] {
            var a = desc ? parts.count - 1 : 0
            var rest = SortKey([])
            if let anchor { (a, rest) = split(anchor) }
            let order = desc ? Array(stride(from: min(a, parts.count - 1), through: 0, by: -1)) : Array(max(0, a)..<max(a, parts.count))
            var rows: [Row] = []
            for s in order where rows.count <= limit {
                let (sql, args) = part(s, s == a ? comparison : nil, rest)
                rows += try Row.fetchAll(db, sql: "SELECT * FROM \(table) WHERE \(sql) ORDER BY \(desc ? descending : ascending) LIMIT \(limit + 1 - rows.count)",
                                         arguments: args)
            }
            return rows
        }
        func exists(_ comparison: String, _ anchor: SortKey) throws -> Bool {
            let (a, rest) = split(anchor)
            let earlier = comparison.hasPrefix("<")
            for s in parts.indices where earlier ? s <= a : s >= a {
                let (sql, args) = part(s, s == a ? comparison : nil, rest)
                if try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM \(table) WHERE \(sql))", arguments: args) ?? false { return true }
            }
            return false
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
            let (a, rest) = split(key(first))
            for s in parts.indices where s <= a {
                let (sql, args) = part(s, s == a ? "<" : nil, rest)
                offset += try count("SELECT count(*) FROM \(table) WHERE \(sql)", args)
            }
        }
        return Page(rows: rows, hasMoreBefore: before, hasMoreAfter: after, total: total, offset: offset)
    }

    /// Trigram FTS for three characters or more (an index lookup); LIKE below that, since a
    /// trigram index cannot answer shorter strings, and while the index is being built.
    private func filterClause(_ filter: String, _ namedStatuses: Set<String>, indexed: Bool) -> (String, StatementArguments) {
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
        // The status is a code on the row but a word on screen (待派, new): the console names the
        // statuses whose word the text is part of.
        if !namedStatuses.isEmpty {
            let codes = namedStatuses.sorted()
            ors.append("status IN (\(codes.map { _ in "?" }.joined(separator: ", ")))")
            args += codes.map { $0 as any DatabaseValueConvertible }
        }
        return (" AND (\(ors.joined(separator: " OR ")))", StatementArguments(args))
    }

    /// The column conditions (`状态:待派`, `辖区:江北`, the waiting-only toggle), each ANDed.
    private func columnClause(_ columns: ColumnFilter) -> (String, StatementArguments) {
        var sql = ""
        var args: [any DatabaseValueConvertible] = []
        if let statuses = columns.statuses {
            let codes = statuses.sorted()
            // No status left (two conditions that exclude each other): nothing matches.
            sql += codes.isEmpty ? " AND 0" : " AND status IN (\(codes.map { _ in "?" }.joined(separator: ", ")))"
            args += codes.map { $0 as any DatabaseValueConvertible }
        }
        if let prefix = columns.districtPrefix.map(SearchText.normalized), !prefix.isEmpty {
            if let district {
                let pattern = SearchText.likePrefixPattern(prefix)
                let names = (["code"] + district.nameColumns).map { "\($0) LIKE ? ESCAPE '\\'" }.joined(separator: " OR ")
                sql += " AND \(district.column) IN (SELECT code FROM \(district.table) WHERE \(names))"
                args += (["code"] + district.nameColumns).map { _ in pattern }
            } else {
                sql += " AND 0"  // a list without districts has no row in the one asked for
            }
        }
        if let due = columns.dueBefore {
            if let deadlineColumn {
                sql += " AND \(deadlineColumn) < ?"
                args.append(Int64(due.timeIntervalSince1970.rounded(.down)))
            } else {
                sql += " AND 0"
            }
        }
        if let user = columns.touchedBy {
            // The entries' `by` as JSON writes it (keys sorted: `"by":"NAME"`), wildcards escaped.
            if let timelineColumn, let quoted = try? JSONEncoder().encode(user) {
                sql += " AND \(timelineColumn) LIKE ? ESCAPE '\\'"
                args.append(SearchText.likePattern("\"by\":" + String(decoding: quoted, as: UTF8.self)))
            } else {
                sql += " AND 0"
            }
        }
        return (sql, StatementArguments(args))
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
