import Foundation
import GRDB

/// Instants are stored as whole UTC seconds: compact, sortable, and cheap to index.
extension Date {
    var epochSeconds: Int64 { Int64(timeIntervalSince1970.rounded(.down)) }
    init(epochSeconds: Int64) { self.init(timeIntervalSince1970: TimeInterval(epochSeconds)) }
}

extension Row {
    func date(_ column: String) -> Date { Date(epochSeconds: self[column]) }
    func optionalDate(_ column: String) -> Date? { (self[column] as Int64?).map(Date.init(epochSeconds:)) }
    /// Decodes a stored enum; a value no case knows is a corrupt row and fails loudly.
    func value<E: RawRepresentable>(_ column: String, as: E.Type = E.self) -> E where E.RawValue == String {
        let raw: String = self[column]
        guard let value = E(rawValue: raw) else {
            fatalError("column \(column) holds '\(raw)', which no \(E.self) case knows: the database is corrupt")
        }
        return value
    }
}
