/// The protocol's version. It changes whenever a wire form changes (a record's columns, a body's
/// fields): a test pins each form beside this number, and central refuses agents of another.
public enum ProtocolVersion {
    /// 2: records travel as their table rows (the same columns and values as snapshot pages);
    /// command arguments are JSON values. 1 sent a record as its Swift type's Codable JSON.
    /// 3: an incident carries its timeline (a `timeline` column of JSON), its statuses include
    /// 出动 / 处置中 / 合并, and resolve, close and cancel take dispositions (schema v6).
    /// 4: incidents link across agencies, carry plans checked, reports, priority changes and
    /// casualties in their timeline; a ticket names the incident it became or came from
    /// (`incident_link`, schema v9); new commands for all of these.
    /// 5: units report their position (`moveUnit`) and carry `status_version`, `moved_at` and
    /// where their trip began (`trip_lat`, `trip_lon`, schema v10); a ticket carries its
    /// timeline (`timeline`, schema v11) and takes notes (`noteTicket`).
    public static let current = 5
}

/// A record as it travels in the feed: its rows of the shared schema, table by table, in the
/// very form a snapshot page carries tables (columns, their kinds, rows of values), so the two
/// cannot drift apart and both decode each value as its column's kind. An approval case
/// travels with its steps (`approval_step`).
public struct WireRecord: Codable, Hashable, Sendable {
    public var tables: [SnapshotPage.Table]

    public init(tables: [SnapshotPage.Table]) { self.tables = tables }

    /// Rows given as column → value, one table each.
    public init(rows: [(table: String, rows: [[String: SQLValue]])]) {
        tables = rows.map { table, rows in
            let columns = rows.first.map { $0.keys.sorted() } ?? []
            // A column's kind when its values share one; "g" (read by trying kinds) when they do
            // not, or the decoder would refuse the record its own encoder wrote.
            return SnapshotPage.Table(name: table, columns: columns, types: columns.map { column in
                let kinds = Set(rows.compactMap { $0[column]?.kind })
                return kinds.count == 1 ? kinds.first! : "g"
            }, rows: rows.map { row in columns.map { row[$0] ?? .null } })
        }
    }

    public init(table: String, row: [String: SQLValue]) { self.init(rows: [(table, [row])]) }

    /// One table's rows (empty when the record has none there).
    public func rows(_ table: String) -> [[String: SQLValue]] {
        tables.filter { $0.name == table }.flatMap { t in
            t.rows.map { Dictionary(zip(t.columns, $0), uniquingKeysWith: { a, _ in a }) }
        }
    }

    public var tableNames: [String] { tables.map(\.name) }
}

extension SQLValue {
    /// The kind a snapshot table names for a column of such values (nil for null).
    public var kind: String? {
        switch self {
        case .null: nil
        case .integer: "i"
        case .real: "r"
        case .text: "t"
        }
    }
}

extension WireRecord {
    /// The record's JSON, written directly: the same text `JSONEncoder` with sorted keys
    /// writes, at a fraction of its cost (central writes one per change; encoding through
    /// Codable was over half of its command path).
    public func jsonText() -> String {
        var out = #"{"tables":["#
        for (n, t) in tables.enumerated() {
            if n > 0 { out += "," }
            out += #"{"columns":["#
            Self.join(t.columns, into: &out) { Self.string($0, into: &$1) }
            out += #"],"name":"#
            Self.string(t.name, into: &out)
            out += #","rows":["#
            Self.join(t.rows, into: &out) { row, out in
                out += "["
                Self.join(row, into: &out) { Self.value($0, into: &$1) }
                out += "]"
            }
            out += "]"
            if let types = t.types {
                out += #","types":["#
                Self.join(types, into: &out) { Self.string($0, into: &$1) }
                out += "]"
            }
            out += "}"
        }
        out += "]}"
        return out
    }

    private static func join<T>(_ items: [T], into out: inout String, _ write: (T, inout String) -> Void) {
        for (i, item) in items.enumerated() {
            if i > 0 { out += "," }
            write(item, &out)
        }
    }

    private static func value(_ v: SQLValue, into out: inout String) {
        switch v {
        case .null: out += "null"
        case .integer(let i): out += String(i)
        case .real(let d): out += d.isFinite ? "\(d)" : "null"
        case .text(let s): string(s, into: &out)
        }
    }

    /// A JSON string: quotes, backslashes and control characters escaped.
    static func string(_ s: String, into out: inout String) { JSONString.append(s, to: &out) }
}
