import FenghuoProtocol
import FenghuoDomain
import Foundation
import Logging

/// One console's sync agent: keeps the replica following central, delivers the outbox exactly
/// once, and tells the console what happened. It never gives up on central: every failure is a
/// retry after a backoff with jitter — except a refused password, which would lock the account
/// if retried: then it waits for a new one (`Agent+Link.swift`).
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
        /// PEM file of the CA that signed central's certificate (`https://` only; default: the system's roots).
        public var caFile: String?
        /// Seconds without any answer from central, while a request waits for one, before a
        /// heartbeat (`GET /healthz`) asks whether it is still there; and how long that may take.
        /// Together the most a silent central goes unnoticed (3 s).
        public var heartbeatAfter: Double = 1
        public var heartbeatTimeout: Double = 2
        /// The file the password was read from: read again while central refuses the password.
        public var passwordFile: String?
        /// Ask for a new password on this process's terminal when central refuses the one given.
        public var askOnTerminal = false

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

    /// The token in use, from a login or a refresh (`TokenLease`: when to renew it).
    private var lease: TokenLease?
    /// The renewal under way (a refresh or a login), which every loop that needs a token joins.
    private var renewal: Task<String, any Error>?
    private var user: User?
    /// Set once central answers `revoked`: the replica, queue and token are gone, nothing is
    /// sent to central again, and `status` and `submit` say why.
    var revocation: RevocationMark?
    /// The reader's scopes from central's last answer (`role:R,dept:D`): the role and
    /// department shown in `status`, live after a move, where the saved token's may be stale.
    private var liveScope: String?
    /// The link to central as one state (`ConnectionState`); `Agent+Link.swift` moves it.
    var connection = ConnectionState.connecting
    var online: Bool { connection == .online }
    /// Failed attempts to reach central in a row (the pull loop's), for the state and its backoff.
    var attempts = 0
    /// The password to log in with: the configured one, then whatever is offered after central
    /// refused it (`offer(password:from:)`); nil while none is known to be worth a try.
    var password: String?
    /// The passwords central refused (as this process's hashes of them, not the text), so a
    /// password file still holding one is not sent again.
    var refusedPasswords: Set<Int> = []
    /// The loops waiting for a new password.
    var passwordWaiters: [CheckedContinuation<Void, Never>] = []
    /// A long-poll at central's head is out: an answered heartbeat then vouches the data current.
    var longPollOut = false
    /// The last moment central vouched that the replica was current (`AgentStatus.dataAsOf`).
    var dataAsOf: Date?
    var lastError: String?
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
    /// The record each applied command wrote first, from central's push answers, until the
    /// command settles: a create's new id, which the settled event names.
    private var appliedRecords: [Int64: String] = [:]
    private var subscribers: [UUID: @Sendable (AgentEvent) -> Void] = [:]
    private var pushWake: CheckedContinuation<Void, Never>?
    private var pushPending = true
    private var lastProgressDraw = Date.distantPast
    private var searchReady = true

    public init(_ config: Configuration, logger: Logger) throws {
        self.config = config
        self.logger = logger
        client = try CentralClient(base: config.central, caFile: config.caFile)
        try DataFolder.prepare(config.paths)
        // A folder central revoked never syncs again (`revoked.json`, see `RevocationMark`).
        try RevocationWipe.refuseStart(config.paths)
        outbox = try Outbox(path: config.paths.outbox)
        appliedRecords = (try? outbox.appliedRecords()) ?? [:]
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
            lease = saved.lease
            user = saved.user
        }
        password = config.password
        dataAsOf = (try? replica.state())?.lastSyncAt
    }

    /// Runs until cancelled.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.pullLoop() }
            group.addTask { await self.pushLoop() }
            group.addTask { await self.tickLoop() }
            group.addTask { await self.renewLoop() }
            group.addTask { await self.heartbeatLoop() }
            group.addTask { await self.passwordSourcesLoop() }
            await group.waitForAll()
        }
    }

    // MARK: The console's side

    /// Queues a command; answers once it is on disk. A command too large for central is
    /// refused here (`CommandTooLarge`), with its size and the limit.
    public func submit(_ command: Command, baseVersion: Int?) throws -> Int64 {
        if let revocation { throw AgentRevoked(mark: revocation, directory: config.paths.directory) }
        let id = try outbox.enqueue(command, baseVersion: baseVersion, at: Date())
        logger.debug("queued \(command.name.rawValue) as mutation \(id)")
        wakePusher()
        // Every console on this agent sees what was queued, whoever queued it.
        broadcast(.queued(mutationID: id, subject: CommandSubject(command: command.name.rawValue, record: command.target)))
        broadcast(.status(status()))
        return id
    }

    /// Waits until central has settled `mutationID` and the replica holds the outcome. An id
    /// this console never handed out is answered with an error at once: it would never settle.
    public func outcome(of mutationID: Int64) async -> AgentEvent {
        if let revocation { return Self.revokedAnswer(revocation) }
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
        // What still waits in the outbox, queued before this subscriber came (a console started
        // after a quit with commands queued, or after `fenghuo submit`): it lists them too.
        for entry in (try? outbox.pending(after: settledThrough, limit: Self.waitingToldOnSubscribe)) ?? [] where entry.withdrawn == nil {
            deliver(.queued(mutationID: entry.mutationID,
                            subject: CommandSubject(command: entry.name, record: Self.target(of: entry), queuedAt: entry.queuedAt)))
        }
        return id
    }

    /// At most this many waiting commands are told to a new subscriber (the status counts all).
    static let waitingToldOnSubscribe = 500

    /// The record a queued command names, if its declaration has a target.
    static func target(of entry: Outbox.Entry) -> String? {
        guard let key = Command.Name(rawValue: entry.name)?.spec.target, case .text(let id)? = entry.args[key] else { return nil }
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
        if let revocation { return revokedStatus(revocation) }
        let state = (try? replica.state())
        let now = Date()
        let lagSeq = max(0, (state?.head ?? 0) - (state?.cursor ?? 0))
        let phase: AgentPhase = state == nil ? .starting : (state!.isReady ? .ready : .snapshot)
        let live = liveScope.map(Self.roleAndDepartment)
        var status = AgentStatus(username: config.username, role: live?.role ?? user?.role.rawValue,
                           department: live?.department ?? user?.department,
                           clientID: outbox.clientID, online: online, phase: phase, epoch: state?.epoch,
                           cursor: state?.cursor ?? 0, head: state?.head ?? 0, lagSeq: lagSeq,
                           lagMs: behindSince.map { Int64(now.timeIntervalSince($0) * 1000) } ?? 0,
                           outbox: (try? outbox.count()) ?? 0, lastSyncAt: state?.lastSyncAt?.timeIntervalSince1970,
                           snapshotDone: state?.snapshotDone ?? 0, snapshotTotal: state?.snapshotTotal ?? 0,
                           lastError: lastError ?? pushProblem, searchReady: searchReady)
        status.connection = connection
        status.dataAsOf = dataAsOf?.timeIntervalSince1970
        return status
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
        while !Task.isCancelled, revocation == nil {
            if connection.needsPassword {
                await passwordOffered()
                continue
            }
            do {
                if replicaDamaged {
                    try reopenReplica()
                    continue
                }
                // Not known to answer: a short look first, so a silent or absent central costs
                // the heartbeat's 2 s, not a whole request's timeout.
                if !online { try await probeCentral() }
                let token = try await validToken()
                let state = try replica.state()
                // A replica taken under another protocol may lack what this one sends in a
                // snapshot only (new reference tables, new columns filled in): taken again.
                if state.scope != nil, state.protocolVersion != ProtocolVersion.current {
                    logger.notice("the replica was taken under protocol \(state.protocolVersion.map(String.init) ?? "2 or older"), this agent speaks \(ProtocolVersion.current); rebuilding it, keeping the outbox")
                    try rebuildReplica()
                    continue
                }
                if state.scope == nil || state.snapshotNext != nil {
                    try await snapshot(token: token, resume: state)
                    continue
                }
                if !searchReady { try await buildSearch() }
                let cursor = FeedCursor(epoch: state.epoch ?? "", seq: state.cursor)
                let wait = online && state.head <= state.cursor ? config.longPoll : 0
                longPollOut = wait > 0
                defer { longPollOut = false }
                let answer = try await client.changes(token: token, cursor: cursor, limit: config.pullLimit, wait: wait,
                                                      settled: state.lastMutationID, scope: state.scope)
                // Revoked while this pull was out: its answer is not kept, the replica is gone.
                guard revocation == nil else { return }
                liveScope = answer.scope
                if answer.scope != state.scope {
                    logger.notice("scope changed from \(state.scope ?? "-") to \(answer.scope); rebuilding the replica")
                    // A refresh brings the user as central knows them now, for the token file.
                    renewBeforeNextRequest = true
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
                if !behind { dataAsOf = Date() }
                markOnline()
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
                case .revoked?:
                    revoke(error)
                    return
                case .epochChanged?:
                    logger.notice("central's history was rewritten (\(error)); rebuilding the replica, keeping the outbox")
                    try? rebuildReplica()
                case .badToken?, .noToken?:
                    logger.notice("token refused (\(error)); logging in again")
                    forgetToken()
                case .badCredentials?:
                    // The state asks for a new password now; the loop's top waits for it.
                    break
                case .protocolMismatch?:
                    await retryLater(after: error, cap: 60)
                default:
                    if case .noPassword = error { break }
                    await retryLater(after: error)
                }
            } catch let error where ReplicaStore.isDamage(error) {
                repairReplica(after: error)
            } catch is AgentRevoked {
                return
            } catch is PasswordWanted {
                continue
            } catch {
                await retryLater(after: error)
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
        // Revoked meanwhile: the replica's files are gone and must not be made again.
        if let revocation { throw AgentRevoked(mark: revocation, directory: config.paths.directory) }
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
            if let revocation { throw AgentRevoked(mark: revocation, directory: config.paths.directory) }
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
        while !Task.isCancelled, revocation == nil {
            // Pushes wait while central is not answering: the pull loop finds it again (and
            // `markOnline` wakes this one), so a paused central is not also sent pushes that
            // would each wait out their timeout.
            while revocation == nil, !(pushPending && online) { await withCheckedContinuation { pushWake = $0 } }
            guard revocation == nil else { return }
            pushPending = false
            var sent: PushBatch?
            do {
                let entries = try outbox.pending(after: pushedThrough, limit: config.pushBatch)
                switch try PushBatch.make(entries: entries, clientID: outbox.clientID, after: pushedThrough, fillFrom: fillFrom,
                                          bodyLimit: bodyLimit, maxCount: config.pushBatch) {
                case nil: continue
                case .withdraw(let id, let bytes)?:
                    // Queued by an older agent: over what central takes of one command, never sent.
                    try withdraw(id, CommandRejection(.tooLarge(bytes: bytes, limit: ProtocolLimits.maxCommandBytes)))
                    pushPending = true
                    continue
                case .send(let batch)?:
                    sent = batch
                    pushPending = true
                    let token = try await validToken()
                    let answer = try await client.push(token: token, body: batch.body)
                    // Revoked while this push was out: the queue is wiped, nothing is recorded.
                    guard revocation == nil else { return }
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
                        // Central (or a proxy before it) refused it even alone (413), without a number.
                        logger.warning("central refused command #\(batch.first) (\(batch.body.count) bytes as a push) even alone: \(error)")
                        try withdraw(batch.first, CommandRejection(.tooLarge(bytes: batch.body.count, limit: nil)))
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
            } catch let error as CentralError where error.code == .revoked {
                revoke(error)
                return
            } catch is AgentRevoked {
                return
            } catch let error as CentralError where error.code == .badToken || error.code == .noToken {
                forgetToken()
                pushPending = true
                await backoff(1)
            } catch let error where Self.wantsPassword(error) {
                // No token and no password worth a try: sent once one is offered and works.
                pushPending = true
            } catch let error as CentralError where error.isUnanswered {
                // No answer: the pull loop takes over finding central again; this loop waits.
                pushPending = true
                if online { centralLost("\(error)") }
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
        var records: [Int64: String] = [:]
        for result in results where result.status == .applied {
            if let record = result.record { records[result.mutationID] = record }
        }
        try outbox.recordApplied(records)
        appliedRecords.merge(records) { _, new in new }
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
                    if let event = settledEvent(entry.mutationID, kept: kept, through: mutationID) { broadcast(named(event, entry)) }
                }
            }
            try outbox.drop(through: mutationID)
            settledThrough = mutationID
            appliedRecords = appliedRecords.filter { $0.key > mutationID }
        }
        for id in waiters.keys where id <= settledThrough {
            guard let event = settledEvent(id) else { continue }
            for waiter in waiters.removeValue(forKey: id) ?? [] { waiter.resume(returning: event) }
        }
    }

    /// A settled event with what its command was: the record central says it wrote first (a
    /// create's new record), else the record its arguments name.
    private func named(_ event: AgentEvent, _ entry: Outbox.Entry) -> AgentEvent {
        let target = Self.target(of: entry)
        switch event {
        case .applied(let id, _):
            return .applied(mutationID: id, subject: CommandSubject(command: entry.name, record: appliedRecords[id] ?? target))
        case .rejected(let id, let rejection, _):
            return .rejected(mutationID: id, rejection, subject: CommandSubject(command: entry.name, record: target))
        default:
            return event
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

    /// The token for the next request: the one held while it lasts (`renewLoop` refreshes it
    /// well before), else a renewal, which the loops that need a token at once share.
    private func validToken() async throws -> String {
        if let revocation { throw AgentRevoked(mark: revocation, directory: config.paths.directory) }
        // Central refused the password (or the token, with none to log in): nothing is sent
        // until a new one is offered, so the refusals cannot add up to a locked account.
        if connection.needsPassword { throw PasswordWanted(state: connection) }
        if let lease, lease.isUsable(at: Date()), !renewBeforeNextRequest { return lease.token }
        return try await renewToken()
    }

    /// Set when the token's user changed on central (a move): the next request refreshes first.
    private var renewBeforeNextRequest = false

    func renewToken() async throws -> String {
        if let running = renewal { return try await running.value }
        let task = Task { try await self.obtainToken() }
        renewal = task
        defer { renewal = nil }
        return try await task.value
    }

    /// A refresh of the token held (`/v1/refresh`); a password login only when central refuses
    /// the token itself (401: expired, or signed with a key central no longer has), or when
    /// there is none. Any other refusal, `revoked` first, is the caller's to handle.
    private func obtainToken() async throws -> String {
        if let lease {
            do {
                let answer = try await client.refresh(token: lease.token)
                return try keep(answer, how: "refreshed the token")
            } catch let error as CentralError where error.code == .badToken || error.code == .noToken {
                forgetToken()
                logger.notice("central would not refresh the token (\(error)); \(password == nil ? "no password was given to log in again" : "logging in with the password")")
            }
        }
        guard let password else {
            passwordNeeded(.tokenExpired, refused: nil)
            throw CentralError.noPassword
        }
        let answer: LoginResponse
        do {
            answer = try await client.login(username: config.username, password: password, clientID: outbox.clientID)
        } catch let error as CentralError where error.code == .badCredentials {
            passwordNeeded(.wrongPassword, refused: password)
            throw error
        }
        return try keep(answer, how: "logged in to \(config.central.absoluteString)")
    }

    /// Holds and saves a token from a login or a refresh (never after a revocation: the wipe
    /// removed the token file, and an answer that arrives later must not write it again).
    private func keep(_ answer: LoginResponse, how: String) throws -> String {
        if let revocation { throw AgentRevoked(mark: revocation, directory: config.paths.directory) }
        let lease = TokenLease(answer, receivedAt: Date())
        self.lease = lease
        user = answer.user
        renewBeforeNextRequest = false
        try TokenFile.save(TokenFile(username: config.username, lease: lease), to: config.paths.token)
        // Central answered, and took this console's credentials.
        markOnline()
        logger.info("\(how) as \(answer.user.username) (\(answer.user.role.rawValue), \(answer.user.department)); valid until \(Self.clock(lease.expiresAt)), refreshed from \(Self.clock(lease.renewAt))")
        if lease.lifetime < 1 {
            logger.warning("central's token expires \(Self.clock(lease.expiresAt)), before this console's clock says it was received: the two clocks disagree; set both by NTP")
        }
        return answer.token
    }

    private func forgetToken() {
        lease = nil
    }

    /// Renews the token once less than a quarter of its lifetime is left, ahead of any request
    /// that needs it: a long-poll holds the pull loop for 25 s, and an agent started without a
    /// password has no other way to stay logged in. A refresh that fails is retried with
    /// backoff while the token lasts; a `revoked` answer ends the agent's syncing.
    private func renewLoop() async {
        var failures = 0
        while !Task.isCancelled, revocation == nil {
            guard let lease else {
                // None yet (the pull loop logs in) or refused: nothing to refresh.
                try? await Task.sleep(for: .seconds(1))
                continue
            }
            let wait = lease.renewAt.timeIntervalSinceNow
            if wait > 0, !renewBeforeNextRequest {
                try? await Task.sleep(for: .milliseconds(Int(min(wait, 60) * 1000) + 10))
                continue
            }
            do {
                _ = try await renewToken()
                failures = 0
            } catch let error as CentralError where error.code == .revoked {
                revoke(error)
                return
            } catch is AgentRevoked {
                return
            } catch {
                failures += 1
                if failures.nonzeroBitCount == 1 {
                    logger.warning("could not renew the token (\(error)); it is valid until \(Self.clock(lease.expiresAt)); retrying")
                }
                await backoff(failures, cap: max(1, min(30, lease.expiresAt.timeIntervalSinceNow / 4)))
            }
        }
    }

    static func clock(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        return f.string(from: date)
    }

    // MARK: Revocation

    /// Central answered `revoked` (to a login, pull, push, snapshot or refresh): the user or
    /// this console was cut off (`fenghuo central revoke`). The mark goes to disk first, so no
    /// restart syncs again; then the replica, the queued commands and the token are deleted, and
    /// from here on nothing goes to central: the loops end, `status` says revoked, `submit` is
    /// refused. The socket stays up, so the console can show why.
    private func revoke(_ error: CentralError) {
        guard revocation == nil else { return }
        let reason = if case .refused(_, _, let message, _) = error { message } else { "\(error)" }
        var mark = RevocationMark(revokedAt: Date(), username: config.username, clientID: outbox.clientID, reason: reason)
        revocation = mark
        renewal?.cancel()
        lease = nil
        do {
            try mark.save(config.paths)
        } catch {
            logger.error("could not write \(config.paths.revocationMark) (\(error)): a restart of this agent would try central again (and be refused again)")
        }
        replica.close()
        mark.wiped = RevocationWipe.run(config.paths, outbox: outbox)
        revocation = mark
        try? mark.save(config.paths)
        logger.error("central revoked this console (\(reason)); wiped \(mark.wiped.isEmpty ? "nothing (nothing was left)" : mark.wiped); no more requests go to central (fenghuo agent --help says how to use the console again)")
        connection = .revoked
        lastError = mark.summary
        pushProblem = nil
        for waiter in passwordWaiters { waiter.resume() }
        passwordWaiters = []
        for waiter in waiters.values.joined() { waiter.resume(returning: Self.revokedAnswer(mark)) }
        waiters = [:]
        broadcast(.status(status()))
        wakePusher()
    }

    /// How a revoked agent answers `wait`.
    static func revokedAnswer(_ mark: RevocationMark) -> AgentEvent {
        .error(code: ErrorCode.revoked.rawValue, message: mark.summary)
    }

    private func revokedStatus(_ mark: RevocationMark) -> AgentStatus {
        var status = AgentStatus(username: config.username, role: user?.role.rawValue, department: user?.department, clientID: outbox.clientID,
                                 online: false, phase: .empty, epoch: nil, cursor: 0, head: 0, lagSeq: 0, lagMs: 0, outbox: 0, lastSyncAt: nil,
                                 snapshotDone: 0, snapshotTotal: 0, lastError: mark.summary, revoked: mark.reason)
        status.connection = .revoked
        return status
    }

    // MARK: Status

    /// Central answered and took the request: online (the pusher is woken if it was not).
    func markOnline() {
        if !online {
            logger.info(attempts > 0 ? "online again (after \(attempts) attempt\(attempts == 1 ? "" : "s"))" : "online")
            connection = .online
            wakePusher()
            broadcast(.status(status()))
        }
        attempts = 0
        lastError = nil
    }

    /// A failure worth a line in the status and the log; the connection state is the caller's.
    func fail(_ error: any Error) {
        let text = "\(error)"
        if lastError != text { logger.warning("\(text); retrying") }
        lastError = text
        if behindSince == nil { behindSince = Date() }
    }

    private func tickLoop() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            broadcast(.status(status()))
        }
    }

    func broadcast(_ event: AgentEvent) {
        for deliver in subscribers.values { deliver(event) }
    }

    /// Full jitter over an exponential step: `base` (0.25 s), twice that, … up to `cap` seconds.
    private func backoff(_ failures: Int, base: Double = 0.25, cap: Double = 15) async {
        try? await Task.sleep(for: .milliseconds(Int(Self.backoffDelay(failures, base: base, cap: cap) * 1000)))
    }

    static func backoffDelay(_ failures: Int, base: Double = 0.25, cap: Double = 15) -> Double {
        let step = min(cap, base * pow(2, Double(min(failures, 16) - 1)))
        return Double.random(in: step / 2...step)
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
