import Foundation

/// What stands between the internet and the password hash: failed logins counted per address
/// (in memory) and per user (in the store, so a lockout survives a restart and `central user`
/// shows it), and a bounded queue for the hashing itself. A password is only hashed when
/// neither is locked and the queue has room: a flood of wrong passwords costs central a
/// counter increment, not a core.
public final class LoginGuard: @unchecked Sendable {
    public struct Policy: Sendable {
        /// Failures in a row before a user is locked, and for how long.
        public var userFailures = 5
        public var userLock: TimeInterval = 15 * 60
        /// Failures from one address within `addressWindow` before it is refused for a while.
        public var addressFailures = 20
        public var addressWindow: TimeInterval = 5 * 60
        public var addressLock: TimeInterval = 5 * 60
        /// Passwords hashed at once, and logins that may wait for a turn.
        public var hashing = max(1, ProcessInfo.processInfo.activeProcessorCount / 2)
        public var waiting = 32

        public init() {}
    }

    public let policy: Policy
    private let lock = NSLock()
    private var addresses: [String: (failures: Int, since: Date, lockedUntil: Date?)] = [:]
    private var inFlight = 0
    private let hashers: OperationQueue

    public init(policy: Policy = Policy()) {
        self.policy = policy
        hashers = OperationQueue()
        hashers.name = "fenghuo.password-hashing"
        hashers.maxConcurrentOperationCount = policy.hashing
        hashers.qualityOfService = .utility
    }

    /// Until when `address` is refused, if it is.
    func addressLockedUntil(_ address: String, now: Date) -> Date? {
        lock.withLock {
            guard let until = addresses[address]?.lockedUntil else { return nil }
            if until > now { return until }
            addresses[address] = nil
            return nil
        }
    }

    /// Counts a failed login from `address`; answers the lock's end once it is locked.
    @discardableResult
    func addressFailed(_ address: String, now: Date) -> Date? {
        lock.withLock {
            var entry = addresses[address] ?? (0, now, nil)
            if now.timeIntervalSince(entry.since) > policy.addressWindow { entry = (0, now, nil) }
            entry.failures += 1
            if entry.failures >= policy.addressFailures { entry.lockedUntil = now.addingTimeInterval(policy.addressLock) }
            // Bounded: an attacker rotating addresses cannot grow this without end.
            if addresses.count > 100_000 { addresses = addresses.filter { $0.value.lockedUntil != nil } }
            addresses[address] = entry
            return entry.lockedUntil
        }
    }

    public struct Busy: Error, CustomStringConvertible {
        public var description: String { "central is checking too many passwords at once; try again in a few seconds" }
    }

    /// Runs the password check on the hashing queue, off the threads that serve requests, or
    /// refuses at once when `waiting` logins already wait.
    public func hash<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let admitted = lock.withLock {
            guard inFlight < policy.hashing + policy.waiting else { return false }
            inFlight += 1
            return true
        }
        guard admitted else { throw Busy() }
        return try await withCheckedThrowingContinuation { continuation in
            hashers.addOperation { [self] in
                let result = Result { try work() }
                lock.withLock { inFlight -= 1 }
                continuation.resume(with: result)
            }
        }
    }
}
