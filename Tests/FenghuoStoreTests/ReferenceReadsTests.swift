import FenghuoDomain
import FenghuoStore
import Foundation
import Testing
import TestSupport

/// The reads behind the consoles' lookups: directory, calendar, knowledge base, log-in, unit board.
@Suite("Reference reads")
struct ReferenceReadsTests {
    let reader = DemoCity.database.reader
    let fixtures = DemoCity.fixtures

    // MARK: Directory

    @Test("The directory holds the city's name and every district, department, incident type and ticket category")
    func directory() throws {
        let directory = try reader.directory()
        #expect(directory.cityName == fixtures.cityName)
        #expect(directory.districts == Dictionary(uniqueKeysWithValues: fixtures.districts.map { ($0.code, $0) }))
        #expect(directory.departments == Dictionary(uniqueKeysWithValues: fixtures.departments.map { ($0.code, $0) }))
        #expect(directory.incidentTypes == Dictionary(uniqueKeysWithValues: fixtures.incidentTypes.map { ($0.code, $0) }))
        #expect(directory.ticketCategories == Dictionary(uniqueKeysWithValues: fixtures.ticketCategories.map { ($0.code, $0) }))
        // And names resolve as the panes need them
        #expect(directory.departments["market"]?.shortName == "市监")
        #expect(directory.departments["fire"]?.shortName == "消防")
        #expect(directory.ticketCategories["water_outage"]?.serviceLevel == .hours(4))
    }

    @Test("An empty database has an empty directory")
    func emptyDirectory() throws {
        let directory = try AppDatabase.inMemory().reader.directory()
        #expect(directory.cityName == "")
        #expect(directory.districts.isEmpty && directory.departments.isEmpty)
    }

    // MARK: Calendar

    @Test("The stored calendar answers like the fixtures' calendar on every day of the known years")
    func calendar() throws {
        let stored = try reader.calendar()
        #expect(stored.knownYears == fixtures.calendar.knownYears)
        var day = try #require(LocalDate(iso: "2025-01-01"))
        let end = try #require(LocalDate(iso: "2026-12-31"))
        var workingDays = 0
        while day <= end {
            let working = try stored.isWorkingDay(day)
            #expect(working == (try fixtures.calendar.isWorkingDay(day)), "\(day)")
            #expect(stored.entry(on: day) == fixtures.calendar.entry(on: day), "\(day)")
            if working { workingDays += 1 }
            day = day.adding(days: 1)
        }
        // And sample days read as the State Council published them
        #expect(try stored.isWorkingDay(#require(LocalDate(iso: "2025-01-26"))), "a 调休 Sunday is worked")
        #expect(try !stored.isWorkingDay(#require(LocalDate(iso: "2025-10-08"))), "National Day week is off")
        #expect(try !stored.isWorkingDay(#require(LocalDate(iso: "2026-10-01"))))
        #expect(try stored.isWorkingDay(#require(LocalDate(iso: "2026-12-01"))), "a plain Tuesday")
        #expect(try !stored.isWorkingDay(#require(LocalDate(iso: "2026-12-05"))), "a plain Saturday")
        #expect(stored.entry(on: try #require(LocalDate(iso: "2026-01-01")))?.name == "元旦")
        #expect(workingDays > 480 && workingDays < 520)
        // And a year without a schedule is unknown, not guessed
        #expect(throws: WorkingDayCalendar.UnknownYear.self) { try stored.isWorkingDay(#require(LocalDate(iso: "2027-01-04"))) }
    }

    @Test("The stored calendar reckons the same statutory deadlines as the fixtures'")
    func calendarDeadlines() throws {
        let stored = try reader.calendar()
        var day = try #require(LocalDate(iso: "2025-09-01"))
        for _ in 0..<120 {
            #expect(stored.reckonDeadline(workingDays: 20, after: day) == fixtures.calendar.reckonDeadline(workingDays: 20, after: day))
            day = day.adding(days: 3)
        }
    }

    // MARK: Knowledge base

    func article(_ a: KnowledgeArticle, contains text: String) -> Bool {
        a.title.lowercased().contains(text.lowercased()) || a.body.lowercased().contains(text.lowercased())
    }

    @Test("Knowledge for a ticket lists its category's articles first, by id")
    func knowledgeForTicketCategoryFirst() throws {
        // Given open tickets of several categories
        let tickets = try allTickets(DemoCity.database)
        var seen: Set<String> = []
        let sample = tickets.filter { seen.insert($0.category).inserted }.prefix(12)
        #expect(sample.count == 12)
        for ticket in sample {
            let own = fixtures.knowledge.filter { $0.category == ticket.category }.sorted { $0.id < $1.id }
            // When the desk asks for 3 and for 5 articles
            let three = try reader.knowledge(for: ticket)
            let five = try reader.knowledge(for: ticket, limit: 5)
            // Then the category's articles come first, in id order
            #expect(three == Array(own.prefix(3)), "\(ticket.category)")
            #expect(Array(five.prefix(own.count)) == own, "\(ticket.category)")
            // And the rest are other articles that mention the start of the ticket's summary, with no repeats
            let probe = String(ticket.summary.prefix(4))
            let candidates = fixtures.knowledge.filter { $0.category != ticket.category && article($0, contains: probe) }
            let extra = Array(five.dropFirst(own.count))
            #expect(Set(five.map(\.id)).count == five.count, "repeats for \(ticket.id)")
            #expect(extra.allSatisfy { candidates.contains($0) }, "\(ticket.id): \(extra.map(\.id)) do not mention \(probe)")
            #expect(extra.count == min(5 - own.count, candidates.count), "\(ticket.id) with “\(probe)”")
        }
    }

    @Test("Knowledge for a ticket of a category without articles falls back to its summary's words")
    func knowledgeFallsBackToText() throws {
        // Given a ticket whose category has no articles, about a water outage
        let ticket = Ticket(id: "R-TEST", category: "no_such_category", district: "laocheng", address: "老城区解放路1号",
                            summary: "停水后如何处理", detail: "市民来电反映停水。", callerName: "王明",
                            callerPhone: "13800000000", createdAt: DemoCity.now, deadlineAt: DemoCity.now)
        let candidates = fixtures.knowledge.filter { article($0, contains: "停水后如") }
        #expect(!candidates.isEmpty)
        // When the desk asks for articles
        let found = try reader.knowledge(for: ticket)
        // Then it gets articles that mention the summary's first four characters
        #expect(!found.isEmpty)
        #expect(found.count == min(3, candidates.count))
        #expect(found.allSatisfy { candidates.contains($0) })
    }

    @Test("Knowledge for a ticket with a very short summary lists only its category's articles")
    func knowledgeShortSummary() throws {
        let ticket = Ticket(id: "R-TEST", category: "no_such_category", district: "laocheng", address: "-",
                            summary: "停水", detail: "-", callerName: "-", callerPhone: "-",
                            createdAt: DemoCity.now, deadlineAt: DemoCity.now)
        #expect(try reader.knowledge(for: ticket).isEmpty)
    }

    @Test("Searching the knowledge base finds exactly the articles containing the text, by id",
          arguments: ["停水", "燃气", "噪声", "投诉", "工作日", "停水后如何", "供电", "12345", "0715-8641", "消防"])
    func searchKnowledge(_ text: String) throws {
        // Given the articles whose title or body contains the text (brute force over the fixtures)
        let expected = fixtures.knowledge.filter { article($0, contains: text) }.sorted { $0.id < $1.id }
        // When the knowledge base is searched (20 at most)
        let found = try reader.searchKnowledge(text)
        // Then the first 20 of them are answered, in id order
        #expect(found == Array(expected.prefix(20)), "\(text): \(found.count) found, \(expected.count) expected")
        // And with a higher limit all of them
        #expect(try reader.searchKnowledge(text, limit: 500) == expected)
    }

    @Test("An empty knowledge search lists the first articles by id")
    func emptyKnowledgeSearch() throws {
        let first = fixtures.knowledge.sorted { $0.id < $1.id }
        #expect(try reader.searchKnowledge("") == Array(first.prefix(20)))
        #expect(try reader.searchKnowledge("   ", limit: 5) == Array(first.prefix(5)))
    }

    @Test("A knowledge search with wildcards or quotes matches them literally",
          arguments: ["%", "_", "3%", "%停", "\"", "\"停水", "停水\"后", "'", "停水 OR 燃气", "停水*",
                      // A quote or a wildcard with a combining mark after it is one Character but still a quote to SQLite.
                      "停水\"\u{301}", "\"\u{301}停水后", "停\u{301}%\u{301}", "_\u{301}停水"])
    func awkwardKnowledgeSearch(_ text: String) throws {
        let expected = fixtures.knowledge.filter { article($0, contains: text.trimmingCharacters(in: .whitespaces)) }
            .sorted { $0.id < $1.id }
        let found = try reader.searchKnowledge(text, limit: 500)
        #expect(found.map(\.id) == expected.map(\.id))
    }

    // MARK: Log-in

    @Test("Credentials are found for every demo user, and the hash verifies only the fixture password")
    func credentials() throws {
        for account in fixtures.users {
            let found = try #require(try reader.credentials(username: account.user.username), "\(account.user.username)")
            #expect(found.user == account.user)
            #expect(DemoCity.testHasher.verify(account.password, against: found.passwordHash))
            #expect(!DemoCity.testHasher.verify("wrong-" + account.password, against: found.passwordHash))
        }
    }

    @Test("Credentials are not found for an unknown name, a different case, or an injection attempt",
          arguments: ["nobody", "", "DUTY1", "duty1 ", "duty1' OR '1'='1", "%"])
    func noCredentials(_ username: String) throws {
        #expect(try reader.credentials(username: username) == nil)
    }

    @Test("Users are listed by role, then username")
    func users() throws {
        let users = try reader.users()
        #expect(Set(users) == Set(fixtures.users.map(\.user)))
        #expect(users.count == fixtures.users.count)
        let keys = users.map { "\($0.role.rawValue)\u{0}\($0.username)" }
        #expect(keys == keys.sorted())
    }

    // MARK: Unit board

    @Test("The unit board lists every unit once, by line then call sign")
    func unitBoard() throws {
        let units = try reader.units()
        #expect(Set(units.map(\.id)) == Set(fixtures.units.map(\.id)))
        #expect(units.count == fixtures.units.count)
        let keys = units.map { "\($0.agency.rawValue)\u{0}\($0.id)" }
        #expect(keys == keys.sorted())
        // And units keep the fixtures' descriptions
        let byID = Dictionary(uniqueKeysWithValues: fixtures.units.map { ($0.id, $0) })
        for unit in units {
            let source = try #require(byID[unit.id])
            #expect(unit.name == source.name && unit.station == source.station && unit.district == source.district
                    && unit.location == source.location && unit.agency == source.agency)
        }
    }
}
