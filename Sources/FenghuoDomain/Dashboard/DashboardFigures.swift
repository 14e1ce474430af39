/// The leaders' figures for one local day, computed by the store and drawn by the dashboard.
public struct DashboardFigures: Hashable, Sendable {
    public var incidentsToday: [Agency: Int]
    public var openIncidents: Int
    public var ticketsOpened: Int
    public var ticketsClosed: Int
    public var ticketsOverdue: Int
    public var approvalsFinished: Int
    public var approvalsOnTime: Int
    /// Incidents per hour over the last 24 hours, oldest first (24 values).
    public var incidentsPerHour: [Int]
    /// Tickets per hour over the last 24 hours, oldest first (24 values).
    public var ticketsPerHour: [Int]
    /// Departments by open overdue tickets, worst first.
    public var departmentOverdue: [(department: String, overdue: Int, open: Int)]

    public init(incidentsToday: [Agency: Int] = [:], openIncidents: Int = 0, ticketsOpened: Int = 0,
                ticketsClosed: Int = 0, ticketsOverdue: Int = 0, approvalsFinished: Int = 0,
                approvalsOnTime: Int = 0, incidentsPerHour: [Int] = Array(repeating: 0, count: 24),
                ticketsPerHour: [Int] = Array(repeating: 0, count: 24),
                departmentOverdue: [(department: String, overdue: Int, open: Int)] = []) {
        self.incidentsToday = incidentsToday
        self.openIncidents = openIncidents
        self.ticketsOpened = ticketsOpened
        self.ticketsClosed = ticketsClosed
        self.ticketsOverdue = ticketsOverdue
        self.approvalsFinished = approvalsFinished
        self.approvalsOnTime = approvalsOnTime
        self.incidentsPerHour = incidentsPerHour
        self.ticketsPerHour = ticketsPerHour
        self.departmentOverdue = departmentOverdue
    }

    /// Approvals decided by their statutory deadline, in whole percent; nil when none finished.
    public var approvalsOnTimePercent: Int? {
        guard approvalsFinished > 0 else { return nil }
        return (approvalsOnTime * 100 + approvalsFinished / 2) / approvalsFinished
    }

    public static func == (a: DashboardFigures, b: DashboardFigures) -> Bool {
        a.incidentsToday == b.incidentsToday && a.openIncidents == b.openIncidents
            && a.ticketsOpened == b.ticketsOpened && a.ticketsClosed == b.ticketsClosed
            && a.ticketsOverdue == b.ticketsOverdue && a.approvalsFinished == b.approvalsFinished
            && a.approvalsOnTime == b.approvalsOnTime && a.incidentsPerHour == b.incidentsPerHour
            && a.ticketsPerHour == b.ticketsPerHour
            && a.departmentOverdue.map { "\($0.department)|\($0.overdue)|\($0.open)" }
                == b.departmentOverdue.map { "\($0.department)|\($0.overdue)|\($0.open)" }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(openIncidents)
        hasher.combine(ticketsOpened)
        hasher.combine(incidentsPerHour)
    }
}
