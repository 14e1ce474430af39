import Foundation
import Testing
import FenghuoDomain

// Small helpers shared by the domain specifications. They never use the code under test
// to build an *expected* value, except `LocalDate(iso:)` for spelling days, which
// LocalDateTests specifies on its own.

/// A local (Asia/Shanghai) day written as `YYYY-MM-DD`.
func day(_ iso: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> LocalDate {
    try #require(LocalDate(iso: iso), "bad day literal \(iso)", sourceLocation: sourceLocation)
}

/// An instant written in ISO 8601 with an explicit offset, e.g. `2026-12-01T00:30:00+08:00`.
func instant(_ iso: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return try #require(formatter.date(from: iso), "bad instant literal \(iso)", sourceLocation: sourceLocation)
}

/// Runs a step that the rules must refuse and hands back the refusal (nil if it was accepted).
func refusal(_ step: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> TransitionError? {
    do {
        try step()
        return nil
    } catch let error as TransitionError {
        return error
    } catch {
        Issue.record("expected a TransitionError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

// MARK: - The official holiday schedules, read from Fixtures/calendar

enum HolidaySchedule {
    struct ParseError: Error, CustomStringConvertible {
        let description: String
    }

    /// The two years the fixtures publish; the specifications rely on 2024 and 2027 being unknown.
    static let years = [2025, 2026]

    static var directory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()            // Tests/FenghuoDomainTests
            .appendingPathComponent("../../Fixtures/calendar")
            .standardizedFileURL
    }

    /// The calendar of 2025 and 2026 exactly as the State Council published them.
    static func calendar() throws -> WorkingDayCalendar {
        var entries: [WorkingDayCalendar.Entry] = []
        for year in years {
            entries += try parse(fileFor: year)
        }
        return WorkingDayCalendar(years: Set(years), entries: entries)
    }

    /// A tiny TSV reader: `#` lines and blank lines are skipped, the first other line must be
    /// the header `date<TAB>kind<TAB>name`, every further line is one entry of that year.
    static func parse(fileFor year: Int) throws -> [WorkingDayCalendar.Entry] {
        let file = directory.appendingPathComponent("\(year).tsv")
        let text = try String(contentsOf: file, encoding: .utf8)
        var entries: [WorkingDayCalendar.Entry] = []
        var sawHeader = false
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine[...]
            let place = "\(file.lastPathComponent):\(index + 1)"
            if line.isEmpty || line.hasPrefix("#") { continue }
            if !sawHeader {
                guard line == "date\tkind\tname" else { throw ParseError(description: "\(place): bad header '\(line)'") }
                sawHeader = true
                continue
            }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3 else { throw ParseError(description: "\(place): expected 3 fields") }
            guard let date = LocalDate(iso: fields[0]), date.year == year else {
                throw ParseError(description: "\(place): bad date '\(fields[0])'")
            }
            guard let kind = WorkingDayCalendar.DayKind(rawValue: String(fields[1])) else {
                throw ParseError(description: "\(place): bad kind '\(fields[1])'")
            }
            entries.append(.init(date: date, kind: kind, name: String(fields[2])))
        }
        guard sawHeader else { throw ParseError(description: "\(file.lastPathComponent): no header") }
        return entries
    }
}
