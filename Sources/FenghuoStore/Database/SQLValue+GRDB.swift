import FenghuoProtocol
import GRDB

/// Snapshot values to and from what SQLite holds.
extension SQLValue {
    /// A value as SQLite holds it (blobs are not part of the schema and travel as null).
    public init(_ value: DatabaseValue) {
        switch value.storage {
        case .int64(let i): self = .integer(i)
        case .double(let d): self = .real(d)
        case .string(let s): self = .text(s)
        case .blob, .null: self = .null
        }
    }

    public var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .integer(let i): i.databaseValue
        case .real(let d): d.databaseValue
        case .text(let s): s.databaseValue
        }
    }
}
