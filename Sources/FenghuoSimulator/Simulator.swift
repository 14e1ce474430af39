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

        public init(central: URL, directory: String, rate: Double, limit: Int? = nil, seed: UInt64 = UInt64.random(in: 1...UInt64.max)) {
            self.central = central
            self.directory = directory
            self.rate = rate
            self.limit = limit
            self.seed = seed
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
    let logger: Logger
    let client: CentralClient
    var generator: HistoryGenerator
    var consoles: [String: Console] = [:]
    public private(set) var tally = Tally()

    public init(_ config: Configuration, fixtures: FixtureSet, logger: Logger) throws {
        self.config = config
        self.fixtures = fixtures
        self.logger = logger
        client = try CentralClient(base: config.central)
        generator = HistoryGenerator(fixtures: fixtures, now: Date(), seed: config.seed)
    }

    public func run() async throws {
        let view = try await watch()
        var done = 0
        var lastReport = Date()
        while !Task.isCancelled {
            if let limit = config.limit, done >= limit { break }
            let started = Date()
            await act(view)
            done += 1
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
        let candidates = fixtures.users.filter { $0.user.role == role && (department == nil || $0.user.department == department) }
        // The second account of a kind, where there is one: the demo's own login is usually the first.
        guard let chosen = candidates.dropFirst().first ?? candidates.first else {
            throw SimulatorError(message: "the fixtures have no \(role.rawValue) user\(department.map { " in \($0)" } ?? "")")
        }
        return chosen
    }

    // MARK: Acting

    private func act(_ view: DatabasePool) async {
        let actions: [(Double, (DatabasePool) async throws -> Bool)] = [
            (3, newCall), (3, dispatchWaiting), (4, moveUnit), (2, resolveIncident), (1.5, closeIncident),
            (3, newRequest), (2, routeTicket), (2, acceptTicket), (1.5, replyTicket), (1, callBack),
            (0.5, newApplication), (0.6, startReview), (1.5, signOff),
        ]
        // Try actions in a weighted order until one finds work.
        var remaining = actions
        while !remaining.isEmpty {
            let total = remaining.reduce(0) { $0 + $1.0 }
            var pick = generator.roll(0...total)
            var index = 0
            for (i, action) in remaining.enumerated() {
                pick -= action.0
                if pick <= 0 { index = i; break }
            }
            let action = remaining.remove(at: index).1
            do {
                if try await action(view) { return }
            } catch {
                tally.failed += 1
                logger.debug("simulator: \(error)")
                return
            }
        }
    }

    /// Sends one command as `role` (of `department`); true when central answered.
    private func send(_ role: Role, department: String? = nil, _ command: Command,
                      baseVersion: Int? = nil) async throws -> Bool {
        let name = command.name.rawValue
        let key = "\(role.rawValue):\(department ?? "")"
        if consoles[key] == nil {
            let account = try account(role: role, department: department)
            let clientID = "sim-\(account.user.username)-\(UUID().uuidString.prefix(8).lowercased())"
            let login = try await client.login(username: account.user.username, password: account.password, clientID: clientID)
            consoles[key] = Console(user: login.user, token: login.token, clientID: clientID)
        }
        guard var console = consoles[key] else { return false }
        let envelope = CommandEnvelope(clientID: console.clientID, mutationID: console.next, command: command,
                                       baseVersion: baseVersion)
        let answer = try await client.push(token: console.token, commands: [envelope])
        console.next += 1
        consoles[key] = console
        switch answer.results.first?.status {
        case .applied?:
            tally.applied += 1
            tally.byName[name, default: 0] += 1
        case .rejected?:
            tally.rejected += 1
            logger.debug("simulator: \(name) rejected: \(answer.results.first?.reason?.message ?? "")")
        default:
            break
        }
        return true
    }

    private func newCall(_ view: DatabasePool) async throws -> Bool {
        let call = generator.liveCall()
        return try await send(.duty, .createIncident(NewIncident(
            type: call.type, district: call.district, address: call.address, narrative: call.narrative,
            caller: call.caller, phone: call.phone, confidential: call.confidential)))
    }

    private func dispatchWaiting(_ view: DatabasePool) async throws -> Bool {
        let found = try await view.read { db -> (String, Int, [String])? in
            guard let incident = try Row.fetchOne(db, sql: """
                SELECT id, version, agency, priority FROM incident WHERE status = 'new' ORDER BY priority, created_at LIMIT 1
                """) else { return nil }
            let wanted = (incident["priority"] as Int) == 1 ? 2 : 1
            let units = try String.fetchAll(db, sql: """
                SELECT id FROM unit WHERE status = 'available' AND agency = ? ORDER BY random() LIMIT ?
                """, arguments: [incident["agency"] as String, wanted])
            return units.isEmpty ? nil : (incident["id"], incident["version"], units)
        }
        guard let (id, version, units) = found else { return false }
        return try await send(.duty, .dispatch(incident: .init(id), units: units.map { ResponseUnit.ID($0) }), baseVersion: version)
    }

    private func moveUnit(_ view: DatabasePool) async throws -> Bool {
        let found = try await view.read { db -> (String, UnitStatusEvent, Int)? in
            // A unit that has been in its state a while takes its next step.
            guard let row = try Row.fetchOne(db, sql: """
                SELECT u.id, u.status, u.version, i.status AS incident_status FROM unit u LEFT JOIN incident i ON i.id = u.incident_id
                WHERE u.status IN ('dispatched', 'en_route', 'returning')
                   OR (u.status = 'on_scene' AND i.status IN ('resolved', 'closed', 'cancelled'))
                ORDER BY u.status_changed_at LIMIT 1
                """) else { return nil }
            let event: UnitStatusEvent
            switch row["status"] as String {
            case "dispatched": event = .depart
            case "en_route": event = .arrive
            case "on_scene": event = .clear
            default: event = .backInStation
            }
            return (row["id"], event, row["version"])
        }
        guard let (id, event, version) = found else { return false }
        return try await send(.duty, .updateUnitStatus(unit: .init(id), event: event), baseVersion: version)
    }

    private func resolveIncident(_ view: DatabasePool) async throws -> Bool {
        try await step(view, "SELECT id, version FROM incident WHERE status = 'on_scene' ORDER BY status_changed_at LIMIT 1",
                       .duty) { .resolveIncident(.init($0)) }
    }

    private func closeIncident(_ view: DatabasePool) async throws -> Bool {
        try await step(view, "SELECT id, version FROM incident WHERE status = 'resolved' ORDER BY status_changed_at LIMIT 1",
                       .duty) { .closeIncident(.init($0)) }
    }

    /// The command `make` builds for the row `sql` finds (its id), sent as `role`.
    private func step(_ view: DatabasePool, _ sql: String, _ role: Role, _ make: (String) -> Command) async throws -> Bool {
        guard let row = try await view.read({ try Row.fetchOne($0, sql: sql) }) else { return false }
        return try await send(role, make(row["id"]), baseVersion: row["version"])
    }

    private func newRequest(_ view: DatabasePool) async throws -> Bool {
        let r = generator.liveRequest()
        return try await send(.hotline, .createTicket(NewTicket(
            category: r.category, district: r.district, address: r.address, summary: r.summary,
            detail: r.detail, caller: r.caller, phone: r.phone)))
    }

    private func routeTicket(_ view: DatabasePool) async throws -> Bool {
        let found = try await view.read { db in
            try Row.fetchOne(db, sql: """
                SELECT t.id, t.version, c.department FROM ticket t JOIN ticket_category c ON c.code = t.category
                WHERE t.status IN ('registered', 'returned') ORDER BY t.created_at LIMIT 1
                """)
        }
        guard let row = found else { return false }
        return try await send(.hotline, .transferTicket(.init(row["id"]), department: row["department"]),
                              baseVersion: row["version"])
    }

    private func acceptTicket(_ view: DatabasePool) async throws -> Bool {
        try await departmentStep(view, "SELECT id, version, department FROM ticket WHERE status = 'assigned' ORDER BY created_at LIMIT 1") {
            .acceptTicket(.init($0))
        }
    }

    private func replyTicket(_ view: DatabasePool) async throws -> Bool {
        try await departmentStep(view, "SELECT id, version, department FROM ticket WHERE status = 'in_progress' ORDER BY created_at LIMIT 1") {
            .replyTicket(.init($0), text: "已派员现场核实处理，问题已解决，已与来电人沟通。")
        }
    }

    private func callBack(_ view: DatabasePool) async throws -> Bool {
        let satisfied = generator.roll(0...1) < 0.9
        return try await step(view, "SELECT id, version FROM ticket WHERE status = 'replied' ORDER BY created_at LIMIT 1",
                              .hotline) { .recordCallback(.init($0), satisfied: satisfied) }
    }

    private func departmentStep(_ view: DatabasePool, _ sql: String, _ make: (String) -> Command) async throws -> Bool {
        guard let row = try await view.read({ try Row.fetchOne($0, sql: sql) }) else { return false }
        return try await send(.staff, department: row["department"], make(row["id"]), baseVersion: row["version"])
    }

    private func newApplication(_ view: DatabasePool) async throws -> Bool {
        let a = generator.liveApplication()
        return try await send(.staff, department: a.leadDepartment,
                              .createApproval(item: a.item, applicant: a.applicant, phone: a.phone))
    }

    private func startReview(_ view: DatabasePool) async throws -> Bool {
        let found = try await view.read { db in
            try Row.fetchOne(db, sql: """
                SELECT c.id, c.version, s.department FROM approval_case c JOIN approval_step s ON s.case_id = c.id AND s.position = 0
                WHERE c.status = 'accepted' ORDER BY c.updated_at LIMIT 1
                """)
        }
        guard let row = found else { return false }
        return try await send(.staff, department: row["department"], .startReview(.init(row["id"])), baseVersion: row["version"])
    }

    private func signOff(_ view: DatabasePool) async throws -> Bool {
        let found = try await view.read { db in
            try Row.fetchOne(db, sql: """
                SELECT c.id, c.version, s.department FROM approval_case c JOIN approval_step s ON s.case_id = c.id
                WHERE c.status = 'under_review' AND s.state = 'pending' ORDER BY c.deadline, random() LIMIT 1
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
