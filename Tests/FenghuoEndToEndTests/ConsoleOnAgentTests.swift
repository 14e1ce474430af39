import FenghuoProtocol
import FenghuoSync
import Foundation
import GRDB
import Testing
import TestSupport

/// The console on an agent's replica, in a real terminal: writes go through the agent, and what
/// central decides comes back to the screen.
@Suite("The console on an agent", .serialized, .processes)
struct ConsoleOnAgentTests {
    @Test func a_stale_write_queued_offline_shows_centrals_reason_and_the_writes_after_it_still_apply() async throws {
        let c = try SyncCluster()
        try await c.startCentral()
        try c.startAgent("a", user: "duty1", password: "demoduty")
        try await c.waitSynced("a")
        // A free unit, and a new incident of its agency to work on.
        let (unit, type) = try await c.replicaDB("a").read { db -> (String?, String?) in
            let row = try Row.fetchOne(db, sql: "SELECT id, agency FROM unit WHERE status = 'available' ORDER BY id")
            let type = try String.fetchOne(db, sql: "SELECT code FROM incident_type WHERE agency = ? ORDER BY code",
                                           arguments: [row?["agency"] as String?])
            return (row?["id"], type)
        }
        let unitID = try #require(unit, "no free unit in the demo city")
        let made = try Binary.run(["submit", "createIncident", "type=\(try #require(type))", "district=binhu",
                                   "address=滨湖区湖心路8号", "narrative=控制台测试警情", "--data", c.agentDir("a")])
        #expect(made.status == 0, "\(made.output)")
        let incident = try await c.replicaDB("a").read { db in
            try String.fetchOne(db, sql: "SELECT id FROM incident WHERE narrative = '控制台测试警情'")
        }
        let incidentID = try #require(incident)

        let tmux = try Tmux(width: 120, height: 40, command: Binary.console(onAgent: c.agentDir("a")))
        tmux.waitFor(text: "● 在线")
        tmux.press("/")
        tmux.type(incidentID)
        tmux.press("Enter")
        tmux.waitFor("only the new incident in the queue") { screen in
            screen.split(separator: "\n").filter { $0.contains("J2026") && !$0.contains("/J2026") }.count == 1 && screen.contains(incidentID)
        }
        // Offline, the officer dispatches a unit and then cancels: both based on what the screen showed.
        c.stopCentral()
        tmux.press(":")
        tmux.type("assign \(unitID)")
        tmux.press("Enter")
        tmux.waitFor(text: "已排队")
        tmux.press(":")
        tmux.type("cancel 误报 报警人看错")
        tmux.press("Enter")
        tmux.waitFor(text: "确认撤销 \(incidentID)")  // a cancel is asked about first
        tmux.press("y")
        tmux.waitFor(text: "待发 2")
        tmux.press(":")
        tmux.type("submit createIncident type=theft district=binhu address=滨湖区湖心路9号 narrative=拒绝之后的命令")
        tmux.press("Enter")
        tmux.waitFor(text: "待发 3")
        tmux.waitFor(text: "○ 离线")
        // Central returns: the dispatch lands, the cancel was based on the old version.
        try await c.startCentral()
        let screen = tmux.waitFor("the rejection on screen") { $0.contains("被中心拒绝") && $0.contains("已被他人更新") && !$0.contains("changed since") }
        #expect(screen.contains("撤销 \(incidentID)"))
        tmux.waitFor(text: "待发 0")
        tmux.waitFor(text: "● 在线")
        let (status, after) = try await c.centralDB().read { db in
            (try String.fetchOne(db, sql: "SELECT status FROM incident WHERE id = ?", arguments: [incidentID]),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM incident WHERE narrative = '拒绝之后的命令'"))
        }
        #expect(status == "dispatched")
        #expect(after == 1)
        tmux.press("q")
        #expect(tmux.waitForExit() == 0)
    }
}
