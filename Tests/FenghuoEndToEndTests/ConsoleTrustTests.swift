import FenghuoDomain
import FenghuoProtocol
import FenghuoSync
import Foundation
import GRDB
import Testing
import TestSupport

/// Issue 11 on the real binaries: outcomes name their record whoever sent the command, and
/// the console's whole path (a create, its new id, `g`, a confirmed cancel) in a terminal.
@Suite("A console people can trust, end to end", .serialized, .processes)
struct ConsoleTrustTests {
    @Test func a_create_sent_from_the_cli_reaches_a_subscriber_queued_and_settled_with_its_new_id() async throws {
        let c = try SyncCluster()
        try await c.startCentral()
        try c.startAgent("a", user: "duty1", password: "demoduty")
        try await c.waitSynced("a")
        let subscriber = try await c.client("a")
        try subscriber.send(.subscribe)

        let made = try Binary.run(["submit", "createIncident", "type=theft", "district=binhu", "address=滨湖区湖心路8号",
                                   "narrative=结果带编号", "--data", c.agentDir("a")])
        #expect(made.status == 0, "\(made.output)")
        var queued: AgentEvent?, settled: AgentEvent?
        let deadline = Date().addingTimeInterval(20)
        while settled == nil, Date() < deadline {
            let event = try subscriber.next(timeout: 20)
            switch event.kind {
            case .queued: queued = event
            case .applied, .rejected: settled = event
            default: break
            }
        }
        let id = try await c.centralDB().read { db in
            try String.fetchOne(db, sql: "SELECT id FROM incident WHERE narrative = '结果带编号'")
        }
        let incident = try #require(id, "the incident is not in central's database")
        #expect(queued?.subject == CommandSubject(command: "createIncident", record: nil))
        #expect(settled == .applied(mutationID: try #require(queued?.mutationID),
                                    subject: CommandSubject(command: "createIncident", record: incident)))
    }

    @Test func in_the_console_a_new_incident_is_named_g_opens_it_and_a_cancel_asks_first() async throws {
        let c = try SyncCluster()
        try await c.startCentral()
        try c.startAgent("a", user: "duty1", password: "demoduty")
        try await c.waitSynced("a")
        let tmux = try Tmux(width: 120, height: 40, command: Binary.console(onAgent: c.agentDir("a")))
        tmux.waitForQueue()
        // A new incident through the form (type, district, address, narrative).
        tmux.press("n", until: "新建警情")
        tmux.type("住宅火灾")
        tmux.waitFor(text: "│住宅火灾")       // the list, down to the one type
        tmux.press("Enter")
        tmux.type("滨湖区湖心路8号")
        tmux.press("Tab")
        tmux.type("滨湖区")
        tmux.press("Tab", "Tab", "Tab", "Tab")  // priority, phone, caller, narrative
        tmux.type("全程测试：厨房起火")
        tmux.waitFor(text: "厨房起火")
        tmux.press("Enter")
        let applied = tmux.waitFor("the outcome with the new id") { $0.contains("已生效 新建警情 J") }
        let id = try await c.centralDB().read { db in
            try String.fetchOne(db, sql: "SELECT id FROM incident WHERE narrative = '全程测试：厨房起火'")
        }
        let incident = try #require(id, "the incident is not in central's database")
        #expect(applied.contains("已生效 新建警情 \(incident)"))
        // Elsewhere in the console, g brings it back, open.
        tmux.press("2")
        tmux.waitFor(text: "fenghuo demo --as hotline")  // not the duty officer's pane: it says so
        tmux.press("g")
        tmux.waitFor(text: "警情详情 \(incident)")
        // Cancel it: the line names it, the reason is required, and y is asked for.
        tmux.press(":")
        tmux.type("cancel")
        tmux.waitFor(text: "撤销 \(incident)")
        tmux.press("Enter")
        tmux.waitFor(text: "用法：cancel DISPOSITION REASON")
        tmux.press(":")
        tmux.type("cancel 误报 测试撤销")
        tmux.press("Enter")
        tmux.waitFor(text: "确认撤销 \(incident)")
        tmux.press("y")
        tmux.waitFor(text: "已生效 撤销 \(incident)")
        let status = try await c.centralDB().read { db in
            try String.fetchOne(db, sql: "SELECT status FROM incident WHERE id = ?", arguments: [incident])
        }
        #expect(status == "cancelled")
        tmux.press("q")
        #expect(tmux.waitForExit() == 0)
    }

    @Test func a_command_queued_offline_is_marked_listed_and_quitting_warns_that_it_is_kept() async throws {
        let c = try SyncCluster()
        try await c.startCentral()
        try c.startAgent("a", user: "duty1", password: "demoduty")
        try await c.waitSynced("a")
        let tmux = try Tmux(width: 120, height: 40, command: Binary.console(onAgent: c.agentDir("a")))
        tmux.waitForQueue()
        c.stopCentral()
        tmux.press(":")
        tmux.type("resolve 已处置完毕")
        tmux.press("Enter")
        tmux.waitFor(text: "已排队")
        Self.expectOneQueuedThenQuit(tmux)
        #expect(try Outbox(path: c.paths("a").outbox).count() == 1)
        // A console started again (central still down) lists the command queued before it
        // started, and marks its row.
        let again = try Tmux(width: 120, height: 40, command: Binary.console(onAgent: c.agentDir("a")))
        again.waitForQueue()
        Self.expectOneQueuedThenQuit(again)
    }

    /// One command waits: its row carries the mark in the list's border, Q lists it as waiting,
    /// and quitting asks, saying it is kept.
    static func expectOneQueuedThenQuit(_ tmux: Tmux, sourceLocation: SourceLocation = #_sourceLocation) {
        tmux.waitFor("the queued mark", sourceLocation: sourceLocation) { $0.split(separator: "\n").contains { $0.hasPrefix("⇡") } }
        tmux.press("Q")
        tmux.waitFor(text: "命令队列 · 待发 1", sourceLocation: sourceLocation)
        tmux.waitFor(text: "等待中心确认", sourceLocation: sourceLocation)
        tmux.press("Escape")
        tmux.press("q")
        tmux.waitFor(text: "还有 1 条命令待发：已保存在本机，下次启动时自动发送", sourceLocation: sourceLocation)
        tmux.press("y")
        #expect(tmux.waitForExit() == 0, sourceLocation: sourceLocation)
    }
}
