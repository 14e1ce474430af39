import FenghuoProtocol
import FenghuoDomain
import Foundation
import Logging

/// One console's sync agent: keeps the replica following central, delivers the outbox exactly
/// once, and tells the console what happened. It never gives up on central: every failure is a
/// retry after a backoff with jitter.
public actor Agent {
    public struct Configuration: Sendable {
        public var central: URL
        public var paths: AgentPaths
        public var username: String
        public var password: String?
        /// Rows a snapshot page asks for.
        public var snapshotPage = 5000
        /// Changes a pull asks for.
        public var pullLimit = 1000
        /// Commands an upload carries.
        public var pushBatch = 500
        /// Seconds a pull may be held open by central.
        public var longPoll = 25
        /// Draw a progress bar for snapshots on standard error.
        public var progressBar = false

        public init(central: URL, paths: AgentPaths, username: String, password: String?) {
            self.central = central
            self.paths = paths
            self.username = username
            self.password = password
        }
    }

    let config: Configuration
    let client: CentralClient
    public nonisolated let outbox: Outbox
    public private(set) var replica: ReplicaStore
    let logger: Logger

    private var token: String?
    private var tokenExpires: Date = .distantPast
    private var user: User?
    private var online = false
    private var lastError: String?
    private var behindSince: Date?
    /// The highest mutation id central has answered for (applied, rejected or duplicate).
    private var pushedThrough: Int64 = 0
    /// The highest mutation id this agent has dropped from its outbox and announced. Starts at
    /// 0, so the first pull after a start settles whatever a crash left behind.
    private var settledThrough: Int64 = 0
    private var waiters: [Int64: [CheckedContinuation<AgentEvent, Never>]] = [:]
    private var subscribers: [UUID: @Sendable (AgentEvent) -> Void] = [:]
    private var pushWake: CheckedContinuation<Void, Never>?
    private var pushPending = true
    private var lastProgressDraw = Date.distantPast
    private var searchReady = true

    public init(_ config: Configuration, logger: Logger) throws {
        self.config = config
        self.logger = logger
        client = CentralClient(base: config.central)
        outbox = try Outbox(path: config.paths.outbox)
        // A replica SQLite cannot vouch for is rebuilt; the outbox lives apart and is kept.
        if !ReplicaStore.isSound(path: config.paths.replica) {
            logger.warning("replica \(config.paths.replica) failed PRAGMA integrity_check; rebuilding it from a snapshot (queued commands are kept)")
            ReplicaStore.remove(path: config.paths.replica)
        }
        do {
            replica = try ReplicaStore(path: config.paths.replica)
        } catch {
            logger.warning("replica \(config.paths.replica) cannot be opened (\(error)); rebuilding it from a snapshot")
            ReplicaStore.remove(path: config.paths.replica)
            replica = try ReplicaStore(path: config.paths.replica)
        }
        pushedThrough = (try? replica.state().lastMutationID) ?? 0
        searchReady = (try? replica.searchReady()) ?? true
        if let saved = TokenFile.load(config.paths.token), saved.username == config.username {
            token = saved.token
            tokenExpires = Date(timeIntervalSince1970: TimeInterval(saved.expiresAt))
            user = saved.user
        }
    }

    /// Runs until cancelled.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.pullLoop() }
            group.addTask { await self.pushLoop() }
            group.addTask { await self.tickLoop() }
            await group.waitForAll()
        }
    }

    // MARK: The console's side

    /// Queues a command; answers once it is on disk.
    public func submit(_ command: Command, baseVersion: Int?) throws -> Int64 {
        let id = try outbox.enqueue(command, baseVersion: baseVersion, at: Date())
        logger.debug("queued \(command.name.rawValue) as mutation \(id)")
        wakePusher()
        broadcast(.status(status()))
        return id
    }

    /// Waits until central has settled `mutationID` and the replica holds the outcome.
    public func outcome(of mutationID: Int64) async -> AgentEvent {
        if let settled = settledEvent(mutationID) { return settled }
        return await withCheckedContinuation { waiters[mutationID, default: []].append($0) }
    }

    /// Hands every event from now on to `deliver`, the current status first. `deliver` runs on
    /// the agent's executor and must not wait (the socket server writes to the connection and
    /// returns). A delivery is a plain call, not a task woken per event: consoles are told of
    /// every applied batch, and the hand-off had cost an agent 0.4 ms a batch.
    public func subscribe(_ deliver: @escaping @Sendable (AgentEvent) -> Void) -> UUID {
        let id = UUID()
        subscribers[id] = deliver
        deliver(.status(status()))
        return id
    }

    public func unsubscribe(_ id: UUID) { subscribers[id] = nil }

    /// The same events as a stream (for callers that would rather iterate); the newest 64 are
    /// kept for a reader that falls behind.
    public func events() -> AsyncStream<AgentEvent> {
        let (stream, continuation) = AsyncStream<AgentEvent>.makeStream(bufferingPolicy: .bufferingNewest(64))
        let id = subscribe { continuation.yield($0) }
        continuation.onTermination = { _ in Task { await self.unsubscribe(id) } }
        return stream
    }

    public func status() -> AgentStatus {
        let state = (try? replica.state())
        let now = Date()
        let lagSeq = max(0, (state?.head ?? 0) - (state?.cursor ?? 0))
        let phase: AgentPhase = state == nil ? .starting : (state!.isReady ? .ready : .snapshot)
        return AgentStatus(username: config.username, role: user?.role.rawValue, department: user?.department,
                           clientID: outbox.clientID, online: online, phase: phase, epoch: state?.epoch,
                           cursor: state?.cursor ?? 0, head: state?.head ?? 0, lagSeq: lagSeq,
                           lagMs: behindSince.map { Int64(now.timeIntervalSince($0) * 1000) } ?? 0,
                           outbox: (try? outbox.count()) ?? 0, lastSyncAt: state?.lastSyncAt?.timeIntervalSince1970,
                           snapshotDone: state?.snapshotDone ?? 0, snapshotTotal: state?.snapshotTotal ?? 0,
                           lastError: lastError, searchReady: searchReady)
    }

    // MARK: Pull

    private func pullLoop() async {
        var failures = 0
        while !Task.isCancelled {
            do {
                let token = try await validToken()
                let state = try replica.state()
                if state.scope == nil || state.snapshotNext != nil {
                    try await snapshot(token: token, resume: state)
                    continue
                }
                if !searchReady { try await buildSearch() }
                let cursor = FeedCursor(epoch: state.epoch ?? "", seq: state.cursor)
                let answer = try await client.changes(token: token, cursor: cursor, limit: config.pullLimit,
                                                      wait: online && state.head <= state.cursor ? config.longPoll : 0,
                                                      settled: state.lastMutationID)
                if answer.scope != state.scope {
                    logger.notice("scope changed from \(state.scope ?? "-") to \(answer.scope); rebuilding the replica")
                    try rebuildReplica()
                    continue
                }
                try replica.apply(answer, at: Date())
                let appliedMs = Int64(Date().timeIntervalSince1970 * 1000)
                let behind = answer.head > answer.cursor.seq
                behindSince = behind ? (behindSince ?? Date()) : nil
                markOnline()
                failures = 0
                try settle(through: answer.lastMutationID)
                if !answer.changes.isEmpty {
                    let latencies = answer.changes.compactMap { $0.committedMs.map { appliedMs - $0 } }
                    broadcast(.changed(latenciesMs: latencies.isEmpty ? nil : latencies))
                }
            } catch let error as CentralError {
                switch error.code {
                case .epochChanged?:
                    logger.notice("central's history was rewritten (\(error)); rebuilding the replica, keeping the outbox")
                    try? rebuildReplica()
                case .badToken?, .noToken?:
                    logger.notice("token refused (\(error)); logging in again")
                    forgetToken()
                case .badCredentials?, .protocolMismatch?:
                    failures += 1
                    fail(error)
                    await backoff(failures, cap: 60)
                default:
                    failures += 1
                    fail(error)
                    await backoff(failures)
                }
            } catch {
                failures += 1
                fail(error)
                await backoff(failures)
            }
        }
    }

    /// Empties the replica for a new snapshot (its indexes are suspended until that ends).
    private func rebuildReplica() throws {
        try replica.wipe()
        searchReady = false
    }

    /// Builds the replica's search indexes off the actor, so the console's status calls are
    /// answered meanwhile; changes wait (the writer is busy) and follow right after.
    private func buildSearch() async throws {
        let replica = replica
        let started = Date()
        logger.info("building the search index …")
        try await Task.detached { try replica.buildSearch() }.value
        // The connection that built the index keeps SQLite's full-text hash of pending terms at
        // the size the whole index needed, and walks all of it at every later commit (about a
        // tenth of a millisecond each). A fresh connection starts small.
        self.replica = try ReplicaStore(path: config.paths.replica)
        searchReady = true
        logger.info("search index built in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        broadcast(.changed(latenciesMs: nil))
    }

    private func snapshot(token: String, resume state: SyncState) async throws {
        var first = state.scope == nil
        var after = state.snapshotNext
        if first { logger.info("initial sync: taking a snapshot of \(config.username)'s scope") }
        else { logger.info("resuming the snapshot after \(after ?? "-") (\(state.snapshotDone) rows held)") }
        let client = client, limit = config.snapshotPage
        // The next page is fetched and decoded while this one is written.
        var fetching: Task<SnapshotPage, any Error>? = Task { [after] in
            try await client.snapshot(token: token, after: after, limit: limit)
        }
        defer { fetching?.cancel() }
        repeat {
            guard let current = fetching else { break }
            let page = try await current.value
            fetching = page.next.map { next in Task { try await client.snapshot(token: token, after: next, limit: limit) } }
            if !first, let epoch = state.epoch, page.cursor.epoch != epoch {
                logger.notice("central's epoch changed during the snapshot; starting it again")
                try rebuildReplica()
                return
            }
            try replica.apply(page, first: first, at: Date())
            if first { searchReady = false }
            markOnline()
            first = false
            after = page.next
            drawProgress(done: after == nil)
            broadcast(.changed(latenciesMs: nil))
        } while after != nil
        let done = try replica.state()
        logger.info("snapshot complete: \(done.snapshotDone) rows at \(done.epoch ?? ""):\(done.cursor); following changes")
        try settle(through: done.lastMutationID)
    }

    // MARK: Push

    private func pushLoop() async {
        var failures = 0
        while !Task.isCancelled {
            if !pushPending { await withCheckedContinuation { pushWake = $0 } }
            pushPending = false
            do {
                let batch = try outbox.pending(after: pushedThrough, limit: config.pushBatch)
                if batch.isEmpty { continue }
                pushPending = true
                let token = try await validToken()
                let commands = batch.map {
                    CommandEnvelope(clientID: outbox.clientID, mutationID: $0.mutationID, name: $0.name, args: $0.args,
                                    baseVersion: $0.baseVersion)
                }
                let answer = try await client.push(token: token, commands: commands)
                if let last = answer.results.last?.mutationID { pushedThrough = max(pushedThrough, last) }
                markOnline()
                failures = 0
            } catch let CentralError.refused(_, .mutationGap, message, expected) {
                // Central is missing an earlier command: resend from the one it names.
                let error = message
                logger.notice("\(error); resending from \(expected.map(String.init) ?? "the last settled")")
                pushedThrough = expected.map { $0 - 1 } ?? ((try? replica.state().lastMutationID) ?? 0)
                pushPending = true
            } catch let error as CentralError where error.code == .badToken || error.code == .noToken {
                forgetToken()
                pushPending = true
                await backoff(1)
            } catch {
                failures += 1
                fail(error)
                pushPending = true
                await backoff(failures)
            }
        }
    }

    private func wakePusher() {
        pushPending = true
        pushWake?.resume()
        pushWake = nil
    }

    // MARK: Settling

    /// Central reports every command up to `mutationID` settled: drop them from the outbox and
    /// answer whoever waits for them.
    private func settle(through mutationID: Int64) throws {
        pushedThrough = max(pushedThrough, mutationID)
        // Most pulls settle nothing new: then there is nothing to read, drop or tell.
        guard mutationID > settledThrough || !waiters.isEmpty else { return }
        if mutationID > settledThrough {
            // Tell the consoles how each newly settled command came out.
            if !subscribers.isEmpty {
                for entry in try outbox.pending(after: settledThrough, limit: 10_000) where entry.mutationID <= mutationID {
                    if let event = settledEvent(entry.mutationID) { broadcast(event) }
                }
            }
            try outbox.drop(through: mutationID)
            settledThrough = mutationID
        }
        for id in waiters.keys where id <= mutationID {
            guard let event = settledEvent(id) else { continue }
            for waiter in waiters.removeValue(forKey: id) ?? [] { waiter.resume(returning: event) }
        }
    }

    private func settledEvent(_ id: Int64) -> AgentEvent? {
        guard let state = try? replica.state(), state.isReady, state.lastMutationID >= id else { return nil }
        if let rejection = try? replica.rejection(of: id) {
            return .rejected(mutationID: id, rejection)
        }
        return .applied(mutationID: id)
    }

    // MARK: Login

    private func validToken() async throws -> String {
        if let token, tokenExpires.timeIntervalSinceNow > 60 { return token }
        guard let password = config.password else {
            throw CentralError.noPassword
        }
        let answer = try await client.login(username: config.username, password: password, clientID: outbox.clientID)
        token = answer.token
        tokenExpires = Date(timeIntervalSince1970: TimeInterval(answer.expiresAt))
        user = answer.user
        try TokenFile.save(.init(username: config.username, token: answer.token, expiresAt: answer.expiresAt,
                                 user: answer.user), to: config.paths.token)
        logger.info("logged in to \(config.central.absoluteString) as \(answer.user.username) (\(answer.user.role.rawValue), \(answer.user.department))")
        return answer.token
    }

    private func forgetToken() {
        token = nil
        tokenExpires = .distantPast
    }

    // MARK: Status

    private func markOnline() {
        if !online {
            logger.info("online")
            online = true
            wakePusher()
        }
        lastError = nil
    }

    private func fail(_ error: any Error) {
        let text = "\(error)"
        if online || lastError != text { logger.warning("\(text); retrying") }
        online = false
        lastError = text
        if behindSince == nil { behindSince = Date() }
    }

    private func tickLoop() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            broadcast(.status(status()))
        }
    }

    private func broadcast(_ event: AgentEvent) {
        for deliver in subscribers.values { deliver(event) }
    }

    /// Full jitter over an exponential step: 0.25 s, 0.5 s, 1 s … up to `cap` seconds.
    private func backoff(_ failures: Int, cap: Double = 15) async {
        let step = min(cap, 0.25 * pow(2, Double(min(failures, 16) - 1)))
        try? await Task.sleep(for: .milliseconds(Int(Double.random(in: step / 2...step) * 1000)))
    }

    private func drawProgress(done: Bool) {
        guard let state = try? replica.state() else { return }
        let total = max(state.snapshotTotal, 1)
        let fraction = min(1, Double(state.snapshotDone) / Double(total))
        if config.progressBar {
            guard done || Date().timeIntervalSince(lastProgressDraw) > 0.1 else { return }
            lastProgressDraw = Date()
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            let line = "\r快照 snapshot \(bar) \(Int(fraction * 100))%  \(state.snapshotDone)/\(state.snapshotTotal) rows"
            FileHandle.standardError.write(Data((line + (done ? "\n" : "")).utf8))
        } else if done || Date().timeIntervalSince(lastProgressDraw) > 2 {
            lastProgressDraw = Date()
            logger.info("snapshot \(state.snapshotDone)/\(state.snapshotTotal) rows (\(Int(fraction * 100))%)")
        }
    }
}

/// The agent's login, kept between runs in a file only its owner can read.
struct TokenFile: Codable {
    let username: String
    let token: String
    let expiresAt: Int64
    let user: User

    static func load(_ path: String) -> TokenFile? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(TokenFile.self, from: data)
    }

    static func save(_ file: TokenFile, to path: String) throws {
        let data = try JSONEncoder().encode(file)
        let temp = path + ".tmp"
        _ = FileManager.default.createFile(atPath: temp, contents: nil, attributes: [.posixPermissions: 0o600])
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temp))
        try handle.write(contentsOf: data)
        try handle.synchronize()
        try handle.close()
        _ = rename(temp, path)
    }
}

