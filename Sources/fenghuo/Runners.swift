import ArgumentParser
import FenghuoConsole
import FenghuoSeed
import FenghuoCrypto
import FenghuoCurses
import FenghuoDomain
import FenghuoStore
import FenghuoProtocol
import FenghuoSync
import FenghuoTUI
import FenghuoLaunch
import Foundation

extension ReplicaReader: ConsoleDataSource {}

enum SeedRunner {
    static func loadFixtures(_ fixtures: String?) throws -> FixtureSet {
        let dir = fixtures.map { URL(fileURLWithPath: $0) } ?? FixtureSet.defaultDirectory()
        do {
            return try FixtureSet.load(from: dir)
        } catch {
            throw ValidationError("fixture error: \(error)\nNothing was loaded; fix it and run again.")
        }
    }

    static func seed(db: String, fixtures: String?, now: Date, scale: Int, quiet: Bool) throws -> Seeder.Summary {
        let set = try loadFixtures(fixtures)
        let database: AppDatabase
        do {
            database = try AppDatabase.open(path: db)
        } catch {
            throw ValidationError("cannot open the database at \(db): \(error) (does its folder exist?)")
        }
        @Sendable func report(_ step: String) {
            FileHandle.standardError.write(Data("seed: \(step)…\n".utf8))
        }
        let progress: (@Sendable (String) -> Void)? = quiet ? nil : report
        return try Seeder(fixtures: set).seed(database, now: now, scale: scale, progress: progress)
    }

    static func describe(_ s: Seeder.Summary, db: String) -> String {
        """
        seeded \(db): \(s.districts) districts, \(s.departments) departments, \(s.users) users, \(s.units) units,
          \(s.incidents) incidents (\(s.openIncidents) open), \(s.tickets) tickets (\(s.openTickets) open),
          \(s.approvals) approval cases (\(s.openApprovals) open), \(s.knowledge) knowledge articles,
          holiday schedule for \(s.calendarYears.map(String.init).joined(separator: ", "))
        """
    }
}

enum ConsoleRunner {
    static func themesDirectory() -> URL { ProjectFiles.themes() }

    struct Themes {
        let chosen: Theme
        let mono: Theme
    }

    /// Loads the chosen theme (and mono, for terminals without colour) before anything else
    /// happens, so a wrong name fails fast and touches nothing.
    static func loadThemes(_ name: String) throws -> Themes {
        do {
            return Themes(chosen: try Theme.load(named: name, from: themesDirectory()),
                          mono: try Theme.load(named: "mono", from: themesDirectory()))
        } catch {
            throw ValidationError("theme: \(error)")
        }
    }

    static func requireTerminal() throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw ValidationError("the console needs a terminal: standard input and output must be a TTY "
                + "(run it in a terminal, or under tmux for scripts).")
        }
    }

    static func run(database: AppDatabase, language: Language, themes: Themes, pane: PaneID) throws -> Int32? {
        try run(reader: database.reader, link: nil, operatorLabel: "", language: language, themes: themes, pane: pane)
    }

    /// The console on a replica `reader`; with a `link`, writes go through the agent and the
    /// status bar follows it.
    /// Returns the termination signal that ended the console, if one did. `notices` are news
    /// from outside the agent (the demo's about its children), shown as they come.
    static func run(reader: ReplicaReader, link: AgentLink?, operatorLabel: String, username: String = "", role: Role? = nil, language: Language,
                    themes: Themes, pane: PaneID, notices: @escaping () -> [ConsoleMsg] = { [] }) throws -> Int32? {
        try requireTerminal()
        // NO_COLOR (no-color.org) and terminals without colour get the mono theme.
        let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        let backend = NcursesBackend(colorEnabled: !noColor)
        let theme = backend.colors < 8 ? themes.mono : themes.chosen.fitted(toColors: backend.colors)
        var model = ConsoleModel(language: language, theme: theme, size: backend.size, now: Date(), start: pane,
                                 operatorLabel: operatorLabel)
        model.agentConnected = link != nil
        model.role = role
        model.username = username
        // Effects (replica reads, calls to the agent) run off the loop: keys never wait for them.
        let program = Program(model: model, backend: backend, runEffectsOffLoop: true) { effect in
            if case .submit(let request) = effect, let link { return link.submit(request) }
            if case .login(let password) = effect, let link { return link.login(password: password) }
            return reader.perform(effect)
        }
        if let link {
            link.start()
            program.inbox = { link.drain() + notices() }
        }
        let signal = program.run()
        link?.stop()
        backend.restore()
        return signal
    }
}

extension ConsoleRunner {
    /// The console on an agent's folder: waits briefly for the replica the agent creates.
    static func runOnAgent(data: String, language: Language, themes: Themes, pane: PaneID,
                           notices: @escaping () -> [ConsoleMsg] = { [] }) throws -> Int32? {
        let paths = AgentPaths(directory: data)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: data, isDirectory: &isFolder), isFolder.boolValue else {
            throw ValidationError("no agent folder at \(data): start `fenghuo agent --data \(data) --central URL --user NAME` first.")
        }
        // An agent just started creates its replica within moments.
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: paths.replica) {
            guard Date() < deadline else {
                throw ValidationError("no replica in \(data) yet: start `fenghuo agent --data \(data) --central URL --user NAME` first.")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let reader = try ReplicaReader(readOnlyAt: paths.replica)
        var label = "", username = ""
        var role: Role?
        if let saved = try? JSONDecoder().decode(LocalReplica.SavedUser.self,
                                                 from: Data(contentsOf: URL(fileURLWithPath: paths.token))) {
            label = "\(saved.user.name) \(Strings(language).role(saved.user.role))"
            role = saved.user.role
            username = saved.user.username
        }
        return try run(reader: reader, link: AgentLink(socketPath: paths.socket), operatorLabel: label, username: username, role: role, language: language,
                       themes: themes, pane: pane, notices: notices)
    }
}
