import FenghuoDomain
import Foundation
import GRDB

extension ReplicaReader {
    /// A caller's earlier incidents and hotline tickets (those this replica holds), newest first,
    /// at most `limit` of each, by the caller-phone indexes. The phone is matched as stored.
    public func callerHistory(phone: String, limit: Int = 5) throws -> (incidents: [Incident], tickets: [Ticket]) {
        let phone = String(phone.prefix(30))
        guard !phone.isEmpty else { return ([], []) }
        return try db.read { db in
            let incidents = try Incident.fetchAll(db, sql: """
                SELECT * FROM incident WHERE caller_phone = ? ORDER BY created_at DESC LIMIT ?
                """, arguments: [phone, limit])
            let tickets = try Ticket.fetchAll(db, sql: """
                SELECT * FROM ticket WHERE caller_phone = ? ORDER BY created_at DESC LIMIT ?
                """, arguments: [phone, limit])
            return (incidents, tickets)
        }
    }

    /// Open incidents called in since `since` (what a new call may duplicate), newest first, at most 500.
    public func openIncidents(since: Date) throws -> [Incident] {
        try db.read { db in
            try Incident.fetchAll(db, sql: """
                SELECT * FROM incident WHERE created_at >= ? AND is_open = 1 ORDER BY created_at DESC LIMIT 500
                """, arguments: [since.epochSeconds])
        }
    }
}
