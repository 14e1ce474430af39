import ArgumentParser
import FenghuoConsole
import FenghuoCurses
import FenghuoDomain
import FenghuoStore
import FenghuoTUI
import FenghuoLaunch
import Foundation

@main
struct FenghuoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fenghuo",
        abstract: "烽火 Fenghuo — a terminal command center for a city government.",
        discussion: """
            Start with `fenghuo demo`: it seeds the demo city (云川市) and opens the console.
            Keys inside the console: 1–4 switch panes, / filters, : runs a command, ? shows every key, q quits.
            """,
        subcommands: [Demo.self, TUI.self, Seed.self, Central.self, AuditCommand.self, AgentCommand.self, StatusCommand.self,
                      ListCommand.self, DispatchCommand.self, SubmitCommand.self, CommandsCommand.self, SimulateCommand.self,
                      BenchEntry.self, RoadsCommand.self],
        defaultSubcommand: TUI.self
    )
}

/// Options shared by everything that opens the console.
struct ConsoleOptions: ParsableArguments {
    @Option(name: .long, help: "Interface language: zh (default) or en.")
    var lang: String = "zh"

    @Option(name: .long, help: "Theme name from Themes/ (default, high-contrast, mono). NO_COLOR forces mono.")
    var theme: String = "default"

    @Option(name: .long, help: "Pane to open first: dispatch, hotline, approvals or dashboard.")
    var pane: String = "dispatch"

    func validated() throws -> (Language, PaneID) {
        guard let language = Language(rawValue: lang) else {
            throw ValidationError("--lang '\(lang)' is not supported; use zh or en.")
        }
        let panes: [String: PaneID] = ["dispatch": .dispatch, "hotline": .hotline, "approvals": .approvals,
                                       "dashboard": .dashboard]
        guard let first = panes[pane] else {
            throw ValidationError("--pane '\(pane)' is not a pane; use dispatch, hotline, approvals or dashboard.")
        }
        return (language, first)
    }
}

struct Seed: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create or replace a database with the demo city and its generated history.",
        discussion: "Every fixture line is checked first; on any error nothing is written and the error names file:line and field.")

    @Option(name: .long, help: "SQLite database file to create or replace.")
    var db: String

    @Option(name: .long, help: "Multiply the generated history (incidents, tickets, approval cases) by N, for benchmarks.")
    var scale: Int = 1

    @Option(name: .long, help: "Fixtures folder (default: ./Fixtures, or FENGHUO_FIXTURES).")
    var fixtures: String?

    @Option(name: .long, help: "Reference time the history ends at, ISO 8601 (default: now).")
    var now: String?

    @Flag(name: .long, help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        guard (1...10_000).contains(scale) else { throw ValidationError("--scale must be between 1 and 10000, not \(scale).") }
    }

    func run() throws {
        let summary = try SeedRunner.seed(db: db, fixtures: fixtures, now: try parseNow(now), scale: scale,
                                          quiet: json)
        if json {
            let object: [String: Any] = [
                "districts": summary.districts, "departments": summary.departments, "users": summary.users,
                "units": summary.units, "incidents": summary.incidents, "openIncidents": summary.openIncidents,
                "tickets": summary.tickets, "openTickets": summary.openTickets, "approvals": summary.approvals,
                "openApprovals": summary.openApprovals, "knowledge": summary.knowledge,
                "calendarYears": summary.calendarYears,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(SeedRunner.describe(summary, db: db))
        }
    }
}

struct TUI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui", abstract: "Open the console on an existing database.",
        discussion: """
            With neither --data nor --db (bare `fenghuo` too): the console on the demo running in ./demo-data \
            (`fenghuo demo`), or, when none is running, what to run (exit status 1).
            """)

    @Option(name: .long, help: "SQLite database to read on its own, without an agent (see `fenghuo seed`).")
    var db: String?

    @Option(name: .long, help: "An agent's --data folder: read its replica and send writes through it.")
    var data: String?

    @OptionGroup var options: ConsoleOptions

    func run() throws {
        let (language, pane) = try options.validated()
        let themes = try ConsoleRunner.loadThemes(options.theme)
        if let data {
            let signal = try ConsoleRunner.runOnAgent(data: data, language: language, themes: themes, pane: pane)
            if let signal { Foundation.exit(128 + signal) }
            return
        }
        guard let db else {
            // Bare `fenghuo`: another console on the running demo, each role on its own pane.
            let demo = try DemoFolder.running(root: URL(fileURLWithPath: DemoFolder.defaultData))
            let signal = try ConsoleRunner.runOnAgent(data: demo.agent, language: language, themes: themes,
                                                      pane: options.pane == "dispatch" ? demo.pane : pane)
            if let signal { Foundation.exit(128 + signal) }
            return
        }
        guard FileManager.default.fileExists(atPath: db) else {
            throw ValidationError("no database at \(db); create one with `fenghuo seed --db \(db)` or run `fenghuo demo`.")
        }
        let signal = try ConsoleRunner.run(database: try AppDatabase.open(path: db), language: language, themes: themes,
                                           pane: pane)
        if let signal { Foundation.exit(128 + signal) }
    }
}

func parseNow(_ text: String?) throws -> Date {
    guard let text else { return Date() }
    let f = ISO8601DateFormatter()
    guard let date = f.date(from: text) else {
        throw ValidationError("--now '\(text)' is not an ISO 8601 time like 2026-12-01T09:30:00+08:00.")
    }
    return date
}

/// `fenghuo bench …` hands over to `fenghuo-bench` beside this binary, arguments and all: the
/// benchmarks live in their own executable, so this one stays wiring.
struct BenchEntry: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run the benchmarks: every argument goes to fenghuo-bench (`fenghuo-bench --help` lists the scenarios and options).")

    @Argument(parsing: .allUnrecognized, help: "Passed to fenghuo-bench.")
    var arguments: [String] = []

    func run() throws {
        let bench = ChildProcesses.this.deletingLastPathComponent().appendingPathComponent("fenghuo-bench").path
        guard FileManager.default.isExecutableFile(atPath: bench) else {
            throw ValidationError("no fenghuo-bench beside this binary (\(bench)); build it with `swift build` or `make bench`.")
        }
        let argv = [bench] + arguments
        var cArgs = argv.map { strdup($0) } + [nil]
        execv(bench, &cArgs)
        throw ValidationError("cannot run \(bench): \(String(cString: strerror(errno)))")
    }
}
