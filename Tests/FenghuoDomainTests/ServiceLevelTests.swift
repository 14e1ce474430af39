import Foundation
import Testing
import FenghuoDomain

@Suite("ServiceLevel: a department's time budget for a ticket")
struct ServiceLevelTests {
    let calendar: WorkingDayCalendar

    init() throws {
        calendar = try HolidaySchedule.calendar()
    }

    // MARK: Text form

    @Test(arguments: [("4h", ServiceLevel.hours(4)), ("24h", .hours(24)), ("5wd", .workingDays(5)), ("15wd", .workingDays(15))])
    func parses_hours_and_working_days(_ text: String, expected: ServiceLevel) {
        #expect(ServiceLevel(text) == expected)
        #expect(ServiceLevel(text)?.description == text)
    }

    @Test(arguments: ["", "h", "wd", "0h", "0wd", "-4h", "-5wd", "4", "4d", "4H", "5WD", "4.5h", " 4h", "4 h", "4hh", "h4", "5hwd"])
    func rejects_anything_else(_ text: String) {
        #expect(ServiceLevel(text) == nil)
    }

    @Test(arguments: ["+4h", "+5wd", "4+h"])
    func rejects_a_signed_number(_ text: String) {
        #expect(ServiceLevel(text) == nil)
    }

    @Test func an_hour_budget_needs_no_schedule_for_its_year() throws {
        // A 2027 instant: the calendar does not know 2027, but clock hours do not care
        let start = try instant("2027-03-01T09:00:00+08:00")
        #expect(try ServiceLevel.hours(48).deadline(from: start, calendar: calendar)
                == instant("2027-03-03T09:00:00+08:00"))
    }

    @Test func a_working_day_budget_ends_at_local_midnight_of_the_nth_working_day() throws {
        // Given an ordinary request registered Tuesday 2025-09-30 at 10:00, with 5 working days
        let start = try instant("2025-09-30T10:00:00+08:00")
        // When the deadline is computed
        let deadline = try ServiceLevel.workingDays(5).deadline(from: start, calendar: calendar)
        // Then: Oct 1–8 off · Thu 9 (1) · Fri 10 (2) · Sat 11 worked (3) · Sun 12 off · Mon 13 (4) · Tue 14 (5),
        // and the budget runs to the last second of Tuesday 14 October, Shanghai time
        #expect(deadline == (try instant("2025-10-14T23:59:59+08:00")))
        #expect(deadline == (try instant("2025-10-14T15:59:59Z")))
    }

    @Test func the_start_day_is_the_shanghai_day_not_the_utc_day() throws {
        // Given two requests one hour apart around local midnight, Friday 13 → Saturday 14 February 2026
        let lateFriday = try instant("2026-02-13T23:00:00+08:00")     // 15:00Z, still Friday in Shanghai
        let earlySaturday = try instant("2026-02-14T01:00:00+08:00")  // 17:00Z Friday in UTC, Saturday in Shanghai
        // When one working day is allowed
        let fridayDeadline = try ServiceLevel.workingDays(1).deadline(from: lateFriday, calendar: calendar)
        let saturdayDeadline = try ServiceLevel.workingDays(1).deadline(from: earlySaturday, calendar: calendar)
        // Then from Friday the next working day is Saturday 14 (调休);
        #expect(fridayDeadline == (try instant("2026-02-14T23:59:59+08:00")))
        // from Saturday it is Tuesday 24, after 春节 (Feb 15–23 off)
        #expect(saturdayDeadline == (try instant("2026-02-24T23:59:59+08:00")))
    }

    @Test func a_working_day_budget_registered_on_a_weekend_counts_from_the_next_working_day() throws {
        // Sat 2026-03-14 11:00 → Sun 15 off → Mon 16 (1) Tue 17 (2) Wed 18 (3)
        let start = try instant("2026-03-14T11:00:00+08:00")
        #expect(try ServiceLevel.workingDays(3).deadline(from: start, calendar: calendar)
                == instant("2026-03-18T23:59:59+08:00"))
    }

    @Test func a_working_day_budget_running_into_an_unknown_year_throws() throws {
        // Mon 2026-12-28 → Tue 29 (1) Wed 30 (2) Thu 31 (3) → Fri 2027-01-01 is unknown
        let start = try instant("2026-12-28T09:00:00+08:00")
        #expect(try ServiceLevel.workingDays(3).deadline(from: start, calendar: calendar)
                == instant("2026-12-31T23:59:59+08:00"))
        let error = try #require(throws: WorkingDayCalendar.UnknownYear.self) {
            try ServiceLevel.workingDays(5).deadline(from: start, calendar: calendar)
        }
        #expect(error.date == (try day("2027-01-01")))
    }
}
