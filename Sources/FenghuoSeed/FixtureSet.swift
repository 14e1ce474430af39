import FenghuoStore
import FenghuoDomain
import Foundation

/// The demo city as read from `Fixtures/`: reference data plus the word lists the history
/// generator draws from. Loading checks every line and every cross-reference first.
public struct FixtureSet: Sendable {
    public struct Landmark: Sendable, Hashable {
        public let district: String
        public let name: String
        public let kind: String
        public let location: GeoPoint
    }

    public struct UserAccount: Sendable, Hashable {
        public let user: User
        public let password: String
    }

    public struct Template: Sendable, Hashable {
        public let key: String
        public let summary: String
        public let detail: String
    }

    public var cityName = ""
    public var cityNameEN = ""
    public var districts: [District] = []
    public var streets: [String: [String]] = [:]
    public var landmarks: [String: [Landmark]] = [:]
    public var departments: [Department] = []
    public var units: [ResponseUnit] = []
    public var users: [UserAccount] = []
    public var incidentTypes: [IncidentType] = []
    public var incidentTemplates: [String: [String]] = [:]
    public var ticketCategories: [TicketCategory] = []
    public var ticketTemplates: [String: [Template]] = [:]
    public var approvalItems: [ApprovalItem] = []
    public var knowledge: [KnowledgeArticle] = []
    public var surnames: [String] = []
    public var givenNames: [String] = []
    public var brands: [String] = []
    public var industries: [String] = []
    public var calendar = WorkingDayCalendar(years: [], entries: [])
    public var calendarEntries: [WorkingDayCalendar.Entry] = []
    public var runCards = RunCards()
    public var dispositions: [Disposition] = []
    public var plans = Plans()
    public var responseTargets = ResponseTargets()
    /// `premises.tsv`: warnings addresses carry.
    public var premises: [Premise] = []
    /// `duplicate_rules.tsv`: per-type duplicate windows and compatible types.
    public var duplicateRules: [DuplicateRuleLine] = []
    /// The road graph of `roads/` (set by `load(from:)`; nil only when loaded without roads).
    public var roads: RoadGraph?
    /// The rows `roads` was built from, for seeding them.
    public var roadNodes: [RoadNode] = []
    public var roadEdges: [RoadEdge] = []

    /// The `Fixtures` folder next to the executable's sources, or `FENGHUO_FIXTURES`.
    public static func defaultDirectory() -> URL {
        if let path = ProcessInfo.processInfo.environment["FENGHUO_FIXTURES"] { return URL(fileURLWithPath: path) }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Fixtures")
        if FileManager.default.fileExists(atPath: cwd.path) { return cwd }
        // Sources/FenghuoStore/Seed/FixtureSet.swift → repository root
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
    }

    /// Everything in `dir`, roads included.
    public static func load(from dir: URL) throws(FixtureError) -> FixtureSet {
        try load(from: dir, roads: true)
    }

    // The loader reads table by table; each step can only see codes the earlier steps defined.
    /// `roads: false` reads all but `roads/`: what the road generator needs to make it.
    public static func load(from dir: URL, roads: Bool) throws(FixtureError) -> FixtureSet {
        var set = FixtureSet()

        let city = try TSVTable.load("city.tsv", in: dir, columns: ["key", "value"])
        let cityValues = Dictionary(city.rows.map { ($0.text("key"), $0.text("value")) }, uniquingKeysWith: { a, _ in a })
        guard let name = cityValues["name"] else { throw FixtureError(file: city.file, message: "no 'name' row") }
        set.cityName = name
        set.cityNameEN = cityValues["name_en"] ?? name

        let districtsTable = try TSVTable.load("districts.tsv", in: dir,
                                     columns: ["code", "name", "name_en", "lat", "lon", "population"])
        for row in districtsTable.rows {
            set.districts.append(District(code: row.text("code"), name: row.text("name"), nameEN: row.text("name_en"),
                                          location: try point(row), population: try row.int("population", in: 1...50_000_000)))
        }
        let districtCodes = try uniqueCodes(in: districtsTable, field: "code")

        for row in try TSVTable.load("streets.tsv", in: dir, columns: ["district", "name"]).rows {
            set.streets[try row.reference("district", in: districtCodes, what: "district"), default: []].append(row.text("name"))
        }
        for row in try TSVTable.load("landmarks.tsv", in: dir, columns: ["district", "name", "kind", "lat", "lon"]).rows {
            let district = try row.reference("district", in: districtCodes, what: "district")
            set.landmarks[district, default: []].append(
                Landmark(district: district, name: row.text("name"), kind: row.text("kind"), location: try point(row)))
        }
        for district in set.districts where set.streets[district.code] == nil || set.landmarks[district.code] == nil {
            throw FixtureError(file: dir.appendingPathComponent("districts.tsv").path, field: "code",
                               message: "district '\(district.code)' needs at least one street and one landmark")
        }

        let departmentsTable = try TSVTable.load("departments.tsv", in: dir, columns: ["code", "name", "short", "name_en", "kind", "phone"])
        for row in departmentsTable.rows {
            set.departments.append(Department(code: row.text("code"), name: row.text("name"), shortName: row.text("short"),
                                              nameEN: row.text("name_en"),
                                              kind: try row.choice("kind"), phone: row.text("phone")))
        }
        let departmentCodes = try uniqueCodes(in: departmentsTable, field: "code")

        let unitsTable = try TSVTable.load("units.tsv", in: dir,
                                     columns: ["id", "agency", "kind", "name", "district", "station", "lat", "lon"])
        for row in unitsTable.rows {
            set.units.append(ResponseUnit(id: row.text("id"), agency: try row.choice("agency"), kind: row.text("kind"),
                                          name: row.text("name"),
                                          district: try row.reference("district", in: districtCodes, what: "district"),
                                          station: row.text("station"), location: try point(row),
                                          statusChangedAt: Date(timeIntervalSince1970: 0)))
        }
        _ = try uniqueCodes(in: unitsTable, field: "id")

        let usersTable = try TSVTable.load("users.tsv", in: dir, columns: ["username", "name", "role", "department", "password"])
        for row in usersTable.rows {
            let user = User(username: row.text("username"), name: row.text("name"), role: try row.choice("role"),
                            department: try row.reference("department", in: departmentCodes, what: "department"))
            if let department = set.departments.first(where: { $0.code == user.department }), !user.role.admits(department) {
                throw row.error("department", "a \(user.role.rawValue) user belongs to \(user.role.admittedDepartments), not '\(user.department)'")
            }
            set.users.append(UserAccount(user: user, password: row.text("password")))
        }
        _ = try uniqueCodes(in: usersTable, field: "username")

        let incidentTypesTable = try TSVTable.load("incident_types.tsv", in: dir,
                                     columns: ["code", "agency", "name", "name_en", "priority"])
        for row in incidentTypesTable.rows {
            guard let priority = Priority(rawValue: try row.int("priority", in: 1...4)) else { continue }
            set.incidentTypes.append(IncidentType(code: row.text("code"), agency: try row.choice("agency"),
                                                  name: row.text("name"), nameEN: row.text("name_en"), priority: priority))
        }
        let typeCodes = try uniqueCodes(in: incidentTypesTable, field: "code")
        for row in try TSVTable.load("incident_templates.tsv", in: dir, columns: ["type", "narrative"]).rows {
            let type = try row.reference("type", in: typeCodes, what: "incident type")
            guard row.text("narrative").contains("{place}") else { throw row.error("narrative", "has no {place}") }
            set.incidentTemplates[type, default: []].append(row.text("narrative"))
        }
        for type in set.incidentTypes where set.incidentTemplates[type.code] == nil {
            throw FixtureError(file: dir.appendingPathComponent("incident_templates.tsv").path, field: "type",
                               message: "incident type '\(type.code)' has no template")
        }

        set.runCards = try loadRunCards(from: dir, types: typeCodes, districts: districtCodes, unitKinds: Set(set.units.map(\.kind)))
        set.dispositions = try loadDispositions(from: dir)
        set.plans = try loadPlans(from: dir, types: set.incidentTypes)
        set.responseTargets = try loadResponseTargets(from: dir)
        // Premises name streets and landmarks, not roads: the road generator loads without roads.
        set.premises = try loadPremises(from: dir, gazetteer: Gazetteer(
            streets: set.districts.flatMap { d in (set.streets[d.code] ?? []).map { (district: d.code, name: $0) } },
            landmarks: set.landmarkPlaces, roads: [], districts: set.districts), districts: districtCodes)
        set.duplicateRules = try loadDuplicateRules(from: dir, types: typeCodes)

        let ticketCategoriesTable = try TSVTable.load("ticket_categories.tsv", in: dir,
                                     columns: ["code", "name", "name_en", "department", "sla"])
        for row in ticketCategoriesTable.rows {
            guard let sla = ServiceLevel(row.text("sla")) else {
                throw row.error("sla", "'\(row.text("sla"))' is neither hours ('4h') nor working days ('5wd')")
            }
            set.ticketCategories.append(TicketCategory(
                code: row.text("code"), name: row.text("name"), nameEN: row.text("name_en"),
                department: try row.reference("department", in: departmentCodes, what: "department"), serviceLevel: sla))
            if let department = set.departments.first(where: { $0.code == row.text("department") }), !department.handlesTickets {
                throw row.error("department", "'\(department.code)' is a centre and handles no tickets; name the department that does the work")
            }
        }
        let categoryCodes = try uniqueCodes(in: ticketCategoriesTable, field: "code")
        for row in try TSVTable.load("ticket_templates.tsv", in: dir, columns: ["category", "summary", "detail"]).rows {
            let category = try row.reference("category", in: categoryCodes, what: "ticket category")
            guard row.text("detail").contains("{place}") else { throw row.error("detail", "has no {place}") }
            set.ticketTemplates[category, default: []].append(
                Template(key: category, summary: row.text("summary"), detail: row.text("detail")))
        }
        for category in set.ticketCategories where set.ticketTemplates[category.code] == nil {
            throw FixtureError(file: dir.appendingPathComponent("ticket_templates.tsv").path, field: "category",
                               message: "ticket category '\(category.code)' has no template")
        }

        let approvalItemsTable = try TSVTable.load("approval_items.tsv", in: dir,
                                     columns: ["code", "name", "type", "days", "lead", "cosign"])
        for row in approvalItemsTable.rows {
            let lead = try row.reference("lead", in: departmentCodes, what: "department")
            var cosign: [String] = []
            if row.text("cosign") != "-" {
                for code in row.text("cosign").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                    guard departmentCodes.contains(code) else { throw row.error("cosign", "no department has code '\(code)'") }
                    guard code != lead, !cosign.contains(code) else { throw row.error("cosign", "'\(code)' is listed twice") }
                    cosign.append(code)
                }
            }
            set.approvalItems.append(ApprovalItem(code: row.text("code"), name: row.text("name"), type: try row.choice("type"),
                                                  statutoryDays: try row.int("days", in: 1...120), leadDepartment: lead,
                                                  cosigningDepartments: cosign))
        }
        _ = try uniqueCodes(in: approvalItemsTable, field: "code")

        let kbTable = try TSVTable.load("kb.tsv", in: dir, columns: ["id", "category", "department", "title", "body"])
        for row in kbTable.rows {
            let category = row.text("category")
            guard category == "general" || categoryCodes.contains(category) else {
                throw row.error("category", "no ticket category has code '\(category)' (or use 'general')")
            }
            set.knowledge.append(KnowledgeArticle(
                id: row.text("id"), category: category,
                department: try row.reference("department", in: departmentCodes, what: "department"),
                title: row.text("title"), body: row.text("body")))
        }
        _ = try uniqueCodes(in: kbTable, field: "id")

        for row in try TSVTable.load("names.tsv", in: dir, columns: ["kind", "value"]).rows {
            switch row.text("kind") {
            case "surname": set.surnames.append(row.text("value"))
            case "given": set.givenNames.append(row.text("value"))
            case "brand": set.brands.append(row.text("value"))
            case "industry": set.industries.append(row.text("value"))
            default: throw row.error("kind", "'\(row.text("kind"))' is not one of: surname, given, brand, industry")
            }
        }
        for (list, kind) in [(set.surnames, "surname"), (set.givenNames, "given"), (set.brands, "brand"),
                             (set.industries, "industry")] where list.isEmpty {
            throw FixtureError(file: dir.appendingPathComponent("names.tsv").path, message: "no '\(kind)' rows")
        }

        try loadCalendar(into: &set, dir: dir.appendingPathComponent("calendar"))
        if roads {
            let (network, graph) = try RoadFixture.load(from: dir)
            set.roads = graph
            set.roadNodes = network.nodes
            set.roadEdges = network.edges
        }
        return set
    }

    private static func loadCalendar(into set: inout FixtureSet, dir: URL) throws(FixtureError) {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
            .filter { $0.hasSuffix(".tsv") }.sorted()
        guard !files.isEmpty else {
            throw FixtureError(file: dir.path, message: "no holiday schedule (YYYY.tsv) found")
        }
        var years: Set<Int> = []
        for name in files {
            guard let year = Int(name.dropLast(4)), (2000...2100).contains(year) else {
                throw FixtureError(file: dir.appendingPathComponent(name).path, message: "file name must be a year, like 2026.tsv")
            }
            years.insert(year)
            for row in try TSVTable.load(name, in: dir, columns: ["date", "kind", "name"]).rows {
                guard let date = LocalDate(iso: row.text("date")) else {
                    throw row.error("date", "'\(row.text("date"))' is not a date in the form YYYY-MM-DD")
                }
                guard date.year == year else { throw row.error("date", "\(date) does not belong in \(name)") }
                let kind: WorkingDayCalendar.DayKind = try row.choice("kind")
                if kind == .workday && !date.isWeekend {
                    throw row.error("kind", "\(date) is a weekday already; only a weekend day can be a 调休 workday")
                }
                set.calendarEntries.append(.init(date: date, kind: kind, name: row.text("name")))
            }
        }
        set.calendar = WorkingDayCalendar(years: years, entries: set.calendarEntries)
    }

    private static func point(_ row: TSVRow) throws(FixtureError) -> GeoPoint {
        GeoPoint(lat: try row.double("lat", in: -90...90), lon: try row.double("lon", in: -180...180))
    }

    /// The codes in `field`, each once; a repeat is reported at its second line.
    static func uniqueCodes(in table: TSVTable, field: String) throws(FixtureError) -> Set<String> {
        var firstLine: [String: Int] = [:]
        for row in table.rows {
            let code = row.text(field)
            if let first = firstLine[code] { throw row.error(field, "'\(code)' appears twice (first on line \(first))") }
            firstLine[code] = row.line
        }
        return Set(firstLine.keys)
    }
}
