import FenghuoDomain
import Foundation
import GRDB

extension CommandRejection {
    /// A rejection as a replica's `rejection` table holds it (code, message, details as JSON).
    public init(stored row: Row) {
        let details = (row["details"] as String?).flatMap {
            try? JSONDecoder().decode([String: String].self, from: Data($0.utf8))
        } ?? [:]
        self.init(code: row["code"] ?? "", details: details, message: row["message"] ?? "")
    }
}
