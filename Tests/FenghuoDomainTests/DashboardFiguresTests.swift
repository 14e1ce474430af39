import Testing
import FenghuoDomain

@Suite("DashboardFigures: the leaders' figures for one day")
struct DashboardFiguresTests {

    @Test func empty_figures_have_24_zero_hours_and_nothing_else() {
        let figures = DashboardFigures()
        #expect(figures.incidentsPerHour == Array(repeating: 0, count: 24))
        #expect(figures.ticketsPerHour == Array(repeating: 0, count: 24))
        #expect(figures.incidentsToday.isEmpty)
        #expect(figures.departmentOverdue.isEmpty)
        #expect(figures.openIncidents == 0 && figures.ticketsOpened == 0 && figures.ticketsClosed == 0)
        #expect(figures.ticketsOverdue == 0 && figures.approvalsFinished == 0 && figures.approvalsOnTime == 0)
    }

    @Test func there_is_no_on_time_percentage_before_any_approval_finishes() {
        #expect(DashboardFigures(approvalsFinished: 0, approvalsOnTime: 0).approvalsOnTimePercent == nil)
    }

    @Test(arguments: [
        (onTime: 3, finished: 4, percent: 75),
        (onTime: 0, finished: 5, percent: 0),
        (onTime: 5, finished: 5, percent: 100),
        (onTime: 2, finished: 3, percent: 67),    // 66.67 rounds up
        (onTime: 1, finished: 3, percent: 33),    // 33.33 rounds down
        (onTime: 1, finished: 8, percent: 13),    // 12.5 rounds half up
        (onTime: 1, finished: 200, percent: 1),   // 0.5 rounds half up
        (onTime: 199, finished: 200, percent: 100), // 99.5 rounds half up
        (onTime: 1, finished: 201, percent: 0),   // 0.497 rounds down
    ])
    func the_on_time_percentage_is_rounded_to_the_nearest_whole_percent(onTime: Int, finished: Int, percent: Int) {
        let figures = DashboardFigures(approvalsFinished: finished, approvalsOnTime: onTime)
        #expect(figures.approvalsOnTimePercent == percent)
    }

    @Test func figures_with_the_same_content_are_equal_and_hash_alike() {
        let a = DashboardFigures(incidentsToday: [.police: 12, .fire: 3], openIncidents: 4, ticketsOpened: 30,
                                 ticketsClosed: 25, ticketsOverdue: 2, approvalsFinished: 8, approvalsOnTime: 7,
                                 departmentOverdue: [("urban", 2, 10), ("water", 0, 3)])
        let b = DashboardFigures(incidentsToday: [.fire: 3, .police: 12], openIncidents: 4, ticketsOpened: 30,
                                 ticketsClosed: 25, ticketsOverdue: 2, approvalsFinished: 8, approvalsOnTime: 7,
                                 departmentOverdue: [(department: "urban", overdue: 2, open: 10), ("water", 0, 3)])
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(Set([a, b]).count == 1)
    }

    @Test func figures_differ_when_any_figure_differs() {
        let base = DashboardFigures(incidentsToday: [.police: 1], openIncidents: 1, ticketsOpened: 1, ticketsClosed: 1,
                                    ticketsOverdue: 1, approvalsFinished: 1, approvalsOnTime: 1,
                                    departmentOverdue: [("urban", 1, 1)])
        var changes: [(String, DashboardFigures)] = []
        var f = base; f.incidentsToday = [.police: 2]; changes.append(("incidentsToday", f))
        f = base; f.openIncidents = 2; changes.append(("openIncidents", f))
        f = base; f.ticketsOpened = 2; changes.append(("ticketsOpened", f))
        f = base; f.ticketsClosed = 2; changes.append(("ticketsClosed", f))
        f = base; f.ticketsOverdue = 2; changes.append(("ticketsOverdue", f))
        f = base; f.approvalsFinished = 2; changes.append(("approvalsFinished", f))
        f = base; f.approvalsOnTime = 0; changes.append(("approvalsOnTime", f))
        f = base; f.incidentsPerHour[23] = 1; changes.append(("incidentsPerHour", f))
        f = base; f.ticketsPerHour[0] = 1; changes.append(("ticketsPerHour", f))
        f = base; f.departmentOverdue = [("urban", 1, 2)]; changes.append(("departmentOverdue.open", f))
        f = base; f.departmentOverdue = [("urban", 0, 1)]; changes.append(("departmentOverdue.overdue", f))
        f = base; f.departmentOverdue = [("water", 1, 1)]; changes.append(("departmentOverdue.department", f))
        f = base; f.departmentOverdue = []; changes.append(("departmentOverdue emptied", f))
        for (what, changed) in changes {
            #expect(changed != base, "changing \(what) must make the figures differ")
        }
    }

    @Test func the_order_of_the_department_ranking_matters() {
        let worstFirst = DashboardFigures(departmentOverdue: [("urban", 5, 9), ("water", 1, 4)])
        let bestFirst = DashboardFigures(departmentOverdue: [("water", 1, 4), ("urban", 5, 9)])
        #expect(worstFirst != bestFirst)
    }

    @Test func agencies_are_the_four_emergency_lines_with_their_departments() {
        #expect(Agency.allCases.map(\.rawValue) == ["110", "119", "120", "122"])
        #expect(Agency.allCases.map(\.departmentCode) == ["psb", "fire", "ems", "traffic"])
    }
}
