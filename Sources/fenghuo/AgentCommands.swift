import ArgumentParser
import FenghuoConsole
import FenghuoDomain
import FenghuoProtocol
import FenghuoSync
import FenghuoLaunch
import Foundation
import FenghuoStore
import GRDB
import Logging

struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run a console's sync agent: replica, outbox, and the console's unix socket.",
        discussion: """
            The agent takes a snapshot of the user's scope from central, then follows central's changes. \
            Commands from the console are written to the outbox before they are acknowledged and uploaded \
            whenever central is reachable; the agent retries forever with backoff.
            Files in --data (the folder 0700, every file 0600): replica.sqlite (read by the console), outbox.sqlite, \
            token.json, agent.sock; a damaged replica is moved to replica.sqlite.corrupt and built again.
            Password: --password-file, else FENGHUO_PASSWORD, else a prompt on the terminal; a saved, unexpired \
            token is used when none is given. The token is refreshed (/v1/refresh) once less than a quarter of its \
            lifetime is left, so an agent keeps syncing without its password; it logs in with the password only when \
            central no longer takes the token (expired while the agent was stopped or offline).
            Revoked (`fenghuo central revoke USER|CLIENT` on central): at central's answer the agent deletes the replica, \
            the queued commands and the token, writes revoked.json in --data and sends nothing more; `fenghuo status` \
            says revoked and submits are refused. It does not start again on that folder (it exits with status 1). To \
            use the console again, the administrator runs `fenghuo central user NAME --reinstate` (a console revoked by \
            its client id stays revoked); then start the agent with a new --data folder, or delete DIR/revoked.json to \
            sync the same folder (same client id) again from scratch.
            """)

    @Option(name: .long, help: "Central's base URL: http:// on this machine (e.g. http://127.0.0.1:8480), https:// elsewhere.")
    var central: String

    @Option(name: .long, help: "PEM file of the CA that signed central's certificate, for https:// (default: the system's trusted CAs).")
    var caFile: String?

    @Option(name: .long, help: "Folder for the replica, outbox, token and socket (created if missing).")
    var data: String

    @Option(name: .long, help: "User to log in as (see the README's demo accounts).")
    var user: String

    @Option(name: .long, help: "File whose first line is the password.")
    var passwordFile: String?

    @Option(name: .long, help: "Log level: debug, info, notice, warning, error.")
    var logLevel: String = "info"

    @Option(name: .long, help: "Rows a snapshot page asks for (tuning and tests).")
    var snapshotPage: Int = 5000

    @Option(name: .long, help: "Commands an upload carries at most (tuning and tests).")
    var pushBatch: Int = 500

    @Option(name: .long, help: .hidden)
    var exitWithParent: Int32?

    /// Seconds of silence from central, while a request waits, before a heartbeat; 0 turns the
    /// heartbeat off (for measuring what it costs).
    @Option(name: .long, help: .hidden)
    var heartbeatAfter: Double = 1

    func run() async throws {
        guard let url = URL(string: central) else { throw ValidationError(CentralEndpoint.Problem.notAURL(central).description) }
        do {
            _ = try CentralEndpoint(url: url, caFile: caFile)
        } catch {
            throw ValidationError(error.description)
        }
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level '\(logLevel)' is not one of debug, info, notice, warning, error.")
        }
        // Every file the agent makes is its user's alone (0600 in a 0700 folder).
        umask(0o077)
        let paths = AgentPaths(directory: data)
        do {
            try DataFolder.prepare(paths)
        } catch {
            throw ValidationError("\(error)")
        }
        let lock = try AgentLock(path: paths.lock, data: data)
        defer { withExtendedLifetime(lock) {} }
        // Before any password is asked for: a revoked folder has nothing to log in for.
        try Agent.refuseIfRevoked(paths)
        LogOutput.bootstrap(level: level)
        let logger = Logger(label: "fenghuo.agent")
        ParentWatch.start(exitWithParent)
        var config = Agent.Configuration(central: url, paths: paths, username: user, password: try password(paths))
        config.progressBar = isatty(STDERR_FILENO) == 1
        config.caFile = caFile
        // Where a new password comes from when central refuses this one (no retries meanwhile).
        config.passwordFile = passwordFile
        config.askOnTerminal = isatty(STDIN_FILENO) == 1
        config.heartbeatAfter = heartbeatAfter
        config.snapshotPage = max(1, min(50_000, snapshotPage))
        config.pushBatch = max(1, min(2_000, pushBatch))
        let agent = try Agent(config, logger: logger)
        logger.info("agent for \(user) in \(data), client \(agent.outbox.clientID), central \(url.absoluteString)")
        let server = AgentSocketServer(agent: agent, path: paths.socket, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await agent.run() }
            group.addTask { try await server.run() }
            try await group.next()
            group.cancelAll()
        }
    }

    private func password(_ paths: AgentPaths) throws -> String? {
        if let passwordFile {
            guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8),
                  let line = text.split(separator: "\n", omittingEmptySubsequences: false).first, !line.isEmpty else {
                throw ValidationError("--password-file \(passwordFile): cannot read a password from its first line.")
            }
            return String(line)
        }
        if let env = ProcessInfo.processInfo.environment["FENGHUO_PASSWORD"], !env.isEmpty { return env }
        if isatty(STDIN_FILENO) == 1, let typed = getpass("password for \(user): ") {
            let text = String(cString: typed)
            if !text.isEmpty { return text }
        }
        if FileManager.default.fileExists(atPath: paths.token) { return nil }
        throw ValidationError("no password for \(user): pass --password-file F, set FENGHUO_PASSWORD, or run on a terminal to be asked.")
    }
}

/// One agent a folder: a second one would fight the first over the replica and the outbox.
final class AgentLock {
    let fd: Int32
    init(path: String, data: String) throws {
        fd = open(path, O_RDWR | O_CREAT, 0o600)
        guard fd >= 0 else {
            throw ValidationError("cannot open \(path): \(String(cString: strerror(errno))); give the agent a folder it may write (--data DIR).")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let why = errno
            // `deinit` closes `fd` (it runs when a whole object's init throws): never here too.
            if why == EWOULDBLOCK {
                throw ValidationError("another agent is already running on \(data) (it holds \(path)); stop it first.")
            }
            throw ValidationError("cannot lock \(path): \(String(cString: strerror(why))).")
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { write(fd, $0, strlen($0)) }
    }
    deinit { if fd >= 0 { close(fd) } }
}

// MARK: status

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show an agent's connection state, its queue and how current its data is.",
        discussion: """
            The state is the one the console's status bar shows: online; connecting; reconnecting (attempt N, next \
            try in S s); offline: cannot connect to HOST:PORT; offline: wrong password — log in again; offline: token \
            expired; offline: central refuses this agent (CODE); revoked. "data as of" is when central last vouched \
            the replica current. Exit status: 0 online, 1 the agent runs but is not online (the state says why), 2 no \
            agent runs on the folder (read from its files).
            """)

    @Option(name: .long, help: "The agent's --data folder.")
    var data: String

    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    func run() throws {
        let paths = AgentPaths(directory: data)
        var running = true
        let status: AgentStatus
        do {
            let event = try AgentClient(socketPath: paths.socket).call(.status, timeout: 5)
            guard let s = event.status else { throw AgentClient.Failure.unreadable(event.message ?? "no status") }
            status = s
        } catch {
            running = false
            status = try LocalReplica.offlineStatus(paths)
        }
        if json {
            struct Output: Encodable {
                let agentRunning: Bool
                let status: AgentStatus
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(Output(agentRunning: running, status: status)), as: UTF8.self))
        } else {
            print(Self.text(status, running: running, data: data))
        }
        if !running { throw ExitCode(2) }
        if status.state != .online { throw ExitCode(1) }
    }

    /// The state line the console's status bar shows (in English), why when it is not online,
    /// the queue and the one age.
    static func text(_ status: AgentStatus, running: Bool, data: String, now: Date = Date()) -> String {
        let state: String
        if let revoked = status.revoked {
            state = "REVOKED — \(revoked); the replica, queue and token are wiped and this console syncs no more"
        } else if !running {
            state = "not known: no agent is running (start `fenghuo agent --data \(data) …`)"
        } else {
            state = status.state.description(now: now.timeIntervalSince1970)
        }
        let why = running && status.state != .online ? status.lastError.map { "\n           \($0)" } ?? "" : ""
        let asOf = (status.dataAsOf ?? status.lastSyncAt).map { Date(timeIntervalSince1970: $0) }.map(Self.format) ?? "never synced"
        let head = status.head > status.cursor ? " (central's head \(status.head))" : ""
        return """
            agent      \(running ? "running" : "not running (read from the files in \(data))")
            user       \(status.username)\(status.role.map { " (\($0), \(status.department ?? ""))" } ?? "")
            central    \(state)\(why)
            queued     \(status.outbox)
            data as of \(asOf)
            replica    \(status.phase.rawValue)\(status.phase == .snapshot ? " \(status.snapshotDone)/\(status.snapshotTotal) rows" : ""), epoch \(status.epoch ?? "-"), cursor \(status.cursor)\(head)
            """
    }

    static func format(_ date: Date) -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        return f.string(from: date) + " (+08:00)"
    }
}

/// Reads an agent's files directly, for when no agent is running.
enum LocalReplica {
    static func offlineStatus(_ paths: AgentPaths) throws -> AgentStatus {
        // A revoked folder's replica is gone: opening one would make an empty file again.
        if let mark = RevocationMark.load(paths) {
            return AgentStatus(username: mark.username, role: nil, department: nil, clientID: mark.clientID, online: false,
                               phase: .empty, epoch: nil, cursor: 0, head: 0, lagSeq: 0, lagMs: 0, outbox: 0, lastSyncAt: nil,
                               snapshotDone: 0, snapshotTotal: 0, lastError: mark.summary, revoked: mark.reason)
        }
        guard FileManager.default.fileExists(atPath: paths.replica) || FileManager.default.fileExists(atPath: paths.outbox) else {
            throw ValidationError("no agent data in \(paths.directory): start `fenghuo agent --data \(paths.directory) …` first.")
        }
        let replica = try ReplicaStore(path: paths.replica)
        let outbox = try Outbox(path: paths.outbox)
        let state = try replica.state()
        let saved = try? JSONDecoder().decode(SavedUser.self, from: Data(contentsOf: URL(fileURLWithPath: paths.token)))
        return AgentStatus(username: saved?.user.username ?? "?", role: saved?.user.role.rawValue,
                           department: saved?.user.department, clientID: outbox.clientID, online: false,
                           phase: state.isReady ? .ready : (state.scope == nil ? .empty : .snapshot), epoch: state.epoch,
                           cursor: state.cursor, head: state.head, lagSeq: max(0, state.head - state.cursor), lagMs: 0,
                           outbox: try outbox.count(), lastSyncAt: state.lastSyncAt?.timeIntervalSince1970,
                           snapshotDone: state.snapshotDone, snapshotTotal: state.snapshotTotal, lastError: "agent not running")
    }

    struct SavedUser: Decodable { let user: User }

    /// The replica opened for reading only, as the console and `list` read it.
    static func reader(_ paths: AgentPaths) throws -> DatabasePool {
        guard FileManager.default.fileExists(atPath: paths.replica) else {
            throw ValidationError("no replica in \(paths.directory): start `fenghuo agent --data \(paths.directory) …` first.")
        }
        var config = Configuration()
        config.busyMode = .timeout(5)  // the agent may hold the lock a moment
        config.readonly = true
        return try DatabasePool(path: paths.replica, configuration: config)
    }
}

// MARK: list

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List what the replica holds: incidents, units, tickets, approvals, rejections or outbox.",
        discussion: """
            Reads the agent's files directly (the agent need not run). Newest first: incidents and tickets by when \
            they were reported, approval cases by the day they were accepted, units by their last status change, \
            rejections and queued commands by mutation id; --oldest-first turns the order round, and --limit keeps \
            the first N of it. Every item has id, version and status. The outbox shows each queued command with its \
            arguments (mobile and ID numbers masked; --json has them whole).
            """)

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case incidents, units, tickets, approvals, rejections, outbox
    }

    @Argument(help: "incidents, units, tickets, approvals, rejections or outbox.")
    var kind: Kind

    @Option(name: .long, help: "The agent's --data folder.")
    var data: String

    @Option(name: .long, help: "At most this many items, the newest (default: all).")
    var limit: Int?

    @Option(name: .long, help: "Only items in this status, by its code or its Chinese name (new or 待派); a wrong one lists them.")
    var status: String?

    @Option(name: .long, help: "Only items from this time on: 2026-12-01, 2026-12-01T09:00:00+08:00, or back from now: 30m, 2h, 7d.")
    var since: String?

    @Flag(name: .long, help: "Oldest first instead of newest first.")
    var oldestFirst = false

    @Option(name: .long, help: "Language of the refusals: en (default) or zh.")
    var lang: String = "en"

    @Flag(name: .long, help: "Print a JSON array (one object an item, every column).")
    var json = false

    func validate() throws {
        guard let language = Language(rawValue: lang) else { throw ValidationError("--lang '\(lang)' is not zh or en.") }
        if let limit, limit < 1 { throw ValidationError("--limit must be 1 or more, not \(limit).") }
        _ = try ListFilter(kind: kind, status: status, since: since, now: Date(), language: language)
    }

    func run() throws {
        let filter = try ListFilter(kind: kind, status: status, since: since, now: Date(), language: Language(rawValue: lang) ?? .en)
        let paths = AgentPaths(directory: data)
        let rows: [[String: SQLValue]]
        if kind == .outbox {
            let outbox = try Outbox(path: paths.outbox)
            var entries = try outbox.pending(after: 0, limit: Int.max).filter { e in filter.since.map { e.queuedAt >= $0 } ?? true }
            if !oldestFirst { entries.reverse() }
            rows = try entries.prefix(limit ?? Int.max).map { e in
                ["id": .integer(e.mutationID), "name": .text(e.name), "status": .text(e.withdrawn == nil ? "pending" : "withdrawn"),
                 "version": .integer(0), "args": .text(String(decoding: try JSONEncoder().encode(e.args), as: UTF8.self)),
                 "baseVersion": e.baseVersion.map { .integer(Int64($0)) } ?? .null,
                 "queuedAt": .real(e.queuedAt.timeIntervalSince1970),
                 "shown": .text(QueuedCommandText.line(name: e.name, args: e.args))]
            }
        } else {
            let (sql, arguments) = filter.query(oldestFirst: oldestFirst, limit: limit)
            rows = try LocalReplica.reader(paths).read { db in
                try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                    Dictionary(row.map { ($0.0, SQLValue($0.1)) }) { first, _ in first }
                }
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(rows.map { $0.filter { $0.key != "shown" } }), as: UTF8.self))
            return
        }
        let label: [Kind: String] = [.incidents: "address", .units: "name", .tickets: "summary", .approvals: "item_name",
                                     .rejections: "message", .outbox: "shown"]
        for row in rows {
            func text(_ key: String) -> String {
                switch row[key] ?? .null {
                case .text(let s): s
                case .integer(let i): String(i)
                case .real(let d): String(d)
                case .null: "-"
                }
            }
            var columns = [text("id"), "v" + text("version"), text("status")]
            if kind == .outbox, case .real(let at)? = row["queuedAt"] {
                columns.append(AuditCommand.Show.local(Int64(at * 1000)))
            }
            print((columns + [text(label[kind]!)]).joined(separator: "\t"))
        }
        FileHandle.standardError.write(Data("\(rows.count) \(kind.rawValue)\n".utf8))
    }
}

// MARK: submit

struct SubmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Send a command through the agent and wait until central applies or rejects it.",
        discussion: """
            Arguments are key=value (quote a value with spaces: address="沿江大道 12号"). A catalog value may be \
            given by its code or its Chinese or English name (type=火灾, district=江北区, department=城管局). \
            Nothing is queued unless every argument fits the command's declaration.
            Exit status: 0 applied (or queued, with --no-wait), 2 rejected (the reason is printed), 1 any other error.

            Commands (`fenghuo commands` lists them with their arguments):
            \(CommandsCommand.listing(language: .en))
            """)

    @Argument(help: "The command's name.")
    var name: String

    @Argument(help: "Arguments as key=value.")
    var arguments: [String] = []

    @Option(name: .long, help: "The agent's --data folder.")
    var data: String

    @Option(name: .long, help: "The version of the record you saw; a newer one on central rejects the command.")
    var baseVersion: Int?

    @Flag(name: .long, help: "Return once the command is queued on disk, without waiting for central.")
    var noWait = false

    @Option(name: .long, help: "Seconds to wait for central's answer (default: forever).")
    var timeout: Double?

    @Option(name: .long, help: "Language of the messages: zh or en.")
    var lang: String = "en"

    @Flag(name: .long, help: "Print the outcome as JSON.")
    var json = false

    /// The typed command the words name, checked against its declaration, catalog names turned
    /// into codes: what the console's `:submit` line gives for the same words (a fuzz test holds them to it).
    func command(directory: Directory) throws(CommandRejection) -> Command {
        try CommandInput.command(name, try CommandInput.pairs(arguments), catalog: directory)
    }

    func run() throws {
        guard let language = Language(rawValue: lang) else { throw ValidationError("--lang '\(lang)' is not zh or en.") }
        let strings = Strings(language)
        let paths = AgentPaths(directory: data)
        // The replica's reference tables turn the names a person types into codes.
        let directory = (try? ReplicaReader(readOnlyAt: paths.replica).directory()) ?? Directory()
        let command: Command
        do {
            command = try self.command(directory: directory)
        } catch {
            if json { try printJSON(AgentEventLine(.rejected(mutationID: nil, error))) }
            else { FileHandle.standardError.write(Data("refused before queueing: \(strings.rejection(error, directory: directory))\n".utf8)) }
            throw ExitCode(2)
        }
        let client = try AgentClient(socketPath: paths.socket)
        let queued = try client.call(.submit(command, baseVersion: baseVersion, wait: !noWait), timeout: 30)
        var outcome = queued
        if queued.kind == .queued, !noWait { outcome = try client.next(timeout: timeout) }
        let label = command.name.rawValue
        if json {
            try printJSON(AgentEventLine(outcome))
        } else {
            let id = outcome.mutationID.map { "#\($0)" } ?? ""
            switch outcome {
            case .queued: print("queued \(label) \(id)")
            case .applied: print("applied \(label) \(id)")
            case .rejected(let mutationID, let rejection, _):
                // A reason the catalog has no words for (a newer central's) is shown as its own sentence.
                let text = if case .other = rejection.reason { rejection.message } else { strings.rejection(rejection, directory: directory) }
                if mutationID == nil { print("refused by the agent before queueing \(label): \(rejection.code): \(text)") }
                else { print("rejected \(label) \(id): \(rejection.code): \(text)") }
            default: print("\(outcome.kind.rawValue): \(outcome.message ?? "")")
            }
        }
        switch outcome.kind {
        case .queued, .applied: return
        case .rejected: throw ExitCode(2)
        default: throw ExitCode(1)
        }
    }

    private func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

// MARK: commands

struct CommandsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commands",
        abstract: "List every command with its arguments, kinds, roles and an example (from the commands' declarations).")

    @Flag(name: .long, help: "Print the declarations as JSON.")
    var json = false

    @Flag(name: .long, help: "Print the permission matrix (who may send each command, who reads each record) as Markdown.")
    var matrix = false

    @Option(name: .long, help: "Language of the descriptions: zh or en.")
    var lang: String = "en"

    struct Listed: Encodable {
        struct Argument: Encodable {
            let key: String
            let kind: String
            let required: Bool
            let maxLength: Int?
            let values: [String]?
            let help: LocalizedText
            let example: String
        }
        let name: String
        let roles: [String]
        let summary: LocalizedText
        let target: String?
        let arguments: [Argument]
        let example: String
    }

    static func listed() -> [Listed] {
        Command.all.map { spec in
            Listed(name: spec.name.rawValue, roles: spec.roles.map(\.rawValue).sorted(), summary: spec.summary, target: spec.target,
                   arguments: spec.arguments.map { a in
                       let (kind, max, values): (String, Int?, [String]?) = switch a.kind {
                       case .text(let m): ("text", m, nil)
                       case .record(let e): ("\(e.rawValue)-id", nil, nil)
                       case .records(let e): ("\(e.rawValue)-ids", nil, nil)
                       case .flag: ("flag", nil, nil)
                       case .choice(let cs): ("choice", nil, cs.map(\.code))
                       case .catalog(let c): (c.rawValue, nil, nil)
                       case .coordinates: ("coordinates", TypedCoordinates.maxLength, nil)
                       case .number(let r): ("number \(r.lowerBound)-\(r.upperBound)", nil, nil)
                       }
                       return .init(key: a.key, kind: kind, required: a.required, maxLength: max, values: values, help: a.help,
                                    example: a.example)
                   }, example: "fenghuo submit " + spec.example)
        }
    }

    /// Each command on a line or two: name, roles, arguments with their kinds.
    static func listing(language: Language) -> String {
        let zh = language == .zh
        return Command.all.map { spec in
            let arguments = spec.arguments.map { a in
                "\(a.required ? "" : "[")\(a.key)=\(zh ? a.kind.label.zh : a.kind.label.en)\(a.required ? "" : "]")"
            }.joined(separator: " ")
            let roles = spec.roles.map(\.rawValue).sorted().joined(separator: ",")
            return "  \(spec.name.rawValue) (\(roles)): \(zh ? spec.summary.zh : spec.summary.en)\n      \(arguments)"
        }.joined(separator: "\n")
    }

    func run() throws {
        guard let language = Language(rawValue: lang) else { throw ValidationError("--lang '\(lang)' is not zh or en.") }
        if matrix {
            print(PermissionMatrix.markdown())
        } else if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(Self.listed()), as: UTF8.self))
        } else {
            print(Self.listing(language: language))
            print(language == .zh ? "\n例：" : "\nExamples:")
            for spec in Command.all { print("  fenghuo submit \(spec.example)") }
        }
    }
}
