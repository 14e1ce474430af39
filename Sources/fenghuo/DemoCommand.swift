import ArgumentParser
import FenghuoCentral
import FenghuoConsole
import FenghuoSimulator
import FenghuoDomain
import FenghuoStore
import FenghuoProtocol
import FenghuoSync
import FenghuoLaunch
import Foundation
import Logging

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the whole system on this machine: central, an agent, the simulator, and the console.",
        discussion: """
            Seeds a new central store for the demo city (云川市) in --data, starts `fenghuo central serve`, \
            `fenghuo agent` for the chosen role and `fenghuo simulate` as child processes (their logs are in \
            DATA/logs), waits for the first sync, and opens the console on the agent. Quitting stops everything.
            A child that stops is started again after 1 s, 2 s, 4 s … (at most 5 times a minute); the console \
            says so and DATA/logs/demo.log has every start and stop.
            Commands the agent still had queued when the last run ended are kept (the agent's outbox and client \
            id) and sent once central is up; --discard-queue drops them instead. Either way the demo lists them, \
            and on quitting it says how many are still queued.
            Roles: duty (duty1, dispatch desk), hotline (hotline1, 12345), staff (urban1, 城管局), leader (leader1).
            """)

    @Option(name: .long, help: "Folder for the demo's stores and logs (central seeded anew each run; queued commands kept).")
    var data: String = DemoFolder.defaultData

    @Option(name: .long, help: "Multiply the generated history by N.")
    var scale: Int = 1

    @Option(name: .customLong("as"), help: "Log in as: duty, hotline, staff or leader.")
    var role: String = "duty"

    @Option(name: .long, help: "Simulated actions a second (calls, dispatches, tickets, sign-offs); 0 for none.")
    var rate: Double = 2

    @Option(name: .long, help: "Port for central on 127.0.0.1 (default: a free one).")
    var port: Int?

    @Flag(name: .long, help: "Drop the commands the agent still had queued from the last run (they are kept and sent otherwise).")
    var discardQueue = false

    @OptionGroup var options: ConsoleOptions

    static let accounts: [String: (user: String, pane: PaneID)] = [
        "duty": ("duty1", .dispatch), "hotline": ("hotline1", .hotline), "staff": ("urban1", .approvals),
        "leader": ("leader1", .dashboard),
    ]

    func validate() throws {
        guard Self.accounts[role] != nil else { throw ValidationError("--as '\(role)' is not duty, hotline, staff or leader.") }
        guard rate >= 0, rate <= 500 else { throw ValidationError("--rate must be between 0 and 500, not \(rate).") }
        guard (1...10_000).contains(scale) else { throw ValidationError("--scale must be between 1 and 10000.") }
    }

    func run() throws {
        var (language, pane) = try options.validated()
        let themes = try ConsoleRunner.loadThemes(options.theme)
        // A folder another demo runs on is refused first, terminal or not: nothing is touched.
        let folder = DemoFolder(root: URL(fileURLWithPath: data), role: role)
        try folder.refuseIfRunning()
        try ConsoleRunner.requireTerminal()
        let account = Self.accounts[role]!
        if options.pane == "dispatch" { pane = account.pane }  // each role opens on its own pane
        let fixtures = try SeedRunner.loadFixtures(nil)
        guard let password = fixtures.users.first(where: { $0.user.username == account.user })?.password else {
            throw ValidationError("the fixtures have no user \(account.user)")
        }

        let kept = try folder.prepare(discardQueue: discardQueue)
        for line in folder.otherQueues() { print(line) }
        let logs = folder.logs, agentDir = folder.agent
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)

        print("烽火 demo: seeding the central store for 云川市 in \(data)/central …")
        let central = Central.DataFolder(path: folder.central)
        let (summary, epoch) = try central.create(fixtures: nil, scale: scale)
        // Every incident of the seeded history was created before this: the simulator works those
        // (and its own), and leaves the ones typed at this console, or kept in its queue, to the user.
        let historyUntil = Int(Date().timeIntervalSince1970.rounded(.up))
        print(SeedRunner.describe(summary, db: central.database))
        // The new store has never seen this console: its kept queue goes on from its own ids.
        if let kept { try SQLiteCentralStorage.open(path: central.database).resumeClient(kept.clientID, of: account.user) }
        let chosenPort = try port ?? FreePort.find()
        let url = "http://127.0.0.1:\(chosenPort)"

        let children = try ChildProcesses(logs: logs)
        let supervisor = Supervisor(children: children, log: logs.appendingPathComponent("demo.log"))
        var finished = false
        /// Stops every child (nothing restarts them now) and says what is still queued.
        func finish() {
            guard !finished else { return }
            finished = true
            supervisor.stop()
            children.stopAll()
            let report = folder.queueReport()
            supervisor.note("demo ended; \(report == nil ? "nothing queued" : "queued commands kept in \(agentDir)")")
            if let report { print(report) }
        }
        defer { finish() }
        supervisor.note("demo (pid \(getpid())) as \(role) on port \(chosenPort)\(kept.map { ", \($0.lines.count) queued commands kept from the last run" } ?? "")")
        try supervisor.start("central", ["central", "serve", "--data", central.path, "--listen", "127.0.0.1:\(chosenPort)"])
        try supervisor.start("agent", ["agent", "--central", url, "--data", agentDir, "--user", account.user],
                             environment: ["FENGHUO_PASSWORD": password])
        if rate > 0 {
            try supervisor.start("simulator", ["simulate", "--central", url, "--data", folder.simulator, "--rate", String(rate),
                                               "--history-until", String(historyUntil)])
        }
        print("central \(url) (epoch \(epoch)), agent for \(account.user) in \(agentDir); logs in \(logs.path)")
        // Watched from the start: a child that dies during the first sync is restarted too, and
        // the wait ends with an error only when the supervisor gives up on one.
        supervisor.watch()
        try waitForFirstSync(AgentPaths(directory: agentDir), stopped: supervisor.givenUp)
        let signal = try ConsoleRunner.runOnAgent(data: agentDir, language: language, themes: themes, pane: pane) {
            supervisor.drain().compactMap { DemoFolder.text($0, language: language) }.map(ConsoleMsg.failed)
        }
        finish()
        if let signal { Foundation.exit(128 + signal) }
    }

    /// Shows the first sync's progress until the agent's replica is ready.
    private func waitForFirstSync(_ paths: AgentPaths, stopped: () -> String?) throws {
        var lastLine = ""
        let status = try waitForAgent(paths, timeout: 180, stopped: stopped) { status in
            let line = "\r首次同步 first sync: \(status.snapshotDone)/\(status.snapshotTotal) rows"
            if line != lastLine {
                FileHandle.standardOutput.write(Data(line.utf8))
                lastLine = line
            }
        }
        print("\r首次同步完成 first sync done: \(status.snapshotDone) rows" + String(repeating: " ", count: 20))
    }
}

struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Play the rest of the city against central: calls, dispatches, unit moves, tickets, applications.",
        discussion: """
            Logs in as the second account of each kind (duty2, hotline2, <dept>2 …) and sends real commands; it \
            follows central through a leader replica of its own in --data. Central's rules decide every action.
            """)

    @Option(name: .long, help: "Central's base URL.")
    var central: String

    @Option(name: .long, help: "Folder for the simulator's own replica.")
    var data: String

    @Option(name: .long, help: "Actions a second.")
    var rate: Double = 2

    @Option(name: .long, help: "Stop after this many actions (default: run until stopped).")
    var count: Int?

    @Option(name: .long, help: "Random seed (default: a new one each run).")
    var seed: UInt64?

    @Option(name: .long, help: """
        Incidents created up to this instant (seconds since 1970) are the seeded history's, which the simulator \
        works with its own; it leaves every other console's incidents alone. Default: the instant it starts.
        """)
    var historyUntil: Int64?

    @Option(name: .long, help: "Multiply the dispatch desk's delays by this (1: real time; less for tests).")
    var pace: Double = 1

    @Option(name: .long, help: .hidden)
    var exitWithParent: Int32?

    func run() async throws {
        guard let url = URL(string: central), url.host != nil else {
            throw ValidationError("--central '\(central)' is not a URL like http://127.0.0.1:8480.")
        }
        guard rate > 0 else { throw ValidationError("--rate must be above 0.") }
        guard pace > 0, pace <= 100 else { throw ValidationError("--pace must be above 0 and at most 100, not \(pace).") }
        ParentWatch.start(exitWithParent)
        LogOutput.bootstrap()
        let logger = Logger(label: "fenghuo.simulator")
        var config = Simulator.Configuration(central: url, directory: data, rate: rate, limit: count)
        if let seed { config.seed = seed }
        config.historyUntil = historyUntil.map { Date(timeIntervalSince1970: TimeInterval($0)) }
        config.pace = pace
        let simulator = try Simulator(config, fixtures: try SeedRunner.loadFixtures(nil), logger: logger)
        try await simulator.run()
        print(await simulator.tally)
    }
}
