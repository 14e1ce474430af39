import FenghuoDomain
import Foundation

/// Times and durations as the console shows them, always in Shanghai local time.
public struct Format: Sendable {
    let language: Language

    public init(_ language: Language) { self.language = language }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// `12-01 14:03:22`
    public func clock(_ instant: Date) -> String {
        let day = LocalDate(instant)
        let local = Int(floor(instant.timeIntervalSince1970)) + LocalDate.utcOffset
        let s = ((local % 86_400) + 86_400) % 86_400
        return "\(Self.two(day.month))-\(Self.two(day.day)) \(Self.two(s / 3600)):\(Self.two(s % 3600 / 60)):\(Self.two(s % 60))"
    }

    /// `12-03 17:30`
    public func minute(_ instant: Date) -> String { String(clock(instant).dropLast(3)) }

    /// `2026-12-03`
    public func day(_ date: LocalDate) -> String { date.description }

    /// Time since `start`, ticking: `04:12`, `1:04:12`, then `2天3时` / `2d3h`.
    public func elapsed(since start: Date, now: Date) -> String {
        let s = max(0, Int(now.timeIntervalSince(start)))
        if s < 3600 { return "\(Self.two(s / 60)):\(Self.two(s % 60))" }
        if s < 86_400 { return "\(s / 3600):\(Self.two(s % 3600 / 60)):\(Self.two(s % 60))" }
        return language == .zh ? "\(s / 86_400)天\(s % 86_400 / 3600)时" : "\(s / 86_400)d\(s % 86_400 / 3600)h"
    }

    /// Time until a deadline: `2时15分`, `3天4时`; past it, `超2时` / `-2h`.
    public func timeLeft(until deadline: Date, now: Date) -> String {
        let s = Int(deadline.timeIntervalSince(now))
        let a = abs(s)
        let body: String
        if a < 3600 {
            body = language == .zh ? "\(a / 60)分" : "\(a / 60)m"
        } else if a < 86_400 {
            body = language == .zh ? "\(a / 3600)时\(a % 3600 / 60)分" : "\(a / 3600)h\(Self.two(a % 3600 / 60))m"
        } else if a < 10 * 86_400 {
            body = language == .zh ? "\(a / 86_400)天\(a % 86_400 / 3600)时" : "\(a / 86_400)d\(a % 86_400 / 3600)h"
        } else {
            body = language == .zh ? "\(a / 86_400)天" : "\(a / 86_400)d"
        }
        if s >= 0 { return body }
        return language == .zh ? "超\(body)" : "-\(body)"
    }

    /// `1,204`
    public func count(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }
}
