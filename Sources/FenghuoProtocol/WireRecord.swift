/// The protocol's version. It changes whenever a wire form changes (a record's columns, a body's
/// fields): a test pins each form beside this number, and central refuses agents of another.
public enum ProtocolVersion {
    /// 2: records travel as their table rows (the same columns and values as snapshot pages);
    /// command arguments are JSON values. 1 sent a record as its Swift type's Codable JSON.
    public static let current = 2
}

/// A record as it travels in the feed: its rows of the shared schema, table by table, each row
/// its columns and SQLite values — exactly what a snapshot page carries for the same record, so
/// the two cannot drift apart. An approval case travels with its steps (`approval_step`).
public struct WireRecord: Codable, Hashable, Sendable {
    public var tables: [String: [[String: SQLValue]]]

    public init(tables: [String: [[String: SQLValue]]]) { self.tables = tables }

    public init(table: String, row: [String: SQLValue]) { tables = [table: [row]] }
}
