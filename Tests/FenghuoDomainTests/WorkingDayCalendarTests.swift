import Foundation
import Testing
import FenghuoDomain

/// Working days under the State Council schedules of 2025 and 2026, read from Fixtures/calendar.
///
/// Every expected date below was counted by hand from the schedule, one day at a time; the
/// count is written next to it. "wd n" marks the n-th working day after the start day.
@Suite("WorkingDayCalendar: statutory deadlines under the holiday schedule")
struct WorkingDayCalendarTests {
    let calendar: WorkingDayCalendar

    init() throws {
        calendar = try HolidaySchedule.calendar()
    }

    // MARK: The fixtures themselves

    @Test func the_fixture_schedules_load_with_their_holidays_and_worked_weekends() throws {
        // Given the parsed 2025 and 2026 files
        let y2025 = try HolidaySchedule.parse(fileFor: 2025)
        let y2026 = try HolidaySchedule.parse(fileFor: 2026)
        // Then they hold the published number of days (2025: 28 off + 5 worked; 2026: 33 off + 6 worked)
        #expect(y2025.filter { $0.kind == .holiday }.count == 28)
        #expect(y2025.filter { $0.kind == .workday }.count == 5)
        #expect(y2026.filter { $0.kind == .holiday }.count == 33)
        #expect(y2026.filter { $0.kind == .workday }.count == 6)
        // And every 调休 working day is a Saturday or a Sunday (otherwise it would change nothing)
        for entry in y2025 + y2026 where entry.kind == .workday {
            #expect(entry.date.isWeekend, "\(entry.date) \(entry.name)")
        }
        #expect(calendar.knownYears == [2025, 2026])
    }

    @Test func looks_up_the_entry_of_a_day() throws {
        let national = try #require(calendar.entry(on: try day("2025-10-01")))
        #expect(national.kind == .holiday)
        #expect(national.name == "国庆节、中秋节")
        let worked = try #require(calendar.entry(on: try day("2026-05-09")))
        #expect(worked.kind == .workday)
        #expect(worked.name == "劳动节调休上班")
        #expect(calendar.entry(on: try day("2026-03-13")) == nil)  // an ordinary Friday
    }

    // MARK: isWorkingDay

    @Test(arguments: [
        ("2026-03-13", true),   // ordinary Friday
        ("2026-03-14", false),  // ordinary Saturday
        ("2026-03-15", false),  // ordinary Sunday
        ("2025-09-28", true),   // Sunday worked before 国庆 2025
        ("2025-10-01", false),  // Wednesday, 国庆节
        ("2025-10-08", false),  // Wednesday, last day of 国庆 2025
        ("2025-10-09", true),   // Thursday, back to work
        ("2025-10-11", true),   // Saturday worked after 国庆 2025
        ("2025-10-12", false),  // Sunday
        ("2026-02-14", true),   // Saturday worked before 春节 2026
        ("2026-02-15", false),  // Sunday, first day of 春节 2026
        ("2026-02-23", false),  // Monday, last day of 春节 2026
        ("2026-02-24", true),   // Tuesday, back to work
        ("2026-02-28", true),   // Saturday worked after 春节 2026
        ("2026-05-01", false),  // Friday, 劳动节
        ("2026-05-05", false),  // Tuesday, 劳动节
        ("2026-05-09", true),   // Saturday worked after 劳动节 2026
        ("2026-01-04", true),   // Sunday worked after 元旦 2026
    ])
    func tells_working_days_from_days_off(_ iso: String, working: Bool) throws {
        #expect(try calendar.isWorkingDay(day(iso)) == working)
    }

    // MARK: adding(workingDays:)

    @Test func zero_working_days_is_the_start_day_itself_even_on_a_holiday() throws {
        for iso in ["2026-03-13", "2026-03-14", "2025-10-01", "2026-02-15"] {
            #expect(try calendar.adding(workingDays: 0, to: day(iso)) == day(iso))
        }
    }

    @Test func twenty_working_days_from_friday_26_september_2025_ends_on_30_october() throws {
        // Given Friday 2025-09-26, before 国庆 2025
        let start = try day("2025-09-26")
        // When 20 working days are added
        let deadline = try calendar.adding(workingDays: 20, to: start)
        // Then, counting day by day:
        //   Sat 27 off · Sun 28 worked (wd 1) · Mon 29 (2) · Tue 30 (3)
        //   Wed 1 – Wed 8 Oct off (国庆节、中秋节)
        //   Thu 9 (4) · Fri 10 (5) · Sat 11 worked (6) · Sun 12 off
        //   Mon 13 – Fri 17 (7–11) · Mon 20 – Fri 24 (12–16) · Mon 27 (17) Tue 28 (18) Wed 29 (19) Thu 30 (20)
        #expect(deadline == (try day("2025-10-30")))
    }

    @Test func the_working_sunday_before_national_day_counts_as_the_first_working_day() throws {
        // Fri 2025-09-26 → Sat 27 off → Sun 28 worked (wd 1)
        #expect(try calendar.adding(workingDays: 1, to: day("2025-09-26")) == day("2025-09-28"))
        // Sat 2025-09-27 (itself a day off) → Sun 28 worked (wd 1)
        #expect(try calendar.adding(workingDays: 1, to: day("2025-09-27")) == day("2025-09-28"))
    }

    @Test func the_national_day_week_is_skipped_and_the_working_saturday_counts() throws {
        // Tue 2025-09-30 → Oct 1–8 off → Thu 9 (1) · Fri 10 (2) · Sat 11 worked (3) · Sun 12 off · Mon 13 (4) · Tue 14 (5)
        #expect(try calendar.adding(workingDays: 1, to: day("2025-09-30")) == day("2025-10-09"))
        #expect(try calendar.adding(workingDays: 3, to: day("2025-09-30")) == day("2025-10-11"))
        #expect(try calendar.adding(workingDays: 5, to: day("2025-09-30")) == day("2025-10-14"))
        // Starting inside the holiday: Wed 2025-10-01 → Thu 9 (1)
        #expect(try calendar.adding(workingDays: 1, to: day("2025-10-01")) == day("2025-10-09"))
    }

    @Test func spring_festival_2026_is_skipped_and_both_working_saturdays_count() throws {
        // Fri 2026-02-13 → Sat 14 worked (wd 1) → Sun 15 – Mon 23 off (春节)
        //   → Tue 24 (2) · Wed 25 (3) · Thu 26 (4) · Fri 27 (5) · Sat 28 worked (6) · Sun Mar 1 off · Mon Mar 2 (7)
        #expect(try calendar.adding(workingDays: 1, to: day("2026-02-13")) == day("2026-02-14"))
        #expect(try calendar.adding(workingDays: 2, to: day("2026-02-13")) == day("2026-02-24"))
        #expect(try calendar.adding(workingDays: 6, to: day("2026-02-13")) == day("2026-02-28"))
        #expect(try calendar.adding(workingDays: 7, to: day("2026-02-13")) == day("2026-03-02"))
    }

    @Test func ten_working_days_from_thursday_12_february_2026_ends_on_4_march() throws {
        // Thu 2026-02-12 → Fri 13 (1) · Sat 14 worked (2) · Feb 15–23 off · Tue 24 (3) · Wed 25 (4) · Thu 26 (5)
        //   · Fri 27 (6) · Sat 28 worked (7) · Sun Mar 1 off · Mon 2 (8) · Tue 3 (9) · Wed 4 (10)
        #expect(try calendar.adding(workingDays: 10, to: day("2026-02-12")) == day("2026-03-04"))
    }

    @Test func fifteen_working_days_from_friday_30_january_2026_ends_before_the_working_saturday() throws {
        // Fri 2026-01-30 → Feb 2–6 (1–5) · Feb 9–13 (6–10) · Sat 14 worked (11) · Feb 15–23 off
        //   · Tue 24 (12) · Wed 25 (13) · Thu 26 (14) · Fri 27 (15)
        #expect(try calendar.adding(workingDays: 15, to: day("2026-01-30")) == day("2026-02-27"))
    }

    @Test func labour_day_2026_is_skipped_and_saturday_9_may_counts() throws {
        // Thu 2026-04-30 → Fri May 1 – Tue May 5 off → Wed 6 (1) · Thu 7 (2) · Fri 8 (3) · Sat 9 worked (4)
        //   · Sun 10 off · Mon 11 (5)
        #expect(try calendar.adding(workingDays: 4, to: day("2026-04-30")) == day("2026-05-09"))
        #expect(try calendar.adding(workingDays: 5, to: day("2026-04-30")) == day("2026-05-11"))
        // Fri 2026-05-08 → Sat 9 worked (1)
        #expect(try calendar.adding(workingDays: 1, to: day("2026-05-08")) == day("2026-05-09"))
    }

    @Test func an_ordinary_weekend_is_skipped() throws {
        // March 2026 has no holidays. Fri 13 → Sat 14, Sun 15 off → Mon 16 (1)
        #expect(try calendar.adding(workingDays: 1, to: day("2026-03-13")) == day("2026-03-16"))
        // Sat 14 → Sun 15 off → Mon 16 (1)
        #expect(try calendar.adding(workingDays: 1, to: day("2026-03-14")) == day("2026-03-16"))
        // Fri 13 → Mon 16 (1) · Tue 17 (2) · Wed 18 (3) · Thu 19 (4) · Fri 20 (5)
        #expect(try calendar.adding(workingDays: 5, to: day("2026-03-13")) == day("2026-03-20"))
    }

    @Test func counts_across_new_year_into_the_next_known_year() throws {
        // Wed 2025-12-31 → Thu Jan 1 – Sat Jan 3 2026 off (元旦) → Sun Jan 4 worked (1) · Mon 5 (2)
        #expect(try calendar.adding(workingDays: 1, to: day("2025-12-31")) == day("2026-01-04"))
        #expect(try calendar.adding(workingDays: 2, to: day("2025-12-31")) == day("2026-01-05"))
    }

    // MARK: workingDays(from:to:)

    @Test func counts_working_days_forward_excluding_the_start_and_including_the_end() throws {
        // The 20 working days of the national-day example above
        #expect(try calendar.workingDays(from: day("2025-09-26"), to: day("2025-10-30")) == 20)
        // Fri 2026-02-13 → Tue 24: only Sat 14 and Tue 24
        #expect(try calendar.workingDays(from: day("2026-02-13"), to: day("2026-02-24")) == 2)
        // Fri 2026-03-13 → Mon 16: only Monday
        #expect(try calendar.workingDays(from: day("2026-03-13"), to: day("2026-03-16")) == 1)
        // Fri 2026-03-13 → Sun 15: none (the start day itself never counts)
        #expect(try calendar.workingDays(from: day("2026-03-13"), to: day("2026-03-15")) == 0)
        // Inside 春节: Sun 15 → Mon 23 all off
        #expect(try calendar.workingDays(from: day("2026-02-15"), to: day("2026-02-23")) == 0)
        // Same day
        #expect(try calendar.workingDays(from: day("2026-03-13"), to: day("2026-03-13")) == 0)
    }

    @Test func counts_working_days_backward_as_a_negative_number() throws {
        // When the deadline 2025-09-26 is already behind "today" 2025-10-30: 20 days late
        #expect(try calendar.workingDays(from: day("2025-10-30"), to: day("2025-09-26")) == -20)
        // Tue 2026-02-24 back to Fri 13: Tue 24 and Sat 14 lie in (13, 24]
        #expect(try calendar.workingDays(from: day("2026-02-24"), to: day("2026-02-13")) == -2)
        // Mon 2026-03-16 back to Fri 13: Mon 16 only
        #expect(try calendar.workingDays(from: day("2026-03-16"), to: day("2026-03-13")) == -1)
        // Back across the national-day week only: Wed 8 → Tue Sep 30 counts nothing
        #expect(try calendar.workingDays(from: day("2025-10-08"), to: day("2025-09-30")) == 0)
    }

    @Test func counting_backward_is_the_negative_of_counting_forward() throws {
        let days = try ["2025-09-26", "2025-09-28", "2025-10-05", "2025-10-11", "2025-12-31",
                        "2026-02-14", "2026-02-20", "2026-03-01", "2026-05-09"].map { try day($0) }
        for a in days {
            for b in days {
                #expect(try calendar.workingDays(from: a, to: b) == -calendar.workingDays(from: b, to: a),
                        "\(a) ↔ \(b)")
            }
        }
    }

    @Test func counting_the_working_days_to_a_deadline_gives_back_the_number_added() throws {
        // Given starts on ordinary days, days off and worked weekends around each holiday
        let starts = try ["2025-09-26", "2025-09-27", "2025-10-01", "2025-10-11", "2025-12-31",
                          "2026-02-13", "2026-02-15", "2026-04-30", "2026-05-09", "2026-09-18"].map { try day($0) }
        for start in starts {
            for n in 0...40 {
                // When n working days are added and then counted again
                let deadline = try calendar.adding(workingDays: n, to: start)
                // Then the count is n, and the deadline itself is a working day (unless n is 0)
                #expect(try calendar.workingDays(from: start, to: deadline) == n, "\(start) + \(n)")
                #expect(try calendar.workingDays(from: deadline, to: start) == -n, "\(deadline) back to \(start)")
                if n > 0 { #expect(try calendar.isWorkingDay(deadline), "\(start) + \(n) = \(deadline)") }
            }
        }
    }

    @Test func adding_the_counted_working_days_reaches_any_later_working_day() throws {
        // Given a start before 国庆 2025 and every working day in the next 120 days
        let start = try day("2025-09-20")
        for offset in 1...120 {
            let end = start.adding(days: offset)
            guard try calendar.isWorkingDay(end) else { continue }
            // Then adding the counted number of working days lands exactly on it
            let n = try calendar.workingDays(from: start, to: end)
            #expect(try calendar.adding(workingDays: n, to: start) == end, "\(start) → \(end) is \(n)")
        }
    }

    // MARK: Unknown years

    @Test func a_day_in_2027_is_not_guessed_but_throws_unknown_year() throws {
        // Given the 2025 and 2026 schedules only
        // When Monday 2027-01-04 is asked about
        let error = try #require(throws: WorkingDayCalendar.UnknownYear.self) {
            try calendar.isWorkingDay(day("2027-01-04"))
        }
        // Then the error names the day, the known years and the file to add
        #expect(error.date == (try day("2027-01-04")))
        #expect(error.knownYears == [2025, 2026])
        #expect(error.description.contains("2027"))
        #expect(error.description.contains("Fixtures/calendar/2027.tsv"))
        #expect(error.description.contains("2025, 2026"))
    }

    @Test func a_day_in_2024_throws_unknown_year() throws {
        let error = try #require(throws: WorkingDayCalendar.UnknownYear.self) {
            try calendar.isWorkingDay(day("2024-12-31"))
        }
        #expect(error.date.year == 2024)
        #expect(error.description.contains("no holiday schedule for 2024"))
        #expect(error.description.contains("Fixtures/calendar/2024.tsv"))
    }

    @Test func a_deadline_running_into_2027_throws_on_the_first_unknown_day() throws {
        // Thu 2026-12-31 → Fri 2027-01-01 is unknown
        let error = try #require(throws: WorkingDayCalendar.UnknownYear.self) {
            try calendar.adding(workingDays: 1, to: day("2026-12-31"))
        }
        #expect(error.date == (try day("2027-01-01")))
        #expect(error.knownYears == [2025, 2026])
    }

    @Test func counting_back_into_2024_throws_unknown_year() throws {
        // From Fri 2025-01-03 back to Mon 2024-12-30: Jan 3, 2, 1 are known, then Tue 2024-12-31 is not
        let error = try #require(throws: WorkingDayCalendar.UnknownYear.self) {
            try calendar.workingDays(from: day("2025-01-03"), to: day("2024-12-30"))
        }
        #expect(error.date == (try day("2024-12-31")))
    }

    @Test func counting_forward_into_2027_throws_unknown_year() throws {
        let error = try #require(throws: WorkingDayCalendar.UnknownYear.self) {
            try calendar.workingDays(from: day("2026-12-30"), to: day("2027-01-05"))
        }
        #expect(error.date == (try day("2027-01-01")))
    }

    @Test func a_known_year_without_entries_has_only_weekends_off() throws {
        // Given a calendar that knows 2030 and lists nothing for it
        let plain = WorkingDayCalendar(years: [2030], entries: [])
        // Then weekdays work and weekends do not; 2030-01-01 is a Tuesday
        #expect(try plain.isWorkingDay(day("2030-01-01")))
        #expect(try !plain.isWorkingDay(day("2030-01-05")))
        // Tue 1 → Wed 2 (1) Thu 3 (2) Fri 4 (3) Mon 7 (4)
        #expect(try plain.adding(workingDays: 4, to: day("2030-01-01")) == day("2030-01-07"))
        // And its neighbours stay unknown
        #expect(throws: WorkingDayCalendar.UnknownYear.self) { try plain.isWorkingDay(day("2029-12-31")) }
    }

    @Test func the_last_entry_for_a_repeated_date_wins() throws {
        // Given a correction listed after the original line
        let date = try day("2030-01-05")  // a Saturday
        let corrected = WorkingDayCalendar(years: [2030], entries: [
            .init(date: date, kind: .holiday, name: "first"),
            .init(date: date, kind: .workday, name: "correction"),
        ])
        #expect(try corrected.isWorkingDay(date))
        #expect(corrected.entry(on: date)?.name == "correction")
    }
}

@Suite("WorkingDayCalendar: provisional reckoning past the published schedule")
struct ProvisionalReckoningTests {
    @Test func counting_into_an_unpublished_year_is_provisional_in_both_directions() throws {
        // Given the 2025–2026 schedule and a deadline in January 2027 (no schedule yet)
        let calendar = try HolidaySchedule.calendar()
        let today = try #require(LocalDate(iso: "2026-12-30"))
        let deadline = try #require(LocalDate(iso: "2027-01-05"))
        // When working days are counted forward and backward across the new year
        let forward = calendar.reckonWorkingDays(from: today, to: deadline)
        let backward = calendar.reckonWorkingDays(from: deadline, to: today)
        // Then both answers are flagged provisional and mirror each other
        // (Thu 12-31 · Fri 01-01 · Mon 01-04 · Tue 01-05, with plain weekends assumed in 2027)
        #expect(forward.provisional && backward.provisional)
        #expect(forward.value == 4)
        #expect(backward.value == -4)
    }
}
