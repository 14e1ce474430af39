import Foundation

/// Wakes waiting long-polls when the store commits a change, so a pull answers within a
/// scheduling delay instead of a polling interval. Writers elsewhere (another process on the
/// same store) are still seen: a waiter also wakes after `timeout` and looks for itself.
final class ChangeSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var generation: UInt64 = 0
    private var waiters: [UUID: CheckedContinuation<Bool, Never>] = [:]

    var current: UInt64 { lock.withLock { generation } }

    /// Something was committed: every waiter wakes.
    func bump() {
        let woken = lock.withLock {
            generation &+= 1
            defer { waiters.removeAll() }
            return waiters
        }
        for waiter in woken.values { waiter.resume(returning: true) }
    }

    /// Returns when the generation moves past `seen` (true), or after `timeout` (false). (A
    /// dispatch timer ends the wait, not a task per waiter: twenty agents wait here a hundred
    /// times a second.)
    @discardableResult
    func wait(after seen: UInt64, timeout: Duration) async -> Bool {
        let id = UUID()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let now = lock.withLock { () -> Bool in
                if generation != seen { return true }
                waiters[id] = continuation
                return false
            }
            if now {
                continuation.resume(returning: true)
                return
            }
            let (seconds, attoseconds) = timeout.components
            let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { self.release(id) }
        }
    }

    private func release(_ id: UUID) {
        let waiter = lock.withLock { waiters.removeValue(forKey: id) }
        waiter?.resume(returning: false)
    }
}
