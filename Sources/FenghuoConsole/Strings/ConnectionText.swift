import FenghuoDomain
import FenghuoProtocol
import Foundation

/// The status bar's words for the agent's link to central: one state with its reason, the
/// queue, and one age. The agent decides the state (`ConnectionState`); this only words it.
extension Strings {
    /// `● 在线`, `○ 重连中（第 3 次，下次 12 秒后）`, `○ 离线：无法连接 127.0.0.1:8480`, …
    public func connection(_ state: ConnectionState, now: Date) -> String {
        let zh = language == .zh
        func next(_ at: Double?) -> String {
            let seconds = at.map { Int(($0 - now.timeIntervalSince1970).rounded(.up)) } ?? 0
            if seconds <= 0 { return zh ? "正在重试" : "trying now" }
            return zh ? "下次 \(seconds) 秒后" : "next in \(seconds) s"
        }
        switch state {
        case .online: return self(.online)
        case .connecting: return zh ? "○ 连接中" : "○ connecting"
        case .reconnecting(let attempt, let at):
            return zh ? "○ 重连中（第 \(attempt) 次，\(next(at))）" : "○ reconnecting (attempt \(attempt), \(next(at)))"
        case .cannotConnect(let address, _, _):
            return zh ? "○ 离线：无法连接 \(address)" : "○ offline: cannot connect to \(address)"
        case .wrongPassword: return zh ? "○ 离线：密码错误，请重新登录" : "○ offline: wrong password — log in again"
        case .tokenExpired: return zh ? "○ 离线：令牌已过期" : "○ offline: token expired"
        case .refused(let code, _, _):
            switch ErrorCode(rawValue: code) {
            case .lockedOut?: return zh ? "○ 离线：账号已锁定，请稍后再试或联系管理员" : "○ offline: account locked; try later or ask an administrator"
            case .protocolMismatch?: return zh ? "○ 离线：代理与中心版本不符，请升级" : "○ offline: agent and central versions differ; upgrade"
            case .clientTaken?: return zh ? "○ 离线：本终端编号已被他人使用" : "○ offline: this console's id belongs to another user"
            default: return zh ? "○ 离线：中心拒绝（\(code)）" : "○ offline: central refuses (\(code))"
            }
        case .revoked: return self(.revoked)
        case .offline: return self(.offline)
        }
    }

    /// `待发 3` / `queued 3`.
    public func queuedCount(_ n: Int) -> String { language == .zh ? "待发 \(n)" : "queued \(n)" }

    /// `数据截至 10:02:03` (with the date when it is not today's): the one age the bar shows.
    public func dataAsOf(_ instant: Date?, now: Date, format: Format) -> String {
        guard let instant else { return language == .zh ? "数据未同步" : "no data yet" }
        let clock = format.clock(instant)
        let sameDay = clock.prefix(5) == format.clock(now).prefix(5)
        let shown = sameDay ? String(clock.dropFirst(6)) : clock
        return language == .zh ? "数据截至 \(shown)" : "data as of \(shown)"
    }

    // MARK: The password prompt

    /// The key's help: on the hint bar while a password is wanted, and in `?`.
    public var keyLogin: String { language == .zh ? "输入密码重新登录" : "enter the password again" }

    public func passwordPrompt(user: String) -> String {
        let who = user.isEmpty ? "" : (language == .zh ? "（\(user)）" : " (\(user))")
        return language == .zh ? "密码\(who)：" : "password\(who): "
    }

    public var passwordHint: String {
        language == .zh ? "输入不显示；回车登录，Esc 取消" : "not shown as you type; Enter logs in, Esc cancels"
    }

    /// Said when the state turns to one that wants a password, so the key is found.
    public func passwordWanted(_ state: ConnectionState, key: String) -> String {
        switch (state, language) {
        case (.tokenExpired, .zh): "登录已过期：按 \(key) 输入密码重新登录"
        case (.tokenExpired, .en): "the login expired: press \(key) to enter the password"
        case (_, .zh): "中心拒绝了密码，已停止重试（避免锁定账号）：按 \(key) 输入新密码"
        case (_, .en): "central refused the password; retries stopped (so the account is not locked): press \(key) to enter it again"
        }
    }

    public var loginSent: String { language == .zh ? "正在登录…" : "logging in…" }

    /// The agent's answer to a password: its state after the attempt (nil: it took none).
    public func loginAnswer(_ state: ConnectionState?, key: String) -> (text: String, isError: Bool) {
        let zh = language == .zh
        switch state {
        case .online?, .connecting?: return (zh ? "已登录" : "logged in", false)
        case .wrongPassword?: return (zh ? "密码仍不正确：按 \(key) 再试" : "the password was refused again: press \(key) to retry", true)
        case .tokenExpired?: return (zh ? "未能登录：按 \(key) 再试" : "not logged in: press \(key) to retry", true)
        case nil: return (zh ? "代理现在不需要密码" : "the agent does not need a password now", true)
        default: return (zh ? "密码已交给代理：连上中心后登录" : "the agent has the password: it logs in once central answers", false)
        }
    }
}
