import FenghuoCrypto
import FenghuoSeed
import FenghuoDomain
import FenghuoStore
import Foundation
import GRDB
import Testing
import TestSupport

/// What `Seeder.seed` writes: the fixtures verbatim plus a generated history that obeys the rules.
@Suite("Seeding the demo city")
struct SeedingTests {
    let city = DemoCity.database
    let now = DemoCity.now

    @Test("The summary counts equal the rows in the tables")
    func summaryMatchesTables() throws {
        // Given a city seeded at the demo instant
        let (db, summary) = SecondCity.seeded
        // Then every figure of the summary is what the tables hold
        #expect(summary.districts == (try count("district", in: db)))
        #expect(summary.departments == (try count("department", in: db)))
        #expect(summary.users == (try count("app_user", in: db)))
        #expect(summary.units == (try count("unit", in: db)))
        #expect(summary.incidents == (try count("incident", in: db)))
        #expect(summary.openIncidents == (try count("incident", in: db, where: "is_open = 1")))
        #expect(summary.tickets == (try count("ticket", in: db)))
        #expect(summary.openTickets == (try count("ticket", in: db, where: "is_open = 1")))
        #expect(summary.approvals == (try count("approval_case", in: db)))
        #expect(summary.openApprovals == (try count("approval_case", in: db, where: "is_open = 1")))
        #expect(summary.knowledge == (try count("kb_article", in: db)))
        #expect(summary.calendarYears == (try db.writer.read { try Int.fetchAll($0, sql: "SELECT year FROM calendar_year ORDER BY year") }))
        // And the fixture figures are the fixtures'
        #expect(summary.districts == DemoCity.fixtures.districts.count)
        #expect(summary.departments == DemoCity.fixtures.departments.count)
        #expect(summary.users == DemoCity.fixtures.users.count)
        #expect(summary.units == DemoCity.fixtures.units.count)
        #expect(summary.knowledge == DemoCity.fixtures.knowledge.count)
        #expect(summary.calendarYears == [2025, 2026])
    }

    @Test("At scale 1 the city has at least 300 incidents, 2000 tickets and 200 approval cases")
    func scaleOneMinimums() throws {
        #expect(try count("incident", in: city) >= 300)
        #expect(try count("ticket", in: city) >= 2_000)
        #expect(try count("approval_case", in: city) >= 200)
        // And there is open work on every desk
        #expect(try count("incident", in: city, where: "is_open = 1") > 0)
        #expect(try count("ticket", in: city, where: "is_open = 1") > 0)
        #expect(try count("approval_case", in: city, where: "is_open = 1") > 0)
    }

    @Test("Scale 2 doubles the generated history and nothing else")
    func scaleTwoDoubles() throws {
        // Given the same fixtures seeded at scale 1 and at scale 2
        let one = SecondCity.seeded.summary
        let twoDB = try AppDatabase.inMemory()
        let two = try Seeder(fixtures: DemoCity.fixtures, hasher: DemoCity.testHasher).seed(twoDB, now: now, scale: 2)
        // Then incidents, tickets and approval cases double
        #expect(two.incidents == 2 * one.incidents)
        #expect(two.tickets == 2 * one.tickets)
        #expect(two.approvals == 2 * one.approvals)
        #expect(try count("incident", in: twoDB) == 2 * count("incident", in: city))
        #expect(try count("ticket", in: twoDB) == 2 * count("ticket", in: city))
        #expect(try count("approval_case", in: twoDB) == 2 * count("approval_case", in: city))
        // And the reference data stays as it was
        #expect(two.districts == one.districts)
        #expect(two.departments == one.departments)
        #expect(two.users == one.users)
        #expect(two.units == one.units)
        #expect(two.knowledge == one.knowledge)
    }

    @Test("Two seeds at the same instant write identical rows")
    func determinism() throws {
        // Given two databases seeded separately from the same fixtures at the same instant
        let other = SecondCity.seeded.database
        // Then every table holds the same rows, in every column
        // (except the password hashes, which are salted afresh on every seed, as they must be)
        for table in seededTables {
            let a = try dump(table.name, order: table.order, in: city)
            let b = try dump(table.name, order: table.order, in: other)
            #expect(a.count == b.count, "\(table.name) has \(a.count) rows in one seed and \(b.count) in the other")
            #expect(a == b, "\(table.name) differs between two seeds")
        }
    }

    @Test("A seed at another instant writes another history")
    func anotherInstantAnotherHistory() throws {
        // Given the generator run at the demo instant and one day later
        var a = HistoryGenerator(fixtures: DemoCity.fixtures, now: now)
        var b = HistoryGenerator(fixtures: DemoCity.fixtures, now: now.addingTimeInterval(86_400))
        let first = a.generate(), second = b.generate()
        // Then the incidents are not the same (the history is anchored at `now`)
        #expect(first.incidents.map(\.id) != second.incidents.map(\.id))
        // And the generator alone is deterministic too
        var again = HistoryGenerator(fixtures: DemoCity.fixtures, now: now)
        #expect(again.generate().incidents == first.incidents)
    }

    @Test("Reseeding replaces the city rather than adding to it")
    func reseedReplaces() throws {
        // Given a database seeded once, then seeded again a day later
        let db = try AppDatabase.inMemory()
        let seeder = Seeder(fixtures: DemoCity.fixtures, hasher: DemoCity.testHasher)
        let first = try seeder.seed(db, now: now.addingTimeInterval(-86_400))
        let second = try seeder.seed(db, now: now)
        // Then the tables hold only the second seed
        #expect(try count("incident", in: db) == second.incidents)
        #expect(try count("district", in: db) == first.districts)
        #expect(try count("app_user", in: db) == second.users)
        // And the city is the one seeded at the demo instant, row for row
        for table in seededTables {
            #expect(try dump(table.name, order: table.order, in: db) == dump(table.name, order: table.order, in: city),
                    "\(table.name) is not the demo city's after a reseed")
        }
        // And the full-text indexes forgot the first seed's rows
        for filter in ["老城区", "J20261130"] {
            let reseeded = try db.reader.incidents(PageRequest(limit: 5_000, filter: filter))
            let fresh = try city.reader.incidents(PageRequest(limit: 5_000, filter: filter))
            #expect(reseeded.total == fresh.total && reseeded.rows == fresh.rows, "filter \(filter)")
        }
        let reseededTickets = try db.reader.tickets(PageRequest(limit: 5_000, filter: "停水"))
        #expect(reseededTickets.rows == (try city.reader.tickets(PageRequest(limit: 5_000, filter: "停水"))).rows)
    }

    // MARK: The history obeys the rules

    @Test("Every incident out on the street has existing units that point back to it")
    func dispatchedIncidentsHaveTheirUnits() throws {
        // Given the demo city's incidents and units
        let incidents = try allIncidents(city)
        let units = Dictionary(uniqueKeysWithValues: try allUnits(city).map { ($0.id, $0) })
        let live = incidents.filter { $0.status == .dispatched || $0.status == .onScene }
        #expect(!live.isEmpty, "no incident is dispatched or on scene at the demo instant")
        for incident in live {
            // Then each dispatched or on-scene incident names at least one unit
            #expect(!incident.unitIDs.isEmpty, "\(incident.id) is \(incident.status) without units")
            for id in incident.unitIDs {
                // And each named unit exists, answers the same line and is still assigned to it
                let unit = try #require(units[id], "\(incident.id) names unit \(id), which does not exist")
                #expect(unit.agency == incident.agency, "\(id) answers \(unit.agency) but works \(incident.id)")
                #expect(unit.incidentID == incident.id, "\(id) points to \(unit.incidentID ?? "nothing"), not \(incident.id)")
                #expect([.dispatched, .enRoute, .onScene].contains(unit.status), "\(id) is \(unit.status) on \(incident.id)")
            }
            if incident.status == .onScene {
                #expect(incident.unitIDs.allSatisfy { units[$0]?.status == .onScene }, "\(incident.id) on scene without its units")
            }
        }
    }

    @Test("No unit is assigned to two open incidents at once")
    func noUnitWorksTwoIncidents() throws {
        // Given the units named by incidents still out on the street
        let live = try allIncidents(city).filter { $0.status == .dispatched || $0.status == .onScene }
        var seen: [String: String] = [:]
        for incident in live {
            for id in incident.unitIDs {
                // Then no unit appears in two of them
                if let other = seen.updateValue(incident.id, forKey: id) {
                    Issue.record("unit \(id) is assigned to both \(other) and \(incident.id)")
                }
            }
        }
        // And every unit that holds an incident holds an open one that names it
        let byID = Dictionary(uniqueKeysWithValues: try allIncidents(city).map { ($0.id, $0) })
        for unit in try allUnits(city) {
            if let incidentID = unit.incidentID {
                let incident = try #require(byID[incidentID], "\(unit.id) points to missing \(incidentID)")
                #expect(incident.status.isOpen, "\(unit.id) is held by \(incidentID), which is \(incident.status)")
                #expect(incident.unitIDs.contains(unit.id), "\(incidentID) does not name \(unit.id), which points to it")
            } else {
                #expect(![.dispatched, .enRoute, .onScene].contains(unit.status), "\(unit.id) is \(unit.status) without an incident")
            }
        }
    }

    @Test("Closed history keeps no ties to today's unit board")
    func historyHasNoUnits() throws {
        let closed = try allIncidents(city).filter { $0.status == .closed || $0.status == .cancelled }
        #expect(!closed.isEmpty)
        let unitIDs = Set(try allUnits(city).map(\.id))
        for incident in closed {
            #expect(incident.unitIDs.allSatisfy { !unitIDs.contains($0) }, "\(incident.id) still names board units")
        }
    }

    @Test("Nothing in the history happens after the instant of the seed")
    func nothingHappensInTheFuture() throws {
        // Given the demo city seeded at `now`
        // Then no record was created, changed or decided after `now`
        for incident in try allIncidents(city) {
            #expect(incident.createdAt <= now, "\(incident.id) created in the future")
            #expect(incident.statusChangedAt <= now, "\(incident.id) became \(incident.status) at \(incident.statusChangedAt), after the seed")
        }
        for unit in try allUnits(city) {
            #expect(unit.statusChangedAt <= now, "\(unit.id) changed in the future")
        }
        for ticket in try allTickets(city) {
            #expect(ticket.createdAt <= now && ticket.updatedAt <= now, "\(ticket.id) changed in the future")
        }
        let nowSeconds = Int64(now.timeIntervalSince1970)
        let futureCases = try city.writer.read {
            try String.fetchAll($0, sql: "SELECT id FROM approval_case WHERE updated_at > ? ORDER BY id", arguments: [nowSeconds])
        }
        #expect(futureCases.isEmpty, "approval cases accepted or changed after the seed: \(futureCases)")
        #expect(try count("approval_step", in: city, where: "decided_at > \(nowSeconds)") == 0)
        #expect(try count("approval_case", in: city, where: "completed_on > \(LocalDate(now).dayNumber)") == 0)
    }

    @Test("Every incident's type, priority and district come from the fixtures")
    func incidentsReferToTheFixtures() throws {
        let types = Dictionary(uniqueKeysWithValues: DemoCity.fixtures.incidentTypes.map { ($0.code, $0) })
        let districts = Set(DemoCity.fixtures.districts.map(\.code))
        for incident in try allIncidents(city) {
            let type = try #require(types[incident.typeCode], "\(incident.id) has unknown type \(incident.typeCode)")
            #expect(type.agency == incident.agency && type.priority == incident.priority, "\(incident.id)")
            #expect(districts.contains(incident.district), "\(incident.id)")
            #expect(!incident.narrative.contains("{place}"), "\(incident.id) has an unfilled template")
        }
    }

    @Test("Password hashes verify for the fixture password and for no other")
    func passwordHashes() throws {
        // Given the stored hash of every demo user
        let hashes = Dictionary(uniqueKeysWithValues: try city.writer.read {
            try Row.fetchAll($0, sql: "SELECT username, password_hash FROM app_user")
        }.map { ($0["username"] as String, $0["password_hash"] as String) })
        for account in DemoCity.fixtures.users {
            let hash = try #require(hashes[account.user.username], "no row for \(account.user.username)")
            // Then it is a hash, not the password
            #expect(!hash.contains(account.password))
            // And it verifies the fixture password, and not another
            #expect(DemoCity.testHasher.verify(account.password, against: hash), "\(account.user.username)")
            #expect(!DemoCity.testHasher.verify(account.password + "x", against: hash))
            #expect(!DemoCity.testHasher.verify("", against: hash))
        }
        // And two users with the same password get different (salted) hashes
        #expect(Set(hashes.values).count == hashes.count)
    }

    @Test("Every ticket's deadline follows its category's service level")
    func ticketDeadlinesFollowTheSLA() throws {
        // Given every ticket and the fixtures' categories and calendar
        let categories = Dictionary(uniqueKeysWithValues: DemoCity.fixtures.ticketCategories.map { ($0.code, $0) })
        let tickets = try allTickets(city)
        #expect(tickets.count >= 2_000)
        for ticket in tickets {
            let category = try #require(categories[ticket.category], "\(ticket.id) has unknown category \(ticket.category)")
            // When the deadline is reckoned again from the creation instant
            let expected = category.serviceLevel.reckonDeadline(from: ticket.createdAt, calendar: DemoCity.fixtures.calendar)
            // Then it is the stored deadline, provisional exactly when the reckoning is
            #expect(ticket.deadlineAt == expected.deadline, "\(ticket.id) (\(category.serviceLevel))")
            #expect(ticket.deadlineProvisional == expected.provisional, "\(ticket.id)")
        }
    }

    @Test("Deadlines reaching past the known holiday schedules are marked provisional")
    func provisionalDeadlines() throws {
        // Given a history generated at the end of 2026, when many terms run into 2027 (no schedule yet)
        let lateDecember = DemoCity.now.addingTimeInterval(27 * 86_400)  // 2026-12-28 10:00, a Monday
        var generator = HistoryGenerator(fixtures: DemoCity.fixtures, now: lateDecember)
        let history = generator.generate()
        let categories = Dictionary(uniqueKeysWithValues: DemoCity.fixtures.ticketCategories.map { ($0.code, $0) })
        let calendar = DemoCity.fixtures.calendar
        // Then every ticket deadline is the reckoned one, provisional exactly when it falls in 2027
        for ticket in history.tickets {
            let expected = categories[ticket.category]!.serviceLevel.reckonDeadline(from: ticket.createdAt, calendar: calendar)
            #expect(ticket.deadlineAt == expected.deadline && ticket.deadlineProvisional == expected.provisional, "\(ticket.id)")
            if case .workingDays = categories[ticket.category]!.serviceLevel {
                #expect(ticket.deadlineProvisional == (LocalDate(ticket.deadlineAt).year == 2027), "\(ticket.id)")
            }
        }
        #expect(history.tickets.contains { $0.deadlineProvisional })
        #expect(history.tickets.contains { !$0.deadlineProvisional })
        // And so is every approval deadline that falls in 2027
        for value in history.approvals {
            #expect(value.deadlineProvisional == (value.deadline.year == 2027), "\(value.id) due \(value.deadline)")
        }
        #expect(history.approvals.contains { $0.deadlineProvisional })
    }

    @Test("An hour-based deadline is exactly so many hours after creation")
    func hourDeadlines() throws {
        let hours = Dictionary(uniqueKeysWithValues: DemoCity.fixtures.ticketCategories.compactMap { category -> (String, Int)? in
            if case .hours(let n) = category.serviceLevel { return (category.code, n) }
            return nil
        })
        let sample = try allTickets(city).filter { hours[$0.category] != nil }
        #expect(!sample.isEmpty)
        for ticket in sample {
            #expect(ticket.deadlineAt.timeIntervalSince(ticket.createdAt) == Double(hours[ticket.category]! * 3600), "\(ticket.id)")
            #expect(!ticket.deadlineProvisional)
        }
    }

    @Test("Tickets are routed to their category's department once assigned and handled")
    func ticketsRoutedToTheirDepartment() throws {
        let departments = Dictionary(uniqueKeysWithValues: DemoCity.fixtures.ticketCategories.map { ($0.code, $0.department) })
        for ticket in try allTickets(city) where [.inProgress, .replied, .closed].contains(ticket.status) {
            #expect(ticket.department == departments[ticket.category], "\(ticket.id) is with \(ticket.department ?? "-")")
        }
        for ticket in try allTickets(city) where ticket.status == .closed {
            #expect(ticket.satisfied == true && ticket.reply != nil, "\(ticket.id) closed without a satisfied callback")
        }
    }

    @Test("Every approval case has one step for the lead department and one for each co-signer, in that order")
    func approvalSteps() throws {
        // Given every case and its item in the fixtures
        let items = Dictionary(uniqueKeysWithValues: DemoCity.fixtures.approvalItems.map { ($0.code, $0) })
        let cases = try allApprovalRows(city)
        #expect(cases.count >= 200)
        for row in cases {
            let item = try #require(items[row.itemCode], "\(row.id) has unknown item \(row.itemCode)")
            let value = try #require(try city.reader.approval(id: row.id))
            // Then its steps are lead + co-signers
            #expect(value.steps.map(\.department) == [item.leadDepartment] + item.cosigningDepartments, "\(row.id)")
            #expect(value.itemName == item.name && value.type == item.type, "\(row.id)")
            // And its decision agrees with its steps
            switch value.status {
            case .approved:
                #expect(value.steps.allSatisfy { $0.state == .approved }, "\(row.id)")
                #expect(value.completedOn != nil)
            case .rejected:
                #expect(value.steps.count { $0.state == .refused } == 1, "\(row.id)")
                #expect(value.completedOn != nil)
            case .accepted, .underReview, .suspended, .withdrawn:
                #expect(value.steps.allSatisfy { $0.state != .refused }, "\(row.id)")
                #expect(value.completedOn == nil, "\(row.id)")
            }
        }
    }

    @Test("Every approval case's deadline is its statutory term (or the term plus a supplement's two days)")
    func approvalDeadlines() throws {
        let items = Dictionary(uniqueKeysWithValues: DemoCity.fixtures.approvalItems.map { ($0.code, $0) })
        let calendar = DemoCity.fixtures.calendar
        for row in try allApprovalRows(city) {
            let value = try #require(try city.reader.approval(id: row.id))
            let item = try #require(items[row.itemCode])
            let plain = calendar.reckonDeadline(workingDays: item.statutoryDays, after: value.acceptedOn)
            let extended = calendar.reckonDeadline(workingDays: item.statutoryDays + 2, after: value.acceptedOn)
            #expect([plain.value, extended.value].contains(value.deadline), "\(row.id)")
            // And a case is accepted on a working day
            #expect(try calendar.isWorkingDay(value.acceptedOn), "\(row.id) accepted on \(value.acceptedOn)")
        }
    }
}
