import ArgumentParser
import FenghuoSync
import Foundation

/// One measured figure: median and p99 over samples, beside the reference measured in the same
/// run and the target it is judged by.
struct BenchFigure: Codable {
    let scenario: String
    let metric: String
    let unit: String
    let median: Double
    /// For times: the 99th percentile (higher is worse). For rates: the 1st (lower is worse).
    let p99: Double
    let samples: Int
    let reference: String?
    let referenceMedian: Double?
    let target: String
    let pass: Bool?
}

enum Stats {
    /// Nearest-rank percentile of `values` (0…100).
    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }

    static func median(_ values: [Double]) -> Double { percentile(values, 50) }
}

/// Child processes of a benchmark, each with its log file; all stopped at the end.
final class BenchProcesses {
    let logs: URL
    private var running: [Process] = []

    init(logs: URL) throws {
        self.logs = logs
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
    }

    static var executable: URL { URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath() }

    @discardableResult
    func start(_ name: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = Self.executable
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
        running.append(process)
        return process
    }

    /// Runs to the end; returns the exit status and what it printed.
    static func output(_ arguments: [String]) throws -> (Int32, String) {
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

    func stop(_ process: Process) {
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(3)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        running.removeAll { $0 === process }
    }

    func stopAll() { for p in running { stop(p) } }

    deinit { stopAll() }

    /// Peak resident memory of a running process, in bytes (VmHWM).
    static func peakRSS(_ pid: Int32) -> Int? { statusField(pid, "VmHWM") }

    static func statusField(_ pid: Int32, _ field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            let digits = line.split(separator: " ").compactMap { Int($0) }
            return digits.first.map { $0 * 1024 }
        }
        return nil
    }
}

/// Waits for an agent's replica to be ready; returns the status.
func waitForAgent(_ paths: AgentPaths, timeout: TimeInterval, process: Process) throws -> AgentStatus {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        guard process.isRunning else { throw ValidationError("the agent in \(paths.directory) exited; see its log") }
        if let status = try? AgentClient(socketPath: paths.socket).call(AgentRequest(op: .status), timeout: 2).status,
           status.phase == "ready" {
            return status
        }
        Thread.sleep(forTimeInterval: 0.02)
    }
    throw ValidationError("the agent in \(paths.directory) did not finish its snapshot in \(Int(timeout)) s")
}

func waitForHealth(_ base: URL, timeout: TimeInterval = 30) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if let data = try? Data(contentsOf: base.appendingPathComponent("healthz")), !data.isEmpty { return }
        Thread.sleep(forTimeInterval: 0.05)
    }
    throw ValidationError("central at \(base) did not answer /healthz in \(Int(timeout)) s")
}
