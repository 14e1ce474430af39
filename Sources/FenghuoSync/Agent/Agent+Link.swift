import FenghuoProtocol
import Foundation

/// The agent's link to central as one `ConnectionState`: how a silent central is noticed within
/// seconds (a heartbeat while a request waits), how retries are described (attempt, next try),
/// and how a refused password stops the logins until a new one comes.
extension Agent {
    // MARK: Noticing a silent central

    /// While a request waits for central (the long-poll, most of the time) and nothing has come
    /// back for `heartbeatAfter` seconds, asks `/healthz` on another connection with a
    /// `heartbeatTimeout`. No answer: every waiting request is ended and the pull loop retries.
    /// A long-poll alone would only fail at its own timeout (25 s + 15 s); a busy feed answers
    /// often enough that no heartbeat is sent at all.
    func heartbeatLoop() async {
        guard config.heartbeatAfter > 0 else { return }
        while !Task.isCancelled, revocation == nil {
            let quiet = client.secondsSinceAnswer
            if quiet < config.heartbeatAfter {
                try? await Task.sleep(for: .milliseconds(Int((config.heartbeatAfter - quiet) * 1000) + 5))
                continue
            }
            // Nothing waits for central (a backoff, a password awaited): nothing to notice.
            guard client.waitingCount > 0, !connection.needsPassword else {
                try? await Task.sleep(for: .milliseconds(Int(config.heartbeatAfter * 1000)))
                continue
            }
            let wasCurrent = longPollOut
            let probe = await client.probe(timeout: config.heartbeatTimeout)
            guard revocation == nil else { return }
            switch probe {
            case .answered:
                // The long-poll at the head is still out and central answers: nothing changed
                // that it would have sent, so the replica is current as of now.
                if wasCurrent, longPollOut { dataAsOf = Date() }
            case .cannotConnect(let why), .silent(let why):
                centralLost(why)
            }
        }
    }

    /// Central stopped answering while requests waited: they are ended (the long-poll would
    /// otherwise wait out its timeout), the state says reconnecting, and the pull loop retries.
    func centralLost(_ why: String) {
        guard revocation == nil else { return }
        if online || connection == .connecting {
            logger.warning("central stopped answering (\(why)); reconnecting")
            connection = .reconnecting(attempt: max(1, attempts), nextTryAt: nil)
        }
        // As the abandoned requests will report it, so the log says it once.
        lastError = CentralError.unreachable(why).description
        client.abandonAll(why)
        broadcast(.status(status()))
    }

    /// A `/healthz` with the heartbeat's timeout; throws `CentralSilent` unless central answers.
    func probeCentral() async throws {
        switch await client.probe(timeout: config.heartbeatTimeout) {
        case .answered: return
        case .cannotConnect(let why): throw CentralSilent(description: why, cannotConnect: true)
        case .silent(let why): throw CentralSilent(description: why, cannotConnect: false)
        }
    }

    /// One more failed attempt: the state says which kind, its number and when the next one
    /// starts (a backoff with jitter up to `cap` seconds), then waits for it.
    func retryLater(after error: any Error, cap: Double = 15) async {
        attempts += 1
        let delay = Self.backoffDelay(attempts, cap: cap)
        let next = Date().addingTimeInterval(delay).timeIntervalSince1970
        connection = state(after: error, attempt: attempts, nextTryAt: next)
        fail(error)
        broadcast(.status(status()))
        try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
    }

    private func state(after error: any Error, attempt: Int, nextTryAt: Double) -> ConnectionState {
        if let silent = error as? CentralSilent, silent.cannotConnect {
            return .cannotConnect(address: client.address, attempt: attempt, nextTryAt: nextTryAt)
        }
        // Central answered, and said no (a 5xx is central failing, not refusing: retried as such).
        if case .refused(let status, let code, _, _)? = error as? CentralError, status < 500 {
            return .refused(code: code.rawValue, attempt: attempt, nextTryAt: nextTryAt)
        }
        return .reconnecting(attempt: attempt, nextTryAt: nextTryAt)
    }

    // MARK: A refused password

    /// Central refused the password (or the token, with no password to log in again): no login
    /// is tried until a new password is offered; the state and the log say how to give one.
    func passwordNeeded(_ state: ConnectionState, refused: String?) {
        password = nil
        if let refused { refusedPasswords.insert(refused.hashValue) }
        connection = state
        let ways = [config.passwordFile.map { "write it to \($0)" }, config.askOnTerminal ? "type it on this agent's terminal" : nil,
                    "or press P in the console (fenghuo tui --data \(config.paths.directory))"].compactMap { $0 }
        lastError = state == .wrongPassword
            ? "central refused the password for \(config.username); no more logins until a new one is given: \(ways.joined(separator: ", "))"
            : "central no longer takes the saved token and no password was given: \(ways.joined(separator: ", "))"
        logger.error("\(lastError ?? "")")
        broadcast(.status(status()))
    }

    /// Waits until a password is offered (or the agent is revoked).
    func passwordOffered() async {
        await withCheckedContinuation { passwordWaiters.append($0) }
    }

    /// A new password, from the console (`AgentRequest.login`), the terminal or a changed
    /// `--password-file`. While the state asks for one it is tried at once, in one login; the
    /// answer is the status after that attempt (`wrongPassword` again if central refused it).
    public func offer(password offered: String, from source: String) async throws -> AgentStatus {
        if let revocation { throw AgentRevoked(mark: revocation, directory: config.paths.directory) }
        guard connection.needsPassword else { throw PasswordNotWanted(state: connection) }
        logger.notice("a new password from \(source); logging in")
        password = offered
        connection = .connecting
        attempts = 0
        broadcast(.status(status()))
        do {
            try await probeCentral()
            _ = try await renewToken()
        } catch {
            // Refused: `passwordNeeded` has set the state again. Central not answering: the
            // password is kept and the pull loop logs in with it once central is back.
            if !connection.needsPassword, !online { connection = .reconnecting(attempt: 1, nextTryAt: nil) }
            if !connection.needsPassword { fail(error) }
        }
        let waiters = passwordWaiters
        passwordWaiters = []
        for waiter in waiters { waiter.resume() }
        return status()
    }

    /// Whether central refused this password before (a file still holding it is not sent again).
    func wasRefused(_ password: String) -> Bool { refusedPasswords.contains(password.hashValue) }

    static func wantsPassword(_ error: any Error) -> Bool {
        if error is PasswordWanted { return true }
        guard let central = error as? CentralError else { return false }
        if case .noPassword = central { return true }
        return central.code == .badCredentials
    }

    /// Where a new password can come from besides the console: the `--password-file` and the
    /// agent's terminal, each followed while a password is wanted.
    func passwordSourcesLoop() async {
        await withTaskGroup(of: Void.self) { group in
            if let file = config.passwordFile { group.addTask { await self.followPasswordFile(file) } }
            if config.askOnTerminal { group.addTask { await self.askOnTerminal() } }
        }
    }

    /// Reads the file every half second while a password is wanted, and offers its first line
    /// once it changed (from what the agent started with or last took from it), is not one
    /// central refused, and reads the same twice (a file being written is not tried half-way).
    private func followPasswordFile(_ file: String) async {
        var taken = PasswordFile.firstLine(file)
        var candidate: String?
        while !Task.isCancelled, revocation == nil {
            try? await Task.sleep(for: .milliseconds(500))
            guard connection.needsPassword, let line = PasswordFile.firstLine(file), line != taken,
                  !wasRefused(line) else {
                candidate = nil
                continue
            }
            if line == candidate {
                candidate = nil
                taken = line
                _ = try? await offer(password: line, from: file)
            } else {
                candidate = line
            }
        }
    }

    /// Asks on the terminal (input not echoed) each time a password is wanted.
    private func askOnTerminal() async {
        while !Task.isCancelled, revocation == nil {
            guard connection.needsPassword else {
                await passwordOfferedOrWanted()
                continue
            }
            let prompt = connection == .wrongPassword
                ? "central refused the password for \(config.username); type it again: "
                : "central no longer takes the saved token for \(config.username); password: "
            guard let typed = await TerminalPassword.ask(prompt) else { return }
            if connection.needsPassword, !typed.isEmpty { _ = try? await offer(password: typed, from: "the terminal") }
        }
    }

    /// Waits a second, or less if a password is wanted sooner (a cheap poll: the terminal only).
    private func passwordOfferedOrWanted() async {
        for _ in 0..<10 where !connection.needsPassword && revocation == nil {
            try? await Task.sleep(for: .milliseconds(100))
        }
    }
}

/// Central did not answer a probe: nothing listens at its address (`cannotConnect`), or nothing
/// came back in time.
struct CentralSilent: Error, CustomStringConvertible {
    let description: String
    let cannotConnect: Bool
}

/// A request that needs a token while the agent waits for a new password.
struct PasswordWanted: Error, CustomStringConvertible {
    let state: ConnectionState
    var description: String { "waiting for a new password (\(state.name)); nothing is sent to central meanwhile" }
}

/// A password offered while none is wanted: it is not kept (a wrong one would be tried later).
public struct PasswordNotWanted: Error, CustomStringConvertible {
    public let state: ConnectionState
    public var description: String {
        "the agent is not waiting for a password (it is \(state.description(now: Date().timeIntervalSince1970))); nothing was sent"
    }
}
