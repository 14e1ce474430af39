@testable import FenghuoConsole
import FenghuoDomain
import FenghuoProtocol
import FenghuoTUI
import Foundation
import Testing
import TestSupport

/// The status bar on an agent: one connection state with its reason, the queue, one age; and
/// the password prompt `P` opens while the agent waits for a password.
@Suite("Status bar: one connection state, the queue, one age; the password prompt")
struct StatusBarTests {
    /// A console on an agent whose effects are recorded (reads answered by the demo city).
    final class Rig {
        let backend: TestBackend
        let program: Program<ConsoleModel>
        var logins: [String] = []
        let now = DemoCity.now

        init(language: Language = .zh, size: Size = Size(width: 120, height: 40)) {
            let reader = DemoCity.database.reader
            backend = TestBackend(size: size)
            var model = ConsoleModel(language: language, theme: Harness.defaultTheme, size: size, now: DemoCity.now,
                                     start: .dispatch, operatorLabel: "duty1")
            model.agentConnected = true
            weak var rig: Rig?
            program = Program(model: model, backend: backend, clock: { DemoCity.now }) { effect in
                if case .login(let password) = effect {
                    rig?.logins.append(password)
                    return []
                }
                return reader.perform(effect)
            }
            rig = self
            program.send(.tick(now))
        }

        func status(_ state: ConnectionState, outbox: Int = 0, asOf: Date? = nil) {
            program.send(.agent(.status(SyncStatus(online: state == .online, phase: .ready, lagSeq: 12, lagMs: 3400, outbox: outbox,
                                                   lastSyncAt: now.addingTimeInterval(-300), connection: state,
                                                   dataAsOf: asOf ?? now.addingTimeInterval(-42), username: "duty1"))))
            program.render()
        }

        func press(_ keys: Key...) {
            for key in keys { program.send(.key(key)) }
            program.render()
        }

        var screen: String { backend.lines.joined(separator: "\n") }
        var bottom: String { backend.lines.last ?? "" }
        /// The right-hand side of the bar, as the model builds it (hints and the operator left out).
        var syncText: String { program.model.syncSpans().map(\.text).joined() }
    }

    static let states: [ConnectionState] = [
        .online, .connecting,
        .reconnecting(attempt: 3, nextTryAt: DemoCity.now.timeIntervalSince1970 + 11.4),
        .reconnecting(attempt: 1, nextTryAt: nil),
        .cannotConnect(address: "127.0.0.1:8480", attempt: 5, nextTryAt: DemoCity.now.timeIntervalSince1970 + 8),
        .wrongPassword, .tokenExpired,
        .refused(code: "locked_out", attempt: 2, nextTryAt: nil), .refused(code: "protocol_mismatch", attempt: 2, nextTryAt: nil),
        .revoked, .offline,
    ]

    @Test(arguments: [Language.zh, .en])
    func each_connection_state_reads_as_its_golden_line(_ language: Language) {
        var lines: [String] = []
        for state in Self.states {
            let rig = Rig(language: language)
            rig.status(state, outbox: 2)
            lines.append("\(state.name): \(rig.syncText)")
            // What the model builds is what the bar shows, at its right end.
            let shown = rig.syncText.trimmingCharacters(in: .whitespaces)
            #expect(rig.bottom.trimmingCharacters(in: .whitespaces).hasSuffix(shown), "\(state.name): \(rig.bottom)")
        }
        #expect(Golden.mismatch(lines, named: "status-bar-\(language.rawValue)") == nil)
    }

    @Test func the_bar_says_the_state_the_queue_and_one_age_and_nothing_else() {
        let rig = Rig()
        rig.status(.reconnecting(attempt: 3, nextTryAt: rig.now.timeIntervalSince1970 + 12), outbox: 1,
                   asOf: rig.now.addingTimeInterval(-75))
        #expect(rig.syncText == " ○ 重连中（第 3 次，下次 12 秒后）  待发 1  数据截至 09:58:45 ")
        #expect(!rig.screen.contains("滞后") && !rig.screen.contains("ms ") && !rig.screen.contains("未同步）"))
        // Data from another day says its date.
        rig.status(.cannotConnect(address: "127.0.0.1:8480", attempt: 1, nextTryAt: nil), asOf: rig.now.addingTimeInterval(-86_400))
        #expect(rig.syncText.hasSuffix(" 数据截至 11-30 10:00:00 "), "\(rig.syncText)")
        // Old enough to be stale: the same one age, marked, and the panel heading says so.
        rig.status(.cannotConnect(address: "127.0.0.1:8480", attempt: 1, nextTryAt: nil), asOf: rig.now.addingTimeInterval(-300))
        rig.program.send(.tick(rig.now))
        rig.program.render()
        #expect(rig.screen.contains("警情队列 · 数据陈旧"))
        #expect(rig.syncText.hasSuffix(" 数据截至 09:55:00 "))
    }

    @Test func at_80_columns_the_state_is_read_whole_and_the_operators_name_gives_way() {
        let rig = Rig(language: .en, size: Size(width: 80, height: 24))
        rig.status(.reconnecting(attempt: 12, nextTryAt: rig.now.timeIntervalSince1970 + 14), outbox: 12)
        #expect(rig.bottom.trimmingCharacters(in: .whitespaces).hasSuffix("○ reconnecting (attempt 12, next in 14 s)  queued 12  data as of 09:59:18"),
                "\(rig.bottom)")
        #expect(!rig.bottom.contains("duty1"))
        // With room, the name stays.
        rig.status(.online)
        #expect(rig.bottom.contains(" duty1  ● online  queued 0  data as of 09:59:18"), "\(rig.bottom)")
    }

    @Test func a_line_from_an_older_agent_reads_online_or_offline_from_its_flag() {
        let old = SyncStatus(online: false, phase: .ready, lagSeq: 0, lagMs: 0, outbox: 0, lastSyncAt: DemoCity.now)
        #expect(old.connection == .offline)
        #expect(old.dataAsOf == DemoCity.now)
        #expect(SyncStatus(online: true, phase: .ready, lagSeq: 0, lagMs: 0, outbox: 0, lastSyncAt: nil).connection == .online)
    }

    @Test func p_opens_a_hidden_password_prompt_only_while_the_agent_wants_a_password() throws {
        let rig = Rig()
        rig.status(.online)
        rig.press(.char("P"))
        #expect(!rig.bottom.contains("密码（"), "P opened a prompt while online")
        #expect(!rig.bottom.contains("P 输入密码"))
        // Central refused the password: the bar says so, the flash and the first hint name the key.
        rig.status(.wrongPassword)
        #expect(rig.screen.contains("按 P 输入新密码"))
        rig.program.send(.tick(rig.now.addingTimeInterval(30)))
        rig.program.render()
        #expect(rig.bottom.hasPrefix("  P 输入密码重新登录"), "\(rig.bottom)")
        rig.press(.char("P"))
        #expect(Golden.mismatch([rig.bottom], named: "password-prompt-zh") == nil)
        for c in "s3cret" { rig.press(.char(c)) }
        #expect(!rig.screen.contains("s3cret") && !rig.screen.contains("•"), "the password was drawn")
        #expect(Golden.mismatch([rig.bottom], named: "password-prompt-zh") == nil, "typing changes nothing on screen")
        rig.press(.enter)
        #expect(rig.logins == ["s3cret"])
        #expect(rig.screen.contains("正在登录…"))
        rig.program.send(.agent(.loginAnswered(.wrongPassword)))
        rig.program.render()
        #expect(rig.screen.contains("密码仍不正确：按 P 再试"))
        // Esc drops what was typed, and nothing is sent.
        rig.press(.char("P"), .char("x"), .escape)
        #expect(rig.logins == ["s3cret"])
        rig.press(.char("P"))
        for c in "demoduty" { rig.press(.char(c)) }
        rig.press(.enter)
        rig.program.send(.agent(.loginAnswered(.online)))
        rig.status(.online)
        #expect(rig.logins == ["s3cret", "demoduty"])
        #expect(rig.screen.contains("已登录"))
    }

    @Test func a_revoked_console_is_not_asked_for_a_password() {
        let rig = Rig()
        rig.status(.revoked)
        rig.press(.char("P"))
        #expect(!rig.bottom.contains("密码（") && !rig.screen.contains("P 输入密码"))
        #expect(rig.syncText.contains("吊销"))
    }

    @Test func the_english_prompt_and_the_help_name_the_key() {
        let rig = Rig(language: .en)
        rig.status(.tokenExpired)
        #expect(rig.screen.contains("press P to enter the password"))
        rig.press(.char("P"))
        #expect(rig.bottom.hasPrefix("password (duty1):"), "\(rig.bottom)")
        rig.press(.escape, .char("?"))
        #expect(rig.screen.contains("enter the password again"))
    }
}
