import Foundation

/// Counters for `/metrics`, in the Prometheus text format. Shared by every request handler.
public final class CentralMetrics: @unchecked Sendable {
    private let lock = NSLock()
    private var applied = 0
    private var rejected = 0
    private var duplicates = 0
    private var pulls = 0
    private var pullSeconds = 0.0
    private var lastPull: [String: Date] = [:]
    private var changeTimes: [Date] = []

    public init() {}

    func recordPush(_ result: PushResultKind) {
        lock.withLock {
            switch result {
            case .applied: applied += 1
            case .rejected: rejected += 1
            case .duplicate: duplicates += 1
            }
        }
    }

    func recordChanges(_ count: Int, at now: Date) {
        lock.withLock { changeTimes.append(contentsOf: repeatElement(now, count: count)) }
    }

    func recordPull(client: String, seconds: Double, at now: Date) {
        lock.withLock {
            pulls += 1
            pullSeconds += seconds
            lastPull[client] = now
        }
    }

    /// The text a Prometheus scraper reads. "Connected" agents pulled within the last minute.
    public func render(at now: Date) -> String {
        lock.withLock {
            let minuteAgo = now.addingTimeInterval(-60)
            changeTimes.removeAll { $0 < minuteAgo }
            let connected = lastPull.values.count { $0 >= minuteAgo }
            return """
            # HELP fenghuo_connected_agents Agents that pulled in the last 60 seconds.
            # TYPE fenghuo_connected_agents gauge
            fenghuo_connected_agents \(connected)
            # HELP fenghuo_changes_per_second Changes committed per second over the last 60 seconds.
            # TYPE fenghuo_changes_per_second gauge
            fenghuo_changes_per_second \(Double(changeTimes.count) / 60)
            # HELP fenghuo_commands_total Commands pushed, by outcome.
            # TYPE fenghuo_commands_total counter
            fenghuo_commands_total{outcome="applied"} \(applied)
            fenghuo_commands_total{outcome="rejected"} \(rejected)
            fenghuo_commands_total{outcome="duplicate"} \(duplicates)
            # HELP fenghuo_pull_seconds Time to answer a pull, long-poll wait included.
            # TYPE fenghuo_pull_seconds summary
            fenghuo_pull_seconds_count \(pulls)
            fenghuo_pull_seconds_sum \(pullSeconds)

            """
        }
    }
}

enum PushResultKind { case applied, rejected, duplicate }
