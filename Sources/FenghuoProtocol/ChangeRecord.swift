import FenghuoDomain

/// One entry of central's change feed: `seq` is the commit order; `scopes` say who may see it.
public struct ChangeRecord: Codable, Hashable, Sendable {
    public enum Operation: String, Codable, Sendable { case put = "PUT", remove = "REMOVE" }

    public let seq: Int64
    public let entity: String
    public let id: String
    public let op: Operation
    public let scopes: [String]
    /// The record as JSON (nil for REMOVE).
    public let row: String?
    public let version: Int
    /// When central committed it, in milliseconds since 1970 (for measuring replication lag).
    public var committedMs: Int64?

    public init(seq: Int64, entity: String, id: String, op: Operation, scopes: [String], row: String?, version: Int,
                committedMs: Int64? = nil) {
        self.committedMs = committedMs
        self.seq = seq
        self.entity = entity
        self.id = id
        self.op = op
        self.scopes = scopes
        self.row = row
        self.version = version
    }
}

