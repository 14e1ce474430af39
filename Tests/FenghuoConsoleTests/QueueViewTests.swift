import FenghuoConsole
import FenghuoDomain
import FenghuoProtocol
import FenghuoTUI
import Foundation
import Testing
import TestSupport

/// A visible queue: `Q` and `:queue` list what waits for central and what lately came back;
/// a queued row is marked; quitting with commands waiting asks first.
@Suite("The command queue: Q, the queued mark, the quit warning")
struct QueueViewTests {
    /// Rows of the screen that show `text`.
    func lines(_ rig: WriteRig, with text: String) -> [String] { rig.backend.lines.filter { $0.contains(text) } }

    @Test func q_with_a_command_waiting_warns_that_it_is_kept_and_asks() throws {
        let rig = try WriteRig(pane: .dispatch)
        rig.command("resolve 已处置完毕")
        #expect(rig.sent.count == 1)
        rig.press(.char("q"))
        #expect(!rig.model.isFinished)
        #expect(rig.flat.contains("还有1条命令待发：已保存在本机，下次启动时自动发送。仍要退出？y退出"), "\(rig.screen)")
        rig.press(.char("n"))
        #expect(!rig.model.isFinished)
        rig.command("quit")
        #expect(!rig.model.isFinished)
        rig.press(.char("y"))
        #expect(rig.model.isFinished)
    }

    @Test func q_with_nothing_waiting_quits_at_once_and_the_agents_own_count_counts() throws {
        let idle = try WriteRig(pane: .dispatch)
        idle.press(.char("q"))
        #expect(idle.model.isFinished)
        // Commands queued before this console started: only the agent knows them.
        let earlier = try WriteRig(pane: .dispatch)
        earlier.notice(.status(SyncStatus(online: false, phase: .ready, lagSeq: 0, lagMs: 0, outbox: 2, lastSyncAt: earlier.now)))
        earlier.press(.char("q"))
        #expect(!earlier.model.isFinished)
        #expect(earlier.flat.contains("还有2条命令待发"))
    }

    @Test func the_queue_lists_waiting_and_settled_commands_with_centrals_answer_in_chinese() throws {
        let rig = try WriteRig(pane: .dispatch)
        let rows = rig.model.dispatch.queue.rows
        rig.command("resolve 已处置完毕")
        rig.press(.down)
        rig.command("close")
        rig.press(.char("y"))
        rig.notice(.rejected(id: 1, CommandRejection(.staleVersion(id: rows[0].id, base: rows[0].version, current: rows[0].version + 1)),
                             subject: CommandSubject(command: "resolveIncident", record: rows[0].id)))
        rig.notice(.seenQueued(id: 3, subject: CommandSubject(command: "createIncident", record: nil)))
        rig.notice(.applied(id: 3, subject: CommandSubject(command: "createIncident", record: "J20261201-0999")))
        rig.notice(.status(SyncStatus(online: false, phase: .ready, lagSeq: 0, lagMs: 0, outbox: 3, lastSyncAt: rig.now)))
        rig.press(.char("Q"))
        #expect(rig.screen.contains("命令队列 · 待发 3"))
        let rejected = try #require(lines(rig, with: "被拒绝").first, "\(rig.screen)")
        #expect(rejected.contains("10:00:00") && rejected.contains("结束") && rejected.contains(rows[0].id), "\(rig.screen)")
        #expect(rejected.contains("已被他人更新"))
        let waiting = try #require(lines(rig, with: "等待中心确认").first)
        #expect(waiting.contains("关闭") && waiting.contains(rows[1].id) && waiting.contains("待发"))
        let created = try #require(lines(rig, with: "J20261201-0999").first)
        #expect(created.contains("新建警情（他处）") && created.contains("已生效") && created.contains("新记录 J20261201-0999"))
        // Two more wait than this console has seen: queued before it started.
        #expect(rig.flat.contains("另有2条命令在本次运行之前已排队"))
        rig.press(.escape)
        #expect(!rig.screen.contains("命令队列"))
    }

    @Test func colon_queue_opens_it_and_enter_opens_a_rows_record() throws {
        let rig = try WriteRig(pane: .dispatch)
        let target = try #require(rig.model.dispatch.queue.rows.last)
        rig.press(Array(repeating: Key.down, count: rig.model.dispatch.queue.rows.count - 1))
        rig.command("resolve 已处置完毕")
        rig.press(.home)
        rig.press(.char("2"))
        rig.command("queue")
        #expect(rig.screen.contains("命令队列"))
        rig.press(.enter)
        #expect(rig.model.active == .dispatch)
        #expect(rig.model.dispatch.queue.selectedRow?.id == target.id)
        #expect(rig.screen.contains("警情详情 \(target.id)"))
    }

    @Test func a_queued_row_carries_a_mark_until_central_settles_it() throws {
        let rig = try WriteRig(pane: .dispatch)
        let selected = try #require(rig.model.dispatch.queue.selectedRow)
        #expect(!rig.screen.contains(ConsoleModel.queuedMark))
        rig.command("resolve 已处置完毕")
        let row = try #require(lines(rig, with: selected.id).first, "\(rig.screen)")
        #expect(row.hasPrefix(ConsoleModel.queuedMark), "\(row)")
        #expect(lines(rig, with: ConsoleModel.queuedMark).count == 1)
        rig.notice(.applied(id: 1, subject: CommandSubject(command: "resolveIncident", record: selected.id)))
        #expect(!rig.screen.contains(ConsoleModel.queuedMark))
    }
}
