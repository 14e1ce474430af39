import FenghuoLaunch
import FenghuoProtocol
import FenghuoSync
import Foundation
import GRDB
import Testing
import TestSupport

/// The demo across runs and while it runs: a command still queued when it ends is kept and
/// applied by the next run on the same folder; a child that dies is started again; bare
/// `fenghuo` opens another console on the running demo, or says what to run.
@Suite("The demo keeps queued work and its children", .serialized, .processes)
struct DemoQueueTests {
    /// The pid of the demo's child whose command line matches `pattern`.
    static func pid(_ pattern: String) -> Int32? {
        let found = try? Subprocess.output(of: "/usr/bin/pgrep", ["-f", pattern]).output
        return found?.split(separator: "\n").first.flatMap { Int32($0) }
    }

    /// Waits until `pattern` names a running process other than `old`.
    static func waitForPID(_ pattern: String, not old: Int32? = nil, timeout: TimeInterval = 20) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let pid = pid(pattern), pid != old { return pid }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return nil
    }

    static func demo(_ data: URL, extra: String = "") throws -> Tmux {
        try Tmux(width: 120, height: 40, command:
            "cd '\(DemoCity.repositoryRoot.path)' && env TERM=xterm-256color LANG=C.UTF-8 '\(Binary.path)' demo --data '\(data.path)' --rate 0 \(extra)")
    }

    /// Quits the console (answering a question about queued commands, if it asks one).
    static func quit(_ tmux: Tmux) -> Int? {
        tmux.press("q")
        let deadline = Date().addingTimeInterval(3)
        while Date() < deadline, (try? String(contentsOf: tmux.statusFile, encoding: .utf8)) == nil { Thread.sleep(forTimeInterval: 0.1) }
        if (try? String(contentsOf: tmux.statusFile, encoding: .utf8)) == nil { tmux.press("y") }
        return tmux.waitForExit(timeout: 20)
    }

    static func eventually(_ timeout: TimeInterval = 30, _ check: () throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? check()) == true { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try check()
    }

    /// The whole pane with its history, wrapped lines joined: what the demo printed around the console.
    static func printed(_ tmux: Tmux) -> String {
        (try? tmux.run(["capture-pane", "-p", "-J", "-S", "-500", "-t", "main"])) ?? ""
    }

    static func submit(_ agent: String, _ narrative: String, wait: Bool) throws -> (status: Int32, output: String) {
        try Binary.run(["submit", "createIncident", "type=theft", "district=binhu", "address=滨湖区湖心路8号",
                        "narrative=\(narrative)", "phone=13812345678", "--data", agent]
                       + (wait ? ["--timeout", "30"] : ["--no-wait"]))
    }

    @Test func a_command_queued_at_quit_is_kept_and_applied_by_the_next_run_and_dead_children_are_restarted() async throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("fenghuo-demoq-\(UUID().uuidString.prefix(8))")
        let data = parent.appendingPathComponent("demo-data")
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: parent) }
        let agent = data.appendingPathComponent("agent-duty").path
        let centralPattern = "fenghuo central serve --data \(data.path)/central"

        // Run 1: one command applied, then central paused and one more queued; quit.
        let first = try Self.demo(data)
        first.waitFor(text: "待发 0", timeout: 90)
        let applied = try Self.submit(agent, "run1-applied", wait: true)
        #expect(applied.status == 0, "\(applied.output)")
        let central1 = try #require(Self.pid(centralPattern))
        kill(central1, SIGSTOP)
        let queued = try Self.submit(agent, "run1-queued", wait: false)
        #expect(queued.output.contains("queued createIncident #2"), "\(queued.output)")
        #expect(Self.quit(first) == 0)
        // What the demo says on its way out: how many are kept, and the command that sends them.
        let goodbye = Self.printed(first)
        #expect(goodbye.contains("1 queued command is kept in \(agent)"), "\(goodbye)")
        #expect(goodbye.contains("the next `fenghuo demo --data \(data.path)` sends it"), "\(goodbye)")
        #expect(goodbye.contains("narrative=run1-queued phone=138****5678"), "\(goodbye)")

        // Run 2 on the same folder: the kept command is sent to the new central and applied.
        let second = try Self.demo(data)
        second.waitFor(text: "待发 0", timeout: 90)
        let central = try DatabaseQueue(path: data.appendingPathComponent("central/central.sqlite").path,
                                        configuration: { var c = Configuration(); c.readonly = true; return c }())
        let count = "SELECT count(*) FROM incident WHERE narrative = 'run1-queued'"
        #expect(try await Self.eventually { try central.read { try Int.fetchOne($0, sql: count) } == 1 })
        // Taken as the next of this console's commands: no stand-in refused for the id central never saw.
        let replica = try DatabaseQueue(path: AgentPaths(directory: agent).replica,
                                        configuration: { var c = Configuration(); c.readonly = true; return c }())
        #expect(try await replica.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM rejection") } == 0)
        #expect(try Outbox(path: AgentPaths(directory: agent).outbox).count() == 0)

        // Central killed: the console says so, the demo starts it again, the agent is back online.
        let central2 = try #require(Self.pid(centralPattern))
        kill(central2, SIGKILL)
        second.waitFor(text: "central 被信号 9 终止", timeout: 10)
        #expect(Self.waitForPID(centralPattern, not: central2) != nil)
        let afterCentral = try Self.submit(agent, "after-central-restart", wait: true)
        #expect(afterCentral.status == 0, "\(afterCentral.output)")
        // The agent killed: started again, and the console reaches it.
        let agentPattern = "fenghuo agent --central .* --data \(agent)"
        let agent2 = try #require(Self.pid(agentPattern))
        kill(agent2, SIGKILL)
        second.waitFor(text: "agent 被信号 9 终止", timeout: 10)
        #expect(Self.waitForPID(agentPattern, not: agent2) != nil)
        // The new agent answers on its socket once it has opened its files.
        #expect(try await Self.eventually(20) { try AgentClient(socketPath: AgentPaths(directory: agent).socket).call(.status, timeout: 2).status != nil })
        let afterAgent = try Self.submit(agent, "after-agent-restart", wait: true)
        #expect(afterAgent.status == 0, "\(afterAgent.output)")
        let log = (try? String(contentsOf: data.appendingPathComponent("logs/demo.log"), encoding: .utf8)) ?? ""
        #expect(log.contains("central was killed by signal 9; restarting it in 1 s (restart 1 of 5 within 60 s)"), "\(log)")
        #expect(log.contains("restarted central"), "\(log)")
        #expect(log.contains("restarted agent"), "\(log)")

        // Bare `fenghuo` beside the folder: another console on the running demo.
        let other = try Tmux(width: 120, height: 40, command:
            "cd '\(parent.path)' && env TERM=xterm-256color LANG=C.UTF-8 FENGHUO_THEMES='\(DemoCity.repositoryRoot.path)/Themes' '\(Binary.path)'")
        other.waitFor(text: "值班员", timeout: 20)
        other.waitFor(text: "待发 0", timeout: 20)
        other.press("q")
        #expect(other.waitForExit(timeout: 10) == 0)

        #expect(Self.quit(second) == 0)
        let said = Self.printed(second)
        #expect(said.contains("Kept 1 queued command from the last run"), "\(said)")
        #expect(!said.contains("queued command is kept"), "\(said)")
    }

    @Test func bare_fenghuo_with_no_demo_running_says_what_to_run() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("fenghuo-bare-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let run = try Subprocess.output(of: "/bin/sh", ["-c", "cd '\(empty.path)' && exec '\(Binary.path)'"])
        #expect(run.status == 1, "\(run.output)")
        #expect(run.output.contains("没有正在运行的演示。请运行 `fenghuo demo`（或 `make run`）"), "\(run.output)")
        #expect(run.output.contains("no demo is running in demo-data. Run `fenghuo demo` (or `make run`)"), "\(run.output)")
        #expect(!run.output.contains("fenghuo.sqlite"), "\(run.output)")
    }

    @Test func a_demo_on_a_folder_in_use_is_refused_and_discard_queue_lists_what_it_drops() async throws {
        // The cluster's folder is laid out as a demo's: central/ and agent-duty/, one command queued.
        let c = try SyncCluster()
        try await c.startCentral()
        try c.startAgent("duty", user: "duty1", password: "demoduty")
        try await c.waitSynced("duty")
        c.stopCentral()
        #expect(queue(try await c.client("duty"), "createIncident", incident("to-be-discarded")) == 1)
        // While its agent runs, the folder is its: a demo there is refused and touches nothing.
        let refused = try Binary.run(["demo", "--data", c.root.path, "--rate", "0"])
        #expect(refused.status != 0)
        #expect(refused.output.contains("A demo is already running on \(c.root.path) (the agent for duty holds"), "\(refused.output)")
        #expect(refused.output.contains("`fenghuo tui --data \(c.agentDir("duty"))`"), "\(refused.output)")
        #expect(FileManager.default.fileExists(atPath: c.paths("duty").replica))
        c.stopAgent("duty", SIGTERM)

        // --discard-queue drops the queue, and says which commands it dropped.
        let tmux = try Self.demo(c.root, extra: "--discard-queue")
        tmux.waitFor(text: "待发 0", timeout: 90)
        #expect(try Outbox(path: c.paths("duty").outbox).count() == 0)
        #expect(Self.quit(tmux) == 0)
        let said = Self.printed(tmux)
        #expect(said.contains("Discarded 1 queued command from the last run (--discard-queue):"), "\(said)")
        #expect(said.contains("#1 createIncident type=theft district=binhu address=滨湖区湖心路8号 narrative=to-be-discarded"), "\(said)")
        let central = try DatabaseQueue(path: c.centralDir.appendingPathComponent("central.sqlite").path)
        #expect(try await central.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM incident WHERE narrative = 'to-be-discarded'") } == 0)
    }
}

/// The supervisor on its own, with a child that can never run (an unknown subcommand exits 64
/// at once) and a fast policy: restarts back off by doubling and stop at the limit.
@Suite("The demo's supervisor", .processes)
struct SupervisorTests {
    @Test func a_child_that_keeps_stopping_is_restarted_with_doubling_waits_then_left_stopped() throws {
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("fenghuo-supervisor-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: logs) }
        let children = try ChildProcesses(logs: logs)
        var policy = Supervisor.Policy()
        policy.firstDelay = 0.2
        policy.limit = 2
        let supervisor = Supervisor(children: children, log: logs.appendingPathComponent("demo.log"), policy: policy)
        try supervisor.start("broken", ["no-such-subcommand"])
        supervisor.watch()
        var notices: [Supervisor.Notice] = []
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !notices.contains(where: { if case .gaveUp = $0.event { true } else { false } }) {
            notices += supervisor.drain()
            Thread.sleep(forTimeInterval: 0.05)
        }
        supervisor.stop()
        children.stopAll()
        let events = notices.map(\.event).map { event -> String in
            switch event {
            case .stopped(let how, let delay, let attempt, let limit): "stopped \(how) in \(delay) \(attempt)/\(limit)"
            case .restarted: "restarted"
            case .gaveUp(let how, let restarts): "gave up \(how) after \(restarts)"
            }
        }
        #expect(events == ["stopped exited with status 64 in 0.2 1/2", "restarted", "stopped exited with status 64 in 0.4 2/2",
                           "restarted", "gave up exited with status 64 after 2"])
        #expect(notices.allSatisfy { $0.child == "broken" })
        let log = try String(contentsOf: logs.appendingPathComponent("demo.log"), encoding: .utf8)
        #expect(log.contains("broken exited with status 64; restarting it in 0.2 s (restart 1 of 2 within 60 s)"), "\(log)")
        #expect(log.contains("broken exited with status 64 after 2 restarts within 60 s; not restarting it (see logs/broken.log)"), "\(log)")
        // Three runs, each one's own output in the child's log.
        let output = try String(contentsOf: logs.appendingPathComponent("broken.log"), encoding: .utf8)
        #expect(output.components(separatedBy: "Usage: fenghuo").count - 1 == 3, "\(output)")
    }
}
