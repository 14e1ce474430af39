import FenghuoDomain
import FenghuoSeed
import FenghuoStore
import Foundation
import Testing
import TestSupport

/// The shipped `Fixtures/` folder loads and holds what the product promises.
@Suite("Shipped fixtures")
struct FixtureLoadingTests {
    let fixtures = DemoCity.fixtures
    let dir = DemoCity.fixturesDirectory

    @Test("The shipped fixtures load without error")
    func shippedFixturesLoad() throws {
        // Given the Fixtures folder as shipped
        // When it is loaded afresh
        let error = loadFailure(dir)
        // Then nothing is wrong with it
        #expect(error == nil, "\(error?.description ?? "")")
    }

    @Test("The city has a name in Chinese and in English")
    func cityName() {
        #expect(fixtures.cityName == "云川市")
        #expect(fixtures.cityNameEN == "Yunchuan")
    }

    @Test("There are at least six districts, each with streets and landmarks")
    func districts() throws {
        // Then the city has its districts, and the loader kept every line of districts.tsv
        #expect(fixtures.districts.count >= 6)
        #expect(fixtures.districts.count == (try records(of: dir.appendingPathComponent("districts.tsv"))).count)
        for district in fixtures.districts {
            #expect(!(fixtures.streets[district.code] ?? []).isEmpty, "district \(district.code) has no street")
            #expect(!(fixtures.landmarks[district.code] ?? []).isEmpty, "district \(district.code) has no landmark")
        }
    }

    @Test("There are at least twelve departments, including every line and utility the desks route to")
    func departments() throws {
        let codes = Set(fixtures.departments.map(\.code))
        #expect(fixtures.departments.count >= 12)
        #expect(fixtures.departments.count == (try records(of: dir.appendingPathComponent("departments.tsv"))).count)
        for required in ["psb", "fire", "ems", "traffic", "urban", "water", "gas", "power", "health", "eco", "market", "housing"] {
            #expect(codes.contains(required), "no department \(required)")
        }
        // And every emergency line's department exists
        for agency in Agency.allCases { #expect(codes.contains(agency.departmentCode)) }
    }

    @Test("Every department has a two-character short name")
    func departmentShortNames() {
        for department in fixtures.departments {
            #expect(department.shortName.count == 2, "\(department.code) short name is '\(department.shortName)'")
        }
    }

    @Test("There are at least sixty response units, and every emergency line has some")
    func units() throws {
        #expect(fixtures.units.count >= 60)
        #expect(fixtures.units.count == (try records(of: dir.appendingPathComponent("units.tsv"))).count)
        for agency in Agency.allCases {
            #expect(fixtures.units.contains { $0.agency == agency }, "no unit answers \(agency.rawValue)")
            #expect(fixtures.incidentTypes.contains { $0.agency == agency }, "no incident type for \(agency.rawValue)")
        }
        // And fixture units start free and on the board
        #expect(fixtures.units.allSatisfy { $0.status == .available && $0.incidentID == nil })
    }

    @Test("There is a demo user for every role")
    func usersForEveryRole() {
        let roles = Set(fixtures.users.map(\.user.role))
        for role in Role.allCases { #expect(roles.contains(role), "no user has role \(role.rawValue)") }
        #expect(fixtures.users.allSatisfy { !$0.password.isEmpty })
    }

    @Test("There are at least one hundred knowledge articles")
    func knowledge() throws {
        #expect(fixtures.knowledge.count >= 100)
        #expect(fixtures.knowledge.count == (try records(of: dir.appendingPathComponent("kb.tsv"))).count)
    }

    @Test("The holiday schedules of 2025 and 2026 are known, and no other year")
    func calendarYears() throws {
        #expect(fixtures.calendar.knownYears == [2025, 2026])
        // And every line of both files became an entry
        let lines2025 = try records(of: dir.appendingPathComponent("calendar/2025.tsv")).count
        let lines2026 = try records(of: dir.appendingPathComponent("calendar/2026.tsv")).count
        #expect(fixtures.calendarEntries.count == lines2025 + lines2026)
        // And the schedule answers like the files: 2026-10-01 is National Day, 2026-12-01 a plain Tuesday
        #expect(try fixtures.calendar.isWorkingDay(#require(LocalDate(iso: "2026-10-01"))) == false)
        #expect(try fixtures.calendar.isWorkingDay(#require(LocalDate(iso: "2026-12-01"))) == true)
        #expect(throws: WorkingDayCalendar.UnknownYear.self) {
            try fixtures.calendar.isWorkingDay(#require(LocalDate(iso: "2027-01-04")))
        }
    }

    @Test("Every ticket category and incident type has a template with a {place} to fill")
    func templates() {
        for category in fixtures.ticketCategories {
            let templates = fixtures.ticketTemplates[category.code] ?? []
            #expect(!templates.isEmpty, "category \(category.code) has no template")
            #expect(templates.allSatisfy { $0.detail.contains("{place}") })
        }
        for type in fixtures.incidentTypes {
            let templates = fixtures.incidentTemplates[type.code] ?? []
            #expect(!templates.isEmpty, "incident type \(type.code) has no template")
            #expect(templates.allSatisfy { $0.contains("{place}") })
        }
    }

    @Test("Every approval item's departments exist and none co-signs twice")
    func approvalItems() {
        let codes = Set(fixtures.departments.map(\.code))
        #expect(!fixtures.approvalItems.isEmpty)
        for item in fixtures.approvalItems {
            #expect(codes.contains(item.leadDepartment))
            #expect(item.cosigningDepartments.allSatisfy(codes.contains))
            #expect(Set(item.cosigningDepartments).count == item.cosigningDepartments.count)
            #expect(!item.cosigningDepartments.contains(item.leadDepartment))
        }
    }

    @Test("A fixture saved with Windows line endings loads the same")
    func windowsLineEndings() throws {
        try withFixtureCopy { copy in
            // Given districts.tsv rewritten with CRLF line endings
            let file = copy.appendingPathComponent("districts.tsv")
            let text = try String(contentsOf: file, encoding: .utf8)
            try text.replacingOccurrences(of: "\n", with: "\r\n").write(to: file, atomically: true, encoding: .utf8)
            // When the copy loads
            let loaded = try FixtureSet.load(from: copy)
            // Then it has the same districts as the shipped files
            #expect(loaded.districts == fixtures.districts)
        }
    }
}
