import ArgumentParser
import FenghuoConsole
import FenghuoDomain
import FenghuoLaunch
import FenghuoProtocol
import FenghuoSync
import Foundation

/// The demo's data folder across runs. Each run seeds central anew and starts the agent and the
/// simulator from scratch, but what the agent still had queued is the user's work: its outbox
/// (and with it the console's client id) is kept and sent by the next run, or dropped only when
/// `--discard-queue` asks for it, and either way the demo says what it did.
struct DemoFolder {
    let root: URL
    let role: String

    var logs: URL { root.appendingPathComponent("logs") }
    var central: String { root.appendingPathComponent("central").path }
    var agent: String { agentFolder(role) }
    var simulator: String { root.appendingPathComponent("simulator").path }
    func agentFolder(_ role: String) -> String { root.appendingPathComponent("agent-\(role)").path }

    /// The outbox's own files: the database and its write-ahead log (a killed agent's last
    /// commands may be only there).
    static let outboxFiles = ["outbox.sqlite", "outbox.sqlite-wal", "outbox.sqlite-shm"]

    /// What a run keeps from the last one.
    struct KeptQueue {
        let clientID: String
        /// Each command as `#ID name key=value …`, numbers masked.
        let lines: [String]
    }

    /// Where `fenghuo demo` keeps its folder unless told (`--data`), and bare `fenghuo` looks.
    static let defaultData = "demo-data"

    // MARK: Another console

    /// The agent of the demo running in `root`, and its role's pane, for a console of its own.
    /// With none running it prints what to run (in Chinese and English) and exits with status 1.
    static func running(root: URL) throws -> (agent: String, pane: PaneID) {
        let roles = Demo.accounts.keys.sorted()
        for role in roles {
            let agent = DemoFolder(root: root, role: role).agent
            if isLocked(AgentPaths(directory: agent).lock), let account = Demo.accounts[role] { return (agent, account.pane) }
        }
        var lines = [
            "烽火：\(root.lastPathComponent) 里没有正在运行的演示。请运行 `fenghuo demo`（或 `make run`）：它生成演示城市云川市，启动 central、代理和模拟器，并打开控制台。",
            "Fenghuo: no demo is running in \(root.lastPathComponent). Run `fenghuo demo` (or `make run`): it seeds the demo city, "
                + "starts central, an agent and the simulator, and opens the console.",
        ]
        let waiting = roles.compactMap { (try? Self.queued(in: DemoFolder(root: root, role: $0).agent))??.lines.count }.reduce(0, +)
        if waiting > 0 {
            lines.append("上次运行保留了 \(waiting) 条待发命令，`fenghuo demo` 会发送。\nThe last run kept \(waiting) queued command\(waiting == 1 ? "" : "s"); `fenghuo demo` sends \(waiting == 1 ? "it" : "them").")
        }
        lines.append("Other ways in: `fenghuo tui --data DIR` (an agent's folder), `fenghuo tui --db FILE` (a database from `fenghuo seed`), `fenghuo --help`.")
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        throw ExitCode(1)
    }

    // MARK: Before a run

    /// Refuses a folder a demo is running on: seeding would pull central's store from under it
    /// and clearing the agent's folder would take its replica.
    func refuseIfRunning() throws {
        let roles = Demo.accounts.keys.sorted()
        let held = [(root.appendingPathComponent("central/central.lock").path, "central")]
            + roles.map { (AgentPaths(directory: agentFolder($0)).lock, "the agent for \($0)") }
        for (lock, who) in held where Self.isLocked(lock) {
            let console = roles.first { Self.isLocked(AgentPaths(directory: agentFolder($0)).lock) }
                .map { " or open another console on it with `fenghuo tui --data \(agentFolder($0))`" } ?? ""
            throw ValidationError("""
                演示已在 \(root.path) 运行。
                A demo is already running on \(root.path) (\(who) holds \(lock)): \
                quit it first\(console), or give this one another folder (--data DIR).
                """)
        }
    }

    /// Clears the agent's and the simulator's folders for a new run. The agent's queued
    /// commands are kept (its outbox, so the same client id and mutation ids go on), unless
    /// `discard`; either way the user is told which commands, and what becomes of them.
    func prepare(discardQueue discard: Bool) throws -> KeptQueue? {
        let queue: KeptQueue?
        do {
            queue = try Self.queued(in: agent)
        } catch {
            let outbox = AgentPaths(directory: agent).outbox
            guard discard else {
                throw ValidationError("cannot read the commands queued in \(outbox): \(error). Nothing was deleted: move the file away, or run with --discard-queue to drop it.")
            }
            print("已按 --discard-queue 丢弃无法读取的待发队列。\nDiscarded the unreadable queue in \(outbox) (--discard-queue): \(error)")
            queue = nil
        }
        let keep = !discard && !(queue?.lines.isEmpty ?? true)
        try? FileManager.default.removeItem(atPath: simulator)
        if keep, let names = try? FileManager.default.contentsOfDirectory(atPath: agent) {
            for name in names where !Self.outboxFiles.contains(name) {
                try FileManager.default.removeItem(atPath: (agent as NSString).appendingPathComponent(name))
            }
        } else {
            try? FileManager.default.removeItem(atPath: agent)
        }
        guard let queue, !queue.lines.isEmpty else { return nil }
        let n = queue.lines.count
        if keep {
            print("保留上次未发出的 \(n) 条待发命令，central 启动后发送。\nKept \(n) queued command\(n == 1 ? "" : "s") from the last run; "
                + "\(n == 1 ? "it" : "they") will be sent once central is up (--discard-queue drops \(n == 1 ? "it" : "them")):")
        } else {
            print("已按 --discard-queue 丢弃上次未发出的 \(n) 条待发命令。\nDiscarded \(n) queued command\(n == 1 ? "" : "s") "
                + "from the last run (--discard-queue):")
        }
        for line in queue.lines { print("  \(line)") }
        return keep ? queue : nil
    }

    /// Queued commands left in other roles' folders: they wait for a run as that role (central
    /// is seeded again for this one, and they will be sent to that one).
    func otherQueues() -> [String] {
        Demo.accounts.keys.sorted().filter { $0 != role }.compactMap { other in
            guard let count = (try? Self.queued(in: agentFolder(other)))??.lines.count, count > 0 else { return nil }
            return "agent-\(other) 中还有 \(count) 条待发命令。\nagent-\(other) still holds \(count) queued command\(count == 1 ? "" : "s"); "
                + "`\(command(as: other))` sends \(count == 1 ? "it" : "them")"
        }
    }

    // MARK: After a run

    /// What is still queued once every child has stopped, and how the next run sends it; nil
    /// when nothing is.
    func queueReport() -> String? {
        guard let lines = (try? Self.queued(in: agent))??.lines, !lines.isEmpty else { return nil }
        let n = lines.count
        return """
            \(n) 条待发命令保留在 \(agent)，下次 `\(command(as: role))` 时发送。
            \(n) queued command\(n == 1 ? " is" : "s are") kept in \(agent); the next `\(command(as: role))` sends \(n == 1 ? "it" : "them"):
            """ + lines.map { "\n  \($0)" }.joined()
    }

    /// The command that runs the demo again on this folder as `role`.
    func command(as role: String) -> String {
        "fenghuo demo --data \(root.path)" + (role == "duty" ? "" : " --as \(role)")
    }

    // MARK: Files

    /// The agent folder's outbox: its client id and queued commands; nil when it has none.
    static func queued(in folder: String) throws -> KeptQueue? {
        let paths = AgentPaths(directory: folder)
        guard FileManager.default.fileExists(atPath: paths.outbox) else { return nil }
        let outbox = try Outbox(path: paths.outbox)
        let lines = try outbox.pending(after: 0, limit: Int.max).map { "#\($0.mutationID) " + QueuedCommandText.line(name: $0.name, args: $0.args) }
        return KeptQueue(clientID: outbox.clientID, lines: lines)
    }

    /// Whether another process holds the lock file (flock), without taking it.
    static func isLocked(_ path: String) -> Bool {
        let fd = open(path, O_RDWR)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return errno == EWOULDBLOCK }
        flock(fd, LOCK_UN)
        return false
    }

    // MARK: The console

    /// A child's news as the console's status line says it, in its language.
    static func text(_ notice: Supervisor.Notice, language: Language) -> String? {
        let zh = language == .zh
        let name = notice.child
        func ending(_ e: Supervisor.Ending) -> String {
            switch e {
            case .exited(let status): zh ? "已退出（状态 \(status)）" : "exited (status \(status))"
            case .killed(let signal): zh ? "被信号 \(signal) 终止" : "was killed (signal \(signal))"
            case .notStarted: zh ? "无法启动" : "could not be started"
            }
        }
        switch notice.event {
        case .stopped(let e, let delay, let attempt, let limit):
            let wait = Supervisor.seconds(delay)
            return zh ? "演示：\(name) \(ending(e))，\(wait.replacingOccurrences(of: " s", with: " 秒"))后重启（一分钟内第 \(attempt)/\(limit) 次）"
                : "demo: \(name) \(ending(e)); restarting it in \(wait) (\(attempt) of \(limit) a minute)"
        case .gaveUp(let e, let restarts):
            return zh ? "演示：\(name) \(ending(e))，一分钟内已重启 \(restarts) 次，不再重启；见 logs/\(name).log，退出后重新运行 fenghuo demo"
                : "demo: \(name) \(ending(e)) after \(restarts) restarts in a minute; left stopped — see logs/\(name).log, quit and run fenghuo demo again"
        case .restarted:
            return nil
        }
    }
}
