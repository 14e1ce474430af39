import FenghuoDomain
import FenghuoProtocol
import Foundation
import GRDB

extension EntityRecord {
    /// The record as rows of the shared schema: what the feed sends, and what a snapshot page
    /// holds for it.
    public func wire() throws -> WireRecord {
        func row(_ record: some EncodableRecord) throws -> [String: SQLValue] {
            try record.databaseDictionary.mapValues { SQLValue($0) }
        }
        /// The hot kinds through their prepared column lists (no container built per record).
        func row<R: PreparedRecord>(_ record: R) -> [String: SQLValue] {
            Dictionary(uniqueKeysWithValues: zip(R.columnNames, record.columnValues.map { SQLValue($0?.databaseValue ?? .null) }))
        }
        switch self {
        case .incident(let r): return WireRecord(table: "incident", row: row(r))
        case .unit(let r): return WireRecord(table: "unit", row: row(r))
        case .ticket(let r): return WireRecord(table: "ticket", row: row(r))
        case .approval(let r):
            return WireRecord(rows: [
                ("approval_case", [try row(ApprovalCaseRecord(r))]),
                ("approval_step", try r.steps.enumerated().map { try row(ApprovalStepRecord(caseID: r.id, position: $0.offset, step: $0.element)) }),
            ])
        }
    }
}

extension CommandRejection {
    /// The columns of a rejection's wire row, in the order they travel (sorted).
    public static let wireColumns = ["code", "details", "id", "message", "mutation_id", "name"]

    /// A rejection as the replica's `rejection` row (details as JSON text).
    public func wire(id: String, mutationID: Int64, command: String) -> WireRecord {
        let details = (try? JSONEncoder().encode(details)).map { String(decoding: $0, as: UTF8.self) }
        return WireRecord(table: "rejection", row: [
            "id": .text(id), "mutation_id": .integer(mutationID), "name": .text(String(command.prefix(100))),
            "code": .text(code), "message": .text(message), "details": details.map(SQLValue.text) ?? .null,
        ])
    }
}
