import Foundation

/// Keeps children running (the demo's central, agent and simulator): one that stops on its own
/// is started again with the same arguments after 1 s, then 2 s, 4 s … while it keeps stopping,
/// and is left stopped once it has been restarted `limit` times within a minute (a child that
/// cannot start would otherwise spin). Every event is a line in `log` (the demo's
/// `logs/demo.log`) and a `Notice` for whoever shows it (the demo's console).
///
/// The watch runs on a thread of its own from `watch()` until `stop()`; the children it starts
/// are `children`'s, so `ChildProcesses.stopAll()` still stops every one of them.
public final class Supervisor: @unchecked Sendable {
    public struct Policy: Sendable {
        /// The wait before the first restart; each further restart within `window` doubles it.
        public var firstDelay: TimeInterval = 1
        /// Restarts allowed within `window`; the next stop is final.
        public var limit = 5
        public var window: TimeInterval = 60
        public init() {}
    }

    /// How a child ended.
    public enum Ending: Sendable, Equatable, CustomStringConvertible {
        case exited(status: Int32)
        case killed(signal: Int32)
        /// Its restart failed: the executable could not be run.
        case notStarted(String)

        init(_ process: Process) {
            self = process.terminationReason == .uncaughtSignal ? .killed(signal: process.terminationStatus)
                : .exited(status: process.terminationStatus)
        }

        public var description: String {
            switch self {
            case .exited(let status): "exited with status \(status)"
            case .killed(let signal): "was killed by signal \(signal)"
            case .notStarted(let why): "could not be started (\(why))"
            }
        }
    }

    /// What happened to a child, for the person watching.
    public struct Notice: Sendable, Equatable {
        public enum Event: Sendable, Equatable {
            /// It stopped; restart `attempt` of the policy's `limit` follows after `delay` seconds.
            case stopped(Ending, delay: TimeInterval, attempt: Int, limit: Int)
            case restarted(pid: Int32)
            /// Stopped again after `restarts` restarts within the window: left stopped.
            case gaveUp(Ending, restarts: Int)
        }
        public let child: String
        public let event: Event
    }

    private struct Child {
        let name: String
        let arguments: [String]
        let environment: [String: String]
        var process: Process
        /// When it was restarted, within the policy's window.
        var restarts: [Date] = []
        var restartAt: Date?
        var givenUp = false
    }

    public let children: ChildProcesses
    public let log: URL
    public let policy: Policy
    private let lock = NSLock()
    private var supervised: [Child] = []
    private var notices: [Notice] = []
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)
    private var watching = false

    public init(children: ChildProcesses, log: URL, policy: Policy = Policy()) {
        self.children = children
        self.log = log
        self.policy = policy
    }

    /// Starts a child and keeps it running from `watch()` on.
    public func start(_ name: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        let process = try children.start(name, arguments, environment: environment)
        lock.withLock { supervised.append(Child(name: name, arguments: arguments, environment: environment, process: process)) }
        record("started \(name) (pid \(process.processIdentifier))")
    }

    /// Begins watching on a thread of its own.
    public func watch() {
        lock.withLock { watching = true }
        let thread = Thread { [self] in
            while !lock.withLock({ stopping }) {
                step(now: Date())
                Thread.sleep(forTimeInterval: 0.1)
            }
            finished.signal()
        }
        thread.name = "supervisor"
        thread.start()
    }

    /// Ends the watch (waiting for a restart under way) so that nothing is started again while
    /// the children are stopped.
    public func stop() {
        let wasWatching = lock.withLock {
            defer { stopping = true; watching = false }
            return watching && !stopping
        }
        if wasWatching { _ = finished.wait(timeout: .now() + 5) }
    }

    /// The first child it stopped restarting (its restarts within the window ran out), if any.
    public func givenUp() -> String? {
        lock.withLock { supervised.first { $0.givenUp }?.name }
    }

    /// The notices since the last call.
    public func drain() -> [Notice] {
        lock.withLock {
            defer { notices.removeAll() }
            return notices
        }
    }

    /// One look at every child: a stopped one is scheduled for a restart (or given up on), one
    /// whose time has come is started again.
    private func step(now: Date) {
        for index in lock.withLock({ supervised.indices }) {
            guard !lock.withLock({ stopping }) else { return }
            var child = lock.withLock { supervised[index] }
            if let at = child.restartAt {
                guard now >= at else { continue }
                child.restartAt = nil
                do {
                    child.process = try children.start(child.name, child.arguments, environment: child.environment)
                    post(child.name, .restarted(pid: child.process.processIdentifier),
                         "restarted \(child.name) (pid \(child.process.processIdentifier))")
                } catch {
                    schedule(&child, how: .notStarted("\(error)"), now: now)
                }
            } else if !child.givenUp, let ending = Self.ending(of: child.process) {
                children.forget(child.process)
                schedule(&child, how: ending, now: now)
            }
            lock.withLock { supervised[index] = child }
        }
    }

    private func schedule(_ child: inout Child, how: Ending, now: Date) {
        child.restarts.removeAll { now.timeIntervalSince($0) >= policy.window }
        let done = child.restarts.count
        guard done < policy.limit else {
            child.givenUp = true
            post(child.name, .gaveUp(how, restarts: done),
                 "\(child.name) \(how) after \(done) restarts within \(Int(policy.window)) s; not restarting it (see logs/\(child.name).log)")
            return
        }
        let delay = policy.firstDelay * Double(1 << done)
        child.restarts.append(now)
        child.restartAt = now.addingTimeInterval(delay)
        post(child.name, .stopped(how, delay: delay, attempt: done + 1, limit: policy.limit),
             "\(child.name) \(how); restarting it in \(Self.seconds(delay)) (restart \(done + 1) of \(policy.limit) within \(Int(policy.window)) s)")
    }

    /// How the child ended; nil while it runs. Read without reaping it: Foundation reaps its
    /// children on a dispatch queue, which runs late when every thread of the pool is busy (a
    /// loaded test run saw 18 s), and `WNOWAIT` leaves the child for it.
    static func ending(of process: Process) -> Ending? {
        if !process.isRunning { return Ending(process) }
        var info = siginfo_t()
        guard waitid(P_PID, id_t(process.processIdentifier), &info, WEXITED | WNOHANG | WNOWAIT) == 0 else { return nil }
        let child = info._sifields._sigchld
        guard child.si_pid == process.processIdentifier else { return nil }  // still running
        return info.si_code == Int32(CLD_EXITED) ? .exited(status: child.si_status) : .killed(signal: child.si_status)
    }

    public static func seconds(_ t: TimeInterval) -> String { t == t.rounded() ? "\(Int(t)) s" : String(format: "%.1f s", t) }

    private func post(_ child: String, _ event: Notice.Event, _ line: String) {
        lock.withLock { notices.append(Notice(child: child, event: event)) }
        record(line)
    }

    /// A line of its own in the log (the demo's start and end).
    public func note(_ line: String) { record(line) }

    /// A line in the log, stamped as the children's own log lines are.
    private func record(_ line: String) {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ssZ"
        f.locale = Locale(identifier: "en_US_POSIX")
        let text = "\(f.string(from: Date())) \(line)\n"
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        guard let handle = try? FileHandle(forWritingTo: log) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: Data(text.utf8))
    }
}
