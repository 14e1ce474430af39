import FenghuoConsole
import FenghuoDomain
import FenghuoProtocol
import FenghuoStore
import FenghuoTUI
import Foundation
import GRDB
import Testing
import TestSupport

/// A console on an agent over a demo city of its own (real SQLite), which the test changes
/// behind the console's back the way other consoles' work reaches a replica: rows close, are
/// updated, new ones arrive. The agent's `submit` is a recording stand-in.
final class WriteRig {
    let database: AppDatabase
    let backend: TestBackend
    let program: Program<ConsoleModel>
    var sent: [CommandRequest] = []
    let now = DemoCity.now

    init(pane: PaneID, size: Size = Size(width: 120, height: 40), role: Role? = .duty, language: Language = .zh,
         operatorLabel: String = "duty1") throws {
        let database = try DemoCity.freshDatabase()
        self.database = database
        let reader = database.reader
        backend = TestBackend(size: size)
        var model = ConsoleModel(language: language, theme: Harness.defaultTheme, size: size, now: DemoCity.now, start: pane,
                                 operatorLabel: operatorLabel)
        model.agentConnected = true
        model.role = role
        model.username = operatorLabel
        var queued: Int64 = 0
        weak var rig: WriteRig?
        program = Program(model: model, backend: backend, clock: { DemoCity.now }) { effect in
            if case .submit(let request) = effect {
                rig?.sent.append(request)
                queued += 1
                return [.agent(.queued(id: queued, label: request.label, command: request.command))]
            }
            return reader.perform(effect)
        }
        rig = self
        program.send(.tick(now))
        program.send(.agent(.status(SyncStatus(online: true, phase: .ready, lagSeq: 0, lagMs: 0, outbox: 0, lastSyncAt: now))))
        program.render()
    }

    var model: ConsoleModel { program.model }
    var screen: String { backend.lines.joined(separator: "\n") }
    /// The screen with blanks removed: wrapped messages read as one line.
    var flat: String { screen.replacingOccurrences(of: "\\s+", with: "", options: .regularExpression) }

    func press(_ keys: Key...) { press(keys) }

    func press(_ keys: [Key]) {
        for key in keys { program.send(.key(key)) }
        program.render()
    }

    func type(_ text: String) {
        for c in text { program.send(.key(.char(c))) }
        program.render()
    }

    /// `:` then the text and Enter.
    func command(_ text: String) {
        press(.char(":"))
        type(text)
        press(.enter)
    }

    func notice(_ n: AgentNotice) {
        program.send(.agent(n))
        program.render()
    }

    /// Another console's work lands in the replica: the agent says so and the console re-reads.
    func elsewhere(_ sql: String, _ arguments: StatementArguments = []) throws {
        try database.writer.write { try $0.execute(sql: sql, arguments: arguments) }
        notice(.changed)
    }

    /// Someone else closes an incident (its version moves on, it leaves the open queue).
    func closeElsewhere(_ id: String) throws {
        try elsewhere("UPDATE incident SET status = 'closed', is_open = 0, version = version + 1 WHERE id = ?", [id])
    }
}

@Suite("Pinned targets: a verb acts on the record selected when its line opened")
struct PinnedTargetTests {
    @Test func the_prompt_names_the_record_the_verb_will_act_on() throws {
        let rig = try WriteRig(pane: .dispatch)
        let selected = try #require(rig.model.dispatch.queue.selectedRow)
        rig.press(.char(":"))
        #expect(rig.screen.contains("对象 \(selected.id)"))
        rig.type("close")
        let type = try #require(DemoCity.database.reader.directory().incidentTypes[selected.typeCode]).name
        #expect(rig.screen.contains("关闭 \(selected.id) \(type)"), "\(rig.screen)")
    }

    @Test func a_row_that_closes_while_the_line_is_open_is_still_the_target_and_the_change_is_asked_about() throws {
        let rig = try WriteRig(pane: .dispatch)
        let pinned = try #require(rig.model.dispatch.queue.selectedRow)
        rig.press(.char(":"))
        rig.type("resolve 已处置完毕")
        // Meanwhile another console closes it: the list refreshes and the cursor lands on its neighbour.
        try rig.closeElsewhere(pinned.id)
        let neighbour = try #require(rig.model.dispatch.queue.selectedRow)
        #expect(neighbour.id != pinned.id)
        rig.press(.enter)
        // Nothing is sent yet: the record changed since the line opened, and the console says how.
        #expect(rig.sent.isEmpty)
        let was = Strings(.zh).status(pinned.status)
        #expect(rig.flat.contains("\(pinned.id)刚被他人更新：\(was)→已关闭。仍要结束"), "\(rig.screen)")
        rig.press(.char("y"))
        let sent = try #require(rig.sent.first)
        #expect(sent.command == .resolveIncident(.init(pinned.id), disposition: "handled"), "the verb went to \(neighbour.id) instead")
        #expect(sent.baseVersion == pinned.version + 1)
    }

    @Test func a_selected_row_that_leaves_the_list_is_said_on_the_status_line() throws {
        let rig = try WriteRig(pane: .dispatch)
        let rows = rig.model.dispatch.queue.rows
        rig.press(.down)
        let gone = rows[1], next = rows[2]
        try rig.closeElsewhere(gone.id)
        #expect(rig.model.dispatch.queue.selectedRow?.id == next.id)
        #expect(rig.screen.contains("\(gone.id) 已关闭，光标移到 \(next.id)"), "\(rig.screen)")
    }

    @Test func a_refusal_just_shown_stays_when_its_row_then_leaves_the_list() throws {
        let rig = try WriteRig(pane: .dispatch)
        let rows = rig.model.dispatch.queue.rows
        rig.press(.down)
        let gone = rows[1], next = rows[2]
        // The user's command is refused, and the row closes elsewhere at the same moment.
        rig.notice(.rejected(id: 9, CommandRejection(.staleVersion(id: gone.id, base: 1, current: 2)),
                             subject: CommandSubject(command: "noteIncident", record: gone.id)))
        try rig.closeElsewhere(gone.id)
        #expect(rig.model.dispatch.queue.selectedRow?.id == next.id)
        #expect(rig.flat.contains("被中心拒绝#9"), "the refusal must stay readable: \(rig.screen)")
        #expect(rig.flat.contains("光标移到\(next.id)"), "\(rig.screen)")
    }

    @Test func a_selected_row_pushed_out_of_the_window_by_new_rows_stays_selected() throws {
        let rig = try WriteRig(pane: .dispatch, size: Size(width: 120, height: 24))
        let capacity = rig.model.dispatch.queue.rows.count
        rig.press(Array(repeating: Key.down, count: capacity - 1))
        let last = try #require(rig.model.dispatch.queue.selectedRow)
        #expect(rig.model.dispatch.queue.rows.last?.id == last.id)
        // Three urgent calls arrive ahead of every row on screen.
        let first = try #require(rig.model.dispatch.queue.rows.first)
        try rig.database.writer.write { db in
            for n in 1...3 {
                try db.execute(sql: "DROP TABLE IF EXISTS temp.copy")
                try db.execute(sql: "CREATE TEMP TABLE copy AS SELECT * FROM incident WHERE id = ?", arguments: [first.id])
                try db.execute(sql: "UPDATE copy SET id = ?, priority = 1, created_at = 0", arguments: ["J20260101-900\(n)"])
                try db.execute(sql: "INSERT INTO incident SELECT * FROM copy")
            }
        }
        rig.notice(.changed)
        #expect(rig.model.dispatch.queue.selectedRow?.id == last.id)
        #expect(!rig.screen.contains("光标移到"))
    }

    @Test func an_unchanged_target_is_sent_at_the_version_the_user_saw() throws {
        let rig = try WriteRig(pane: .dispatch)
        let selected = try #require(rig.model.dispatch.queue.selectedRow)
        rig.command("resolve 已处置完毕")
        #expect(rig.sent.map(\.command) == [.resolveIncident(.init(selected.id), disposition: "handled")])
        #expect(rig.sent.first?.baseVersion == selected.version)
        #expect(rig.sent.first?.label == "结束 \(selected.id) 已处置完毕")
    }
}

@Suite("Dangerous verbs confirm with y; cancel and reject say why")
struct ConfirmationTests {
    @Test func close_waits_for_y_and_any_other_key_drops_it() throws {
        let rig = try WriteRig(pane: .dispatch)
        let selected = try #require(rig.model.dispatch.queue.selectedRow)
        rig.command("close")
        #expect(rig.sent.isEmpty)
        #expect(rig.screen.contains("确认关闭 \(selected.id)"), "\(rig.screen)")
        rig.press(.char("n"))
        #expect(rig.sent.isEmpty)
        #expect(rig.screen.contains("未发送：关闭 \(selected.id)"))
        rig.command("关闭")
        rig.press(.char("y"))
        #expect(rig.sent.map(\.command.name) == [.closeIncident])
        #expect(rig.sent.first?.command.target == selected.id)
    }

    @Test func after_a_close_confirmed_from_the_detail_view_keys_still_work() throws {
        let rig = try WriteRig(pane: .dispatch)
        let selected = try #require(rig.model.dispatch.queue.selectedRow)
        rig.press(.enter)
        #expect(rig.screen.contains("警情详情 \(selected.id)"))
        rig.command("close")
        rig.press(.char("y"))
        #expect(rig.sent.first?.command.target == selected.id)
        // A few seconds pass (ticks re-read the detail) before the key.
        for second in 1...3 { rig.program.send(.tick(rig.now.addingTimeInterval(Double(second)))) }
        rig.press(.char("?"))
        #expect(rig.screen.contains("帮助 ·"), "\(rig.screen)")
        rig.press(.escape)
        rig.press(.char("Q"))
        #expect(rig.screen.contains("命令队列"), "\(rig.screen)")
        rig.press(.escape)
        rig.press(.escape)
        #expect(rig.screen.contains("警情队列"), "\(rig.screen)")
    }

    @Test func cancel_needs_a_reason_which_is_sent_with_it() throws {
        let rig = try WriteRig(pane: .dispatch)
        let selected = try #require(rig.model.dispatch.queue.selectedRow)
        rig.command("cancel 重复报警")
        #expect(rig.screen.contains("用法：cancel DISPOSITION REASON"))
        rig.command("cancel 重复报警 与上一起同一地点")
        rig.press(.char("y"))
        #expect(rig.sent.map(\.command) == [.cancelIncident(.init(selected.id), disposition: "duplicate", reason: "与上一起同一地点")])
    }

    @Test func reject_needs_an_opinion_and_confirms_approve_does_not() throws {
        let rig = try WriteRig(pane: .approvals, role: .staff)
        let selected = try #require(rig.model.approvals.queue.selectedRow)
        rig.command("reject")
        #expect(rig.screen.contains("用法：reject OPINION"))
        rig.command("reject 材料不全")
        #expect(rig.sent.isEmpty)
        #expect(rig.screen.contains("确认不同意 \(selected.id)"))
        rig.press(.char("y"))
        rig.command("approve")
        #expect(rig.sent.map(\.command) == [
            .signOff(.init(selected.id), department: nil, approve: false, opinion: "材料不全"),
            .signOff(.init(selected.id), department: nil, approve: true, opinion: ""),
        ])
    }

    @Test func a_target_updated_meanwhile_is_asked_about_even_for_a_verb_that_does_not_confirm() throws {
        let rig = try WriteRig(pane: .dispatch)
        let selected = try #require(rig.model.dispatch.queue.selectedRow)
        rig.press(.char(":"))
        rig.type("resolve 已处置完毕")
        let now: IncidentStatus = selected.status == .resolved ? .onScene : .resolved
        try rig.elsewhere("UPDATE incident SET status = ?, version = version + 1 WHERE id = ?", [now.rawValue, selected.id])
        rig.press(.enter)
        #expect(rig.sent.isEmpty)
        let s = Strings(.zh)
        #expect(rig.flat.contains("\(selected.id)刚被他人更新：\(s.status(selected.status))→\(s.status(now))"), "\(rig.screen)")
        rig.press(.escape)
        #expect(rig.sent.isEmpty)
    }
}
