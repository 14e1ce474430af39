import ArgumentParser
import FenghuoProtocol
import FenghuoSync
import Foundation

/// Child processes (the demo's, a benchmark's), each logging to its own file; all stopped at the
/// end, and each told to exit if this process dies first. Safe to use from more than one
/// thread (the demo's `Supervisor` restarts children from its own).
public final class ChildProcesses: @unchecked Sendable {
    public let logs: URL
    private let lock = NSLock()
    private var running: [Process] = []
    /// The executable, resolved once: a rebuild replaces the file while the demo runs, and
    /// `/proc/self/exe` then names a deleted one, which a restart could not start.
    private let program = ChildProcesses.executable

    public init(logs: URL) throws {
        self.logs = logs
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
    }

    /// This process's own executable.
    public static var this: URL { URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath() }
    /// The `fenghuo` executable children are started from: this one, or the one beside it (for
    /// `fenghuo-bench`).
    public static var executable: URL {
        let me = this
        return me.lastPathComponent == "fenghuo" ? me : me.deletingLastPathComponent().appendingPathComponent("fenghuo")
    }

    @discardableResult
    public func start(_ name: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments + ["--exit-with-parent", String(getpid())]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let log = logs.appendingPathComponent("\(name).log")
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        lock.withLock { running.append(process) }
        return process
    }

    /// Stops tracking a child that has exited (it is being started again as a new process).
    public func forget(_ process: Process) {
        lock.withLock { running.removeAll { $0 === process } }
    }

    /// Runs to the end; returns the exit status and what it printed.
    public static func output(_ arguments: [String], executable: URL = ChildProcesses.executable) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    public func stop(_ process: Process) {
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(3)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        forget(process)
    }

    /// Asks every child to stop at once, waits up to 2 s for them together, then kills the rest
    /// (central would otherwise hold open long-polls for their full wait).
    public func stopAll() {
        let running = lock.withLock { defer { self.running.removeAll() }; return self.running }
        for p in running where p.isRunning { p.terminate() }
        let deadline = Date().addingTimeInterval(2)
        while running.contains(where: \.isRunning), Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        for p in running where p.isRunning { kill(p.processIdentifier, SIGKILL) }
        for p in running { p.waitUntilExit() }
    }

    /// The log name of a child that has stopped on its own, if any.
    public func exited() -> String? {
        lock.withLock { running.first { !$0.isRunning } }.map { ($0.arguments ?? []).prefix(2).joined(separator: " ") }
    }

    deinit { stopAll() }

    /// Peak resident memory of a running process, in bytes (VmHWM).
    public static func peakRSS(_ pid: Int32) -> Int? { statusField(pid, "VmHWM") }

    /// CPU seconds (user and system) the process has used so far.
    public static func cpuSeconds(_ pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // Fields after the command's closing parenthesis: state is the 3rd field, utime the 14th.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    public static func statusField(_ pid: Int32, _ field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            let digits = line.split(separator: " ").compactMap { Int($0) }
            return digits.first.map { $0 * 1024 }
        }
        return nil
    }
}


/// Waits until an agent's replica holds its first snapshot; returns its status. `stopped` names a
/// process that died meanwhile (then this fails at once); `progress` sees each status on the way.
public func waitForAgent(_ paths: AgentPaths, timeout: TimeInterval, stopped: () -> String?,
                  progress: (AgentStatus) -> Void = { _ in }) throws -> AgentStatus {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if let dead = stopped() { throw ValidationError("`fenghuo \(dead)` stopped before the first sync; see its log") }
        if let status = try? AgentClient(socketPath: paths.socket).call(.status, timeout: 2).status {
            if status.phase == .ready { return status }
            progress(status)
        }
        Thread.sleep(forTimeInterval: 0.02)
    }
    throw ValidationError("the agent in \(paths.directory) did not finish its first sync in \(Int(timeout)) s; see its log")
}
