import Foundation
import Testing

/// Why this exists: Swift's cooperative thread pool has one thread per core — two on the CI
/// machine. A test that blocks (`waitpid` on a tmux command, `Thread.sleep` between screen
/// reads) holds one of those two threads, and every other test's continuation waits behind it.
/// Under the whole suite that made a long-poll that answered in milliseconds measure 21 s, and a
/// console outcome that was on screen time out: the tests were measuring the queue for a thread.
///
/// `.ownThread` runs each test case on a thread of its own, so its blocking waits block only it
/// and its awaits resume without queueing behind anyone. `.processes` does the same and also
/// takes one of a few slots first: tests that start central, agents and terminals are many
/// processes each, and run a few at a time instead of all at once on two cores.
public struct OwnThreadTrait: TestTrait, SuiteTrait, TestScoping {
    let takesProcessSlot: Bool

    public var isRecursive: Bool { true }

    public func scopeProvider(for test: Test, testCase: Test.Case?) -> OwnThreadTrait? {
        testCase == nil ? nil : self
    }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        if takesProcessSlot { await ProcessSlots.shared.acquire() }
        let executor = DedicatedThreadExecutor()
        let outcome: Result<Void, any Error>
        do {
            try await withTaskExecutorPreference(executor) { try await function() }
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        executor.finish()
        if takesProcessSlot { await ProcessSlots.shared.release() }
        try outcome.get()
    }
}

extension Trait where Self == OwnThreadTrait {
    /// The test runs on a thread of its own (it blocks, or it measures time).
    public static var ownThread: OwnThreadTrait { OwnThreadTrait(takesProcessSlot: false) }

    /// The test starts real processes: it waits for a slot, then runs on a thread of its own.
    public static var processes: OwnThreadTrait { OwnThreadTrait(takesProcessSlot: true) }
}

/// How many process-starting tests run at once: `FENGHUO_TEST_PROCESS_SLOTS`, else two per core
/// (their processes mostly wait on each other, on sockets and on timers), at least three.
public actor ProcessSlots {
    static let shared = ProcessSlots(count: {
        if let text = ProcessInfo.processInfo.environment["FENGHUO_TEST_PROCESS_SLOTS"], let n = Int(text), n > 0 { return n }
        return max(3, ProcessInfo.processInfo.activeProcessorCount * 2)
    }())

    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(count: Int) { free = count }

    public func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    public func release() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

/// A task executor with threads of its own: a job runs on an idle one, or on a new one when all
/// are busy, so a test that blocks one thread (a semaphore waiting for its own child task) never
/// waits for itself. Idle threads end after a second, and all of them once `finish()` is called
/// and the queue is empty; a job that still arrives later (a straggling callback of a finished
/// test) starts a thread again, so nothing is ever dropped.
public final class DedicatedThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var waiting = 0
    private var finishing = false

    public init() {}

    private static let marker = "fenghuo.test.ownThread"

    /// Whether the calling code runs on a thread of a `DedicatedThreadExecutor`.
    public static var isCurrentThreadOwn: Bool { Thread.current.threadDictionary[marker] != nil }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        let idleThreadFree = waiting >= jobs.count
        if idleThreadFree { condition.signal() }
        condition.unlock()
        if !idleThreadFree {
            let thread = Thread { [self] in work() }
            thread.name = "fenghuo-test"  // Linux keeps 15 bytes of a thread's name
            thread.start()
        }
    }

    public func finish() {
        condition.lock()
        finishing = true
        condition.broadcast()
        condition.unlock()
    }

    private func work() {
        Thread.current.threadDictionary[Self.marker] = true
        let executor = asUnownedTaskExecutor()
        condition.lock()
        while true {
            if jobs.isEmpty {
                if finishing { break }
                waiting += 1
                let woken = condition.wait(until: Date().addingTimeInterval(1))
                waiting -= 1
                if !woken && jobs.isEmpty { break }
                continue
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: executor)
            condition.lock()
        }
        condition.unlock()
    }
}
