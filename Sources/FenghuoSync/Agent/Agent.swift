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
    /// The reader's scopes from central's last answer (`role:R,dept:D`): the role and
    /// department shown in `status`, live after a move, where the saved token's may be stale.
    private var liveScope: String?
    private var online = false
    private var lastError: String?
    /// What is wrong with uploading while central answers (a mutation gap, a withdrawn
    /// command); kept until a push goes through, so a pull that works does not hide it.
    private var pushProblem: String?
    private var behindSince: Date?
    /// The next upload starts after this mutation id.
    private var pushedThrough: Int64 = 0
    /// The highest mutation id central has answered a push for (applied, rejected or
    /// duplicate). A command is settled only once answered, so a refusal that lives only in
    /// the push answer (`mutation_reused`) is never read as applied from the feed.
    private var answeredThrough: Int64 = 0
    /// The last mutation id of the feed's newest answer that reached central's head, so the
    /// replica holds the rejection rows of every command through it.
    private var feedSettled: Int64 = 0
    /// The highest mutation id this agent has dropped from its outbox and announced. Starts at
    /// 0, so the first pull after a start settles whatever a crash left behind.
    private var settledThrough: Int64 = 0
    /// Bytes a push body may hold: `ProtocolLimits.maxBody`, halved each time central answers
    /// 413 to a batch (a proxy in front of it may take less).
    private var bodyLimit = ProtocolLimits.maxBody
    /// Set by a `mutation_gap` answer: the id central expects, from which stand-ins fill the
    /// ids the outbox no longer holds.
    private var fillFrom: Int64?
    /// The replica was found damaged and could not be reopened yet.
    private var replicaDamaged = false
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
        try DataFolder.prepare(config.paths)
        outbox = try Outbox(path: config.paths.outbox)
        // A replica SQLite cannot vouch for is rebuilt; the outbox lives apart and is kept.
        if !ReplicaStore.isSound(path: config.paths.replica) {
            logger.warning("replica \(config.paths.replica) failed PRAGMA integrity_check; moving it to \(ReplicaStore.asidePath(config.paths.replica)) and rebuilding it from a snapshot (queued commands are kept)")
            ReplicaStore.moveAside(path: config.paths.replica)
        }
        do {
            replica = try ReplicaStore(path: config.paths.replica)
        } catch {
            logger.warning("replica \(config.paths.replica) cannot be opened (\(error)); rebuilding it from a snapshot")
            ReplicaStore.moveAside(path: config.paths.replica)
            replica = try ReplicaStore(path: config.paths.replica)
        }
        DataFolder.tighten(config.paths)
        // Commands before the outbox's first row were settled by an earlier run; the rest are
        // sent again (central answers `duplicate` for what it holds), so each gets its answer.
        let first = try outbox.firstPending(), last = try outbox.lastQueued()
        let settledBefore = (first ?? last + 1) - 1
        pushedThrough = settledBefore
        answeredThrough = settledBefore
        if let state = try? replica.state(), state.isReady { feedSettled = state.lastMutationID }
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

    /// Queues a command; answers once it is on disk. A command too large for central is
    /// refused here (`CommandTooLarge`), with its size and the limit.
    public func submit(_ command: Command, baseVersion: Int?) throws -> Int64 {
        let id = try outbox.enqueue(command, baseVersion: baseVersion, at: Date())
        logger.debug("queued \(command.name.rawValue) as mutation \(id)")
        wakePusher()
        broadcast(.status(status()))
        return id
    }

    /// Waits until central has settled `mutationID` and the replica holds the outcome. An id
    /// this console never handed out is answered with an error at once: it would never settle.
    public func outcome(of mutationID: Int64) async -> AgentEvent {
        let last: Int64
        do { last = try outbox.lastQueued() } catch {
            return .error(code: "outbox", message: "the outbox cannot be read: \(error)")
        }
        guard mutationID > 0, mutationID <= last else {
            let range = last == 0 ? "no command has been queued here yet" : "its commands are numbered 1–\(last)"
            return .error(code: ErrorCode.notFound.rawValue,
                          message: "no command #\(mutationID) was queued on this console (\(range)); wait takes an id a submit was answered with")
        }
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
        let live = liveScope.map(Self.roleAndDepartment)
        return AgentStatus(username: config.username, role: live?.role ?? user?.role.rawValue,
                           department: live?.department ?? user?.department,
                           clientID: outbox.clientID, online: online, phase: phase, epoch: state?.epoch,
                           cursor: state?.cursor ?? 0, head: state?.head ?? 0, lagSeq: lagSeq,
                           lagMs: behindSince.map { Int64(now.timeIntervalSince($0) * 1000) } ?? 0,
                           outbox: (try? outbox.count()) ?? 0, lastSyncAt: state?.lastSyncAt?.timeIntervalSince1970,
                           snapshotDone: state?.snapshotDone ?? 0, snapshotTotal: state?.snapshotTotal ?? 0,
                           lastError: lastError ?? pushProblem, searchReady: searchReady)
    }

    /// The role and department in a scope key (`role:staff,dept:water`, see `Visibility.key`).
    static func roleAndDepartment(scope: String) -> (role: String?, department: String?) {
        var role: String?, department: String?
        for part in scope.split(separator: ",") {
            if part.hasPrefix("role:") { role = String(part.dropFirst(5)) }
            if part.hasPrefix("dept:") { department = String(part.dropFirst(5)) }
        }
        return (role, department)
    }

    // MARK: Pull

    private func pullLoop() async {
        var failures = 0
        while !Task.isCancelled {
            do {
                if replicaDamaged {
                    try reopenReplica()
                    continue
                }
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
                liveScope = answer.scope
                if answer.scope != state.scope {
                    logger.notice("scope changed from \(state.scope ?? "-") to \(answer.scope); rebuilding the replica")
                    // Logging in again refreshes the user the token file keeps (role, department).
                    if config.password != nil { forgetToken() }
                    try rebuildReplica()
                    continue
                }
                // Central's sequence or this console's mutation counter went backwards within
                // one epoch: a store restored from a backup. Rows may have been renumbered.
                if answer.head < state.cursor || answer.lastMutationID < state.lastMutationID {
                    logger.warning("central's history went backwards in epoch \(state.epoch ?? "-") (head \(answer.head), this replica's cursor \(state.cursor); last mutation \(answer.lastMutationID), this replica's \(state.lastMutationID)): was it restored from a backup? Rebuilding the replica, keeping the outbox, resending the queue")
                    try rebuildReplica()
                    continue
                }
                try replica.apply(answer, at: Date())
                let appliedMs = Int64(Date().timeIntervalSince1970 * 1000)
                let behind = answer.head > answer.cursor.seq
                behindSince = behind ? (behindSince ?? Date()) : nil
                markOnline()
                failures = 0
                // A batch cut short by the limit may not hold yet the rejection rows of the
                // commands its `lastMutationID` counts; the answer that reaches the head does.
                if !behind {
                    feedSettled = answer.lastMutationID
                    try settleAnswered()
                }
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
            } catch let error where ReplicaStore.isDamage(error) {
                repairReplica(after: error)
            } catch {
                failures += 1
                fail(error)
                await backoff(failures)
            }
        }
    }

    /// Empties the replica for a new snapshot (its indexes are suspended until that ends), and
    /// sends the queue again: central may have lost commands it had answered (central skips,
    /// as duplicates, the ones it holds).
    private func rebuildReplica() throws {
        try replica.wipe()
        searchReady = false
        resendQueue()
    }

    private func resendQueue() {
        feedSettled = 0
        pushedThrough = ((try? outbox.firstPending()) ?? nil).map { $0 - 1 } ?? pushedThrough
        fillFrom = nil
        wakePusher()
    }

    /// A replica SQLite calls damaged (`SQLITE_CORRUPT`, `SQLITE_NOTADB`) while the agent runs
    /// is closed, moved aside and built again from a snapshot at the same path; the outbox is
    /// another file and is kept.
    private func repairReplica(after error: any Error) {
        let path = config.paths.replica
        logger.error("the replica \(path) is damaged (\(error)); moving it to \(ReplicaStore.asidePath(path)) and rebuilding it from a snapshot (queued commands are kept)")
        replica.close()
        ReplicaStore.moveAside(path: path)
        replicaDamaged = true
        do {
            try reopenReplica()
        } catch {
            fail(error)
        }
    }

    /// Opens a new, empty replica where the damaged one was.
    private func reopenReplica() throws {
        do {
            replica = try ReplicaStore(path: config.paths.replica)
        } catch {
            ReplicaStore.moveAside(path: config.paths.replica)
            throw error
        }
        DataFolder.tighten(config.paths)
        replicaDamaged = false
        searchReady = (try? replica.searchReady()) ?? true
        resendQueue()
        broadcast(.changed(latenciesMs: nil))
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
            liveScope = page.scope
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
        feedSettled = done.lastMutationID
        try settleAnswered()
    }

    // MARK: Push

    private func pushLoop() async {
        var failures = 0
        var gaps = 0
        while !Task.isCancelled {
            if !pushPending { await withCheckedContinuation { pushWake = $0 } }
            pushPending = false
            var sent: PushBatch?
            do {
                let entries = try outbox.pending(after: pushedThrough, limit: config.pushBatch)
                switch try PushBatch.make(entries: entries, clientID: outbox.clientID, after: pushedThrough, fillFrom: fillFrom,
                                          bodyLimit: bodyLimit, maxCount: config.pushBatch) {
                case nil: continue
                case .withdraw(let id, let bytes)?:
                    try withdraw(id, CommandRejection(.other(code: ErrorCode.tooLarge.rawValue, message: """
                        command #\(id) is \(bytes) bytes as JSON, over the \(ProtocolLimits.maxCommandBytes) bytes central takes a command \
                        (it was queued by an older agent); it was not sent and not applied
                        """)))
                    pushPending = true
                    continue
                case .send(let batch)?:
                    sent = batch
                    pushPending = true
                    let token = try await validToken()
                    let answer = try await client.push(token: token, body: batch.body)
                    try take(answer, for: batch)
                    markOnline()
                    failures = 0
                    gaps = 0
                }
            } catch let error as CentralError where error.status == 413 && sent != nil {
                guard let batch = sent else { continue }
                pushPending = true
                if batch.count > 1 {
                    // Central (or a proxy before it) takes less than this: half as much, at once.
                    bodyLimit = max(1, batch.body.count / 2)
                    logger.notice("central refused a push of \(batch.count) commands (\(batch.body.count) bytes) as too large; sending at most \(bodyLimit) bytes a push")
                } else if batch.standIns.isEmpty {
                    do {
                        try withdraw(batch.first, CommandRejection(.other(code: ErrorCode.tooLarge.rawValue, message: """
                            command #\(batch.first) is \(batch.body.count) bytes as a push, and central refused it even alone \
                            (HTTP 413: \(error)); it was not applied
                            """)))
                    } catch {
                        failures += 1
                        fail(error)
                        await backoff(failures)
                    }
                } else {
                    failures += 1
                    fail(error)
                    await backoff(failures)
                }
            } catch let CentralError.refused(_, .mutationGap, _, expected) {
                // Central is missing earlier commands: resend from the one it names, filling with
                // stand-ins the ids this outbox dropped. A gap that persists backs off (50 ms to
                // 5 s) and says so in the status, rather than resending as fast as it can.
                gaps += 1
                let from = expected ?? (feedSettled + 1)
                let range = sent.map { $0.count > 1 ? "\($0.first)–\($0.last)" : "\($0.first)" } ?? "?"
                pushProblem = "central expects mutation \(from) of this console but was sent \(range) (\(gaps) time\(gaps == 1 ? "" : "s") in a row); resending from \(from)"
                if gaps == 1 || gaps.nonzeroBitCount == 1 { logger.notice("\(pushProblem ?? "")") }
                pushedThrough = from - 1
                fillFrom = from
                pushPending = true
                if gaps > 1 { await backoff(gaps - 1, base: 0.05, cap: 5) }
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

    /// Settles a command the agent will not send (too large for central) as rejected, with why;
    /// a stand-in carries its mutation id to central, so nothing behind it waits.
    private func withdraw(_ id: Int64, _ rejection: CommandRejection) throws {
        try outbox.record([(id, rejection)], source: .agent)
        logger.warning("withdrew command #\(id): \(rejection.message)")
        pushProblem = "command #\(id) was withdrawn as rejected: \(rejection.message)"
    }

    /// Takes central's answer to `batch`: its refusals are kept (a refusal need not come back
    /// through the feed), and what was answered may now settle.
    private func take(_ answer: PushResponse, for batch: PushBatch) throws {
        // A stand-in's answer is not its command's outcome: the agent decided that one.
        let results = answer.results.filter { !batch.standIns.contains($0.mutationID) }
        try outbox.record(results.filter { $0.status == .rejected }.map { result in
            (result.mutationID, result.reason ?? CommandRejection(.other(code: "rejected", message: "central rejected command \(result.mutationID) without a reason")))
        }, source: .central)
        let applied = results.filter { $0.status == .applied }.map(\.mutationID)
        if let low = applied.first, let high = applied.last {
            let refusedBefore = try outbox.outcomes(in: low...high).filter { $0.value.source == .central }
            try outbox.forgetCentralOutcomes(applied.filter { refusedBefore[$0] != nil })
        }
        let last = answer.results.map(\.mutationID).max() ?? batch.last
        pushedThrough = max(pushedThrough, last)
        answeredThrough = max(answeredThrough, last)
        if let from = fillFrom, pushedThrough >= from { fillFrom = nil }
        pushProblem = nil
        try settleAnswered()
    }

    private func wakePusher() {
        pushPending = true
        pushWake?.resume()
        pushWake = nil
    }

    // MARK: Settling

    /// Settles what central has both answered a push for and reported through the feed.
    private func settleAnswered() throws {
        try settle(through: min(feedSettled, answeredThrough))
    }

    /// Central reports every command up to `mutationID` settled: drop them from the outbox and
    /// answer whoever waits for them.
    private func settle(through mutationID: Int64) throws {
        pushedThrough = max(pushedThrough, mutationID)
        // Most pulls settle nothing new: then there is nothing to read, drop or tell.
        guard mutationID > settledThrough || !waiters.isEmpty else { return }
        if mutationID > settledThrough {
            // Tell the consoles how each newly settled command came out.
            if !subscribers.isEmpty {
                let kept = try outbox.outcomes(in: (settledThrough + 1)...mutationID)
                for entry in try outbox.pending(after: settledThrough, limit: 10_000) where entry.mutationID <= mutationID {
                    if let event = settledEvent(entry.mutationID, kept: kept, through: mutationID) { broadcast(event) }
                }
            }
            try outbox.drop(through: mutationID)
            settledThrough = mutationID
        }
        for id in waiters.keys where id <= settledThrough {
            guard let event = settledEvent(id) else { continue }
            for waiter in waiters.removeValue(forKey: id) ?? [] { waiter.resume(returning: event) }
        }
    }

    /// How command `id` came out, once it is settled: rejected when the agent or central's
    /// push answer refused it (`kept`, read from the outbox when not given) or the feed brought
    /// its rejection; applied otherwise. Nil while it is not settled.
    private func settledEvent(_ id: Int64, kept: [Int64: (source: Outbox.OutcomeSource, rejection: CommandRejection)]? = nil,
                              through: Int64? = nil) -> AgentEvent? {
        guard id <= max(settledThrough, through ?? 0) || id <= min(feedSettled, answeredThrough) else { return nil }
        guard let state = try? replica.state(), state.isReady,
              let kept = kept ?? (try? outbox.outcomes(in: id...id)) else { return nil }
        if let local = kept[id] { return .rejected(mutationID: id, local.rejection) }
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

    /// Full jitter over an exponential step: `base` (0.25 s), twice that, … up to `cap` seconds.
    private func backoff(_ failures: Int, base: Double = 0.25, cap: Double = 15) async {
        let step = min(cap, base * pow(2, Double(min(failures, 16) - 1)))
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

