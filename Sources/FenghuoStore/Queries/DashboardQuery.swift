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
            // Counts over index ranges, never a sort: a busy day at a million rows stays cheap.
            for agency in Agency.allCases {
                let n = try Int.fetchOne(db, sql: "SELECT count(*) FROM incident WHERE agency = ? AND created_at >= ?",
                                         arguments: [agency.rawValue, dayStart]) ?? 0
                if n > 0 { figures.incidentsToday[agency] = n }
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
                let statement = try db.cachedStatement(sql: "SELECT count(*) FROM \(table) WHERE created_at > ? AND created_at <= ?")
                return try (0..<24).map { hour in
                    let start = windowStart + Int64(hour) * 3600
                    return try Int.fetchOne(statement, arguments: [start, start + 3600]) ?? 0
                }
            }
            figures.incidentsPerHour = try perHour("incident")
            figures.ticketsPerHour = try perHour("ticket")
            // Two index range counts a department on (department, is_open, deadline_at).
            let departments = try String.fetchAll(db, sql: "SELECT code FROM department")
            let open = try db.cachedStatement(sql: "SELECT count(*) FROM ticket WHERE is_open = 1 AND department = ?")
            let late = try db.cachedStatement(sql: """
                SELECT count(*) FROM ticket WHERE is_open = 1 AND department = ? AND deadline_at < ?
                """)
            var ranking: [(String, Int, Int)] = []
            for code in departments {
                let n = try Int.fetchOne(open, arguments: [code]) ?? 0
                guard n > 0 else { continue }
                ranking.append((code, try Int.fetchOne(late, arguments: [code, nowSeconds]) ?? 0, n))
            }
            ranking.sort { ($0.1, $0.2, $1.0) > ($1.1, $1.2, $0.0) }
            figures.departmentOverdue = Array(ranking.prefix(20))
            return figures
        }
    }
}
