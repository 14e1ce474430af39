import FenghuoDomain
import FenghuoStore
import Foundation
import GRDB
import Testing
import TestSupport

/// The leaders' dashboard: each figure is what a brute-force count over every row finds.
@Suite("Dashboard figures")
struct DashboardTests {
    /// The figures recomputed in Swift from every row of the database, for the instant `at`.
    struct BruteForce {
        let incidentsToday: [Agency: Int]
        let openIncidents: Int
        let ticketsOpened: Int
        let ticketsClosed: Int
        let ticketsOverdue: Int
        let approvalsFinished: Int
        let approvalsOnTime: Int
        let incidentsPerHour: [Int]
        let ticketsPerHour: [Int]
        let incidentsInWindow: Int
        let ticketsInWindow: Int
        let departmentOverdue: [String]

        init(_ db: AppDatabase, at now: Date) throws {
            let incidents = try allIncidents(db)
            let tickets = try allTickets(db)
            let approvals = try allApprovalRows(db)
            let today = LocalDate(now)
            let dayStart = today.startInstant
            let isToday = { (d: Date) in d >= dayStart && d <= now }

            var byAgency: [Agency: Int] = [:]
            for incident in incidents where isToday(incident.createdAt) { byAgency[incident.agency, default: 0] += 1 }
            incidentsToday = byAgency
            openIncidents = incidents.count { $0.status.isOpen }
            ticketsOpened = tickets.count { isToday($0.createdAt) }
            ticketsClosed = tickets.count { $0.status == .closed && isToday($0.updatedAt) }
            ticketsOverdue = tickets.count { $0.status.isOpen && $0.deadlineAt < now }

            let since = today.adding(days: -30).dayNumber
            let finished = approvals.filter {
                ($0.status == "approved" || $0.status == "rejected") && ($0.completedOn ?? Int.min) >= since
            }
            approvalsFinished = finished.count
            approvalsOnTime = finished.count { $0.completedOn! <= $0.deadline }

            // The last 24 hours, oldest hour first: (now − 24 h, now], the newest hour closed at `now`.
            let windowStart = now.addingTimeInterval(-86_400)
            func buckets(_ instants: [Date]) -> (buckets: [Int], inWindow: Int) {
                var result = Array(repeating: 0, count: 24)
                var n = 0
                for t in instants where t > windowStart && t <= now {
                    n += 1
                    result[min(23, Int(t.timeIntervalSince(windowStart) / 3600))] += 1
                }
                return (result, n)
            }
            (incidentsPerHour, incidentsInWindow) = buckets(incidents.map(\.createdAt))
            (ticketsPerHour, ticketsInWindow) = buckets(tickets.map(\.createdAt))

            var ranking: [String: (overdue: Int, open: Int)] = [:]
            for ticket in tickets where ticket.status.isOpen {
                guard let department = ticket.department else { continue }
                ranking[department, default: (0, 0)].open += 1
                if ticket.deadlineAt < now { ranking[department, default: (0, 0)].overdue += 1 }
            }
            departmentOverdue = ranking.sorted { a, b in
                if a.value.overdue != b.value.overdue { return a.value.overdue > b.value.overdue }
                if a.value.open != b.value.open { return a.value.open > b.value.open }
                return a.key < b.key
            }.prefix(20).map { "\($0.key)|\($0.value.overdue)|\($0.value.open)" }
        }
    }

    /// The demo instant, the last second of its day, the first of the next (14 hours later), a day later.
    static let instants: [Date] = [DemoCity.now, DemoCity.now.addingTimeInterval(14 * 3_600 - 1),
                                   DemoCity.now.addingTimeInterval(14 * 3_600), DemoCity.now.addingTimeInterval(86_400)]
    static let bruteForceNow: BruteForce = try! BruteForce(DemoCity.database, at: DemoCity.now)

    let figures: DashboardFigures
    let expected = DashboardTests.bruteForceNow

    init() throws {
        figures = try DemoCity.database.reader.dashboard(at: DemoCity.now)
    }

    @Test("Incidents today are counted per emergency line")
    func incidentsToday() {
        for agency in Agency.allCases {
            #expect(figures.incidentsToday[agency, default: 0] == expected.incidentsToday[agency, default: 0], "line \(agency.rawValue)")
        }
        // And the demo morning has calls on every line
        #expect(Agency.allCases.allSatisfy { (figures.incidentsToday[$0] ?? 0) > 0 })
    }

    @Test("Open incidents are every incident neither closed nor cancelled")
    func openIncidents() {
        #expect(figures.openIncidents == expected.openIncidents)
        #expect(figures.openIncidents > 0)
    }

    @Test("Tickets opened and closed today are counted from the start of the local day")
    func ticketsToday() {
        #expect(figures.ticketsOpened == expected.ticketsOpened)
        #expect(figures.ticketsClosed == expected.ticketsClosed)
        #expect(figures.ticketsOpened > 0)
    }

    @Test("Overdue tickets are the open ones past their deadline")
    func overdue() {
        #expect(figures.ticketsOverdue == expected.ticketsOverdue)
        #expect(figures.ticketsOverdue > 0)
    }

    @Test("Approvals finished in the last 30 days, and those on time, are counted")
    func approvals() {
        #expect(figures.approvalsFinished == expected.approvalsFinished)
        #expect(figures.approvalsOnTime == expected.approvalsOnTime)
        #expect(figures.approvalsFinished > 0)
        #expect(figures.approvalsOnTime <= figures.approvalsFinished)
    }

    @Test("Per-hour buckets over the last 24 hours match the rows created in each hour")
    func perHour() {
        #expect(figures.incidentsPerHour.count == 24)
        #expect(figures.ticketsPerHour.count == 24)
        #expect(figures.incidentsPerHour == expected.incidentsPerHour)
        #expect(figures.ticketsPerHour == expected.ticketsPerHour)
        // And they add up to the rows created in the window
        #expect(figures.incidentsPerHour.reduce(0, +) == expected.incidentsInWindow)
        #expect(figures.ticketsPerHour.reduce(0, +) == expected.ticketsInWindow)
        #expect(expected.incidentsInWindow > 0)
    }

    @Test("Departments are ranked by open overdue tickets, then open tickets, then code; twenty at most")
    func departmentRanking() {
        let ranking = figures.departmentOverdue
        #expect(ranking.map { "\($0.department)|\($0.overdue)|\($0.open)" } == expected.departmentOverdue)
        // Every department with open tickets fits in the twenty the dashboard asks for.
        let departments = Set(((try? allTickets(DemoCity.database)) ?? []).filter { $0.status.isOpen }.compactMap(\.department))
        #expect(ranking.count == min(20, departments.count))
        #expect(ranking.count > 8)
        for (a, b) in zip(ranking, ranking.dropFirst()) {
            #expect(a.overdue > b.overdue || (a.overdue == b.overdue && (a.open > b.open || (a.open == b.open && a.department < b.department))))
        }
    }

    @Test("Every figure matches the brute-force count at other instants too", arguments: instants)
    func otherInstants(_ at: Date) throws {
        // Given the dashboard asked at an instant no row lies after
        // (the demo city's rows all happened by the demo instant)
        let figures = try DemoCity.database.reader.dashboard(at: at)
        let expected = try BruteForce(DemoCity.database, at: at)
        #expect(Agency.allCases.allSatisfy { figures.incidentsToday[$0, default: 0] == expected.incidentsToday[$0, default: 0] })
        #expect(figures.ticketsOpened == expected.ticketsOpened)
        #expect(figures.ticketsClosed == expected.ticketsClosed)
        #expect(figures.ticketsOverdue == expected.ticketsOverdue)
        #expect(figures.approvalsFinished == expected.approvalsFinished)
        #expect(figures.approvalsOnTime == expected.approvalsOnTime)
        #expect(figures.incidentsPerHour == expected.incidentsPerHour)
        #expect(figures.ticketsPerHour == expected.ticketsPerHour)
        #expect(figures.departmentOverdue.map { "\($0.department)|\($0.overdue)|\($0.open)" } == expected.departmentOverdue)
    }

    @Test("An empty database shows zeros, 24 empty hours and no ranking")
    func emptyDatabase() throws {
        let db = try AppDatabase.inMemory()
        let figures = try db.reader.dashboard(at: DemoCity.now)
        #expect(figures == DashboardFigures())
        #expect(figures.incidentsPerHour == Array(repeating: 0, count: 24))
        #expect(figures.departmentOverdue.isEmpty)
        #expect(figures.approvalsOnTimePercent == nil)
    }

    @Test("A call registered in the very second the dashboard is drawn is counted in the last hour")
    func rowAtTheInstantItself() throws {
        // Given an empty city and incidents created exactly now, just inside the 24-hour window,
        // exactly 24 hours ago (outside it) and half a day ago
        let db = try AppDatabase.inMemory()
        let now = DemoCity.now
        let ages: [TimeInterval] = [0, 86_400 - 1, 86_400, 12 * 3_600 + 1_800]
        try db.writer.write { database in
            for (n, age) in ages.enumerated() {
                try Incident(id: "J-TEST-\(n)", agency: .police, typeCode: "theft", priority: .normal, district: "laocheng",
                             address: "老城区解放路1号", location: GeoPoint(lat: 30.5, lon: 114.3), callerName: "王明",
                             callerPhone: "13800000000", narrative: "测试", createdAt: now.addingTimeInterval(-age))
                    .insert(database)
            }
        }
        // When the dashboard is drawn now
        let figures = try db.reader.dashboard(at: now)
        // Then the window (now − 24 h, now] holds three of them, and the hours add up to three
        #expect(figures.incidentsPerHour.reduce(0, +) == 3, "\(figures.incidentsPerHour)")
        #expect(figures.incidentsPerHour.first == 1)
        #expect(figures.incidentsPerHour.last == 1, "the call made this very second is missing from the last hour")
        // And the one made now is one of today's calls
        #expect(figures.incidentsToday[.police] == 1)
    }
}
