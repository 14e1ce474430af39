import FenghuoProtocol
import FenghuoDomain
import FenghuoSeed
import FenghuoStore
import FenghuoSync
import Foundation
import GRDB
import Logging

/// The rest of the city, for the demo: other consoles at work. It watches central through a
/// leader's replica (its own agent) and acts through central's v1 API as duty officers, hotline
/// agents and department staff would: new calls and incidents, units moving, tickets routed and
/// answered, applications accepted and signed. Every action is a real command; central's rules
/// decide, and a refused one is simply counted.
public actor Simulator {
    public struct Configuration: Sendable {
        public var central: URL
        /// Folder for the simulator's own replica.
        public var directory: String
        /// Actions a second.
        public var rate: Double
        /// Stop after this many actions (nil: run until cancelled).
        public var limit: Int?
        public var seed: UInt64
        /// Incidents created up to this instant are the seeded history's, which the simulator
        /// works as the city's own; nil: those already there when it starts.
        public var historyUntil: Date?
        /// Multiplies every delay of the dispatch desk's work (1: real time; tests run faster).
        public var pace: Double

        public init(central: URL, directory: String, rate: Double, limit: Int? = nil, seed: UInt64 = UInt64.random(in: 1...UInt64.max),
                    historyUntil: Date? = nil, pace: Double = 1) {
            self.central = central
            self.directory = directory
            self.rate = rate
            self.limit = limit
            self.seed = seed
            self.historyUntil = historyUntil
            self.pace = pace
        }
    }

    /// One simulated console: its login and its own mutation ids.
    struct Console {
        let user: User
        let token: String
        let clientID: String
        var next: Int64 = 1
    }

    public struct Tally: Sendable, CustomStringConvertible {
        public var applied = 0
        public var rejected = 0
        public var failed = 0
        public var byName: [String: Int] = [:]
        public var description: String {
            let top = byName.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            return "\(applied) applied, \(rejected) rejected, \(failed) not delivered (\(top))"
        }
    }

    let config: Configuration
    let fixtures: FixtureSet
    /// The city's dispatchers send what the run card says, nearest by road, as the console recommends.
    let recommender: DispatchRecommender?
    /// Each unit's station, where it drives back to.
    let stations: [String: GeoPoint]
    /// The login the simulator's call-taker registers tickets as (the city's tickets are theirs).
    let cityCallTaker: String?
    let logger: Logger
    let client: CentralClient
    var generator: HistoryGenerator
    var consoles: [String: Console] = [:]
    public private(set) var tally = Tally()
    /// The record central named in the last applied answer (a create's new id).
    var lastRecord: String?
    /// The dispatch desk's plan: which incidents and units are the city's, and when each step is due.
    var city = CityPlan()

    public init(_ config: Configuration, fixtures: FixtureSet, logger: Logger) throws {
        self.config = config
        self.fixtures = fixtures
        recommender = fixtures.roads.map { DispatchRecommender(graph: $0, runCards: fixtures.runCards) }
        stations = Dictionary(fixtures.units.map { ($0.id, $0.location) }, uniquingKeysWith: { a, _ in a })
        cityCallTaker = Self.account(in: fixtures, role: .hotline)?.user.username
        self.logger = logger
        client = try CentralClient(base: config.central)
        generator = HistoryGenerator(fixtures: fixtures, now: Date(), seed: config.seed)
    }

    public func run() async throws {
        city.historyUntil = config.historyUntil ?? Date()
        city.nextCallAt = Date().addingTimeInterval(callInterval())
        let view = try await watch()
        var done = 0
        var lastReport = Date()
        while !Task.isCancelled {
            if let limit = config.limit, done >= limit { break }
            let started = Date()
            // A tick on which nothing was due is not an action: the limit counts commands sent.
            if await act(view) { done += 1 }
            if Date().timeIntervalSince(lastReport) > 10 {
                logger.info("simulator: \(tally)")
                lastReport = Date()
            }
            let pause = 1 / max(0.01, config.rate) - Date().timeIntervalSince(started)
            if pause > 0 { try? await Task.sleep(for: .milliseconds(Int(pause * 1000 * generator.roll(0.5...1.5)))) }
        }
        logger.info("simulator finished: \(tally)")
    }

    /// Starts the simulator's leader agent and waits for its replica.
    private func watch() async throws -> DatabasePool {
        let leader = try account(role: .leader)
        let paths = AgentPaths(directory: config.directory)
        try FileManager.default.createDirectory(atPath: config.directory, withIntermediateDirectories: true)
        let agent = try Agent(Agent.Configuration(central: config.central, paths: paths, username: leader.user.username,
                                                  password: leader.password), logger: logger)
        Task.detached { await agent.run() }
        while await agent.status().phase != .ready { try await Task.sleep(for: .milliseconds(100)) }
        var readonly = GRDB.Configuration()
        readonly.readonly = true
        return try DatabasePool(path: paths.replica, configuration: readonly)
    }

    private func account(role: Role, department: String? = nil) throws -> FixtureSet.UserAccount {
        guard let chosen = Self.account(in: fixtures, role: role, department: department) else {
            throw SimulatorError(message: "the fixtures have no \(role.rawValue) user\(department.map { " in \($0)" } ?? "")")
        }
        return chosen
    }

    /// The account the simulator acts as for `role`: the second of its kind, where there is one
    /// (the demo's own login is usually the first).
    static func account(in fixtures: FixtureSet, role: Role, department: String? = nil) -> FixtureSet.UserAccount? {
        let candidates = fixtures.users.filter { $0.user.role == role && (department == nil || $0.user.department == department) }
        return candidates.dropFirst().first ?? candidates.first
    }

    // MARK: Acting

    /// One tick: true when a command was sent.
    @discardableResult
    private func act(_ view: DatabasePool) async -> Bool {
        // The locators report on their own clock, whatever else the city is doing.
        if let sent = await attempt(driveUnits, view) { return sent }
        // (weight, creates new work, action). New tickets and applications are made only when
        // drawn first: as the fallback of every idle tick they would flood their queues.
        let actions: [(Double, Bool, (DatabasePool) async throws -> Bool)] = [
            (3, false, newCall), (3, false, dispatchWaiting), (4, false, stepUnit), (2, false, workIncident), (2, false, resolveIncident),
            (1.5, false, closeIncident), (1.5, false, followPlan),
            (3, true, newRequest), (2, false, routeTicket), (2, false, acceptTicket), (1.5, false, replyTicket),
            (1, false, callBack), (0.5, true, newApplication), (0.6, false, startReview), (1.5, false, signOff),
        ]
        // Try actions in a weighted order until one finds work.
        var remaining = actions
        var first = true
        while !remaining.isEmpty {
            let total = remaining.reduce(0) { $0 + $1.0 }
            var pick = generator.roll(0...total)
            var index = 0
            for (i, action) in remaining.enumerated() {
                pick -= action.0
                if pick <= 0 { index = i; break }
            }
            let (_, creates, action) = remaining.remove(at: index)
            if creates, !first { continue }
            first = false
            if let sent = await attempt(action, view) { return sent }
        }
        return false
    }

    /// Runs one action: true when it sent a command, false when that failed (counted), nil
    /// when it found nothing to do.
    private func attempt(_ action: (DatabasePool) async throws -> Bool, _ view: DatabasePool) async -> Bool? {
        do {
            return try await action(view) ? true : nil
        } catch {
            tally.failed += 1
            logger.notice("simulator: an action was not delivered: \(error)")
            return false
        }
    }

    /// Sends one command as `role` (of `department`); true when central answered. A create's
    /// new id is left in `lastRecord`.
    func send(_ role: Role, department: String? = nil, _ command: Command,
              baseVersion: Int? = nil) async throws -> Bool {
        try await sendAll(role, department: department, [(command, baseVersion)])
    }

    /// The console of `role` (of `department`), logged in on first use; its key in `consoles`.
    private func login(_ role: Role, department: String?) async throws -> String {
        let key = "\(role.rawValue):\(department ?? "")"
        if consoles[key] == nil {
            let account = try account(role: role, department: department)
            let clientID = "sim-\(account.user.username)-\(UUID().uuidString.prefix(8).lowercased())"
            let login = try await client.login(username: account.user.username, password: account.password, clientID: clientID)
            consoles[key] = Console(user: login.user, token: login.token, clientID: clientID)
        }
        return key
    }

    /// Sends several commands as `role` in one push (each with its base version); true when
    /// central answered. Each result is counted as `send` counts one.
    func sendAll(_ role: Role, department: String? = nil, _ commands: [(Command, Int?)]) async throws -> Bool {
        guard !commands.isEmpty else { return false }
        let key = try await login(role, department: department)
        guard var console = consoles[key] else { return false }
        let envelopes = commands.enumerated().map { offset, command in
            CommandEnvelope(clientID: console.clientID, mutationID: console.next + Int64(offset), command: command.0, baseVersion: command.1)
        }
        let answer = try await client.push(token: console.token, commands: envelopes)
        console.next += Int64(envelopes.count)
        consoles[key] = console
        lastRecord = nil
        for (result, command) in zip(answer.results, commands) {
            switch result.status {
            case .applied:
                lastRecord = result.record
                tally.applied += 1
                tally.byName[command.0.name.rawValue, default: 0] += 1
            case .rejected:
                tally.rejected += 1
                logger.debug("simulator: \(command.0.name.rawValue) rejected: \(result.reason?.message ?? "")")
            default:
                break
            }
        }
        return true
    }

    private func newRequest(_ view: DatabasePool) async throws -> Bool {
        let r = generator.liveRequest()
        return try await send(.hotline, .createTicket(NewTicket(
            category: r.category, district: r.district, address: r.address, summary: r.summary,
            detail: r.detail, caller: r.caller, phone: r.phone)))
    }

    /// Whether a ticket is the city's to work: the seeded history's, or one the simulator's own
    /// call-taker registered. A ticket a console's call-taker took waits for them to route it and
    /// call back, as an incident a console created waits for its duty officer.
    func isCityTicket(_ ticket: Ticket) -> Bool {
        ticket.createdAt <= city.historyUntil || (cityCallTaker != nil && ticket.registeredBy == cityCallTaker)
    }

    /// The oldest of the city's tickets in `statuses` (of the first 200 by age).
    private func cityTicket(_ view: DatabasePool, _ statuses: [TicketStatus]) async throws -> Ticket? {
        let list = statuses.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let candidates = try await view.read { db in
            try Ticket.fetchAll(db, sql: "SELECT * FROM ticket WHERE status IN (\(list)) ORDER BY created_at LIMIT 200")
        }
        return candidates.first(where: isCityTicket)
    }

    private func routeTicket(_ view: DatabasePool) async throws -> Bool {
        guard let ticket = try await cityTicket(view, [.registered, .returned]),
              let department = fixtures.ticketCategories.first(where: { $0.code == ticket.category })?.department else { return false }
        return try await send(.hotline, .transferTicket(.init(ticket.id), department: department), baseVersion: ticket.version)
    }

    private func acceptTicket(_ view: DatabasePool) async throws -> Bool {
        try await departmentStep(view, status: "assigned") {
            .acceptTicket(.init($0))
        }
    }

    private func replyTicket(_ view: DatabasePool) async throws -> Bool {
        try await departmentStep(view, status: "in_progress") {
            .replyTicket(.init($0), text: "已派员现场核实处理，问题已解决，已与来电人沟通。")
        }
    }

    private func callBack(_ view: DatabasePool) async throws -> Bool {
        let satisfied = generator.roll(0...1) < 0.9
        guard let ticket = try await cityTicket(view, [.replied]) else { return false }
        return try await send(.hotline, .recordCallback(.init(ticket.id), satisfied: satisfied), baseVersion: ticket.version)
    }

    /// The oldest ticket in `status` of a department the simulator has a staff login for (the
    /// fixtures have none for some, e.g. 120 and 122: their tickets wait for their own consoles).
    private func departmentStep(_ view: DatabasePool, status: String, _ make: (String) -> Command) async throws -> Bool {
        let departments = staffDepartments
        guard !departments.isEmpty else { return false }
        let sql = "SELECT id, version, department FROM ticket WHERE status = ? AND department IN ("
            + departments.map { _ in "?" }.joined(separator: ", ") + ") ORDER BY created_at LIMIT 1"
        let arguments = StatementArguments([status] + departments)
        guard let row = try await view.read({ try Row.fetchOne($0, sql: sql, arguments: arguments) }) else { return false }
        return try await send(.staff, department: row["department"], make(row["id"]), baseVersion: row["version"])
    }

    /// The departments the simulator has a staff login for, and the SQL list of them.
    private var staffDepartments: [String] {
        Array(Set(fixtures.users.filter { $0.user.role == .staff }.map(\.user.department))).sorted()
    }

    private var staffDepartmentList: String { staffDepartments.map { "'\($0)'" }.joined(separator: ", ") }

    private func newApplication(_ view: DatabasePool) async throws -> Bool {
        let a = generator.liveApplication()
        return try await send(.staff, department: a.leadDepartment,
                              .createApproval(item: a.item, applicant: a.applicant, phone: a.phone))
    }

    private func startReview(_ view: DatabasePool) async throws -> Bool {
        let list = staffDepartmentList
        let found = try await view.read { db in
            try Row.fetchOne(db, sql: """
                SELECT c.id, c.version, s.department FROM approval_case c JOIN approval_step s ON s.case_id = c.id AND s.position = 0
                WHERE c.status = 'accepted' AND s.department IN (\(list)) ORDER BY c.updated_at LIMIT 1
                """)
        }
        guard let row = found else { return false }
        return try await send(.staff, department: row["department"], .startReview(.init(row["id"])), baseVersion: row["version"])
    }

    private func signOff(_ view: DatabasePool) async throws -> Bool {
        let list = staffDepartmentList
        let found = try await view.read { db in
            try Row.fetchOne(db, sql: """
                SELECT c.id, c.version, s.department FROM approval_case c JOIN approval_step s ON s.case_id = c.id
                WHERE c.status = 'under_review' AND s.state = 'pending' AND s.department IN (\(list))
                ORDER BY c.deadline, random() LIMIT 1
                """)
        }
        guard let row = found else { return false }
        let approve = generator.roll(0...1) < 0.95
        return try await send(.staff, department: row["department"],
                              .signOff(.init(row["id"]), department: nil, approve: approve,
                                       opinion: approve ? "材料齐全，符合条件，同意。" : "不符合相关规定，不同意。"),
                              baseVersion: row["version"])
    }
}

public struct SimulatorError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
