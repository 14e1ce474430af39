/// One page of a snapshot: the reader's whole slice of central, table by table, in key order.
/// The first page fixes the cursor the snapshot is at; changes after it follow on `/v1/changes`.
/// Pages are independent reads, so a snapshot can resume after a crash from the last page
/// applied: a row read later than the cursor is at least as new as the feed, and applying the
/// feed is guarded by version.
public struct SnapshotPage: Codable, Sendable {
    public struct Table: Codable, Hashable, Sendable {
        public let name: String
        public let columns: [String]
        /// Each column's kind where it is known (`i` integer, `r` real, `t` text): a reader then
        /// decodes each value as that kind (or null) instead of trying kinds in turn.
        public let types: [String]?
        public let rows: [[SQLValue]]

        public init(name: String, columns: [String], types: [String]? = nil, rows: [[SQLValue]]) {
            self.name = name
            self.columns = columns
            self.types = types
            self.rows = rows
        }

        enum CodingKeys: String, CodingKey { case name, columns, types, rows }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            columns = try c.decode([String].self, forKey: .columns)
            types = try c.decodeIfPresent([String].self, forKey: .types)
            guard let types, types.count == columns.count else {
                rows = try c.decode([[SQLValue]].self, forKey: .rows)
                return
            }
            var list = try c.nestedUnkeyedContainer(forKey: .rows)
            var rows: [[SQLValue]] = []
            rows.reserveCapacity(list.count ?? 0)
            while !list.isAtEnd {
                var cells = try list.nestedUnkeyedContainer()
                var row: [SQLValue] = []
                row.reserveCapacity(types.count)
                for kind in types {
                    if try cells.decodeNil() { row.append(.null); continue }
                    switch kind {
                    case "i": row.append(.integer(try cells.decode(Int64.self)))
                    case "r": row.append(.real(try cells.decode(Double.self)))
                    case "t": row.append(.text(try cells.decode(String.self)))
                    default: row.append(try cells.decode(SQLValue.self))
                    }
                }
                // A row longer than its columns is refused, not cut to fit (a short one already failed).
                guard cells.isAtEnd else {
                    throw DecodingError.dataCorruptedError(in: cells, debugDescription:
                        "table \(name): a row holds more values than its \(columns.count) columns")
                }
                rows.append(row)
            }
            self.rows = rows
        }
    }

    /// The feed's position before any row of this page was read.
    public let cursor: FeedCursor
    public let lastMutationID: Int64
    /// The reader's scopes as central sees them now; a replica built for other scopes is rebuilt.
    public let scope: String
    /// Rows in the whole snapshot, counted on the first page (for a progress bar).
    public let total: Int?
    public let tables: [Table]
    /// The token for the next page; nil on the last.
    public let next: String?

    public init(cursor: FeedCursor, lastMutationID: Int64, scope: String, total: Int?, tables: [Table], next: String?) {
        self.cursor = cursor
        self.lastMutationID = lastMutationID
        self.scope = scope
        self.total = total
        self.tables = tables
        self.next = next
    }

    public var rowCount: Int { tables.reduce(0) { $0 + $1.rows.count } }
}

/// A SQLite value on the wire.
public enum SQLValue: Codable, Hashable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let i = try? c.decode(Int64.self) { self = .integer(i) }
        else if let d = try? c.decode(Double.self) { self = .real(d) }
        else { self = .text(try c.decode(String.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .integer(let i): try c.encode(i)
        case .real(let d): try c.encode(d)
        case .text(let s): try c.encode(s)
        }
    }
}
