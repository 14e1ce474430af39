import FenghuoDomain
import Foundation

/// Pushes waiting for the store's writer. One drain at a time takes every push waiting (up to
/// a cap) and hands them to be committed together; pushes arriving meanwhile wait for the next
/// round. Under load the groups grow by themselves, so commits and syncs to disk stay few, and
/// no thread blocks waiting for the writer: the drain runs on one serial queue.
final class PushQueue: @unchecked Sendable {
    typealias Outcome = Result<PushAnswer, any Error>

    struct Job {
        let batch: [CommandEnvelope]
        let user: User
        let now: Date
        let done: @Sendable (Outcome) -> Void
    }

    /// A group stops growing at this many commands (a bigger transaction only delays the first).
    static let maxCommands = 2_000

    private let lock = NSLock()
    private var waiting: [Job] = []
    private var draining = false
    private let queue = DispatchQueue(label: "fenghuo.central.pushes")

    func add(_ job: Job, commit: @escaping @Sendable ([Job]) -> Void) {
        let start = lock.withLock { () -> Bool in
            waiting.append(job)
            defer { draining = true }
            return !draining
        }
        if start { queue.async { self.drain(commit) } }
    }

    private func drain(_ commit: @Sendable ([Job]) -> Void) {
        while let group = next() { commit(group) }
    }

    private func next() -> [Job]? {
        lock.withLock {
            guard !waiting.isEmpty else {
                draining = false
                return nil
            }
            var count = 0
            var taken = 0
            while taken < waiting.count, taken == 0 || count + waiting[taken].batch.count <= Self.maxCommands {
                count += waiting[taken].batch.count
                taken += 1
            }
            defer { waiting.removeFirst(taken) }
            return Array(waiting.prefix(taken))
        }
    }
}
