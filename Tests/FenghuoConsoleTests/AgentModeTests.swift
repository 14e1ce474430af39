import FenghuoConsole
import FenghuoProtocol
import FenghuoDomain
import FenghuoStore
import FenghuoTUI
import Foundation
import Testing
import TestSupport

/// The console on an agent: writes become commands for the selected record, and the agent's
/// news (sync state, outcomes) reaches the screen.
@Suite("Console on an agent: writes and sync state", .ownThread)
struct AgentModeTests {
    /// A console whose effects are answered by the demo city for reads, and by a recording
    /// stand-in for the agent's `submit` (the real agent is exercised end to end elsewhere).
    final class Rig {
        let backend: TestBackend
        let program: Program<ConsoleModel>
        var sent: [CommandRequest] = []
        let now = DemoCity.now

        init(pane: PaneID, size: Size = Size(width: 120, height: 40)) {
            let reader = DemoCity.database.reader
            backend = TestBackend(size: size)
            var model = ConsoleModel(language: .zh, theme: Harness.defaultTheme, size: size, now: DemoCity.now, start: pane,
                                     operatorLabel: "duty1")
            model.agentConnected = true
            var queued: Int64 = 0
            weak var rig: Rig?
            program = Program(model: model, backend: backend, clock: { DemoCity.now }) { effect in
                if case .submit(let request) = effect {
                    rig?.sent.append(request)
                    queued += 1
                    return [.agent(.queued(id: queued, label: request.label))]
                }
                return reader.perform(effect)
            }
            rig = self
            program.send(.tick(now))
            program.send(.agent(.status(SyncStatus(online: true, phase: .ready, lagSeq: 0, lagMs: 0, outbox: 0, lastSyncAt: now))))
            program.render()
        }

        var screen: String { backend.lines.joined(separator: "\n") }

        func command(_ text: String) {
            program.send(.key(.char(":")))
            for c in text { program.send(.key(.char(c))) }
            program.send(.key(.enter))
            program.render()
        }

        func notice(_ n: AgentNotice) {
            program.send(.agent(n))
            program.render()
        }
    }

    @Test func assign_dispatches_units_to_the_selected_incident_at_the_version_on_screen() throws {
        let rig = Rig(pane: .dispatch)
        let selected = try #require(rig.program.model.dispatch.queue.selectedRow)
        rig.command("assign P-BH-01, P-BH-02")
        let sent = try #require(rig.sent.first)
        #expect(sent.command == .dispatch(incident: .init(selected.id), units: ["P-BH-01", "P-BH-02"]))
        #expect(sent.baseVersion == selected.version)
        #expect(rig.screen.contains("已排队 #1"))
        #expect(rig.program.model.pending[1] != nil)
    }

    @Test func writes_act_on_each_panes_selection() throws {
        let hotline = Rig(pane: .hotline)
        let ticket = try #require(hotline.program.model.hotline.queue.selectedRow)
        hotline.command("transfer water")
        hotline.command("回访 no")
        #expect(hotline.sent.map(\.command.name) == [.transferTicket, .recordCallback])
        #expect(hotline.sent[0].command == .transferTicket(.init(ticket.id), department: "water"))
        #expect(hotline.sent[1].command == .recordCallback(.init(ticket.id), satisfied: false))

        let approvals = Rig(pane: .approvals)
        let approval = try #require(approvals.program.model.approvals.queue.selectedRow)
        approvals.command("approve 材料齐全，同意")
        approvals.command("reject")  // a refusal needs an opinion: nothing is sent
        #expect(approvals.sent.count == 1)
        #expect(approvals.sent[0].command == .signOff(.init(approval.id), department: nil, approve: true, opinion: "材料齐全，同意"))
        #expect(approvals.sent[0].baseVersion == approval.version)
        #expect(approvals.screen.contains("用法：reject OPINION"))

        // A write aimed at another pane's selection says where to go instead of guessing.
        let dashboard = Rig(pane: .dashboard)
        dashboard.command("close")
        #expect(dashboard.sent.isEmpty)
        #expect(dashboard.screen.contains("请先在调度面板选中一条警情"))
    }

    @Test func a_rejection_shows_its_reason_and_is_not_covered_by_later_good_news() {
        let rig = Rig(pane: .dispatch)
        rig.command("resolve")
        rig.command("resolve")
        rig.notice(.rejected(id: 1, CommandRejection(.staleVersion(id: "J1", base: 3, current: 4))))
        rig.notice(.applied(id: 2))
        #expect(rig.screen.contains("被中心拒绝 #1"))
        #expect(rig.screen.contains("已被他人更新"))
        // Long reasons wrap above the status bar instead of being cut.
        let flat = rig.screen.replacingOccurrences(of: "\\s+", with: "", options: .regularExpression)
        #expect(flat.contains("你看到的是第3版，现为第4版"))
        #expect(rig.program.model.pending.isEmpty)
    }

    @Test func the_status_bar_follows_the_agent_and_old_data_is_marked_stale() {
        let rig = Rig(pane: .dispatch)
        #expect(rig.screen.contains("● 在线"))
        #expect(rig.screen.contains("待发 0"))
        rig.notice(.status(SyncStatus(online: false, phase: .ready, lagSeq: 12, lagMs: 3400, outbox: 3,
                                      lastSyncAt: rig.now.addingTimeInterval(-300))))
        rig.program.send(.tick(rig.now))
        rig.program.render()
        #expect(rig.screen.contains("○ 离线"))
        // One age (data as of), the queue, and no lag in ms beside them (StatusBarTests has each state).
        #expect(rig.screen.contains("待发 3  数据截至 09:55:00"))
        #expect(!rig.screen.contains("滞后"))
        #expect(rig.screen.contains("警情队列 · 数据陈旧"))
        rig.notice(.disconnected("no agent"))
        #expect(rig.screen.contains("代理未连接"))
    }

    @Test func on_a_local_database_writes_are_refused_with_a_pointer_to_the_agent() {
        let h = Harness(pane: .dispatch)
        h.press(.char(":"))
        h.type("close")
        h.press(.enter)
        #expect(h.screen.contains("代理未连接"))
        #expect(h.screen.contains("本地库"))
    }
}

extension AgentModeTests {
    @Test func tab_completes_unit_ids_and_shows_the_candidates_with_their_status() throws {
        let rig = Rig(pane: .dispatch)
        rig.program.send(.key(.char(":")))
        for c in "assign P-B" { rig.program.send(.key(.char(c))) }
        rig.program.send(.key(.tab))
        rig.program.render()
        let units = rig.program.model.dispatch.units.filter { $0.id.hasPrefix("P-B") }
        try #require(units.count > 1)
        // The common prefix is completed, and the candidates are listed above the line with their status.
        #expect(rig.screen.contains(":assign P-B"))
        for unit in units { #expect(rig.screen.contains("\(unit.id) \(Strings(.zh).status(unit.status))")) }
    }

    @Test func tab_after_submit_completes_command_names_then_argument_keys_then_catalog_names() {
        let rig = Rig(pane: .dispatch)
        rig.program.send(.key(.char(":")))
        for c in "submit createInc" { rig.program.send(.key(.char(c))) }
        rig.program.send(.key(.tab))
        for c in "dis" { rig.program.send(.key(.char(c))) }
        rig.program.send(.key(.tab))
        for c in "江" { rig.program.send(.key(.char(c))) }
        rig.program.send(.key(.tab))
        rig.program.render()
        #expect(rig.screen.contains(":submit createIncident district=江北区"))
    }
}
