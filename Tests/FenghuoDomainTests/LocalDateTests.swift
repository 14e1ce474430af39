import Foundation
import Testing
import FenghuoDomain

@Suite("LocalDate: a day in Shanghai local time")
struct LocalDateTests {

    // MARK: Construction and validation

    @Test func accepts_real_calendar_days_including_leap_days() throws {
        // Given real days, including 29 February of leap years (2024; 2000 is divisible by 400)
        let cases = [(2026, 12, 1), (2024, 2, 29), (2000, 2, 29), (2026, 1, 31), (2026, 4, 30)]
        for (y, m, d) in cases {
            // When built from parts
            let date = try #require(LocalDate(year: y, month: m, day: d))
            // Then the parts are kept as given
            #expect(date.year == y && date.month == m && date.day == d)
        }
    }

    @Test func rejects_days_that_do_not_exist() {
        // Given impossible days: month 0 and 13, day 0, 31 April, 29 February of common years
        // (1900 is divisible by 100 but not 400, so it is not a leap year)
        #expect(LocalDate(year: 2026, month: 0, day: 1) == nil)
        #expect(LocalDate(year: 2026, month: 13, day: 1) == nil)
        #expect(LocalDate(year: 2026, month: 1, day: 0) == nil)
        #expect(LocalDate(year: 2026, month: 4, day: 31) == nil)
        #expect(LocalDate(year: 2026, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 1900, month: 2, day: 29) == nil)
    }

    @Test func knows_the_length_of_every_month() {
        #expect(LocalDate.daysIn(month: 1, year: 2026) == 31)
        #expect(LocalDate.daysIn(month: 2, year: 2026) == 28)
        #expect(LocalDate.daysIn(month: 2, year: 2024) == 29)
        #expect(LocalDate.daysIn(month: 2, year: 2000) == 29)
        #expect(LocalDate.daysIn(month: 2, year: 1900) == 28)
        #expect(LocalDate.daysIn(month: 4, year: 2026) == 30)
        #expect(LocalDate.daysIn(month: 9, year: 2026) == 30)
        #expect(LocalDate.daysIn(month: 11, year: 2026) == 30)
        #expect(LocalDate.daysIn(month: 12, year: 2026) == 31)
    }

    // MARK: ISO text

    @Test func parses_iso_text() throws {
        // When "2026-12-01" is parsed
        let date = try #require(LocalDate(iso: "2026-12-01"))
        // Then it is 1 December 2026
        #expect(date == LocalDate(year: 2026, month: 12, day: 1))
    }

    @Test(arguments: [
        "2026-02-30",   // no such day
        "2025-02-29",   // not a leap year
        "2026-2-3",     // digits must be zero-padded
        "2026-02-3",
        "26-02-03",     // four-digit year
        "2026-13-01",
        "2026-00-10",
        "2026-01-00",
        "",
        "2026",
        "2026-01",
        "2026-01-01-01",
        "2026/01/01",
        "20260101",
        "2026-01-01T00:00:00",
        " 2026-01-01",
        "2026-01-01 ",
        "2026-ab-01",
    ])
    func rejects_malformed_or_impossible_iso_text(_ text: String) {
        #expect(LocalDate(iso: text) == nil)
    }

    @Test(arguments: ["2026-+2-03", "+026-02-03", "2026-02-+3", "-026-02-03"])
    func rejects_signed_fields(_ text: String) {
        #expect(LocalDate(iso: text) == nil)
    }

    @Test func adds_days_across_months_years_and_leap_days() throws {
        #expect(try day("2026-01-01").adding(days: -1) == day("2025-12-31"))
        #expect(try day("2024-02-28").adding(days: 1) == day("2024-02-29"))
        #expect(try day("2026-02-28").adding(days: 1) == day("2026-03-01"))
        #expect(try day("2026-12-01").adding(days: 0) == day("2026-12-01"))
        #expect(try day("2026-01-01").adding(days: 365) == day("2027-01-01"))
    }

    @Test func orders_days_chronologically() throws {
        #expect(try day("2025-12-31") < day("2026-01-01"))
        #expect(try day("2026-01-31") < day("2026-02-01"))
        #expect(try !(day("2026-02-01") < day("2026-02-01")))
        #expect(try [day("2026-03-01"), day("2025-10-08"), day("2026-02-28")].sorted()
                == [day("2025-10-08"), day("2026-02-28"), day("2026-03-01")])
    }

    // MARK: Weekdays

    @Test(arguments: [
        ("2026-12-01", 2),  // Tuesday
        ("1970-01-01", 4),  // Thursday, the epoch
        ("1969-12-31", 3),  // Wednesday, before the epoch
        ("2000-01-01", 6),  // Saturday
        ("2025-09-28", 7),  // Sunday (a 调休 working Sunday, but still a Sunday)
        ("2025-10-01", 3),  // Wednesday, 国庆节
        ("2026-02-14", 6),  // Saturday
        ("2026-02-23", 1),  // Monday
        ("2026-05-01", 5),  // Friday
    ])
    func knows_the_iso_weekday_of_known_dates(_ iso: String, weekday: Int) throws {
        #expect(try day(iso).weekday == weekday)
    }

    @Test func only_saturday_and_sunday_are_weekend_days() throws {
        // Given the week of Monday 2026-11-30 to Sunday 2026-12-06
        let monday = try day("2026-11-30")
        let weekend = (0..<7).map { monday.adding(days: $0).isWeekend }
        #expect(weekend == [false, false, false, false, false, true, true])
    }

    // MARK: Instants

    @Test func the_local_day_of_an_instant_turns_over_at_midnight_shanghai_not_utc() throws {
        // Given the instants either side of local midnight between 30 Nov and 1 Dec 2026
        let lastSecondOf30th = try instant("2026-11-30T15:59:59Z")   // 23:59:59 local
        let midnight = try instant("2026-11-30T16:00:00Z")           // 00:00:00 local, 1 Dec
        // Then the day follows Shanghai time (UTC+8)
        #expect(LocalDate(lastSecondOf30th) == (try day("2026-11-30")))
        #expect(LocalDate(midnight) == (try day("2026-12-01")))
        #expect(LocalDate(lastSecondOf30th.addingTimeInterval(0.999)) == (try day("2026-11-30")))
        #expect(LocalDate(try instant("2026-12-01T23:59:59+08:00")) == (try day("2026-12-01")))
    }

    @Test func the_local_day_of_an_instant_before_1970_is_floored_not_truncated() throws {
        #expect(LocalDate(try instant("1969-12-31T16:00:00Z")) == (try day("1970-01-01")))
        #expect(LocalDate(try instant("1969-12-31T15:59:59Z")) == (try day("1969-12-31")))
        #expect(LocalDate(try instant("1969-12-31T15:59:59Z").addingTimeInterval(0.5)) == (try day("1969-12-31")))
    }

    @Test func a_day_starts_at_local_midnight_and_ends_one_second_before_the_next() throws {
        // Given 1 December 2026
        let date = try day("2026-12-01")
        // Then it starts at 00:00:00 and ends at 23:59:59 Shanghai time
        #expect(date.startInstant == (try instant("2026-12-01T00:00:00+08:00")))
        #expect(date.startInstant == (try instant("2026-11-30T16:00:00Z")))
        #expect(date.endInstant == (try instant("2026-12-01T23:59:59+08:00")))
        // And both instants fall on that day
        #expect(LocalDate(date.startInstant) == date)
        #expect(LocalDate(date.endInstant) == date)
        #expect(LocalDate(date.endInstant.addingTimeInterval(1)) == date.adding(days: 1))
    }

    @Test func tells_the_shanghai_hour_and_minute_of_an_instant() throws {
        #expect(try instant("2026-11-30T16:30:00Z").shanghaiHourMinute == (0, 30))
        #expect(try instant("2026-12-01T07:05:59Z").shanghaiHourMinute == (15, 5))
        #expect(try instant("1969-12-31T15:59:00Z").shanghaiHourMinute == (23, 59))
    }

    // MARK: Codable

    @Test func encodes_as_an_iso_string() throws {
        // Given 2026-12-01 inside an array
        let data = try JSONEncoder().encode([try day("2026-12-01")])
        // Then the JSON is a plain string
        #expect(String(decoding: data, as: UTF8.self) == #"["2026-12-01"]"#)
        // And it decodes back
        #expect(try JSONDecoder().decode([LocalDate].self, from: data) == [try day("2026-12-01")])
    }

    @Test func refuses_to_decode_an_impossible_day() {
        let json = Data(#"["2026-02-30"]"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([LocalDate].self, from: json) }
    }
}
