import FenghuoStore
import FenghuoDomain
import Foundation

/// Generates the city's recent past up to `now`: closed history plus the open work of a busy
/// day. Every record goes through its Domain state machine, so the seed never holds a state
/// the rules could not reach.
public struct HistoryGenerator {
    public struct Output: Sendable {
        public var units: [ResponseUnit]
        public var incidents: [Incident]
        public var tickets: [Ticket]
        public var approvals: [ApprovalCase]
    }

    /// At scale 1: the minimum the demo city promises, with margin.
    public static let baseIncidents = 1_200
    public static let baseTickets = 2_400
    public static let baseApprovals = 240

    let fixtures: FixtureSet
    let now: Date
    let scale: Int
    var random: SeededRandom
    let seed: UInt64

    public init(fixtures: FixtureSet, now: Date, scale: Int = 1, seed: UInt64 = 20_261_201) {
        precondition(scale >= 1)
        self.fixtures = fixtures
        self.now = now
        self.scale = scale
        self.seed = seed
        random = SeededRandom(seed: seed)
    }

    public mutating func generate() -> Output {
        var units = fixtures.units.map { unit -> ResponseUnit in
            var u = unit
            u.statusChangedAt = now.addingTimeInterval(-random.seconds(3600...5 * 3600))
            return u
        }
        let incidents = generateIncidents(units: &units)
        // Each desk's history draws from a stream of its own: a change to how incidents are
        // made leaves the tickets and the cases as they were.
        random = SeededRandom(seed: seed ^ 0x7469_636B)
        let tickets = generateTickets()
        random = SeededRandom(seed: seed ^ 0x6361_7365)
        return Output(units: units, incidents: incidents, tickets: tickets, approvals: generateApprovals())
    }

    // MARK: Incidents

    /// The codes an incident of `agency` can end with, in the fixture's order.
    private func dispositions(_ use: Disposition.Use, _ agency: Agency) -> [String] {
        fixtures.dispositions.filter { $0.fits(use, agency) }.map(\.code)
    }

    /// What a dispatcher writes when a call is called off, by kind.
    private static let cancelReasons = [
        "false_alarm": "报警人称看错，现场无异常", "duplicate": "与在办警情重复", "withdrawn": "报警人来电称已自行解决",
        "no_contact": "回拨三次无人接听", "prank": "报警人言语骚扰，无警情", "wrong_line": "非警务求助，已告知拨打12345",
    ]

    /// Share of 110/119/120/122 calls on an ordinary day.
    private static let agencyWeights: [(Agency, Double)] = [(.police, 45), (.ambulance, 25), (.traffic, 20), (.fire, 10)]

    private mutating func generateIncidents(units: inout [ResponseUnit]) -> [Incident] {
        let count = Self.baseIncidents * scale
        let typesByAgency = Dictionary(grouping: fixtures.incidentTypes, by: \.agency)
        // Creation times: three in five over the last day (a steady ~30 calls an hour, which
        // keeps some 45 incidents open), the rest spread over the 29 days before.
        var times: [Date] = (0..<count).map { i in
            let recent = i % 5 < 3
            let age = recent ? random.seconds(30...86_400) : random.seconds(86_400...30 * 86_400)
            return dayShaped(now.addingTimeInterval(-age))
        }
        times.sort()
        var busyUntil: [String: Date] = [:]   // unit id → when its current job frees it
        var pendingReturn: [String: Date] = [:]
        var perDay: [LocalDate: Int] = [:]
        var result: [Incident] = []
        result.reserveCapacity(count)
        let officers = fixtures.users.filter { $0.user.role == .duty }.map(\.user.username)
        for created in times {
            let (agency, _) = Self.agencyWeights[random.weighted(Self.agencyWeights.map(\.1))]
            guard let types = typesByAgency[agency], !types.isEmpty else { continue }
            let type = random.pick(types)
            let place = randomPlace()
            let day = LocalDate(created)
            perDay[day, default: 0] += 1
            let id = String(format: "J%04d%02d%02d-%04d", day.year, day.month, day.day, perDay[day]!)
            let narrative = random.pick(fixtures.incidentTemplates[type.code] ?? ["{place}"])
                .replacingOccurrences(of: "{place}", with: place.shortName)
            // The duty officer who took the call keeps its timeline (radio reports included).
            let officer = officers.isEmpty ? "duty" : random.pick(officers)
            var incident = Incident.received(id: id, agency: agency, typeCode: type.code, priority: type.priority,
                                             district: place.district, address: place.address, location: place.location,
                                             callerName: randomPerson(), callerPhone: randomMobile(), narrative: narrative,
                                             confidential: agency == .police && random.chance(0.12), by: officer, at: created)
            // The incident's timeline; a step happens only if its time has already come.
            let dispatchAt = created.addingTimeInterval(random.seconds(40...240))
            let departAt = dispatchAt.addingTimeInterval(random.seconds(30...90))
            let arriveAt = departAt.addingTimeInterval(random.seconds(240...1100))
            let workAt = arriveAt.addingTimeInterval(random.seconds(60...300))
            let resolveAt = workAt.addingTimeInterval(random.seconds(900...3300))
            let closeAt = resolveAt.addingTimeInterval(random.seconds(600...2400))
            if random.chance(0.04) {
                let codes = dispositions(.cancel, agency)
                let code = codes.isEmpty ? "" : random.pick(codes)
                try? incident.apply(.cancel(disposition: code, reason: Self.cancelReasons[code] ?? "报警人称无需出警"),
                                    by: officer, at: min(dispatchAt, now))
                result.append(incident)
                continue
            }
            guard dispatchAt <= now else { result.append(incident); continue }
            let isOpenWork = closeAt > now
            var crew: [Int] = []
            if isOpenWork {
                // Live incidents take real units from the board, nearest free ones first.
                let wanted = type.priority == .critical && agency != .ambulance ? 2 : 1
                crew = units.indices
                    .filter { units[$0].agency == agency && units[$0].status.canTakeAssignment
                        && (busyUntil[units[$0].id] ?? .distantPast) < dispatchAt }
                    .sorted { distance(units[$0].location, place.location) < distance(units[$1].location, place.location) }
                    .prefix(wanted).map { $0 }
                if crew.isEmpty { result.append(incident); continue }  // nobody free: it waits in the queue
            }
            let crewIDs = isOpenWork ? crew.map { units[$0].id } : ["\(agency.rawValue)-history"]
            try? incident.apply(.dispatch(unitIDs: crewIDs), by: officer, at: dispatchAt)
            for index in crew {
                let uid = units[index].id
                if let back = pendingReturn.removeValue(forKey: uid), back <= dispatchAt {
                    try? units[index].apply(.backInStation, at: back)
                }
                try? units[index].apply(.assign(incidentID: id), at: dispatchAt)
                busyUntil[uid] = resolveAt
            }
            if departAt <= now {
                for uid in crewIDs { try? incident.apply(.unitDeparted(uid), by: officer, at: departAt) }
                for index in crew { try? units[index].apply(.depart, at: departAt) }
            }
            if arriveAt <= now {
                for uid in crewIDs { try? incident.apply(.unitArrived(uid), by: officer, at: arriveAt) }
                for index in crew { try? units[index].apply(.arrive, at: arriveAt) }
            }
            // The plan's steps are seen to while the crews work; a major incident is reported early.
            for item in fixtures.plans.plan(for: incident.typeCode) where item.action == .report || random.chance(0.85) {
                let at = dispatchAt.addingTimeInterval(random.seconds(60...max(61, Int(resolveAt.timeIntervalSince(dispatchAt)) - 60)))
                switch item.action {
                case .check where at <= now:
                    try? incident.apply(.check(seq: item.seq, text: item.text), by: officer, at: at)
                case .report where fixtures.plans.isMajor(incident):
                    // Most within minutes; a live one now and then still waits for its officer.
                    let reportAt = dispatchAt.addingTimeInterval(random.seconds(120...(random.chance(0.8) ? 600 : 5400)))
                    if reportAt <= now {
                        try? incident.apply(.report(to: Plans.reportRecipient, text: Self.reportText(incident, place: incident.address)),
                                            by: officer, at: reportAt)
                    }
                default: break
                }
            }
            // (Entries keep the order they were made in, as central's do; the console shows them by time.)
            if workAt <= now { try? incident.apply(.work, by: officer, at: workAt) }
            if resolveAt <= now {
                let codes = dispositions(.resolve, agency)
                try? incident.apply(.resolve(disposition: codes.isEmpty ? "" : random.pick(codes)), by: officer, at: resolveAt)
                for uid in crewIDs { try? incident.apply(.unitCleared(uid), by: officer, at: resolveAt) }
                for index in crew {
                    try? units[index].apply(.clear, at: resolveAt)
                    pendingReturn[units[index].id] = resolveAt.addingTimeInterval(random.seconds(600...1500))
                }
            }
            if closeAt <= now { try? incident.apply(.close, by: officer, at: closeAt) }
            if !isOpenWork { incident.unitIDs = [] }  // history keeps no ties to today's board
            result.append(incident)
        }
        for index in units.indices {
            if let back = pendingReturn[units[index].id], back <= now { try? units[index].apply(.backInStation, at: back) }
            if units[index].status == .available, random.chance(0.05) {
                try? units[index].apply(.outOfService, at: now.addingTimeInterval(-random.seconds(600...7200)))
            }
        }
        return result
    }

    /// What a duty officer tells the 应急办 of a major incident, in their words.
    static func reportText(_ incident: Incident, place: String) -> String {
        "\(place)发生\(incident.agency == .fire ? "火情/险情" : "重大警情")，已按预案调派力量处置，续报跟进"
    }

    // MARK: Tickets

    /// One of `names`, the same for the same id.
    static func pick(_ names: [String], by id: String) -> String? {
        names.isEmpty ? nil : names[id.utf8.reduce(0) { ($0 &* 31 &+ Int($1)) & 0xFFFF } % names.count]
    }

    private mutating func generateTickets() -> [Ticket] {
        let callTakers = fixtures.users.filter { $0.user.role == .hotline }.map(\.user.username).sorted()
        let staffBy = Dictionary(grouping: fixtures.users.filter { $0.user.role == .staff }.map(\.user), by: \.department)
            .mapValues { $0.map(\.username).sorted() }
        let count = Self.baseTickets * scale
        let categories = fixtures.ticketCategories
        var times: [Date] = (0..<count).map { _ in dayShaped(now.addingTimeInterval(-random.seconds(120...30 * 86_400))) }
        times.sort()
        var perDay: [LocalDate: Int] = [:]
        var result: [Ticket] = []
        result.reserveCapacity(count)
        for created in times {
            let category = categories[random.weighted(categories.indices.map { 1.0 + Double(($0 * 7) % 5) })]
            let template = random.pick(fixtures.ticketTemplates[category.code] ?? [])
            let place = randomPlace()
            let day = LocalDate(created)
            perDay[day, default: 0] += 1
            let id = String(format: "R%04d%02d%02d-%04d", day.year, day.month, day.day, perDay[day]!)
            let (deadline, provisional) = category.serviceLevel.reckonDeadline(from: created, calendar: fixtures.calendar)
            // Stamped by the fixture's call-takers and each department's staff, picked by the id
            // (not drawn: the random stream, and so the seeded city, stays as it was).
            let agent = Self.pick(callTakers, by: id) ?? "hotline"
            func staff(_ department: String) -> String { Self.pick(staffBy[department] ?? [], by: id) ?? department }
            var ticket = Ticket.registered(id: id, category: category.code, district: place.district, address: place.address,
                                           summary: template.summary,
                                           detail: template.detail.replacingOccurrences(of: "{place}", with: place.shortName),
                                           callerName: randomPerson(), callerPhone: randomMobile(), createdAt: created,
                                           deadlineAt: deadline, deadlineProvisional: provisional, by: agent)
            let budget = deadline.timeIntervalSince(created)
            var t = created.addingTimeInterval(random.seconds(120...1800))
            guard t <= now else { result.append(ticket); continue }
            if random.chance(0.05) {
                // Misrouted first: the department sends it back and the center re-routes it.
                let wrong = random.pick(fixtures.departments.filter { $0.kind != .center && $0.code != category.department })
                try? ticket.apply(.assign(department: wrong.code), by: agent, at: t)
                t = t.addingTimeInterval(random.seconds(1800...14_400))
                guard t <= now else { result.append(ticket); continue }
                try? ticket.apply(.sendBack(reason: "非本单位职责，请改派\(departmentName(category.department))"), by: staff(wrong.code), at: t)
                t = t.addingTimeInterval(random.seconds(600...3600))
                guard t <= now else { result.append(ticket); continue }
            }
            try? ticket.apply(.assign(department: category.department), by: agent, at: t)
            t = t.addingTimeInterval(min(budget * 0.1, random.seconds(600...6 * 3600)))
            guard t <= now else { result.append(ticket); continue }
            try? ticket.apply(.accept, by: staff(category.department), at: t)
            // Most departments answer within the budget; some run late.
            let share = random.chance(0.1) ? Double.random(in: 1.05...1.6, using: &random)
                                           : Double.random(in: 0.15...0.95, using: &random)
            t = created.addingTimeInterval(max(budget * share, t.timeIntervalSince(created) + 600))
            guard t <= now else { result.append(ticket); continue }
            try? ticket.apply(.reply(text: "已派员现场核实处理，问题已解决，已与来电人沟通。"), by: staff(category.department), at: t)
            t = t.addingTimeInterval(random.seconds(3600...2 * 86_400))
            guard t <= now else { result.append(ticket); continue }
            let satisfied = !random.chance(0.12)
            try? ticket.apply(.callback(satisfied: satisfied), by: agent, at: t)
            if !satisfied {
                // An unsatisfied caller reopens the work; the department answers again.
                t = t.addingTimeInterval(random.seconds(86_400...3 * 86_400))
                if t <= now { try? ticket.apply(.reply(text: "已再次上门处理并向来电人说明情况。"), by: staff(category.department), at: t) }
                t = t.addingTimeInterval(random.seconds(3600...86_400))
                if t <= now { try? ticket.apply(.callback(satisfied: true), by: agent, at: t) }
            }
            result.append(ticket)
        }
        return result
    }

    // MARK: Approvals

    private mutating func generateApprovals() -> [ApprovalCase] {
        let count = Self.baseApprovals * scale
        let today = LocalDate(now)
        var perDay: [LocalDate: Int] = [:]
        var result: [ApprovalCase] = []
        result.reserveCapacity(count)
        var days: [LocalDate] = (0..<count).map { _ in
            var d = today.adding(days: -Int.random(in: 0...75, using: &random))
            while (try? fixtures.calendar.isWorkingDay(d)) == false { d = d.adding(days: -1) }
            return d
        }
        days.sort()
        for accepted in days {
            let item = random.pick(fixtures.approvalItems)
            perDay[accepted, default: 0] += 1
            let id = String(format: "SP%04d%02d%02d-%03d", accepted.year, accepted.month, accepted.day, perDay[accepted]!)
            let deadline = fixtures.calendar.reckonDeadline(workingDays: item.statutoryDays, after: accepted)
            var acceptedAt = officeTime(on: accepted)
            if acceptedAt > now { acceptedAt = now.addingTimeInterval(-random.seconds(300...1800)) }  // earlier this morning
            let personal = item.type == .filing || item.type == .registration ? random.chance(0.3) : false
            var value = ApprovalCase(
                id: id, itemCode: item.code, itemName: item.name, type: item.type,
                applicant: personal ? randomPerson() : randomCompany(), applicantPhone: randomMobile(),
                steps: ([item.leadDepartment] + item.cosigningDepartments).map { ApprovalStep(department: $0) },
                acceptedOn: accepted, deadline: deadline.value, deadlineProvisional: deadline.provisional,
                updatedAt: acceptedAt)
            let elapsedDays = today.dayNumber - accepted.dayNumber
            var t = acceptedAt.addingTimeInterval(random.seconds(1800...4 * 3600))
            guard t <= now else { result.append(value); continue }
            try? value.apply(.startReview, at: t)
            if random.chance(0.07), elapsedDays > 4 {
                try? value.apply(.requestSupplement(reason: "申请材料不齐全，请补正"), at: t.addingTimeInterval(86_400))
                // Recent requests may still wait for the applicant; older ones were supplemented.
                if elapsedDays <= 12, random.chance(0.5) { result.append(value); continue }
                try? value.apply(.resume, at: t.addingTimeInterval(3 * 86_400))
                // The days spent waiting for the applicant do not count against the statutory term.
                let extended = fixtures.calendar.reckonDeadline(workingDays: item.statutoryDays + 2, after: accepted)
                value.deadline = extended.value
                value.deadlineProvisional = extended.provisional
            }
            // Departments sign in parallel, each after its own delay (calendar days ≈ 1.4 × working days).
            let span = Double(item.statutoryDays) * 1.4 * 86_400
            let refuser = random.chance(0.06) ? Int.random(in: 0..<value.steps.count, using: &random) : nil
            let decisions = value.steps.indices.map { index in
                // Officers sign during office hours on a working day.
                var day = LocalDate(acceptedAt.addingTimeInterval(span * Double.random(in: 0.2...1.15, using: &random)))
                while (try? fixtures.calendar.isWorkingDay(day)) == false { day = day.adding(days: 1) }
                return (index, max(officeTime(on: day), t.addingTimeInterval(600)))
            }.sorted { $0.1 < $1.1 }
            for (index, at) in decisions where at <= now && value.status == .underReview {
                let approve = index != refuser
                try? value.apply(.signOff(department: value.steps[index].department, approve: approve,
                                          opinion: approve ? "材料齐全，符合条件，同意。" : "不符合规划要求，不同意。"),
                                 at: at)
            }
            result.append(value)
        }
        return result
    }

    // MARK: Places and people

    struct Place {
        let district: String
        let address: String
        let shortName: String
        let location: GeoPoint
    }

    private mutating func randomPlace() -> Place {
        let district = fixtures.districts[random.weighted(fixtures.districts.map { Double($0.population) })]
        let landmark = random.pick(fixtures.landmarks[district.code] ?? [])
        let street = random.pick(fixtures.streets[district.code] ?? ["中心路"])
        let number = Int.random(in: 1...399, using: &random)
        let near = GeoPoint(lat: landmark.location.lat + Double.random(in: -0.004...0.004, using: &random),
                            lon: landmark.location.lon + Double.random(in: -0.004...0.004, using: &random))
        return Place(district: district.code, address: "\(district.name)\(street)\(number)号\(landmark.name)",
                     shortName: "\(street)\(landmark.name)", location: near)
    }

    private mutating func randomPerson() -> String {
        random.pick(fixtures.surnames) + random.pick(fixtures.givenNames)
    }

    private mutating func randomCompany() -> String {
        "\(fixtures.cityName.replacingOccurrences(of: "市", with: ""))\(random.pick(fixtures.brands))\(random.pick(fixtures.industries))有限公司"
    }

    private mutating func randomMobile() -> String {
        let prefix = random.pick(["138", "139", "150", "151", "158", "186", "187", "135", "177", "199"])
        return prefix + String(format: "%08d", Int.random(in: 0..<100_000_000, using: &random))
    }

    private func departmentName(_ code: String) -> String {
        fixtures.departments.first { $0.code == code }?.name ?? code
    }

    /// Moves night-time instants into the day with 70% probability: calls follow the city's rhythm.
    private mutating func dayShaped(_ instant: Date) -> Date {
        let hour = instant.shanghaiHourMinute.hour
        if hour < 7, random.chance(0.7) {
            let shifted = instant.addingTimeInterval(TimeInterval(Int.random(in: 8...14, using: &random) * 3600))
            return shifted < now ? shifted : instant
        }
        return instant
    }

    private mutating func officeTime(on day: LocalDate) -> Date {
        day.startInstant.addingTimeInterval(random.seconds(9 * 3600...16 * 3600))
    }

    private func distance(_ a: GeoPoint, _ b: GeoPoint) -> Double {
        let dLat = a.lat - b.lat
        let dLon = (a.lon - b.lon) * cos(a.lat * .pi / 180)
        return dLat * dLat + dLon * dLon
    }
}

// MARK: Live traffic

extension HistoryGenerator {
    /// A new emergency call, as a duty officer would log it now.
    public struct LiveCall: Sendable {
        public let type: String
        public let district: String
        public let address: String
        public let narrative: String
        public let caller: String
        public let phone: String
        public let confidential: Bool
    }

    /// A new hotline request.
    public struct LiveRequest: Sendable {
        public let category: String
        public let district: String
        public let address: String
        public let summary: String
        public let detail: String
        public let caller: String
        public let phone: String
    }

    /// An applicant at the one-stop window.
    public struct LiveApplication: Sendable {
        public let item: String
        public let leadDepartment: String
        public let applicant: String
        public let phone: String
    }

    public mutating func liveCall() -> LiveCall {
        let (agency, _) = Self.agencyWeights[random.weighted(Self.agencyWeights.map(\.1))]
        let types = fixtures.incidentTypes.filter { $0.agency == agency }
        let type = random.pick(types.isEmpty ? fixtures.incidentTypes : types)
        let place = randomPlace()
        let narrative = random.pick(fixtures.incidentTemplates[type.code] ?? ["{place}"])
            .replacingOccurrences(of: "{place}", with: place.shortName)
        return LiveCall(type: type.code, district: place.district, address: place.address, narrative: narrative,
                        caller: randomPerson(), phone: randomMobile(), confidential: agency == .police && random.chance(0.12))
    }

    public mutating func liveRequest() -> LiveRequest {
        let categories = fixtures.ticketCategories
        let category = categories[random.weighted(categories.indices.map { 1.0 + Double(($0 * 7) % 5) })]
        let template = random.pick(fixtures.ticketTemplates[category.code] ?? [])
        let place = randomPlace()
        return LiveRequest(category: category.code, district: place.district, address: place.address,
                           summary: template.summary,
                           detail: template.detail.replacingOccurrences(of: "{place}", with: place.shortName),
                           caller: randomPerson(), phone: randomMobile())
    }

    public mutating func liveApplication() -> LiveApplication {
        let item = random.pick(fixtures.approvalItems)
        let personal = item.type == .filing || item.type == .registration ? random.chance(0.3) : false
        return LiveApplication(item: item.code, leadDepartment: item.leadDepartment,
                               applicant: personal ? randomPerson() : randomCompany(), phone: randomMobile())
    }

    /// A number in `range`, from the generator's seeded stream.
    public mutating func roll(_ range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &random) }
}
