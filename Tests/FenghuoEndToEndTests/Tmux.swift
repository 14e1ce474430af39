import Foundation
import Testing
import TestSupport

/// Runs a program in a real terminal: a detached tmux server of its own (so tests can run in
/// parallel), driven with send-keys and read with capture-pane. Waits poll the screen instead of
/// sleeping for a guessed time.
final class Tmux {
    let socket: String
    let configFile: URL
    /// The pane's shell writes the program's exit status here: tmux's own record of it is
    /// not dependable when the server was started from a test runner.
    let statusFile: URL

    /// `command` is a shell command; its exit status is recorded when it ends.
    init(width: Int, height: Int, command: String) throws {
        socket = "fenghuo-e2e-\(UUID().uuidString.prefix(8))"
        configFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket).conf")
        statusFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket).status")
        let command = "\(command); echo $? > '\(statusFile.path)'"
        // Keep a dead pane (to read its exit status) and let resize-window set the size.
        try "set -g remain-on-exit on\nset -g status off\n".write(to: configFile, atomically: true, encoding: .utf8)
        try run(["-f", configFile.path, "new-session", "-d", "-s", "main", "-x", "\(width)", "-y", "\(height)", command])
        // Set after start: tmux 3.3 refuses to start a server with this in its config file.
        try run(["set-option", "-g", "window-size", "manual"])
    }

    deinit {
        _ = try? run(["kill-server"])
        try? FileManager.default.removeItem(at: configFile)
        try? FileManager.default.removeItem(at: statusFile)
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        try Subprocess.output(of: "/usr/bin/env", ["tmux", "-L", socket] + arguments).output
    }

    func screen() -> String { (try? run(["capture-pane", "-p", "-t", "main"])) ?? "" }

    /// Keys by tmux name (`Enter`, `Escape`, `F2`, `Down`) or single characters.
    func press(_ keys: String...) { _ = try? run(["send-keys", "-t", "main"] + keys) }

    /// Text typed literally, Chinese included.
    func type(_ text: String) { _ = try? run(["send-keys", "-t", "main", "-l", text]) }

    func resize(width: Int, height: Int) { _ = try? run(["resize-window", "-t", "main", "-x", "\(width)", "-y", "\(height)"]) }

    func value(_ format: String) -> String {
        ((try? run(["display-message", "-p", "-t", "main", format])) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Waits until the screen satisfies `condition`; records an issue with the screen if it never does.
    @discardableResult
    func waitFor(_ what: String, timeout: TimeInterval = 20, quietly: Bool = false, sourceLocation: SourceLocation = #_sourceLocation,
                 _ condition: (String) -> Bool) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = screen()
            if condition(last) { return last }
            Thread.sleep(forTimeInterval: 0.05)
        }
        if quietly { return last }
        // A program that ended says how: its exit status (143 = SIGTERM, 0 = it quit).
        if let status = try? String(contentsOf: statusFile, encoding: .utf8) {
            last += "\n[the program exited with status \(status.trimmingCharacters(in: .whitespacesAndNewlines))]"
        }
        // Also on disk: a screen with control characters can get lost in the test log.
        try? "waiting for \(what)\n\(last)".write(toFile: FileManager.default.temporaryDirectory
            .appendingPathComponent("fenghuo-e2e-timeout.txt").path, atomically: true, encoding: .utf8)
        Issue.record("timed out waiting for \(what); screen was:\n\(last)", sourceLocation: sourceLocation)
        return last
    }

    @discardableResult
    func waitFor(text: String, timeout: TimeInterval = 20, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        waitFor("'\(text)'", timeout: timeout, sourceLocation: sourceLocation) { $0.contains(text) }
    }

    /// The dispatch queue with its rows read: a `:` verb pinned before them has no target.
    @discardableResult
    func waitForQueue(timeout: TimeInterval = 20, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        waitFor("the incident queue and its rows", timeout: timeout, sourceLocation: sourceLocation) {
            $0.contains("警情队列") && $0.range(of: "J20[0-9]{6}-[0-9]{4}", options: .regularExpression) != nil
        }
    }

    /// Presses `key` until the screen shows `text` (once a second, up to `timeout`): for a key
    /// the program may refuse while it starts (`n` before the directory is read says so).
    @discardableResult
    func press(_ key: String, until text: String, timeout: TimeInterval = 20,
               sourceLocation: SourceLocation = #_sourceLocation) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            press(key)
            let screen = waitFor("'\(text)' after \(key)", timeout: 1, quietly: true) { $0.contains(text) }
            if screen.contains(text) { return screen }
        }
        return waitFor(text: text, timeout: 0.1, sourceLocation: sourceLocation)
    }

    /// Waits for the program to exit; returns its exit status, as the pane's shell wrote it.
    func waitForExit(timeout: TimeInterval = 10, sourceLocation: SourceLocation = #_sourceLocation) -> Int? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let text = try? String(contentsOf: statusFile, encoding: .utf8),
               let status = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return status
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("the program did not exit; screen was:\n\(screen())", sourceLocation: sourceLocation)
        return nil
    }

    /// The console's own process id (the pane runs a shell that waits for it).
    func consolePID() -> Int32? {
        guard let shell = Int32(value("#{pane_pid}")) else { return nil }
        let children = try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        return children?.split(separator: " ").first.flatMap { Int32($0) }
    }
}

/// The built binary and a demo database seeded once for the whole suite at a fixed instant.
enum Binary {
    static var path: String { DemoCity.repositoryRoot.appendingPathComponent(".build/debug/fenghuo").path }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        try Subprocess.output(of: path, arguments, environment: environment)
    }

    /// The same, waited for on a thread of its own: a long run (a benchmark, the simulator) must
    /// not hold one of the few threads every other test's async work needs meanwhile.
    static func runDetached(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try run(arguments) }) }.start()
        }
    }

    /// Seeded by the real `fenghuo seed`, once.
    static let database: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fenghuo-e2e-\(getpid()).sqlite").path
        guard FileManager.default.isExecutableFile(atPath: Binary.path) else {
            fatalError("\(Binary.path) is missing: run `make test` (it builds first)")
        }
        let result = try? run(["seed", "--db", path, "--now", "2026-12-01T10:00:00+08:00"])
        guard result?.status == 0 else { fatalError("fenghuo seed failed: \(result?.output ?? "did not start")") }
        return path
    }()

    /// The shell command tmux runs: the console on an agent's folder (`arguments`: `--lang en` …).
    static func console(onAgent folder: String, arguments: String = "") -> String {
        "cd '\(DemoCity.repositoryRoot.path)' && env TERM=xterm-256color LANG=C.UTF-8 '\(path)' tui --data '\(folder)'"
            + (arguments.isEmpty ? "" : " " + arguments)
    }

    /// The shell command tmux runs: the console on the seeded database, under a given TERM.
    static func console(term: String = "xterm-256color", arguments: String = "") -> String {
        "cd '\(DemoCity.repositoryRoot.path)' && env TERM=\(term) LANG=C.UTF-8 '\(path)' tui --db '\(database)' \(arguments)"
    }
}

/// Runs a program to completion and returns its status and output (stdout and stderr together).
///
/// Output goes to a temporary file, not a pipe: a tmux server started by one call lives on and
/// inherits open descriptors, and a pipe it held would never reach end-of-file. Spawned with
/// posix_spawn and reaped with waitpid, so nothing depends on a run loop in the test's thread.
enum Subprocess {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts a long-running program (a server) with its output in `log`; returns its pid.
    static func start(_ executable: String, _ arguments: [String], log: URL,
                      environment: [String: String] = [:]) throws -> pid_t {
        try spawn(executable, arguments, environment: environment, output: log, append: true)
    }

    static func output(of executable: String, _ arguments: [String],
                       environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fenghuo-out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        let pid = try spawn(executable, arguments, environment: environment, output: file)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        // WIFEXITED / WEXITSTATUS, which Swift does not import as macros.
        let exited = (status & 0x7f) == 0
        return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), text)
    }

    private static func spawn(_ executable: String, _ arguments: [String], environment: [String: String],
                              output file: URL, append: Bool = false) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, file.path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let env = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }.map { "\($0)=\($1)" }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        // A child inherits the calling thread's signal mask, and test-runner threads block
        // signals: without this the tmux server never sees SIGCHLD and the console never SIGWINCH.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw Failure(description: "cannot start \(executable): \(String(cString: strerror(spawned)))") }
        return pid
    }
}
