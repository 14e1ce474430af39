import FenghuoDomain
import Foundation
import GRDB

extension ReplicaReader {
    /// The leaders' figures at `now`: each one an indexed range scan over today or the last day.
    public func dashboard(at now: Date) throws -> DashboardFigures {
        let today = LocalDate(now)
        let dayStart = today.startInstant.epochSeconds
        let nowSeconds = now.epochSeconds
        // Hour buckets over (now − 24 h, now]: the last bucket ends with, and includes, now.
        let windowStart = nowSeconds - 24 * 3600
        return try db.read { db in
            var figures = DashboardFigures()
            for row in try Row.fetchAll(db, sql: """
                SELECT agency, count(*) AS n FROM incident WHERE created_at >= ? GROUP BY agency
                """, arguments: [dayStart]) {
                if let agency = Agency(rawValue: row["agency"]) { figures.incidentsToday[agency] = row["n"] }
            }
            figures.openIncidents = try Int.fetchOne(db, sql: "SELECT count(*) FROM incident WHERE is_open = 1") ?? 0
            figures.ticketsOpened = try Int.fetchOne(db, sql: "SELECT count(*) FROM ticket WHERE created_at >= ?",
                                                     arguments: [dayStart]) ?? 0
            figures.ticketsClosed = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM ticket WHERE status = 'closed' AND updated_at >= ?
                """, arguments: [dayStart]) ?? 0
            figures.ticketsOverdue = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM ticket WHERE is_open = 1 AND deadline_at < ?
                """, arguments: [nowSeconds]) ?? 0
            let since = today.adding(days: -30).dayNumber
            if let row = try Row.fetchOne(db, sql: """
                SELECT count(*) AS finished, coalesce(sum(completed_on <= deadline), 0) AS on_time
                FROM approval_case WHERE completed_on >= ? AND status IN ('approved', 'rejected')
                """, arguments: [since]) {
                figures.approvalsFinished = row["finished"]
                figures.approvalsOnTime = row["on_time"]
            }
            func perHour(_ table: String) throws -> [Int] {
                var buckets = Array(repeating: 0, count: 24)
                for row in try Row.fetchAll(db, sql: """
                    SELECT (created_at - ? - 1) / 3600 AS bucket, count(*) AS n FROM \(table)
                    WHERE created_at > ? AND created_at <= ? GROUP BY bucket
                    """, arguments: [windowStart, windowStart, nowSeconds]) {
                    let bucket: Int = row["bucket"]
                    if (0..<24).contains(bucket) { buckets[bucket] += row["n"] as Int }
                }
                return buckets
            }
            figures.incidentsPerHour = try perHour("incident")
            figures.ticketsPerHour = try perHour("ticket")
            figures.departmentOverdue = try Row.fetchAll(db, sql: """
                SELECT department, sum(deadline_at < ?) AS overdue, count(*) AS open FROM ticket
                WHERE is_open = 1 AND department IS NOT NULL GROUP BY department
                ORDER BY overdue DESC, open DESC, department LIMIT 20
                """, arguments: [nowSeconds]).map { ($0["department"], $0["overdue"], $0["open"]) }
            return figures
        }
    }
}
