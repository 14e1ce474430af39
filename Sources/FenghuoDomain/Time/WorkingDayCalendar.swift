/// Working days under the State Council's published holiday schedule.
///
/// A day is a working day when it is a weekday that is not a public holiday, or a weekend day
/// that the schedule turns into a working day (调休). Only years whose schedule was loaded are
/// known: asking about any other year throws instead of guessing, because a statutory deadline
/// computed from a guess could be wrong by a week.
public struct WorkingDayCalendar: Sendable {
    public enum DayKind: String, Sendable, Codable, CaseIterable { case holiday, workday }

    public struct Entry: Sendable, Hashable {
        public let date: LocalDate
        public let kind: DayKind
        public let name: String
        public init(date: LocalDate, kind: DayKind, name: String) {
            self.date = date
            self.kind = kind
            self.name = name
        }
    }

    public struct UnknownYear: Error, Equatable, CustomStringConvertible {
        public let date: LocalDate
        public let knownYears: [Int]
        public var description: String {
            let known = knownYears.map(String.init).joined(separator: ", ")
            return "no holiday schedule for \(date.year) (asked about \(date)); known years: \(known). "
                + "Add Fixtures/calendar/\(date.year).tsv once the State Council publishes it."
        }
    }

    public let knownYears: Set<Int>
    private let exceptions: [LocalDate: Entry]

    /// - Parameter years: the years whose complete schedule `entries` describe; a year listed
    ///   here with no entries is a year with no holidays, not an unknown year.
    public init(years: Set<Int>, entries: [Entry]) {
        knownYears = years
        exceptions = Dictionary(entries.map { ($0.date, $0) }, uniquingKeysWith: { _, last in last })
    }

    public func entry(on date: LocalDate) -> Entry? { exceptions[date] }

    public func isWorkingDay(_ date: LocalDate) throws(UnknownYear) -> Bool {
        guard knownYears.contains(date.year) else {
            throw UnknownYear(date: date, knownYears: knownYears.sorted())
        }
        switch exceptions[date]?.kind {
        case .holiday: return false
        case .workday: return true
        case nil: return !date.isWeekend
        }
    }

    /// The `n`th working day after `date` (the start day itself never counts). `n` must be ≥ 0;
    /// with `n == 0` the answer is `date`.
    public func adding(workingDays n: Int, to date: LocalDate) throws(UnknownYear) -> LocalDate {
        precondition(n >= 0, "adding(workingDays:) takes a non-negative count")
        var day = date
        var left = n
        while left > 0 {
            day = day.adding(days: 1)
            if try isWorkingDay(day) { left -= 1 }
        }
        return day
    }

    /// Working days from `start` (exclusive) to `end` (inclusive); negative when `end` is
    /// before `start`. This is "working days left" when `start` is today and `end` a deadline.
    public func workingDays(from start: LocalDate, to end: LocalDate) throws(UnknownYear) -> Int {
        if end == start { return 0 }
        let forward = end > start
        var day = start
        var count = 0
        while day != end {
            // Counting backwards counts the days in (end, start], mirroring the forward rule.
            if !forward, try isWorkingDay(day) { count += 1 }
            day = day.adding(days: forward ? 1 : -1)
            if forward, try isWorkingDay(day) { count += 1 }
        }
        return forward ? count : -count
    }

    /// A count or a date reckoned with the schedule, flagged when part of the span lies in a year
    /// whose schedule is not loaded yet. Such a figure assumes plain weekends for that year and
    /// the console shows it as provisional (≈), so nobody takes it for the statutory answer.
    public struct Reckoning<Value: Sendable & Hashable>: Sendable, Hashable {
        public let value: Value
        public let provisional: Bool
    }

    public func reckonDeadline(workingDays n: Int, after date: LocalDate) -> Reckoning<LocalDate> {
        if let exact = try? adding(workingDays: n, to: date) { return Reckoning(value: exact, provisional: false) }
        var day = date
        var left = n
        while left > 0 {
            day = day.adding(days: 1)
            if (try? isWorkingDay(day)) ?? !day.isWeekend { left -= 1 }
        }
        return Reckoning(value: day, provisional: true)
    }

    public func reckonWorkingDays(from start: LocalDate, to end: LocalDate) -> Reckoning<Int> {
        if let exact = try? workingDays(from: start, to: end) { return Reckoning(value: exact, provisional: false) }
        let span = min(start.year, end.year)...max(start.year, end.year)
        let lenient = WorkingDayCalendar(years: knownYears.union(span), entries: Array(exceptions.values))
        // Every year is "known" to the lenient copy, so this cannot throw.
        let count = (try? lenient.workingDays(from: start, to: end)) ?? 0
        return Reckoning(value: count, provisional: true)
    }
}
